// The panel's people: one record per person per workspace, joined by the product's user id and
// by email (merged when a booking brings the two together), and the contact rules that decide,
// on the server and so on every device, whether a person may be asked again.
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { DEFAULT_CONTACT_RULES, type ContactRuleName, type ContactRules, type Traits } from '@beckon/shared/api';
import type { Database, Transaction } from '../db/client.js';
import { isUuid } from '@beckon/shared/ids';
import { canonicalJson } from '@beckon/shared/identity';
import { bookings, consents, participants, people } from '../db/schema.js';
import { safeEqual, type SecretBox } from '../security/secrets.js';
import { unprocessable } from '../errors.js';
import { builtOnce } from '../db/built-once.js';
import type { Workspace } from './workspaces.js';

const DAY_MS = 86_400_000;

export interface Who {
  userId?: string | null;
  email?: string | null;
  name?: string | null;
  traits?: Traits;
}

/** The workspace's contact rules, defaults filled in. */
export const contactRulesOf = (workspace: Pick<Workspace, 'contactRules'>): ContactRules => ({ ...DEFAULT_CONTACT_RULES, ...(workspace.contactRules ?? {}) });

/**
 * The advisory locks that order one person's concurrent requests (two tabs, two devices, by user
 * id or by email), in the order they are taken; held to the end of the caller's transaction.
 */
