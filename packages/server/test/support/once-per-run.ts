// Vitest runs each project's global set-up in its main process, but through the project's own
// module graph: module state is not shared between projects. What several projects share (a
// migrated template database) lives on globalThis, made by the first project to ask and
// disposed of when the last one tears down.

interface Shared<T> {
  value: Promise<T>;
  users: number;
}

const registry = ((globalThis as { __beckonOncePerRun?: Map<string, Shared<unknown>> }).__beckonOncePerRun ??= new Map());

/** The value made once for this run under `key`, and the way to let go of it. */
export async function oncePerRun<T>(key: string, make: () => Promise<T>, dispose: (value: T) => Promise<void>): Promise<{ value: T; release: () => Promise<void> }> {
  let shared = registry.get(key) as Shared<T> | undefined;
  if (!shared) {
    shared = { value: make(), users: 0 };
    registry.set(key, shared);
  }
  shared.users += 1;
  const entry = shared;
  const value = await entry.value;
  return {
    value,
    release: async () => {
      entry.users -= 1;
      if (entry.users > 0) return;
      registry.delete(key);
      await dispose(value);
    },
  };
}
