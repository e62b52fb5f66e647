// Per-process caches that public routes lean on: the workspace behind a public key, whether a
// study can take a booking, and the widget's config body. Replicas share one PostgreSQL, so a
// change made through one process is announced to all (NOTIFY on CACHE_CHANNEL) and each drops
// what it held; a listener that lost its connection drops everything, having missed messages.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import fp from 'fastify-plugin';
import { CapacityCache } from '../services/capacity.js';
import { widgetConfig } from '../services/studies.js';
import { WidgetConfigCache } from '../services/widget-config-cache.js';
import { OriginSightings } from '../services/origins.js';
import { PublicWorkspaceCache, type Workspace } from '../services/workspaces.js';

declare module 'fastify' {
  interface FastifyInstance {
    publicWorkspaces: PublicWorkspaceCache;
    capacity: CapacityCache;
    widgetConfigs: WidgetConfigCache;
    /** Something of the workspace changed (settings, studies, hosts, calendars): every process forgets it. */
    workspaceChanged(workspaceId: string): void;
    /** When each origin last asked for a workspace's config (for Settings). */
    originSightings: OriginSightings;
  }
  interface FastifyRequest {
    /** Set on admin routes by the authentication check, and on public routes from the public key. */
    workspace: Workspace;
  }
}

const CACHE_CHANNEL = 'beckon_cache';

/** What one process tells the others; `from` lets a process skip its own echo. */
type CacheMessage = { from: string; workspaceId: string } | { from: string; studyIds: string[] };

/**
 * Studies' changes (every booking changes its study's capacity) are announced together, at most
 * this long after the first: one NOTIFY for a burst of bookings instead of one per booking, well
 * within the second other replicas have to hear of it.
 */
const STUDY_NOTICE_DELAY_MS = 25;
/** NOTIFY payloads stop at 8,000 bytes; study ids take about 40 each. */
const STUDIES_PER_NOTICE = 150;

export const cachesPlugin = fp(
  async (app) => {
    const publicWorkspaces = new PublicWorkspaceCache(app.db);
    const capacity = new CapacityCache(app.db, app.busyTime);
    const widgetConfigs = new WidgetConfigCache((workspace) => widgetConfig(app.db, workspace, capacity));
    const processId = randomUUID();

    const forgetWorkspace = (workspaceId: string) => {
      publicWorkspaces.forgetWorkspace(workspaceId);
      capacity.forgetWorkspace(workspaceId);
      widgetConfigs.forgetWorkspace(workspaceId);
    };
    const forgetStudy = (studyId: string) => {
      capacity.forgetLocally(studyId);
      widgetConfigs.forgetStudy(studyId);
    };
    const announce = (message: CacheMessage): Promise<unknown> =>
      // Best effort: the caches' short lifetimes bound what a lost message costs.
      app.db.execute(sql`select pg_notify(${CACHE_CHANNEL}, ${JSON.stringify(message)})`).catch((error: unknown) => app.log.warn({ err: error }, 'cache change not announced'));

    const changedStudies = new Set<string>();
    let noticeTimer: NodeJS.Timeout | undefined;
    const announceStudies = () => {
      noticeTimer = undefined;
      const studyIds = [...changedStudies];
      changedStudies.clear();
      const notices: Promise<unknown>[] = [];
      for (let i = 0; i < studyIds.length; i += STUDIES_PER_NOTICE) notices.push(announce({ from: processId, studyIds: studyIds.slice(i, i + STUDIES_PER_NOTICE) }));
      return Promise.all(notices);
    };
    capacity.onChange = (studyId) => {
      widgetConfigs.forgetStudy(studyId);
      changedStudies.add(studyId);
      noticeTimer ??= setTimeout(announceStudies, STUDY_NOTICE_DELAY_MS);
    };
    app.decorate('publicWorkspaces', publicWorkspaces);
    app.decorate('capacity', capacity);
    app.decorate('widgetConfigs', widgetConfigs);
    app.decorate('workspaceChanged', (workspaceId: string) => {
      forgetWorkspace(workspaceId);
      announce({ from: processId, workspaceId });
    });
    app.decorate('originSightings', new OriginSightings(app.db, (error) => app.log.warn({ err: error }, 'could not note an origin')));
    // Every route that reads it sets it first (admin: authentication; public: the key in the path).
    app.decorateRequest('workspace', null as unknown as Workspace);

    let stopListening: (() => Promise<void>) | undefined;
    app.addHook('onReady', async () => {
      stopListening = await app.database.listen(
        CACHE_CHANNEL,
        (payload) => {
          let message: CacheMessage;
          try {
            message = JSON.parse(payload) as CacheMessage;
          } catch {
            return;
          }
          if (message.from === processId) return;
          if ('workspaceId' in message) forgetWorkspace(message.workspaceId);
          else if (Array.isArray(message.studyIds)) message.studyIds.forEach(forgetStudy);
        },
        () => {
          // Missed messages: everything held may be stale.
          for (const key of ['publicWorkspaces', 'capacity', 'widgetConfigs'] as const) app[key].clear();
        },
      );
    });
    // What this process changed last is still told before it goes (preClose: the database is still open).
    app.addHook('preClose', async () => {
      if (!noticeTimer) return;
      clearTimeout(noticeTimer);
      await announceStudies();
    });
    app.addHook('onClose', async () => stopListening?.());
  },
  { name: 'caches', dependencies: ['database', 'calendars'] },
);
