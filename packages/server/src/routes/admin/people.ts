// The panel, the people funnel, the CSV exports and consent texts.
//   GET   /participants              people, paged and filtered
//   GET   /participants/:id          one person with their history
//   PATCH /participants/:id          do-not-contact, set or cleared by the team
//   GET   /participants/:id/export   everything held about them (JSON)
//   GET   /funnel                    unique people per step, by week, segment and source
//   GET   /exports/{participants,bookings,funnel}.csv
//   GET   /consent-texts, POST /consent-texts
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  AdminBookingsQuery,
  ConsentText,
  ConsentTextInput,
  ErrorBody,
  PeopleFunnel,
  PeopleFunnelQuery,
  PeoplePage,
  PeopleQuery,
  PersonDetail,
  PersonExport,
  PersonParams,
  PersonUpdate,
} from '@beckon/shared/api';
import { exportPerson, listPeople, personDetail, updatePerson } from '../../services/panel.js';
import { peopleFunnel } from '../../services/people-funnel.js';
import { bookingsCsv, funnelCsv, participantsCsv } from '../../services/exports.js';
import { createConsentText, listConsentTexts } from '../../services/consent.js';

const CsvBody = Type.String({ description: 'text/csv; charset=utf-8, with a byte order mark and a header row' });

export const peopleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const errors = { '4xx': ErrorBody };

  app.get('/participants', { schema: { summary: 'People in the panel, with search and filters', querystring: PeopleQuery, response: { 200: PeoplePage, ...errors } } }, async (request) =>
    listPeople(app.db, request.workspace, request.query),
  );
  app.get('/participants/:id', { schema: { summary: 'One person with their history', params: PersonParams, response: { 200: PersonDetail, ...errors } } }, async (request) =>
    personDetail(app.db, request.workspace, request.params.id),
  );
  app.patch(
    '/participants/:id',
    { schema: { summary: 'Set or clear do-not-contact (stops every intercept and non-transactional email)', params: PersonParams, body: PersonUpdate, response: { 200: PersonDetail, ...errors } } },
    async (request) => updatePerson(app.db, request.workspace, request.params.id, request.body.doNotContact),
  );
  app.get('/participants/:id/export', { schema: { summary: 'Everything held about one person, as JSON', params: PersonParams, response: { 200: PersonExport, ...errors } } }, async (request, reply) => {
    reply.header('Content-Disposition', `attachment; filename="person-${request.params.id}.json"`);
    return exportPerson(app.db, request.workspace, request.params.id);
  });

  app.get('/funnel', { schema: { summary: 'Unique people at each step, by week, segment (study) and source', querystring: PeopleFunnelQuery, response: { 200: PeopleFunnel, ...errors } } }, async (request) =>
    peopleFunnel(app.db, request.workspace, request.query),
  );

  const sendCsv = (reply: { header(name: string, value: string): unknown }, name: string) => {
    reply.header('Content-Type', 'text/csv; charset=utf-8');
    reply.header('Content-Disposition', `attachment; filename="${name}.csv"`);
    reply.header('Cache-Control', 'no-store');
  };
  app.get('/exports/participants.csv', { schema: { summary: 'The panel as CSV, with the panel\'s filters', querystring: PeopleQuery, produces: ['text/csv'], response: { 200: CsvBody, ...errors } } }, async (request, reply) => {
    const stream = await participantsCsv(app.db, request.workspace, request.query);
    sendCsv(reply, 'participants');
    return reply.send(stream as never); // a stream: the schema describes the text it carries
  });
  app.get('/exports/bookings.csv', { schema: { summary: 'Bookings as CSV, with the bookings list\'s filters', querystring: AdminBookingsQuery, produces: ['text/csv'], response: { 200: CsvBody, ...errors } } }, async (request, reply) => {
    sendCsv(reply, 'bookings');
    return reply.send(bookingsCsv(app.db, request.workspace, request.query) as never);
  });
  app.get('/exports/funnel.csv', { schema: { summary: 'The people funnel as CSV', querystring: PeopleFunnelQuery, produces: ['text/csv'], response: { 200: CsvBody, ...errors } } }, async (request, reply) => {
    const stream = await funnelCsv(app.db, request.workspace, request.query);
    sendCsv(reply, 'funnel');
    return reply.send(stream as never); // a stream: the schema describes the text it carries
  });

  app.get('/consent-texts', { schema: { summary: 'Consent and NDA texts, every version, with how many accepted each', response: { 200: Type.Object({ consentTexts: Type.Array(ConsentText) }), ...errors } } }, async (request) => ({
    consentTexts: await listConsentTexts(app.db, request.workspace.id),
  }));
  app.post('/consent-texts', { schema: { summary: 'A new consent text, or the next version of one (same title and study); studies asking for it move to the new version', body: ConsentTextInput, response: { 201: ConsentText, ...errors } } }, async (request, reply) =>
    reply.status(201).send(await createConsentText(app.db, request.workspace.id, request.body)),
  );
};
