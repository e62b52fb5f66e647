// Which sites the snippet really runs on: the config route notes the Origin of each request, so
// Settings can show when each allowed origin was last seen and warn about refused ones. Cheap:
// at most one write per workspace and origin a minute per process, off the request's path, and
// at most MAX_ORIGINS origins kept per workspace (refused origins are chosen by whoever calls).
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { workspaces } from '../db/schema.js';

const WRITE_EVERY_MS = 60_000;
const MAX_ORIGINS = 100;
const ORIGIN = /^https?:\/\/[^/?#\s]{1,240}$/;

export class OriginSightings {
  private readonly written = new Map<string, number>();

  constructor(private readonly db: Database, private readonly onError: (error: unknown) => void = () => {}) {}

  /** Notes that `origin` asked for `workspaceId`'s config; returns the write, if one was due (for tests). */
  note(workspaceId: string, origin: string | undefined, now = new Date()): Promise<void> | undefined {
    if (!origin || !ORIGIN.test(origin)) return undefined;
    const key = `${workspaceId} ${origin}`;
    const last = this.written.get(key);
    if (last !== undefined && now.getTime() - last < WRITE_EVERY_MS) return undefined;
    if (this.written.size > 10_000) this.written.clear(); // bounded memory whatever origins are sent
    this.written.set(key, now.getTime());
    const stamp = JSON.stringify({ [origin]: now.toISOString() });
    return this.db
      .update(workspaces)
      .set({
        // A known origin is refreshed; a new one is added while fewer than MAX_ORIGINS are kept.
        originsSeen: sql`case when ${workspaces.originsSeen} ? ${origin} or (select count(*) from jsonb_object_keys(${workspaces.originsSeen})) < ${MAX_ORIGINS}
          then ${workspaces.originsSeen} || ${stamp}::jsonb else ${workspaces.originsSeen} end`,
      })
      .where(sql`${workspaces.id} = ${workspaceId}`)
      .then(
        () => undefined,
        (error: unknown) => {
          this.written.delete(key);
          this.onError(error);
        },
      );
  }
}
