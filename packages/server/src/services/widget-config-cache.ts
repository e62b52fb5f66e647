// The widget's config, serialised once per workspace: every page view of every product site
// asks for it, so the answer is a ready string with its ETag, not a query. Admin changes and
// bookings drop it (in every process, see plugins/caches.ts); a short lifetime bounds the rest
// (capacity that ran out through time alone).
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { WidgetConfig } from '@beckon/shared/api';
import type { Workspace } from './workspaces.js';
import { SingleFlight } from './single-flight.js';

export type ConfigEncoding = 'br' | 'gzip' | 'identity';

/** One body, stored as sent: compressed once per change rather than once per page view. */
export interface CachedWidgetConfig {
  /** Shared, never changed: a visitor's own answer (services/visitor.ts) is built from a copy. */
  body: WidgetConfig;
  bodies: Record<ConfigEncoding, Buffer>;
  /** Each encoding is its own representation, so each has its own tag. */
  etags: Record<ConfigEncoding, string>;
}

interface Entry extends CachedWidgetConfig {
  studyIds: Set<string>;
  expiresAt: number;
}

export class WidgetConfigCache {
  private readonly entries = new Map<string, Entry>();
  /** Bumped by every change: a read that began before it is neither stored nor shared after it. */
  private readonly generations = new Map<string, number>();
  private readonly filling = new SingleFlight<Entry>();
  /** Bumped when everything is dropped at once. */
  private epoch = 0;

  constructor(
    private readonly compute: (workspace: Workspace) => Promise<WidgetConfig>,
    private readonly ttlMs = 10_000,
    private readonly maxEntries = 10_000,
  ) {}

  /** The answer held for the workspace right now, if any, without computing one. */
  peek(workspace: Workspace): CachedWidgetConfig | undefined {
    const cached = this.entries.get(workspace.id);
    return cached && cached.expiresAt > Date.now() ? cached : undefined;
  }

  async get(workspace: Workspace): Promise<CachedWidgetConfig> {
    const cached = this.peek(workspace);
    if (cached) return cached;
    const stamp = this.stampOf(workspace.id);
    return this.filling.run(`${workspace.id}:${stamp}`, async () => {
      const body = await this.compute(workspace);
      const identity = Buffer.from(JSON.stringify(body));
      const tag = createHash('sha256').update(identity).digest('base64url').slice(0, 27);
      const entry: Entry = {
        body,
        bodies: {
          identity,
          gzip: gzipSync(identity, { level: 9 }),
          br: brotliCompressSync(identity, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: identity.length } }),
        },
        etags: { identity: `"${tag}"`, gzip: `"${tag}-gzip"`, br: `"${tag}-br"` },
        studyIds: new Set(body.studies.map((study) => study.id)),
        expiresAt: Date.now() + this.ttlMs,
      };
      if (this.stampOf(workspace.id) === stamp) {
        if (this.entries.size >= this.maxEntries) this.entries.clear();
        this.entries.set(workspace.id, entry);
      }
      return entry;
    });
  }

  clear(): void {
    this.entries.clear();
    this.epoch += 1;
  }

  private stampOf(workspaceId: string): string {
    return `${this.epoch}:${this.generations.get(workspaceId) ?? 0}`;
  }

  forgetWorkspace(workspaceId: string): void {
    this.entries.delete(workspaceId);
    this.generations.set(workspaceId, (this.generations.get(workspaceId) ?? 0) + 1);
  }

  /** A study's capacity changed (a booking, a cancellation): its workspace's answer may have. */
  forgetStudy(studyId: string): void {
    for (const [workspaceId, entry] of this.entries) if (entry.studyIds.has(studyId)) this.forgetWorkspace(workspaceId);
  }
}
