// Incentives owed to participants. A booking of a study that promises one gets a pending row;
// cancelling or a no-show voids it; marking the interview done makes it due. The PM hands it over
// either through Beckon (the code, link and message are emailed, sealed at rest until then and
// after) or another way (account credit in the product), which is only recorded.
import { and, desc, eq, inArray, isNotNull, ne, sql, type SQL } from 'drizzle-orm';
import { toInstant, type AdminIncentive, type AdminIncentivesQuery, type IncentiveBudget, type IncentiveSend } from '@beckon/shared/api';
import type { Database, Transaction } from '../db/client.js';
import { bookings, incentives, participants, studies, workspaces } from '../db/schema.js';
import { studyWeek } from './availability.js';
import type { StudyRow } from './studies.js';
import { conflict, notFound, unprocessable } from '../errors.js';
import type { IncentiveHandover } from '../mail/index.js';
import type { SecretBox } from '../security/secrets.js';
import { enqueue } from '../jobs/queue.js';
import { incentiveText } from '@beckon/shared/participant';
import { emitWebhook } from '../integrations/webhooks.js';
import { PAYOUT_HELD } from '../integrations/payouts.js';

const columns = {
  incentive: incentives,
  booking: { id: bookings.id, studyId: bookings.studyId, startsAt: bookings.startsAt, status: bookings.status },
  studyName: studies.name,
  participant: { name: participants.name, email: participants.email },
};

type IncentiveRow = { incentive: typeof incentives.$inferSelect; booking: { id: string; studyId: string; startsAt: Date; status: AdminIncentive['bookingStatus'] }; studyName: string; participant: { name: string | null; email: string | null } | null };

function toAdminIncentive({ incentive, booking, studyName, participant }: IncentiveRow): AdminIncentive {
  return {
    id: incentive.id,
    bookingId: booking.id,
    studyId: booking.studyId,
    studyName,
    participant: { name: participant?.name ?? null, email: participant?.email ?? null },
    interviewStart: toInstant(booking.startsAt),
    bookingStatus: booking.status,
    kind: incentive.kind as AdminIncentive['kind'],
    amountCents: incentive.amountCents,
    currency: incentive.currency,
    // The words of the promise with its amount (a "{amount}" in the study's copy is filled in).
    description: incentiveText(incentive),
    status: incentive.status,
    due: incentive.status === 'pending' && booking.status === 'completed',
    sentAt: incentive.sentAt ? toInstant(incentive.sentAt) : null,
    sentBy: incentive.sentBy,
    payout:
      incentive.payoutProvider || incentive.payoutError
        ? {
            provider: incentive.payoutProvider ?? 'tremendous',
            orderId: incentive.payoutOrderId,
            status: incentive.payoutStatus,
            error: incentive.payoutError,
            held: incentive.payoutStatus === PAYOUT_HELD && !incentive.payoutOrderId,
          }
        : null,
  };
}

function selectIncentives(db: Database | Transaction, workspaceId: string, ...where: (SQL | undefined)[]) {
  return db
    .select(columns)
    .from(incentives)
    .innerJoin(bookings, eq(incentives.bookingId, bookings.id))
    .innerJoin(studies, eq(bookings.studyId, studies.id))
    .leftJoin(participants, eq(bookings.participantId, participants.id))
    .where(and(eq(bookings.workspaceId, workspaceId), ...where));
}

const statusFilter: Record<NonNullable<AdminIncentivesQuery['status']>, SQL | undefined> = {
  due: and(eq(incentives.status, 'pending'), eq(bookings.status, 'completed')),
  upcoming: and(eq(incentives.status, 'pending'), ne(bookings.status, 'completed')),
  sent: eq(incentives.status, 'sent'),
  void: eq(incentives.status, 'void'),
};

export async function listIncentives(db: Database, workspaceId: string, query: AdminIncentivesQuery): Promise<AdminIncentive[]> {
  const rows = await selectIncentives(db, workspaceId, query.status ? statusFilter[query.status] : undefined, query.studyId ? eq(bookings.studyId, query.studyId) : undefined)
    .orderBy(desc(bookings.startsAt))
    .limit(1000);
  return rows.map(toAdminIncentive);
}

/** What a study's incentives commit, in all and per interview start (pending and sent; void ones are not spent). */
async function committed(db: Database | Transaction, studyIds: string[], exceptBookingId?: string) {
  if (studyIds.length === 0) return [];
  return db
    .select({ studyId: bookings.studyId, amountCents: incentives.amountCents, status: incentives.status, startsAt: bookings.startsAt })
    .from(incentives)
    .innerJoin(bookings, eq(bookings.id, incentives.bookingId))
    .where(and(inArray(bookings.studyId, studyIds), inArray(incentives.status, ['pending', 'sent']), isNotNull(incentives.amountCents), exceptBookingId ? ne(bookings.id, exceptBookingId) : undefined));
}

/**
 * Refuses a booking (or a move) that would make the study owe more than its incentive budget
 * leaves, in all or in the interview's week (the workspace's weeks). Called in the booking's
 * transaction, after the slot is held, so two last bookings cannot both fit.
 */
