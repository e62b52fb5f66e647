import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { groupSlotsByDay } from '@beckon/shared/schedule';
import { BookingCreated, BookingRequest, ErrorBody, SlotsQuery, SlotsResponse, SlotTakenBody, StudyPathParams } from '@beckon/shared/api';
import type { MemberRow } from '../../services/members.js';
import type { StudyRow } from '../../services/studies.js';
import { badRequest } from '../../errors.js';
import { defaultRange, studyHosts, studySlots } from '../../services/availability.js';
import { bookingDeps, bookSlot, findWorkspaceStudy } from '../../services/booking.js';

const MAX_RANGE_DAYS = 62;

/**
 * The slots route's answer for a study: its free times from `from` to `to` (its booking window by
 * default), grouped by day in the participant's zone, and why none when none. `hosts`: those of
 * a study not saved yet (a preview).
 */
export async function slotsAnswer(app: FastifyInstance, study: StudyRow, query: SlotsQuery, hosts?: MemberRow[]): Promise<SlotsResponse> {
  const now = new Date();
  const fallback = defaultRange(study, now);
  const from = query.from ? new Date(query.from) : fallback.from;
  const to = query.to ? new Date(query.to) : fallback.to;
  if (to <= from) throw badRequest('invalid_range', 'to must be after from', 'to');
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * 86_400_000) throw badRequest('invalid_range', `Ask for at most ${MAX_RANGE_DAYS} days at a time`, 'to');
  const result = await studySlots(app.db, study, { from, to }, now, app.busyTime, hosts ? { hosts } : {});
  const slots = result.slots.map(({ start, end }) => ({ start, end }));
  const hostIds = (hosts ?? (await studyHosts(app.db, study.id))).map((host) => host.id);
  const leftOut = Object.entries(app.calendarService.hostsLeftOut(hostIds)).map(([hostId, problem]) => ({ hostId, reason: problem.reason }));
  const reason = slots.length === 0 && hostIds.length > 0 && leftOut.length === hostIds.length ? 'calendars_unavailable' : result.unavailableReason;
  return {
    slots,
    timeZone: query.tz,
    days: groupSlotsByDay(slots, query.tz),
    ...(reason ? { unavailableReason: reason } : {}),
    ...(leftOut.length > 0 ? { hostsLeftOut: leftOut } : {}),
  };
}

export const bookingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/w/:publicKey/studies/:studyId/slots',
    {
      schema: {
        tags: ['public'],
        summary: "Free slots for a study, grouped by day in the participant's zone",
        params: StudyPathParams,
        querystring: SlotsQuery,
        response: { 200: SlotsResponse, '4xx': ErrorBody },
      },
    },
    async (request) => slotsAnswer(app, await findWorkspaceStudy(app.db, request.workspace.id, request.params.studyId), request.query),
  );

  app.post(
    '/v1/w/:publicKey/studies/:studyId/bookings',
    {
      schema: {
        tags: ['public'],
        summary: 'Book a slot',
        description:
          'One transaction: the slot is re-checked on fresh data, a host is chosen, the booking and its emails are written. ' +
          'Send an Idempotency-Key to make retries safe. 409 means the slot was just taken (with alternatives); 422 means not eligible.',
        params: StudyPathParams,
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 8, maxLength: 128, pattern: '^[A-Za-z0-9_.:-]+$' })) }),
        body: BookingRequest,
        response: { 201: BookingCreated, 409: SlotTakenBody, '4xx': ErrorBody },
      },
    },
    async (request, reply) => {
      const result = await bookSlot(
        bookingDeps(app),
        request.workspace,
        request.params.studyId,
        request.body,
        request.headers['idempotency-key'],
      );
      return reply.status(result.status).send(result.body);
    },
  );
};
