// The settings form: the workspace as the PM edits it (text in inputs), checked the way the
// server's schema checks it (packages/shared/src/api/workspace.ts), and the PATCH body of what
// changed. Also the embed snippet an engineer pastes into the product.
import { jsString, snippetLine } from '@beckon/shared/snippet';
import type { Workspace, WorkspaceUpdate } from '@beckon/shared/api';
import { integer } from './availability.js';
import type { FieldProblem } from './fields.js';

export interface WorkspaceDraft {
  name: string;
  /** One row per input, as typed; blank rows are dropped before checking. */
  allowedOrigins: string[];
  requireIdentityVerification: boolean;
  recontactDays: string;
  privacyUrl: string;
  /** Branding participants see; empty: the workspace name, no logo. */
  brandName: string;
  logoUrl: string;
  locale: string;
  /** CSS custom properties for the widget; an empty value means the widget's default. */
  theme: Record<string, string>;
  /** Interviews a week wanted across the workspace, and the IANA zone its weeks run in. */
  weeklyTarget: string;
  timeZone: string;
}

/** The theme tokens the widget reads (packages/widget/src/ui/styles.ts); others are kept as they are. */
export const THEME_FIELDS = [
  { key: 'brand', label: 'Brand colour', hint: 'Buttons and focus rings, e.g. #4f46e5' },
  { key: 'onBrand', label: 'Text on the brand colour', hint: 'e.g. #ffffff' },
  { key: 'background', label: 'Background', hint: 'e.g. #ffffff' },
  { key: 'text', label: 'Text colour', hint: 'e.g. #111827' },
  { key: 'radius', label: 'Corner radius', hint: 'e.g. 12px' },
  { key: 'font', label: 'Font', hint: 'A CSS font-family, e.g. Inter, sans-serif' },
] as const;

export const THEME_MODES = [
  { value: '', label: 'Light (default)' },
  { value: 'dark', label: 'Dark' },
  { value: 'auto', label: 'Follow the visitor’s system setting' },
] as const;

// The schema's patterns and limits, repeated so problems show before anything is sent.
// (Case-insensitive here: 'HTTPS://App.example.com' is accepted and sent lower-cased, which matches.)
const ORIGIN_PATTERN = /^https?:\/\/[^/?#\s]+$/i;
const LOCALE_PATTERN = /^[a-z]{2}(-[A-Z]{2})?$/;
const THEME_KEY_PATTERN = /^[a-z][a-zA-Z]{0,31}$/;
const MAX_ORIGINS = 50;
const MAX_ORIGIN_LENGTH = 255;
const MAX_THEME_ENTRIES = 20;
const MAX_THEME_VALUE_LENGTH = 100;

export function draftFromWorkspace(workspace: Workspace): WorkspaceDraft {
  return {
    name: workspace.name,
    allowedOrigins: [...workspace.allowedOrigins],
    requireIdentityVerification: workspace.requireIdentityVerification,
    recontactDays: String(workspace.recontactDays),
    privacyUrl: workspace.privacyUrl ?? '',
    brandName: workspace.brandName ?? '',
    logoUrl: workspace.logoUrl ?? '',
    locale: workspace.locale,
    theme: { ...workspace.theme },
    weeklyTarget: String(workspace.weeklyTarget),
    timeZone: workspace.timeZone,
  };
}

const ORIGIN_EXAMPLE = 'https://app.example.com';

/**
 * An allowed origin as browsers send it in the Origin header (lower-case host, no default port),
 * or what is wrong with the text. A trailing slash is forgiven; any other path is not.
 */
export function parseOrigin(text: string): { origin: string } | { problem: string } {
  const trimmed = text.trim().replace(/\/+$/, '');
  if (!trimmed) return { problem: `Enter an origin like ${ORIGIN_EXAMPLE}` };
  let url: URL | undefined;
  try {
    url = new URL(trimmed);
  } catch {
    url = undefined;
  }
  if (!ORIGIN_PATTERN.test(trimmed)) {
    // A whole page address pasted: say which part to keep.
    if (url && (url.protocol === 'http:' || url.protocol === 'https:') && url.host) return { problem: `Enter the origin only, without a path: ${url.origin}` };
    return { problem: `Enter an origin like ${ORIGIN_EXAMPLE}: http:// or https://, the host, and a port if it is not the default` };
  }
  if (!url || !url.host) return { problem: `This is not a valid origin; enter one like ${ORIGIN_EXAMPLE}` };
  if (url.username || url.password) return { problem: `Leave out the user name: ${url.origin}` };
  if (url.origin.length > MAX_ORIGIN_LENGTH) return { problem: `An origin must be at most ${MAX_ORIGIN_LENGTH} characters` };
  return { origin: url.origin };
}

/** 'en', 'en-GB' (also accepts 'en_gb' and 'EN-gb'), or undefined when it is not a locale. */
export function normaliseLocale(text: string): string | undefined {
  const match = /^([a-z]{2})(?:[-_]([a-z]{2}))?$/i.exec(text.trim());
  if (!match) return undefined;
  const locale = match[2] ? `${match[1]!.toLowerCase()}-${match[2].toUpperCase()}` : match[1]!.toLowerCase();
  return LOCALE_PATTERN.test(locale) ? locale : undefined;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && Boolean(url.host);
  } catch {
    return false;
  }
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((value, i) => value === b[i]);
const sameRecord = (a: Record<string, string>, b: Record<string, string>) => {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => b[key] === a[key]);
};