export async function assertIncentiveBudget(tx: Transaction, study: StudyRow, start: Date, exceptBookingId?: string): Promise<void> {
  const { incentive } = study;
  const amount = incentive?.amountCents ?? 0;
  if (!incentive || amount === 0 || (incentive.budgetCents == null && incentive.weeklyBudgetCents == null)) return;
  // One booking at a time per study decides against the budget.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`incentive-budget:${study.id}`}))`);
  const rows = await committed(tx, [study.id], exceptBookingId);
  const total = rows.reduce((sum, row) => sum + row.amountCents!, 0);
  if (incentive.budgetCents != null && total + amount > incentive.budgetCents) {
    throw unprocessable('incentive_budget_spent', "This study's incentive budget is spent, so it takes no more bookings");
  }
  if (incentive.weeklyBudgetCents != null) {
    const [workspace] = await tx.select({ timeZone: workspaces.timeZone }).from(workspaces).where(eq(workspaces.id, study.workspaceId));
    const week = studyWeek(start, workspace?.timeZone ?? 'UTC');
    const inWeek = rows.filter((row) => row.startsAt >= week.start && row.startsAt < week.end).reduce((sum, row) => sum + row.amountCents!, 0);
    if (inWeek + amount > incentive.weeklyBudgetCents) throw unprocessable('weekly_incentive_budget_spent', "This week's incentive budget for the study is spent; choose a time in another week");
  }
}

/** Spend against budget for every study that promises an incentive with an amount. */
export async function incentiveBudgets(db: Database, workspaceId: string, now = new Date()): Promise<IncentiveBudget[]> {
  const rows = await db
    .select({ id: studies.id, name: studies.name, incentive: studies.incentive, timeZone: workspaces.timeZone })
    .from(studies)
    .innerJoin(workspaces, eq(workspaces.id, studies.workspaceId))
    .where(and(eq(studies.workspaceId, workspaceId), isNotNull(studies.incentive)));
  const paid = rows.filter((row) => row.incentive?.amountCents);
  const spent = await committed(db, paid.map((row) => row.id));
  return paid.map((row) => {
    const mine = spent.filter((one) => one.studyId === row.id);
    const week = studyWeek(now, row.timeZone);
    const sum = (list: typeof mine) => list.reduce((total, one) => total + one.amountCents!, 0);
    return {
      studyId: row.id,
      studyName: row.name,
      currency: row.incentive!.currency ?? null,
      budgetCents: row.incentive!.budgetCents ?? null,
      weeklyBudgetCents: row.incentive!.weeklyBudgetCents ?? null,
      owedCents: sum(mine),
      sentCents: sum(mine.filter((one) => one.status === 'sent')),
      thisWeekCents: sum(mine.filter((one) => one.startsAt >= week.start && one.startsAt < week.end)),
    };
  });
}

/** What an email handover carries; a handover another way carries nothing. */
function handoverOf(body: IncentiveSend): IncentiveHandover | null {
  const handover: IncentiveHandover = {};
  if (body.code?.trim()) handover.code = body.code.trim();
  if (body.url) handover.url = body.url;
  if (body.message?.trim()) handover.message = body.message.trim();
  const given = Object.keys(handover).length > 0;
  if (body.method === 'elsewhere') {
    if (given) throw unprocessable('nothing_to_email', 'Given another way, nothing is emailed: leave the code, link and message empty, or choose email', 'code');
    return null;
  }
  if (!given) throw unprocessable('handover_missing', 'Give the code, a link to redeem it, or a message for the participant', 'code');
  return handover;
}

export async function sendIncentive(deps: { db: Database; secretBox: SecretBox }, workspaceId: string, id: string, body: IncentiveSend, now = new Date()): Promise<AdminIncentive> {
  const handover = handoverOf(body);
  return deps.db.transaction(async (tx) => {
    const [row] = await selectIncentives(tx, workspaceId, eq(incentives.id, id)).for('update', { of: incentives });
    if (!row) throw notFound('incentive_not_found', `No incentive ${id} in this workspace`);
    const { incentive, booking } = row;
    if (incentive.status === 'sent') throw conflict('incentive_already_sent', `This incentive was already given, on ${toInstant(incentive.sentAt!)}`);
    if (incentive.status === 'void') throw unprocessable('incentive_void', `The interview was ${booking.status === 'no_show' ? 'missed' : 'cancelled'}, so nothing is owed`);
    if (booking.status !== 'completed') throw unprocessable('interview_not_completed', 'Mark the interview done on Bookings first; the incentive is due once it took place');
    if (handover && !row.participant?.email) throw unprocessable('no_email_address', 'This participant has no email address any more (erased on request): record it as given another way', 'method');
    const [updated] = await tx
      .update(incentives)
      .set({ status: 'sent', sentAt: now, sentBy: body.method, deliverySealed: handover ? deps.secretBox.seal(JSON.stringify(handover)) : null })
      .where(eq(incentives.id, incentive.id))
      .returning();
    if (handover) await enqueue(tx, { kind: 'mail.incentive', payload: { bookingId: booking.id }, dedupeKey: `incentive:${incentive.id}` });
    await emitWebhook(tx, workspaceId, { type: 'incentive.sent', incentiveId: incentive.id }, now);
    return toAdminIncentive({ ...row, incentive: updated! });
  });
}

/** An incentive handed over by email, for its mail job: what was promised and the unsealed handover; null when none is to be sent. */
export async function incentiveToHandOver(db: Database, secretBox: SecretBox, bookingId: string): Promise<{ description: string; handover: IncentiveHandover } | null> {
  const [incentive] = await db.select().from(incentives).where(eq(incentives.bookingId, bookingId));
  if (!incentive || incentive.status !== 'sent' || incentive.sentBy !== 'email' || !incentive.deliverySealed) return null;
  return { description: incentive.description, handover: JSON.parse(secretBox.open(incentive.deliverySealed)) as IncentiveHandover };
}
