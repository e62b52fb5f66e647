// One description of an email's content, rendered twice: as plain text and as HTML. Both parts
// come from the same blocks, so they cannot drift apart, and every value reaches the HTML
// through one escaping function (the `html` template below escapes each interpolation).

export type Inline = string | { url: string; label?: string };

export type Block =
  | { kind: 'paragraph'; parts: Inline[] }
  | { kind: 'facts'; rows: { label: string; lines: Inline[] }[] }
  | { kind: 'button'; url: string; label: string }
  | { kind: 'heading'; text: string }
  | { kind: 'preformatted'; text: string }
  | { kind: 'answers'; items: { question: string; answer: string }[] }
  | { kind: 'muted'; parts: Inline[] };

export const paragraph = (...parts: Inline[]): Block => ({ kind: 'paragraph', parts });
export const muted = (...parts: Inline[]): Block => ({ kind: 'muted', parts });
export const link = (url: string, label?: string): Inline => (label === undefined ? { url } : { url, label });
export const facts = (rows: { label: string; lines: Inline[] }[]): Block => ({ kind: 'facts', rows });
export const button = (url: string, label: string): Block => ({ kind: 'button', url, label });
export const heading = (text: string): Block => ({ kind: 'heading', text });
export const preformatted = (text: string): Block => ({ kind: 'preformatted', text });
export const answers = (items: { question: string; answer: string }[]): Block => ({ kind: 'answers', items });

// ---------------------------------------------------------------- escaping

/** HTML that is already safe; anything else interpolated into `html` is escaped. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type HtmlValue = SafeHtml | string | number | null | undefined | readonly HtmlValue[];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

function interpolate(value: HtmlValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(interpolate).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += interpolate(value) + strings[i + 1]!;
  });
  return new SafeHtml(out);
}

/** Only web links become clickable; `javascript:` and friends are shown as text, never as href. */
export function safeHref(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' || parsed.protocol === 'mailto:' ? parsed.href : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------- plain text

function inlineText(part: Inline): string {
  if (typeof part === 'string') return part;
  if (part.label === undefined || part.label === part.url) return part.url;
  return part.url === `mailto:${part.label}` ? part.label : `${part.label} (${part.url})`;
}

function blockText(block: Block): string {
  switch (block.kind) {
    case 'paragraph':
    case 'muted':
      return block.parts.map(inlineText).join('');
    case 'facts': {
      const width = Math.max(...block.rows.map((row) => row.label.length)) + 2;
      return block.rows
        .map((row) =>
          row.lines
            .map((line, i) => (i === 0 ? `${`${row.label}:`.padEnd(width)}${inlineText(line)}` : `${' '.repeat(width)}${inlineText(line)}`))
            .join('\n'),
        )
        .join('\n');
    }
    case 'button':
      return `${block.label}:\n${block.url}`;
    case 'heading':
      return `${block.text}\n${'-'.repeat(block.text.length)}`;
    case 'preformatted':
      return block.text.trim();
    case 'answers':
      return block.items.map((item) => `- ${item.question}\n  ${item.answer.split('\n').join('\n  ')}`).join('\n');
  }
}

export function renderText(blocks: Block[]): string {
  return `${blocks.map(blockText).join('\n\n')}\n`;
}

// ---------------------------------------------------------------- HTML

const FONT = "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

function inlineHtml(part: Inline): SafeHtml {
  if (typeof part === 'string') return multiline(part);
  const href = safeHref(part.url);
  const label = part.label ?? part.url;
  if (!href) return part.label === undefined ? html`${part.url}` : html`${label} (${part.url})`;
  return html`<a href="${href}" style="color:#2454c5">${label}</a>`;
}

const multiline = (text: string): SafeHtml => html`${text.split('\n').map((line, i) => (i === 0 ? html`${line}` : html`<br>${line}`))}`;

function blockHtml(block: Block): SafeHtml {
  switch (block.kind) {
    case 'paragraph':
      return html`<p style="margin:0 0 16px">${block.parts.map(inlineHtml)}</p>`;
    case 'muted':
      return html`<p style="margin:24px 0 0;color:#6b7280;font-size:13px">${block.parts.map(inlineHtml)}</p>`;
    case 'facts':
      return html`<table role="presentation" cellpadding="0" cellspacing="0" style="margin:0 0 16px;border-collapse:collapse">${block.rows.map(
        (row) =>
          html`<tr><td style="padding:4px 16px 4px 0;color:#6b7280;vertical-align:top;white-space:nowrap">${row.label}</td><td style="padding:4px 0;vertical-align:top">${row.lines.map(
            (line, i) => (i === 0 ? inlineHtml(line) : html`<br>${inlineHtml(line)}`),
          )}</td></tr>`,
      )}</table>`;
    case 'button': {
      const href = safeHref(block.url);
      if (!href) return html`<p style="margin:0 0 16px">${block.label}: ${block.url}</p>`;
      return html`<p style="margin:8px 0 20px"><a href="${href}" style="display:inline-block;padding:10px 18px;background:#2454c5;color:#ffffff;border-radius:6px;text-decoration:none;font-weight:600">${block.label}</a></p>`;
    }
    case 'heading':
      return html`<h2 style="margin:24px 0 8px;font-size:16px">${block.text}</h2>`;
    case 'preformatted':
      return html`<div style="margin:0 0 16px;padding:12px;background:#f5f6f8;border-radius:6px;white-space:pre-wrap">${multiline(block.text.trim())}</div>`;
    case 'answers':
      return html`<dl style="margin:0 0 16px">${block.items.map(
        (item) => html`<dt style="color:#6b7280;margin-top:8px">${item.question}</dt><dd style="margin:2px 0 0">${multiline(item.answer)}</dd>`,
      )}</dl>`;
  }
}

/** Who a participant mail is from, shown above it: the company's logo (https only) or its name. */
export interface MailBrand {
  name: string;
  logoUrl?: string | null;
}

function brandHtml(brand: MailBrand | undefined): SafeHtml | null {
  if (!brand) return null;
  const logo = brand.logoUrl && /^https:\/\//.test(brand.logoUrl) ? safeHref(brand.logoUrl) : null;
  return logo
    ? html`<p style="margin:0 0 20px"><img src="${logo}" alt="${brand.name}" height="32" style="height:32px;max-width:200px;border:0"></p>`
    : html`<p style="margin:0 0 20px;font-weight:700;font-size:17px">${brand.name}</p>`;
}

export function renderHtml(subject: string, blocks: Block[], preheader?: string, brand?: MailBrand): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${subject}</title></head>
<body style="margin:0;padding:0;background:#ffffff">
${preheader ? html`<div style="display:none;max-height:0;overflow:hidden">${preheader}</div>` : null}
<div style="max-width:560px;margin:0 auto;padding:24px 16px;${FONT};font-size:15px;line-height:1.5;color:#111827">
${brandHtml(brand)}${blocks.map(blockHtml)}
</div>
</body></html>
`.value;
}
