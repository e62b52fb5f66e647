// Rule and storage keys come from configuration and the host page: never read inherited members.

/** @internal `o[key]` when `o` has it as an own property, else undefined. */
export const own = (o: object | null | undefined, key: string): any =>
  o && {}.hasOwnProperty.call(o, key) ? (o as Record<string, unknown>)[key] : undefined;
