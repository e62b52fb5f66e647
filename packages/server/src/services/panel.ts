// The panel as the team reads it: people listed with search and filters, one person's history,
// and everything held about them as one JSON document.
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { mayMatch, type Rule } from '@beckon/shared/rules';
import { toInstant, type ConsentRecord, type HistoryEntry, type PeoplePage, type PeopleQuery, type Person, type PersonDetail, type PersonExport, type Traits } from '@beckon/shared/api';
import type { Database } from '../db/client.js';
import { bookings, consents, consentTexts, incentives, interceptEvents, jobs, participants, studies } from '../db/schema.js';
import { notFound } from '../errors.js';
import { contactVerdict, setDoNotContact } from './people.js';
import type { Workspace } from './workspaces.js';

/** A segment filter is applied to at most this many people (the rest of the filters first). */
const SEGMENT_SCAN_LIMIT = 10_000;

interface PersonRow {
  id: string;
  user_id: string | null;
  email: string | null;
  name: string | null;
  traits: Traits;
  do_not_contact_at: string | Date | null;
  do_not_contact_by: 'team' | 'participant' | null;
  erased_at: string | Date | null;
  created_at: string | Date;
  interviews: number;
  no_shows: number;
  upcoming: number;
  last_contacted_at: string | Date | null;
  total: number;
}

const iso = (value: string | Date) => toInstant(new Date(value));
const isoOrNull = (value: string | Date | null) => (value === null ? null : iso(value));
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The people of a workspace with their counts, filtered; `limit` null for every match (the CSV).
 * Last contacted: the latest intercept shown to them or booking made by them.
 */
async function selectPeople(db: Database, workspaceId: string, query: PeopleQuery, now: Date, page: { limit: number; offset: number } | null, personIds?: string[]): Promise<PersonRow[]> {
  const where: SQL[] = [sql`p.workspace_id = ${workspaceId}`];
  if (personIds) where.push(personIds.length > 0 ? sql`p.id in (${sql.join(personIds.map((id) => sql`${id}::uuid`), sql`, `)})` : sql`false`);
  if (query.q) {
    const like = `%${escapeLike(query.q.toLowerCase())}%`;
    where.push(sql`(lower(coalesce(p.name, '')) like ${like} or coalesce(p.email, '') like ${like} or lower(coalesce(p.user_id, '')) like ${like})`);
  }
  if (query.trait) {
    const at = query.trait.indexOf('=');
    where.push(sql`p.traits ->> ${query.trait.slice(0, at)} = ${query.trait.slice(at + 1)}`);
  }
  if (query.doNotContact !== undefined) where.push(query.doNotContact ? sql`p.do_not_contact_at is not null` : sql`p.do_not_contact_at is null`);
  const outer: SQL[] = [sql`true`];
  if (query.contactedAfter) outer.push(sql`last_contacted_at >= ${query.contactedAfter}::timestamptz`);
  if (query.contactedBefore) outer.push(sql`last_contacted_at < ${query.contactedBefore}::timestamptz`);
  if (query.minInterviews !== undefined) outer.push(sql`interviews >= ${query.minInterviews}`);
  if (query.maxInterviews !== undefined) outer.push(sql`interviews <= ${query.maxInterviews}`);
  if (query.minNoShows !== undefined) outer.push(sql`no_shows >= ${query.minNoShows}`);
  const result = await db.execute(sql`
    with rows as (
      select p.id, p.user_id, p.email, p.name, p.traits, p.do_not_contact_at, p.do_not_contact_by, p.erased_at, p.created_at,
        coalesce(b.interviews, 0)::int as interviews, coalesce(b.no_shows, 0)::int as no_shows, coalesce(b.upcoming, 0)::int as upcoming,
        greatest(b.last_booked, e.last_shown) as last_contacted_at
      from people p
      left join lateral (
        select count(*) filter (where x.status = 'completed') as interviews, count(*) filter (where x.status = 'no_show') as no_shows,
          count(*) filter (where x.status = 'confirmed' and x.ends_at > ${now.toISOString()}::timestamptz) as upcoming, max(x.created_at) as last_booked
        from bookings x join participants pa on pa.id = x.participant_id where pa.person_id = p.id) b on true
      left join lateral (
        select max(y.at) as last_shown from intercept_events y join participants pa on pa.id = y.participant_id where pa.person_id = p.id and y.kind = 'shown') e on true
      where ${sql.join(where, sql` and `)}
    )
    select *, (count(*) over ())::int as total from rows where ${sql.join(outer, sql` and `)}
    order by last_contacted_at desc nulls last, created_at desc, id
    ${page ? sql`limit ${page.limit} offset ${page.offset}` : sql`limit ${SEGMENT_SCAN_LIMIT}`}
  `);
  return (result as unknown as { rows: PersonRow[] }).rows;
}

