// Data out by hand: the panel, the bookings and the people funnel as CSV, streamed, for a
// spreadsheet: UTF-8 with a byte order mark (so Excel reads it as UTF-8), a header row, instants
// in ISO 8601 with their zone (UTC, `Z`), and no formulas: a text cell that begins with = + - @,
// a tab or a carriage return is prefixed with ' so no spreadsheet runs it.
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { and, asc, eq, gt, gte, lt, or } from 'drizzle-orm';
import { toInstant, type AdminBookingsQuery, type PeopleFunnelQuery, type PeopleQuery } from '@beckon/shared/api';
import type { Static } from '@sinclair/typebox';
import { PEOPLE_FUNNEL_COLUMNS } from '@beckon/shared/vocabulary';
import type { Database } from '../db/client.js';
import { bookings, members, participants, people, studies } from '../db/schema.js';
import { allPeople } from './panel.js';
import { peopleFunnel } from './people-funnel.js';
import type { Workspace } from './workspaces.js';

type Cell = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell a spreadsheet shows as text and never evaluates. */
export function safeCell(value: Cell): Cell {
  return typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : value;
}

function csv(columns: string[], rows: AsyncIterable<Cell[]> | Iterable<Cell[]>): Readable {
  const out = stringify({ header: true, columns, bom: true, cast: { boolean: (value) => (value ? 'true' : 'false') } });
  const source = Readable.from(
    (async function* () {
      for await (const row of rows) yield row.map(safeCell);
    })(),
  );
  source.on('error', (error) => out.destroy(error));
  return source.pipe(out);
}

export const PARTICIPANT_COLUMNS = ['id', 'name', 'email', 'user_id', 'first_seen_at', 'last_contacted_at', 'interviews', 'no_shows', 'upcoming', 'do_not_contact', 'do_not_contact_at', 'blocked_by', 'erased', 'consents', 'traits'];

/** The panel with the admin app's filters, every page. */
export async function participantsCsv(db: Database, workspace: Workspace, query: PeopleQuery): Promise<Readable> {
  const list = await allPeople(db, workspace, { ...query, page: undefined, pageSize: undefined });
  return csv(
    PARTICIPANT_COLUMNS,
    list.map((person) => [
      person.id,
      person.name,
      person.email,
      person.userId,
      person.firstSeenAt,
      person.lastContactedAt,
      person.interviews,
      person.noShows,
      person.upcoming,
      person.doNotContact !== null,
      person.doNotContact?.at,
      person.blockedBy,
      person.erased,
      person.consents.map((consent) => `${consent.title} v${consent.version} ${consent.acceptedAt}`).join('; '),
      JSON.stringify(person.traits),
    ]),
  );
}

export const BOOKING_COLUMNS = ['id', 'study', 'status', 'starts_at', 'ends_at', 'participant_time_zone', 'participant_name', 'participant_email', 'user_id', 'person_id', 'host', 'source', 'answers', 'created_at', 'cancelled_at'];

const PAGE = 500;

/** Bookings with the bookings list's filters, streamed a page at a time (earliest first). */
export function bookingsCsv(db: Database, workspace: Workspace, query: Static<typeof AdminBookingsQuery>): Readable {
  async function* rows(): AsyncIterable<Cell[]> {
    let after: { startsAt: Date; id: string } | undefined;
    for (;;) {
      const page = await db
        .select({ booking: bookings, study: studies.name, host: members.name, name: people.name, email: people.email, userId: people.userId, personId: people.id, recordName: participants.name, recordEmail: participants.email })
        .from(bookings)
        .innerJoin(studies, eq(studies.id, bookings.studyId))
        .innerJoin(members, eq(members.id, bookings.hostId))
        .innerJoin(participants, eq(participants.id, bookings.participantId))
        .leftJoin(people, eq(people.id, participants.personId))
        .where(
          and(
            eq(bookings.workspaceId, workspace.id),
            query.studyId ? eq(bookings.studyId, query.studyId) : undefined,
            query.from ? gte(bookings.startsAt, new Date(query.from)) : undefined,
            query.to ? lt(bookings.startsAt, new Date(query.to)) : undefined,
            after ? or(gt(bookings.startsAt, after.startsAt), and(eq(bookings.startsAt, after.startsAt), gt(bookings.id, after.id))) : undefined,
          ),
        )
        .orderBy(asc(bookings.startsAt), asc(bookings.id))
        .limit(PAGE);
      for (const row of page) {
        const b = row.booking;
        yield [
          b.id,
          row.study,
          b.status,
          toInstant(b.startsAt),
          toInstant(b.endsAt),
          b.participantTimeZone,
          row.recordName ?? row.name,
          row.recordEmail ?? row.email,
          row.userId,
          row.personId,
          row.host,
          b.source,
          Object.keys(b.answers).length > 0 ? JSON.stringify(b.answers) : '',
          toInstant(b.createdAt),
          b.cancelledAt ? toInstant(b.cancelledAt) : null,
        ];
      }
      if (page.length < PAGE) return;
      const last = page[page.length - 1]!.booking;
      after = { startsAt: last.startsAt, id: last.id };
    }
  }
  return csv(BOOKING_COLUMNS, rows());
}

/** The people funnel: one line per week, segment and source, then the unique totals. */
export async function funnelCsv(db: Database, workspace: Workspace, query: PeopleFunnelQuery): Promise<Readable> {
  const funnel = await peopleFunnel(db, workspace, query);
  return csv(
    ['week', 'time_zone', 'segment', 'study_id', 'source', ...PEOPLE_FUNNEL_COLUMNS],
    [
      ...funnel.rows.map((row): Cell[] => [row.week, funnel.timeZone, row.segment, row.studyId, row.source, ...PEOPLE_FUNNEL_COLUMNS.map((column) => row.counts[column])]),
      ['total', funnel.timeZone, '', '', '', ...PEOPLE_FUNNEL_COLUMNS.map((column) => funnel.totals[column])],
    ],
  );
}