export function personLocks(workspaceId: string, who: Who): SQL[] {
  const email = who.email ? who.email.toLowerCase() : null;
  const keys = [...(who.userId ? [`person:${workspaceId}:u:${who.userId}`] : []), ...(email ? [`person:${workspaceId}:e:${email}`] : [])];
  return keys.map((key) => sql`pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
}

// A person is looked up on every booking and identified page view: the queries are built once.
const personByUserId = builtOnce((db) =>
  db
    .select()
    .from(people)
    .where(and(eq(people.workspaceId, sql.placeholder('workspaceId')), eq(people.userId, sql.placeholder('userId'))))
    .prepare(''),
);
/** The email's person: one with no user id (or this one) first, then the oldest. */
const personByEmail = (withUserId: boolean) =>
  builtOnce((db) =>
    db
      .select()
      .from(people)
      .where(
        and(
          eq(people.workspaceId, sql.placeholder('workspaceId')),
          eq(people.email, sql.placeholder('email')),
          withUserId ? sql`(${people.userId} is null or ${people.userId} = ${sql.placeholder('userId')})` : undefined,
        ),
      )
      .orderBy(sql`${people.userId} is null`, people.createdAt)
      .limit(1)
      .prepare(''),
  );
const personByEmailOnly = personByEmail(false);
const personByEmailOrUserId = personByEmail(true);
const insertPerson = builtOnce((db) =>
  db
    .insert(people)
    .values({ workspaceId: sql.placeholder('workspaceId'), userId: sql.placeholder('userId'), email: sql.placeholder('email'), name: sql.placeholder('name'), traits: sql.placeholder('traits') })
    .returning({ id: people.id })
    .prepare(''),
);

/**
 * The person a user id and/or email belong to, created when new. When the user id's person and the
 * email's person are two records, they become one: the email's participant records and consents
 * move to the user id's person (an email already tied to another user id is left alone: two
 * product accounts may share an address). Concurrent callers for the same person wait for each
 * other on advisory locks taken in one order (user id, then email), so no duplicate is made.
 * `options.locked`: the caller took personLocks in this transaction already (with a statement of its own).
 */
export async function resolvePerson(tx: Transaction, workspaceId: string, who: Who, now = new Date(), options: { locked?: boolean } = {}): Promise<string> {
  const userId = who.userId ?? null;
  const email = who.email ? who.email.toLowerCase() : null;
  if (!userId && !email) throw new Error('resolvePerson needs a user id or an email');
  // Both locks in one round trip.
  if (!options.locked) await tx.execute(sql`select ${sql.join(personLocks(workspaceId, who), sql`, `)}`);
  const [byUser] = userId ? await personByUserId(tx, { workspaceId, userId }) : [];
  const [byEmail] = email ? await (userId ? personByEmailOrUserId : personByEmailOnly)(tx, { workspaceId, email, userId }) : [];
  const fields = {
    ...(who.name ? { name: who.name } : {}),
    ...(who.traits && Object.keys(who.traits).length > 0 ? { traits: who.traits } : {}),
    updatedAt: now,
  };
  const keep = byUser ?? byEmail;
  if (!keep) {
    const [row] = await insertPerson(tx, { workspaceId, userId, email, name: who.name ?? null, traits: who.traits ?? {} });
    return row!.id;
  }
  if (byUser && byEmail && byUser.id !== byEmail.id) {
    await tx.update(participants).set({ personId: byUser.id }).where(eq(participants.personId, byEmail.id));
    await tx.update(consents).set({ personId: byUser.id }).where(eq(consents.personId, byEmail.id));
    await tx.delete(people).where(eq(people.id, byEmail.id));
    await tx
      .update(people)
      .set({
        ...fields,
        name: who.name ?? byUser.name ?? byEmail.name,
        // The stricter of the two: a do-not-contact on either record holds for the person.
        doNotContactAt: byUser.doNotContactAt ?? byEmail.doNotContactAt,
        doNotContactBy: byUser.doNotContactBy ?? byEmail.doNotContactBy,
        createdAt: byUser.createdAt < byEmail.createdAt ? byUser.createdAt : byEmail.createdAt,
      })
      .where(eq(people.id, byUser.id));
  }
  const newEmail = email && (!keep.email || (userId && keep.userId === userId)) && keep.email !== email ? email : undefined;
  const changed =
    (byUser && byEmail && byUser.id !== byEmail.id) ||
    (userId && !keep.userId) ||
    newEmail ||
    (fields.name !== undefined && fields.name !== keep.name) ||
    (fields.traits !== undefined && canonicalJson(fields.traits) !== canonicalJson(keep.traits));
  // Most calls (every page view of an identified user) change nothing: no write then.
  if (changed) await tx.update(people).set({ ...fields, ...(userId && !keep.userId ? { userId } : {}), ...(newEmail ? { email: newEmail } : {}) }).where(eq(people.id, keep.id));
  return keep.id;
}

/** A person's do-not-contact, set by the team or by the participant (their unsubscribe link); cleared only by the team. */
export async function setDoNotContact(db: Database | Transaction, workspaceId: string, personId: string, on: boolean, by: 'team' | 'participant', now = new Date()): Promise<boolean> {
  const rows = await db
    .update(people)
    .set(on ? { doNotContactAt: sql`coalesce(${people.doNotContactAt}, ${now.toISOString()}::timestamptz)`, doNotContactBy: sql`coalesce(${people.doNotContactBy}, ${by})`, updatedAt: now } : { doNotContactAt: null, doNotContactBy: null, updatedAt: now })
    .where(and(eq(people.workspaceId, workspaceId), eq(people.id, personId)))
    .returning({ id: people.id });
  return rows.length > 0;
}

// ---------------------------------------------------------------------------------------------
// Contact rules.

/** Why a person may not be asked now: across studies (`any`), and per study for the cooldowns. */
export interface ContactVerdict {
  any: ContactRuleName | null;
  /** For booking: the rules that concern interviews, not intercepts. */
  booking: ContactRuleName | null;
  study: Map<string, ContactRuleName>;
  /** The studies this person has an interview still to come in. */
  upcomingStudyIds: string[];
}

/** What a person's rows say, read in one query. */
async function contactFacts(db: Database | Transaction, personId: string, rules: ContactRules, now: Date) {
  const at = (date: Date) => sql`${date.toISOString()}::timestamptz`;
  const since = (days: number) => at(new Date(now.getTime() - days * DAY_MS));
  // The person's bookings and intercept events are read once each and counted from there: one
  // plan of three scans instead of five subqueries planned anew on every booking and page view.
  const result = await db.execute(sql`
    with mine as materialized (select p.id from participants p where p.person_id = ${personId}),
    b as materialized (select b.status, b.study_id, b.starts_at, b.ends_at from bookings b where b.participant_id in (select id from mine)),
    e as materialized (select e.study_id, e.kind, e.at from intercept_events e where e.participant_id in (select id from mine) and e.kind in ('shown', 'dismissed', 'snoozed', 'opted_out'))
    select
      (select do_not_contact_at is not null from people where id = ${personId}) as do_not_contact,
      (select count(*)::int from b where b.status = 'no_show') as no_shows,
      (select coalesce(json_agg(b.study_id), '[]') from b where b.status = 'confirmed' and b.ends_at > ${at(now)}) as upcoming,
      (select count(*)::int from b where b.status <> 'cancelled' and b.starts_at >= ${since(rules.interviews.days)}) as interviews,
      (select count(*)::int from e where e.kind = 'shown' and e.at >= ${since(rules.intercepts.days)}) as shown,
      (select json_agg(json_build_object('study_id', l.study_id, 'kind', l.kind, 'at', l.at)) from (
        select e.study_id, case when e.kind = 'opted_out' then 'opted_out' else 'dismissed' end as kind, max(e.at) as at
        from e where e.kind <> 'shown'
        group by 1, 2) l) as last
  `);
  // Both drivers return `{ rows }`.
  return (result as unknown as { rows: Facts[] }).rows[0]!;
}

interface Facts {
    do_not_contact: boolean | null;
    no_shows: number;
    /** The study of each interview still to come. */
    upcoming: string[];
    interviews: number;
    shown: number;
  last: { study_id: string; kind: string; at: string }[] | null;
}

/** The verdict for one person now, by the workspace's rules. */
export async function contactVerdict(db: Database | Transaction, workspace: Pick<Workspace, 'contactRules'>, personId: string, now = new Date()): Promise<ContactVerdict> {
  const rules = contactRulesOf(workspace);
  const facts = await contactFacts(db, personId, rules, now);
  const within = (at: string, days: number) => days > 0 && Date.parse(at) > now.getTime() - days * DAY_MS;
  let booking: ContactRuleName | null = null;
  if (facts.do_not_contact) booking = 'do_not_contact';
  else if (facts.no_shows >= rules.noShowLimit) booking = 'no_show_limit';
  else if (facts.upcoming.length > 0) booking = 'upcoming_interview';
  else if (facts.interviews >= rules.interviews.max) booking = 'interview_limit';
  let any: ContactRuleName | null = booking;
  const last = facts.last ?? [];
  if (!any && facts.shown >= rules.intercepts.max) any = 'intercept_limit';
  if (!any && last.some((l) => l.kind === 'opted_out' && within(l.at, rules.optOutCooldown.any))) any = 'opt_out_cooldown';
  if (!any && last.some((l) => l.kind === 'dismissed' && within(l.at, rules.dismissCooldown.any))) any = 'dismiss_cooldown';
  const study = new Map<string, ContactRuleName>();
  for (const l of last) {
    if (l.kind === 'opted_out' && within(l.at, rules.optOutCooldown.study)) study.set(l.study_id, 'opt_out_cooldown');
    else if (l.kind === 'dismissed' && within(l.at, rules.dismissCooldown.study) && !study.has(l.study_id)) study.set(l.study_id, 'dismiss_cooldown');
  }
  return { any, booking, study, upcomingStudyIds: facts.upcoming };
}

/** The rule that stops `studyId` from being shown to the person, or null. */
export const ruleFor = (verdict: ContactVerdict, studyId: string): ContactRuleName | null => verdict.any ?? verdict.study.get(studyId) ?? null;

const RULE_MESSAGES: Record<ContactRuleName, string> = {
  do_not_contact: 'This person asked not to be contacted, or the team marked them so',
  no_show_limit: 'This person missed too many interviews to be invited again',
  upcoming_interview: 'This person already has an interview coming up',
  interview_limit: 'This person has had as many interviews as the contact rules allow for now',
  intercept_limit: 'This person has been asked as often as the contact rules allow for now',
  opt_out_cooldown: 'This person asked not to be asked again',
  dismiss_cooldown: 'This person dismissed an invitation recently',
};

/** The refusal of a booking by a contact rule: 422, the rule named in the code (`contact_rule_<rule>`) and the message. */
export function contactRuleRefusal(rule: ContactRuleName): Error {
  return unprocessable(`contact_rule_${rule}`, `${RULE_MESSAGES[rule]} (contact rule: ${rule})`);
}

// ---------------------------------------------------------------------------------------------
// Unsubscribing: every non-transactional email carries a link with the person's id and a token
// only this server can make for it (HMAC under a key derived from the server's key), so the link
// cannot be guessed for someone else and nothing needs storing.

/** `{personId}.{token}`, for /u/{…}. */
export const unsubscribeToken = (secretBox: SecretBox, personId: string): string => `${personId}.${secretBox.deriveToken('unsubscribe', personId)}`;

/** The person an unsubscribe token names, or undefined for a forged or mangled one. */
export function personOfUnsubscribeToken(secretBox: SecretBox, token: string): string | undefined {
  const [personId, mac] = token.split('.');
  if (!personId || !mac || !isUuid(personId)) return undefined;
  return safeEqual(secretBox.deriveToken('unsubscribe', personId), mac) ? personId : undefined;
}

/** The participant unsubscribes: do-not-contact, set by them; true when the link named someone. */
export async function unsubscribe(db: Database, secretBox: SecretBox, token: string, now = new Date()): Promise<boolean> {
  const personId = personOfUnsubscribeToken(secretBox, token);
  if (!personId) return false;
  const [person] = await db.select({ workspaceId: people.workspaceId }).from(people).where(eq(people.id, personId));
  return person ? setDoNotContact(db, person.workspaceId, personId, true, 'participant', now) : false;
}

/** The person behind a booking, and whether they may still be sent non-transactional mail. */
export async function mailablePersonOfBooking(db: Database, bookingId: string): Promise<{ personId: string; doNotContact: boolean } | undefined> {
  const [row] = await db
    .select({ personId: people.id, doNotContactAt: people.doNotContactAt })
    .from(bookings)
    .innerJoin(participants, eq(participants.id, bookings.participantId))
    .innerJoin(people, eq(people.id, participants.personId))
    .where(eq(bookings.id, bookingId));
  return row ? { personId: row.personId, doNotContact: row.doNotContactAt !== null } : undefined;
}