async function consentsOf(db: Database, personIds: string[]): Promise<Map<string, ConsentRecord[]>> {
  const byPerson = new Map<string, ConsentRecord[]>();
  if (personIds.length === 0) return byPerson;
  const rows = await db
    .select({ personId: consents.personId, consentTextId: consents.consentTextId, title: consentTexts.title, version: consents.version, acceptedAt: consents.acceptedAt, bookingId: consents.bookingId })
    .from(consents)
    .innerJoin(consentTexts, eq(consentTexts.id, consents.consentTextId))
    .where(inArray(consents.personId, personIds))
    .orderBy(asc(consents.acceptedAt));
  for (const { personId, acceptedAt, ...row } of rows) byPerson.set(personId, [...(byPerson.get(personId) ?? []), { ...row, acceptedAt: toInstant(acceptedAt) }]);
  return byPerson;
}

async function toPeople(db: Database, workspace: Workspace, rows: PersonRow[], now: Date): Promise<Person[]> {
  const consented = await consentsOf(db, rows.map((row) => row.id));
  return Promise.all(
    rows.map(async (row) => ({
      id: row.id,
      userId: row.user_id,
      email: row.email,
      name: row.name,
      traits: row.traits ?? {},
      firstSeenAt: iso(row.created_at),
      lastContactedAt: isoOrNull(row.last_contacted_at),
      interviews: row.interviews,
      noShows: row.no_shows,
      upcoming: row.upcoming,
      doNotContact: row.do_not_contact_at && row.do_not_contact_by ? { at: iso(row.do_not_contact_at), by: row.do_not_contact_by } : null,
      blockedBy: (await contactVerdict(db, workspace, row.id, now)).any,
      erased: row.erased_at !== null,
      consents: consented.get(row.id) ?? [],
    })),
  );
}

/** People matching the segment filter (a study's targeting, on their last known traits), in order. */
async function segmentFilter(db: Database, workspaceId: string, studyId: string, rows: PersonRow[], now: Date): Promise<PersonRow[]> {
  const [study] = await db.select({ targeting: studies.targeting }).from(studies).where(and(eq(studies.workspaceId, workspaceId), eq(studies.id, studyId)));
  if (!study) throw notFound('study_not_found', 'No study with this id in this workspace');
  return rows.filter((row) => mayMatch(study.targeting as Rule | null, { userId: row.user_id ?? undefined, traits: row.traits ?? {} }, now));
}

/** Every person matching the filters, for the CSV (the segment filter applied). */
export async function allPeople(db: Database, workspace: Workspace, query: PeopleQuery, now = new Date()): Promise<Person[]> {
  let rows = await selectPeople(db, workspace.id, query, now, null);
  if (query.segment) rows = await segmentFilter(db, workspace.id, query.segment, rows, now);
  return toPeople(db, workspace, rows, now);
}

