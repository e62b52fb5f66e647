// Server validation errors name a dotted field (`intercept.title`, `hostIds.0`,
// `weekly.3.end`); forms name their controls with the same paths, so an error lands next to the
// control whose path is the longest prefix of the error's field.

export interface FieldProblem {
  /** Dotted path as the API names it; absent for an error about the whole request. */
  field?: string | undefined;
  message: string;
}

/** Error codes the server answers without a `field`, mapped to the field they are about. */
const FIELD_OF_CODE: Record<string, string> = {
  email_taken: 'email',
  slug_taken: 'slug',
  member_twice: 'observerIds',
  // A CalDAV server that could not be reached: most often a mistyped address.
  calendar_unreachable: 'serverUrl',
};

export function fieldOfError(error: { code?: string; field?: string | undefined }): string | undefined {
  return error.field ?? (error.code ? FIELD_OF_CODE[error.code] : undefined);
}

/** The control a field error belongs to: the longest path that is the field or one of its parents. */
export function resolveField(field: string | undefined, paths: Iterable<string>): string | undefined {
  if (!field) return undefined;
  let best: string | undefined;
  for (const path of paths) {
    if ((field === path || field.startsWith(`${path}.`)) && (!best || path.length > best.length)) best = path;
  }
  return best;
}

/** A DOM id for a field path: `intercept.title` → `f-intercept-title`. */
export function fieldId(path: string): string {
  return `f-${path.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
}

/** Messages like "intercept.title must NOT have fewer than 1 characters", said for a person. */
export function humanMessage(problem: FieldProblem, label?: string): string {
  let message = problem.message;
  if (label && problem.field && message.startsWith(problem.field)) message = `${label}${message.slice(problem.field.length)}`;
  return message
    .replace(/must NOT have fewer than 1 characters/, 'is required')
    .replace(/must NOT have fewer than (\d+) characters/, 'needs at least $1 characters')
    .replace(/must NOT have more than (\d+) characters/, 'must be at most $1 characters')
    .replace(/must NOT have fewer than 1 items/, 'needs at least one choice')
    .replace(/must be >= (\S+)/, 'must be at least $1')
    .replace(/must be <= (\S+)/, 'must be at most $1');
}

/** A first check of an address typed in the app (the server checks it again): something@something.tld. */
export const looksLikeEmail = (text: string): boolean => /^\S+@\S+\.\S+$/.test(text);
