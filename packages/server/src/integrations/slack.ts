// Slack: an incoming webhook per workspace or per study gets new bookings, cancellations and
// at-risk weeks as Block Kit messages (plain fetch: one JSON POST, no client needed). Posts go
// through the jobs table, so a Slack outage delays them; the message is built when it is sent.
import { and, eq, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Database, Transaction } from '../db/client.js';
import { bookings, members, participants, slackWebhooks, studies } from '../db/schema.js';
import type { JobHandlers, SlackEvent } from '../jobs/kinds.js';
import { enqueue } from '../jobs/queue.js';
import { nonPublicAddressCause, publicOnlyFetch } from '../security/outbound.js';
import type { SecretBox } from '../security/secrets.js';

/**
 * The Slack webhooks of the workspace, and of the event's study, that hear of it: a subquery (a
 * JSON array of ids) so the caller reads them in the round trip it makes anyway.
 */
export function slackTargetsQuery(workspaceId: string, event: SlackEvent): SQL {
  const studyId = event.type === 'week.at_risk' ? event.week.studyId : sql`(select ${bookings.studyId} from ${bookings} where ${bookings.id} = ${event.bookingId})`;
  const wanted = and(eq(slackWebhooks.workspaceId, workspaceId), studyId ? or(isNull(slackWebhooks.studyId), eq(slackWebhooks.studyId, studyId)) : isNull(slackWebhooks.studyId));
  return sql`(select coalesce(json_agg(${slackWebhooks.id}), '[]') from ${slackWebhooks} where ${wanted})`;
}

/** Enqueues a post to each Slack webhook found by slackTargetsQuery, inside the caller's transaction. */
export async function enqueueSlackPosts(tx: Database | Transaction, slackWebhookIds: string[], event: SlackEvent): Promise<void> {
  await enqueue(tx, ...slackWebhookIds.map((slackWebhookId) => ({ kind: 'slack.post' as const, payload: { slackWebhookId, event }, maxAttempts: 6 })));
}

/** Slack's mrkdwn needs only these three escaped. */
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** A time each reader sees in their own zone; the fallback is UTC. */
const when = (date: Date) => `<!date^${Math.floor(date.getTime() / 1000)}^{date_short_pretty} at {time}|${date.toISOString().slice(0, 16).replace('T', ' ')} UTC>`;

export interface SlackMessage {
  text: string;
  blocks: object[];
}

async function messageOf(db: Database, event: SlackEvent, publicUrl: string): Promise<SlackMessage | undefined> {
  if (event.type === 'week.at_risk') {
    const { week } = event;
    const [study] = week.studyId ? await db.select({ name: studies.name }).from(studies).where(eq(studies.id, week.studyId)) : [];
    const what = study ? escape(study.name) : 'The workspace';
    const text = `${what} may miss this week's interviews: ${week.booked} of ${week.target} booked`;
    return {
      text,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: `:warning: *${text}*\n${escape(week.reason)}${week.fix ? `\n_What to do:_ ${escape(week.fix)}` : ''}` } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: `<${publicUrl}/admin/|Open Beckon>` }] },
      ],
    };
  }
  const [row] = await db
    .select({ booking: bookings, study: studies.name, host: members.name, participant: participants.name })
    .from(bookings)
    .innerJoin(studies, eq(studies.id, bookings.studyId))
    .innerJoin(members, eq(members.id, bookings.hostId))
    .innerJoin(participants, eq(participants.id, bookings.participantId))
    .where(eq(bookings.id, event.bookingId));
  if (!row) return undefined;
  const who = escape(row.participant ?? 'A participant');
  const booked = event.type === 'booking.created';
  const text = booked ? `New interview booked for ${row.study}` : `Interview cancelled for ${row.study}`;
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `${booked ? ':calendar:' : ':x:'} *${escape(text)}*` } },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: `*Who*\n${who}` },
          { type: 'mrkdwn', text: `*When*\n${when(row.booking.startsAt)}` },
          { type: 'mrkdwn', text: `*Interviewer*\n${escape(row.host)}` },
          { type: 'mrkdwn', text: booked ? `*Came from*\n${escape(row.booking.source)}` : `*Cancelled by*\n${row.booking.cancelledBy === 'host' ? 'the team' : 'the participant'}` },
        ],
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `<${publicUrl}/admin/bookings|Bookings in Beckon>` }] },
    ],
  };
}

export function slackHandlers(deps: { db: Database; secretBox: SecretBox; publicUrl: string; allowPrivateNetworks: boolean }): Pick<JobHandlers, 'slack.post'> {
  return {
    'slack.post': async (job) => {
      const [target] = await deps.db.select().from(slackWebhooks).where(eq(slackWebhooks.id, job.payload.slackWebhookId));
      if (!target) return; // removed since
      const message = await messageOf(deps.db, job.payload.event, deps.publicUrl);
      if (!message) return;
      const fetcher = deps.allowPrivateNetworks ? globalThis.fetch : publicOnlyFetch;
      let response: Response;
      try {
        response = await fetcher(deps.secretBox.open(target.urlSealed), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(message),
          redirect: 'manual',
          signal: AbortSignal.timeout(10_000),
        });
      } catch (error) {
        throw new Error(nonPublicAddressCause(error)?.message ?? 'Slack could not be reached');
      }
      const answer = (await response.text()).slice(0, 200);
      // Slack answers `ok`, or a word for what is wrong (invalid_payload, no_service, channel_is_archived).
      if (!response.ok) throw new Error(`Slack answered ${response.status} ${answer}`);
    },
  };
}