/**
 * The PATCH body with only the fields that changed (so a save never overwrites a setting changed
 * elsewhere meanwhile), or the problems that keep it from being sent. `body` is null when nothing
 * changed. Origin problems are reported per row of `draft.allowedOrigins`: drop blank rows first
 * (`withoutBlankOrigins`) so the rows and the server's `allowedOrigins.N` fields line up.
 */
export function workspaceUpdateFromDraft(draft: WorkspaceDraft, saved: Workspace): { body: WorkspaceUpdate | null } | { problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];

  const name = draft.name.trim();
  if (!name) problems.push({ field: 'name', message: 'Workspace name is required' });
  else if (name.length > 120) problems.push({ field: 'name', message: 'Workspace name must be at most 120 characters' });

  const origins: string[] = [];
  draft.allowedOrigins.forEach((text, i) => {
    const parsed = parseOrigin(text);
    if ('problem' in parsed) return problems.push({ field: `allowedOrigins.${i}`, message: parsed.problem });
    if (origins.includes(parsed.origin)) return problems.push({ field: `allowedOrigins.${i}`, message: `${parsed.origin} is already in the list` });
    origins.push(parsed.origin);
  });
  if (draft.allowedOrigins.length > MAX_ORIGINS) problems.push({ field: 'allowedOrigins', message: `At most ${MAX_ORIGINS} origins` });

  const recontactDays = integer(draft.recontactDays, 'recontactDays', 'Ask again after', 0, 3650);
  if (typeof recontactDays !== 'number') problems.push(recontactDays);

  const privacyUrl = draft.privacyUrl.trim() || null;
  if (privacyUrl && !isHttpUrl(privacyUrl)) problems.push({ field: 'privacyUrl', message: 'Enter the full address of the privacy policy, starting with https://' });
  else if (privacyUrl && privacyUrl.length > 2048) problems.push({ field: 'privacyUrl', message: 'The address must be at most 2048 characters' });

  const brandName = draft.brandName.trim() || null;
  if (brandName && brandName.length > 120) problems.push({ field: 'brandName', message: 'At most 120 characters' });
  const logoUrl = draft.logoUrl.trim() || null;
  if (logoUrl && (!/^https:\/\//i.test(logoUrl) || !URL.canParse(logoUrl))) problems.push({ field: 'logoUrl', message: 'Enter the full https:// address of the logo image' });
  else if (logoUrl && logoUrl.length > 2048) problems.push({ field: 'logoUrl', message: 'The address must be at most 2048 characters' });

  const locale = normaliseLocale(draft.locale);
  if (!locale) problems.push({ field: 'locale', message: 'Enter a language code like en, or a language and country like en-GB' });

  const theme: Record<string, string> = {};
  for (const [key, raw] of Object.entries(draft.theme)) {
    const value = raw.trim();
    if (!value) continue;
    if (!THEME_KEY_PATTERN.test(key)) problems.push({ field: `theme.${key}`, message: `“${key}” is not a theme setting the widget can read` });
    else if (value.length > MAX_THEME_VALUE_LENGTH) problems.push({ field: `theme.${key}`, message: `Must be at most ${MAX_THEME_VALUE_LENGTH} characters` });
    theme[key] = value;
  }
  if (Object.keys(theme).length > MAX_THEME_ENTRIES) problems.push({ field: 'theme', message: `At most ${MAX_THEME_ENTRIES} theme settings` });

  const weeklyTarget = integer(draft.weeklyTarget, 'weeklyTarget', 'Interviews a week', 1, 500);
  if (typeof weeklyTarget !== 'number') problems.push(weeklyTarget);
  if (!draft.timeZone) problems.push({ field: 'timeZone', message: 'Pick the time zone your weeks run in' });

  if (problems.length > 0) return { problems };

  const body: WorkspaceUpdate = {};
  if (name !== saved.name) body.name = name;
  if (!sameList(origins, saved.allowedOrigins)) body.allowedOrigins = origins;
  if (draft.requireIdentityVerification !== saved.requireIdentityVerification) body.requireIdentityVerification = draft.requireIdentityVerification;
  if (recontactDays !== saved.recontactDays) body.recontactDays = recontactDays as number;
  if (privacyUrl !== saved.privacyUrl) body.privacyUrl = privacyUrl;
  if (brandName !== (saved.brandName ?? null)) body.brandName = brandName;
  if (logoUrl !== (saved.logoUrl ?? null)) body.logoUrl = logoUrl;
  if (locale !== saved.locale) body.locale = locale!;
  if (!sameRecord(theme, saved.theme)) body.theme = theme;
  if (weeklyTarget !== saved.weeklyTarget) body.weeklyTarget = weeklyTarget as number;
  if (draft.timeZone !== saved.timeZone) body.timeZone = draft.timeZone;
  return { body: Object.keys(body).length > 0 ? body : null };
}

/** The draft without empty origin rows (an "Add" pressed and left empty is not a mistake). */
export function withoutBlankOrigins(draft: WorkspaceDraft): WorkspaceDraft {
  const allowedOrigins = draft.allowedOrigins.filter((text) => text.trim() !== '');
  return allowedOrigins.length === draft.allowedOrigins.length ? draft : { ...draft, allowedOrigins };
}

/** A JavaScript string literal in single quotes that cannot end the surrounding <script>. */

/**
 * The snippet for the product's <head>, as packages/widget/README.md ("Embedding") gives it: the
 * queueing stub that adds this server's script after the page has loaded, and `init`.
 */
export function embedSnippet(publicKey: string, serverOrigin: string): string {
  return [
    '<script>',
    `  ${snippetLine(`${serverOrigin}/widget/beckon.js`)}`,
    `  beckon('init', { publicKey: ${jsString(publicKey)}, apiHost: ${jsString(serverOrigin)} });`,
    '</script>',
  ].join('\n');
}

/** Each allowed origin with when the snippet was last seen there, and the refused origins that asked, most recent first. */
export function originSightings(allowedOrigins: string[], seen: Record<string, string>) {
  const allowedSet = new Set(allowedOrigins.map((origin) => origin.trim().toLowerCase()).filter(Boolean));
  return {
    allowed: [...allowedSet].map((origin) => ({ origin, at: seen[origin] })),
    refused: Object.entries(seen)
      .filter(([origin]) => !allowedSet.has(origin))
      .sort((a, b) => b[1].localeCompare(a[1]))
      .map(([origin, at]) => ({ origin, at })),
  };
}

/** "just now", "5 minutes ago", "3 hours ago", "2 days ago". */
export function ago(instant: string, now = Date.now()): string {
  const minutes = Math.max(0, Math.round((now - Date.parse(instant)) / 60_000));
  if (minutes < 2) return 'just now';
  if (minutes < 120) return `${minutes} minutes ago`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} hours ago` : `${Math.round(hours / 24)} days ago`;
}