export async function listPeople(db: Database, workspace: Workspace, query: PeopleQuery, now = new Date()): Promise<PeoplePage> {
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? 50;
  if (query.segment) {
    const rows = await segmentFilter(db, workspace.id, query.segment, await selectPeople(db, workspace.id, query, now, null), now);
    return { people: await toPeople(db, workspace, rows.slice((page - 1) * pageSize, page * pageSize), now), total: rows.length, page, pageSize };
  }
  const rows = await selectPeople(db, workspace.id, query, now, { limit: pageSize, offset: (page - 1) * pageSize });
  const total = rows[0]?.total ?? (page > 1 ? (await selectPeople(db, workspace.id, query, now, { limit: 1, offset: 0 }))[0]?.total ?? 0 : 0);
  return { people: await toPeople(db, workspace, rows, now), total, page, pageSize };
}

async function findPerson(db: Database, workspace: Workspace, personId: string, now: Date): Promise<Person> {
  const [row] = await selectPeople(db, workspace.id, {}, now, { limit: 1, offset: 0 }, [personId]);
  if (!row) throw notFound('person_not_found', 'No person with this id in this workspace');
  return (await toPeople(db, workspace, [row], now))[0]!;
}

const MAIL_NAMES: Record<string, string> = {
  'mail.confirmation': 'Booking confirmation',
  'mail.reminder': 'Reminder',
  'mail.rescheduled': 'Rescheduled',
  'mail.cancelled': 'Cancelled',
  'mail.thank_you': 'Thank you',
  'mail.attendance': 'Attendance question (to the team)',
  'mail.host_notice': 'New interview (to the team)',
};

/** One person and what happened to them, newest first. */
export async function personDetail(db: Database, workspace: Workspace, personId: string, now = new Date()): Promise<PersonDetail> {
  const person = await findPerson(db, workspace, personId, now);
  const records = db.select({ id: participants.id }).from(participants).where(eq(participants.personId, personId));
  const [events, booked, paid, mailed] = await Promise.all([
    db
      .select({ kind: interceptEvents.kind, at: interceptEvents.at, studyId: interceptEvents.studyId, studyName: studies.name })
      .from(interceptEvents)
      .innerJoin(studies, eq(studies.id, interceptEvents.studyId))
      .where(inArray(interceptEvents.participantId, records)),
    db.select({ booking: bookings, studyName: studies.name }).from(bookings).innerJoin(studies, eq(studies.id, bookings.studyId)).where(inArray(bookings.participantId, records)),
    db
      .select({ sentAt: incentives.sentAt, description: incentives.description, bookingId: incentives.bookingId, status: incentives.status })
      .from(incentives)
      .innerJoin(bookings, eq(bookings.id, incentives.bookingId))
      .where(inArray(bookings.participantId, records)),
    db
      .select({ kind: jobs.kind, at: jobs.updatedAt, bookingId: sql<string>`${jobs.payload}->>'bookingId'`, audience: sql<string | null>`${jobs.payload}->>'audience'` })
      .from(jobs)
      .where(and(sql`${jobs.kind} like 'mail.%'`, eq(jobs.status, 'done'), inArray(sql<string>`${jobs.payload}->>'bookingId'`, db.select({ id: sql<string>`${bookings.id}::text` }).from(bookings).where(inArray(bookings.participantId, records))))),
  ]);
  const studyOf = new Map(booked.map(({ booking, studyName }) => [booking.id, { studyId: booking.studyId, studyName }]));
  const history: HistoryEntry[] = [
    ...events.map((event) => ({ at: toInstant(event.at), kind: event.kind, studyId: event.studyId, studyName: event.studyName })),
    ...booked.flatMap(({ booking, studyName }): HistoryEntry[] => {
      const base = { studyId: booking.studyId, studyName, bookingId: booking.id };
      const answers = Object.entries(booking.answers).map(([question, answer]) => `${question}: ${Array.isArray(answer) ? answer.join(', ') : answer}`).join('; ');
      const entries: HistoryEntry[] = [{ ...base, at: toInstant(booking.createdAt), kind: 'booked', detail: `Interview ${toInstant(booking.startsAt)} (${booking.source})${answers ? `; answers: ${answers}` : ''}` }];
      if (booking.status === 'cancelled') entries.push({ ...base, at: toInstant(booking.cancelledAt ?? booking.updatedAt), kind: 'cancelled', detail: `by ${booking.cancelledBy ?? 'host'}` });
      if (booking.status === 'completed') entries.push({ ...base, at: toInstant(booking.endsAt), kind: 'attended' });
      if (booking.status === 'no_show') entries.push({ ...base, at: toInstant(booking.endsAt), kind: 'no_show' });
      return entries;
    }),
    ...paid.flatMap((incentive): HistoryEntry[] =>
      incentive.sentAt ? [{ at: toInstant(incentive.sentAt), kind: 'incentive', detail: incentive.description, bookingId: incentive.bookingId, ...(studyOf.get(incentive.bookingId) ?? { studyId: null, studyName: null }) }] : [],
    ),
    ...mailed
      .filter((mail) => mail.audience !== 'host' && mail.kind !== 'mail.host_notice' && mail.kind !== 'mail.attendance')
      .map((mail): HistoryEntry => ({ at: toInstant(mail.at), kind: 'email', detail: MAIL_NAMES[mail.kind] ?? mail.kind, bookingId: mail.bookingId, ...(studyOf.get(mail.bookingId) ?? { studyId: null, studyName: null }) })),
    ...person.consents.map((consent): HistoryEntry => ({ at: consent.acceptedAt, kind: 'consent', studyId: null, studyName: null, detail: `${consent.title}, version ${consent.version}` })),
    ...(person.doNotContact ? [{ at: person.doNotContact.at, kind: 'do_not_contact' as const, studyId: null, studyName: null, detail: `set by ${person.doNotContact.by}` }] : []),
  ];
  history.sort((a, b) => b.at.localeCompare(a.at));
  return { ...person, history };
}

