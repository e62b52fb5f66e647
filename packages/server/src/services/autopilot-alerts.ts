// The autopilot's watch: an hourly check (a job that enqueues the next one) reads every
// workspace's week and enqueues an alert for each study whose week is at risk and, on Monday
// morning in the workspace's zone, the weekly digest. The jobs table's dedupe keys make each of
// them happen once however many processes run and however often they restart: one check per
// hour, one alert per study and local day, one digest per workspace and week.
import { and, asc, desc, eq, gte, inArray, isNotNull, lt } from 'drizzle-orm';
import { Temporal } from 'temporal-polyfill';
import { riskFixPath } from '@beckon/shared/vocabulary';
import type { Database } from '../db/client.js';
import { auditLog, bookings, members, memberships, participants, studies, users, workspaces } from '../db/schema.js';
import type { BusyTimeSource } from '../calendars/busy-time.js';
import type { JobHandlers } from '../jobs/kinds.js';
import { emitWebhook } from '../integrations/webhooks.js';
import { enqueue } from '../jobs/queue.js';
import { messageIdFor, type Mailer } from '../mail/index.js';
import { renderRiskAlert, renderWeeklyDigest, type DigestWeek } from '../mail/autopilot.js';
import { autopilotWeek } from './autopilot.js';

const HOUR_MS = 3_600_000;
/** The digest goes out from this local hour on Monday. */
const DIGEST_HOUR = 8;

interface AutopilotMailDeps {
  db: Database;
  mailer: Mailer;
  calendars: BusyTimeSource;
  publicUrl: string;
  from: string;
}

const localTime = (at: Date, timeZone: string) => Temporal.Instant.fromEpochMilliseconds(at.getTime()).toZonedDateTimeISO(timeZone);

/** The check for the hour holding `at`; at start, so the chain begins (a repeat of the key is skipped). */
export async function scheduleAutopilotCheck(db: Database, at: Date): Promise<void> {
  const hour = new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS);
  await enqueue(db, { kind: 'autopilot.tick', payload: { at: hour.toISOString() }, runAt: hour, dedupeKey: `autopilot.tick:${hour.toISOString()}`, maxAttempts: 3 });
}

/** One check as of `now`: alerts and the digest enqueued, each at most once. */
async function checkWorkspaces(deps: AutopilotMailDeps, now: Date): Promise<void> {
  for (const workspace of await deps.db.select().from(workspaces)) {
    const week = await autopilotWeek(deps.db, workspace, deps.calendars, now);
    const local = localTime(now, workspace.timeZone);
    const day = local.toPlainDate().toString();
    for (const study of week.studies) {
      const { forecast } = study;
      const { status, reason } = forecast;
      if (status === 'on_track' || !reason) continue;
      const thisWeek = study.weeks[study.weeks.length - 1]!;
      const booked = thisWeek.booked;
      await deps.db.transaction(async (tx) => {
        const added = await enqueue(tx, {
          kind: 'mail.autopilot_alert',
          payload: {
            workspaceId: workspace.id,
            studyId: study.studyId,
            at: now.toISOString(),
            forecast: { goal: forecast.goal, booked, expected: forecast.expected, low: forecast.low, high: forecast.high, chance: forecast.chance, status, reason },
          },
          runAt: now,
          dedupeKey: `autopilot.alert:${study.studyId}:${day}`,
          maxAttempts: 5,
        });
        // The same once a day for the team's other tools (signed webhooks, and Slack through them).
        if (added > 0) {
          const atRisk = { studyId: study.studyId, weekStart: thisWeek.start, target: study.target, booked, forecast: forecast.expected, reason, fix: forecast.fix ?? null };
          await emitWebhook(tx, workspace.id, { type: 'week.at_risk', week: atRisk }, now);
        }
      });
    }
    if (local.dayOfWeek === 1 && local.hour >= DIGEST_HOUR) {
      await enqueue(deps.db, { kind: 'mail.autopilot_digest', payload: { workspaceId: workspace.id, at: now.toISOString() }, runAt: now, dedupeKey: `autopilot.digest:${workspace.id}:${week.weekKey}`, maxAttempts: 5 });
    }
  }
}

/** Owners, admins (and researchers, when asked) of the workspace: their addresses. */
async function teamAddresses(db: Database, workspaceId: string, roles: ('owner' | 'admin' | 'researcher')[]): Promise<string[]> {
  const rows = await db
    .select({ email: users.email })
    .from(memberships)
    .innerJoin(users, eq(memberships.userId, users.id))
    .where(and(eq(memberships.workspaceId, workspaceId), inArray(memberships.role, roles)))
    .orderBy(asc(users.email));
  return rows.map((row) => row.email);
}

/**
 * Who owns a study: the person who created it (the audit log's study.create), while they can
 * still change studies in the workspace; otherwise (created with an API key, or they left) the
 * workspace's owners and admins.
 */
