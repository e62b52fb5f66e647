// The team, API keys, single sign-on settings and the audit log: admin routes under /v1/admin,
// behind the same guard as the rest (permissions in src/auth/permissions.ts).
//   GET    /team                     everyone in the workspace and their roles
//   PATCH  /team/:id                 change a role or the interviewer profile (their sessions end)
//   DELETE /team/:id                 remove someone (their sessions end)
//   GET    /team/invitations         invitations, newest first
//   POST   /team/invitations         invite by email (a link that expires in 7 days)
//   DELETE /team/invitations/:id     revoke an invitation
//   GET    /api-keys, POST /api-keys, DELETE /api-keys/:id     named keys (owner)
//   GET    /sso, PUT /sso, DELETE /sso                          OpenID Connect (owner)
//   GET    /audit-log                who changed what (owners and admins)
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  ApiKey,
  ApiKeyCreate,
  ApiKeyCreated,
  ApiKeyList,
  ApiKeyParams,
  AuditList,
  AuditQuery,
  ErrorBody,
  Invitation,
  InvitationCreate,
  InvitationList,
  SsoSettings,
  SsoUpdate,
  TeamList,
  TeamMember,
  TeamParams,
  TeamUpdate,
  WorkspaceDelete,
} from '@beckon/shared/api';
import { createInvitation, listInvitations, listTeam, removeTeamMember, revokeInvitation, updateTeamMember } from '../../auth/accounts.js';
import { createApiKey, listApiKeys, revokeApiKey, toApiKey } from '../../auth/api-keys.js';
import { listAudit } from '../../auth/audit.js';
import { actorOf } from '../../auth/guard.js';
import { getSso, removeSso, saveSso } from '../../auth/sso.js';
import { deleteWorkspace } from '../../auth/accounts.js';
import { badRequest, notFound } from '../../errors.js';

export const accountAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const errors = { '4xx': ErrorBody };
  const ssoDeps = () => ({ db: app.db, secretBox: app.secretBox, publicUrl: app.config.publicUrl });

  app.get('/team', { schema: { summary: 'Everyone who can sign in to this workspace, with their roles', response: { 200: TeamList, ...errors } } }, async (request) => ({
    team: await listTeam(app.db, request.workspace.id),
  }));

  app.patch(
    '/team/:id',
    { schema: { summary: "Change someone's role or interviewer profile; their sessions end at once", params: TeamParams, body: TeamUpdate, response: { 200: TeamMember, ...errors } } },
    async (request) => updateTeamMember(app.db, request.workspace.id, actorOf(request.principal), request.params.id, request.body),
  );

  app.delete(
    '/team/:id',
    { schema: { summary: 'Remove someone from the workspace; their sessions end at once', params: TeamParams, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      await removeTeamMember(app.db, request.workspace.id, actorOf(request.principal), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get('/team/invitations', { schema: { summary: 'Invitations, newest first', response: { 200: InvitationList, ...errors } } }, async (request) => ({
    invitations: await listInvitations(app.db, request.workspace.id),
  }));

  app.post(
    '/team/invitations',
    { schema: { summary: 'Invite someone by email with a role; the link expires in 7 days', body: InvitationCreate, response: { 201: Invitation, ...errors } } },
    async (request, reply) => {
      const { invitation } = await createInvitation(app.db, { secretBox: app.secretBox, publicUrl: app.config.publicUrl }, request.workspace.id, actorOf(request.principal), request.body);
      return reply.status(201).send(invitation);
    },
  );

  app.delete(
    '/team/invitations/:id',
    { schema: { summary: 'Revoke an invitation that was not accepted yet', params: TeamParams, response: { 200: Invitation, ...errors } } },
    async (request) => revokeInvitation(app.db, request.workspace.id, request.params.id),
  );

  app.get('/api-keys', { schema: { summary: "The workspace's API keys (never their secrets)", response: { 200: ApiKeyList, ...errors } } }, async (request) => ({
    keys: (await listApiKeys(app.db, request.workspace.id)).map(toApiKey),
  }));

  app.post(
    '/api-keys',
    { schema: { summary: 'Create a named API key, full or read-only; the secret is shown this once', body: ApiKeyCreate, response: { 201: ApiKeyCreated, ...errors } } },
    async (request, reply) => {
      const { row, secret } = await createApiKey(app.db, request.workspace.id, { ...request.body, createdBy: request.principal.kind === 'user' ? request.principal.userId : null });
      return reply.status(201).send({ key: toApiKey(row), secret });
    },
  );

  app.delete(
    '/api-keys/:id',
    { schema: { summary: 'Revoke an API key; requests with it are refused at once', params: ApiKeyParams, response: { 200: ApiKey, ...errors } } },
    async (request) => toApiKey(await revokeApiKey(app.db, request.workspace.id, request.params.id)),
  );

  app.get('/sso', { schema: { summary: 'Single sign-on (OpenID Connect) settings, without the client secret', response: { 200: SsoSettings, ...errors } } }, async (request) => {
    const settings = await getSso(ssoDeps(), request.workspace.id);
    if (!settings) throw notFound('sso_not_configured', 'Single sign-on is not set up for this workspace');
    return settings;
  });

  app.put(
    '/sso',
    {
      schema: {
        summary: 'Set up or change single sign-on: the provider is checked (discovery) before it is saved',
        body: SsoUpdate,
        response: { 200: SsoSettings, ...errors },
      },
    },
    async (request) => saveSso(ssoDeps(), request.workspace.id, request.body),
  );

  app.delete('/sso', { schema: { summary: 'Turn single sign-on off and forget its settings', response: { 204: Type.Null(), ...errors } } }, async (request, reply) => {
    if (!(await removeSso(ssoDeps(), request.workspace.id))) throw notFound('sso_not_configured', 'Single sign-on is not set up for this workspace');
    return reply.status(204).send(null);
  });

  app.delete(
    '/workspace',
    {
      schema: {
        summary: 'Delete the workspace and everything in it (owner); refused while interviews are still to come',
        description: 'Cancel upcoming interviews first, so participants are told. Send the workspace name as `confirm`.',
        body: WorkspaceDelete,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      if (request.body.confirm !== request.workspace.name) throw badRequest('confirmation_mismatch', "Type the workspace's name exactly to confirm", 'confirm');
      await deleteWorkspace(app.db, request.workspace.id);
      request.log.warn({ workspaceId: request.workspace.id }, 'workspace deleted by its owner');
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/audit-log',
    { schema: { summary: 'Who changed what, newest first; filter by actor (user or key id, or an email), action, time', querystring: AuditQuery, response: { 200: AuditList, ...errors } } },
    async (request) => ({ entries: await listAudit(app.db, request.workspace.id, request.query) }),
  );
};