/** Everything held about one person, for a data subject's access request. */
export async function exportPerson(db: Database, workspace: Workspace, personId: string, now = new Date()): Promise<PersonExport> {
  const person = await personDetail(db, workspace, personId, now);
  const records = await db.select().from(participants).where(eq(participants.personId, personId));
  const ids = records.map((record) => record.id);
  const [rows, events] = ids.length === 0 ? [[], []] : await Promise.all([
    db.select().from(bookings).where(inArray(bookings.participantId, ids)),
    db.select().from(interceptEvents).where(inArray(interceptEvents.participantId, ids)),
  ]);
  return {
    exportedAt: toInstant(now),
    person,
    participantRecords: records.map((record) => ({ id: record.id, userId: record.userId, email: record.email, name: record.name, timeZone: record.timeZone, traits: record.traits, createdAt: toInstant(record.createdAt) })),
    bookings: rows.map((booking) => ({
      id: booking.id,
      studyId: booking.studyId,
      status: booking.status,
      startsAt: toInstant(booking.startsAt),
      endsAt: toInstant(booking.endsAt),
      timeZone: booking.participantTimeZone,
      source: booking.source,
      answers: booking.answers,
      createdAt: toInstant(booking.createdAt),
      cancelledAt: booking.cancelledAt ? toInstant(booking.cancelledAt) : null,
    })),
    events: events.map((event) => ({ studyId: event.studyId, kind: event.kind, at: toInstant(event.at), url: event.url })),
  };
}

/** The team's do-not-contact switch; a person who set it themselves (unsubscribed) stays so unless the team clears it. */
export async function updatePerson(db: Database, workspace: Workspace, personId: string, doNotContact: boolean, now = new Date()): Promise<PersonDetail> {
  if (!(await setDoNotContact(db, workspace.id, personId, doNotContact, 'team', now))) throw notFound('person_not_found', 'No person with this id in this workspace');
  return personDetail(db, workspace, personId, now);
}
