// A minimal MIME reader for the SMTP tests: headers, multipart nesting, base64 and
// quoted-printable bodies. Only what is needed to look inside the messages Beckon sends.

export interface MimePart {
  headers: Map<string, string>;
  /** Lower-cased media type, e.g. "text/calendar". */
  type: string;
  params: Record<string, string>;
  /** Decoded body (UTF-8), empty for multiparts. */
  body: string;
  parts: MimePart[];
}

function parseHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

function parseContentType(value: string | undefined): { type: string; params: Record<string, string> } {
  const [type, ...rest] = (value ?? 'text/plain').split(';');
  const params: Record<string, string> = {};
  for (const raw of rest) {
    const eq = raw.indexOf('=');
    if (eq > 0) params[raw.slice(0, eq).trim().toLowerCase()] = raw.slice(eq + 1).trim().replace(/^"|"$/g, '');
  }
  return { type: type!.trim().toLowerCase(), params };
}

function decode(body: string, encoding: string | undefined): string {
  switch ((encoding ?? '7bit').toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    case 'quoted-printable':
      return Buffer.from(
        body.replace(/=\r\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
        'latin1',
      ).toString('utf8');
    default:
      return body;
  }
}

export function parseMime(raw: string): MimePart {
  const split = raw.indexOf('\r\n\r\n');
  const headers = parseHeaders(split < 0 ? raw : raw.slice(0, split));
  const content = split < 0 ? '' : raw.slice(split + 4);
  const { type, params } = parseContentType(headers.get('content-type'));
  if (type.startsWith('multipart/')) {
    const boundary = params.boundary;
    if (!boundary) throw new Error('multipart without boundary');
    const sections = content.split(`--${boundary}`);
    // sections[0] is the preamble; the last one starts with "--" (the closing delimiter).
    const parts = sections.slice(1, -1).map((section) => parseMime(section.replace(/^\r\n/, '').replace(/\r\n$/, '')));
    return { headers, type, params, body: '', parts };
  }
  return { headers, type, params, body: decode(content, headers.get('content-transfer-encoding')), parts: [] };
}

export function leaves(part: MimePart): MimePart[] {
  return part.parts.length === 0 ? [part] : part.parts.flatMap(leaves);
}