async function studyOwners(db: Database, workspaceId: string, studyId: string): Promise<string[]> {
  const [creator] = await db
    .select({ email: users.email })
    .from(auditLog)
    .innerJoin(users, eq(auditLog.actorUserId, users.id))
    .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.workspaceId, workspaceId)))
    .where(and(eq(auditLog.workspaceId, workspaceId), eq(auditLog.action, 'study.create'), eq(auditLog.targetId, studyId), isNotNull(auditLog.actorUserId), inArray(memberships.role, ['owner', 'admin', 'researcher'])))
    .orderBy(desc(auditLog.at))
    .limit(1);
  return creator ? [creator.email] : teamAddresses(db, workspaceId, ['owner', 'admin']);
}

const digestWeek = (week: { target: number; booked: number; attended: number; noShows: number }): DigestWeek => ({ target: week.target, booked: week.booked, attended: week.attended, noShows: week.noShows });

export function autopilotHandlers(deps: AutopilotMailDeps): Pick<JobHandlers, 'autopilot.tick' | 'mail.autopilot_alert' | 'mail.autopilot_digest'> {
  const admin = (path: string) => `${deps.publicUrl}/admin${path === '/' ? '' : path}`;
  return {
    'autopilot.tick': async (job) => {
      await checkWorkspaces(deps, new Date(job.payload.at));
      // The next hour's check, once: a late or repeated run of this one enqueues the same key.
      await scheduleAutopilotCheck(deps.db, new Date(Math.max(Date.now(), Date.parse(job.payload.at)) + HOUR_MS));
    },
    'mail.autopilot_alert': async (job) => {
      const { payload } = job;
      const [row] = await deps.db
        .select({ name: studies.name, status: studies.status, workspace: workspaces.name })
        .from(studies)
        .innerJoin(workspaces, eq(studies.workspaceId, workspaces.id))
        .where(and(eq(studies.id, payload.studyId), eq(studies.workspaceId, payload.workspaceId)));
      if (!row || row.status !== 'live') return; // ended or paused since: nothing to warn about
      const to = await studyOwners(deps.db, payload.workspaceId, payload.studyId);
      if (to.length === 0) return;
      const mail = renderRiskAlert({ to, workspaceName: row.workspace, studyName: row.name, forecast: payload.forecast, fixUrl: admin(riskFixPath(payload.forecast.reason, payload.studyId)), homeUrl: admin('/') });
      await deps.mailer.send({ ...mail, messageId: messageIdFor(`job-${job.id}.autopilot-alert`, deps.from) });
    },
    'mail.autopilot_digest': async (job) => {
      const { payload } = job;
      const now = new Date(payload.at);
      const [workspace] = await deps.db.select().from(workspaces).where(eq(workspaces.id, payload.workspaceId));
      if (!workspace) return;
      const to = await teamAddresses(deps.db, workspace.id, ['owner', 'admin', 'researcher']);
      if (to.length === 0) return;
      const week = await autopilotWeek(deps.db, workspace, deps.calendars, now);
      const weekEnd = new Date(week.workspace.weeks[week.workspace.weeks.length - 1]!.end);
      const coming = await deps.db
        .select({ participant: participants.name, study: studies.name, host: members.name, startsAt: bookings.startsAt, endsAt: bookings.endsAt })
        .from(bookings)
        .innerJoin(participants, eq(bookings.participantId, participants.id))
        .innerJoin(studies, eq(bookings.studyId, studies.id))
        .innerJoin(members, eq(bookings.hostId, members.id))
        .where(and(eq(bookings.workspaceId, workspace.id), eq(bookings.status, 'confirmed'), gte(bookings.startsAt, now), lt(bookings.startsAt, weekEnd)))
        .orderBy(asc(bookings.startsAt));
      const last = (weeks: typeof week.workspace.weeks) => digestWeek(weeks[weeks.length - 2]!);
      const current = (weeks: typeof week.workspace.weeks) => digestWeek(weeks[weeks.length - 1]!);
      const mail = renderWeeklyDigest({
        to,
        workspaceName: workspace.name,
        timeZone: workspace.timeZone,
        workspace: { lastWeek: last(week.workspace.weeks), thisWeek: current(week.workspace.weeks), outlook: week.workspace.forecast },
        studies: week.studies.map((s) => ({ name: s.name, lastWeek: last(s.weeks), thisWeek: current(s.weeks), outlook: s.forecast })),
        coming: coming.map((c) => ({ ...c, participant: c.participant ?? 'A participant (details erased)' })),
        homeUrl: admin('/'),
      });
      await deps.mailer.send({ ...mail, messageId: messageIdFor(`job-${job.id}.autopilot-digest`, deps.from) });
    },
  };
}
