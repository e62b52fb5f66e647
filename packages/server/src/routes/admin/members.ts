import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Availability, ErrorBody, Member, MemberCreate, MemberList, MemberParams, MemberUpdate } from '@beckon/shared/api';
import { createMember, findMemberRow, getAvailability, listMembers, replaceAvailability, updateMember } from '../../services/members.js';

export const memberRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const errors = { '4xx': ErrorBody };

  app.get('/members', { schema: { summary: 'List interviewers and PMs', response: { 200: MemberList, ...errors } } }, async (request) => ({
    members: await listMembers(app.db, request.workspace.id),
  }));

  app.post('/members', { schema: { summary: 'Add a member', body: MemberCreate, response: { 201: Member, ...errors } } }, async (request, reply) =>
    reply.status(201).send(await createMember(app.db, request.workspace.id, request.body)),
  );

  app.patch(
    '/members/:id',
    { schema: { summary: 'Change a member', params: MemberParams, body: MemberUpdate, response: { 200: Member, ...errors } } },
    async (request) => updateMember(app.db, request.workspace.id, request.params.id, request.body),
  );

  app.get(
    '/members/:id/availability',
    { schema: { summary: "A member's weekly hours, overrides and limits", params: MemberParams, response: { 200: Availability, ...errors } } },
    async (request) => getAvailability(app.db, await findMemberRow(app.db, request.workspace.id, request.params.id)),
  );

  app.put(
    '/members/:id/availability',
    {
      schema: {
        summary: "Replace a member's weekly hours, overrides, buffers, caps and time zone",
        params: MemberParams,
        body: Availability,
        response: { 200: Availability, ...errors },
      },
    },
    async (request) => replaceAvailability(app.db, request.workspace.id, request.params.id, request.body),
  );
};
