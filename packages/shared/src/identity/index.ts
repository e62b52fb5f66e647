/**
 * Identity verification: the product's backend signs what it says about a user, so a visitor
 * cannot edit their own traits (say, to qualify as a "superstar" for an incentive).
 *
 *   signature = hex(HMAC-SHA256(identitySecret, identityMessage(userId, traits)))
 *
 * The message is the user id, a newline, and the traits as JSON with keys sorted at every
 * depth, so any backend language can produce the same bytes.
 */
export function identityMessage(userId: string, traits: Record<string, unknown> = {}): string {
  return `${userId}\n${canonicalJson(traits)}`;
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
