// Every storage access is guarded: storage may be missing, disabled, full or throw on access.

/** Reads `key` (no value), writes it (a value) or deletes it (null); session: sessionStorage. */
export function store(key: string, value?: unknown, session?: boolean): any {
  try {
    const area = session ? sessionStorage : localStorage;
    if (value === undefined) return JSON.parse(area.getItem(key)!);
    if (value === null) area.removeItem(key);
    else area.setItem(key, JSON.stringify(value));
  } catch {
    // Private mode, quota, sandboxed frame: remember in memory only.
  }
}
