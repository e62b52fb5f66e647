import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody, IdentitySecret, Workspace, WorkspaceUpdate } from '@beckon/shared/api';
import { rotateIdentitySecret, toWorkspaceSettings, updateWorkspace } from '../../services/workspaces.js';

export const workspaceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const errors = { '4xx': ErrorBody };

  app.get('/workspace', { schema: { summary: 'Workspace settings and the public key for the script tag', response: { 200: Workspace, ...errors } } }, async (request) =>
    toWorkspaceSettings(request.workspace),
  );

  app.patch('/workspace', { schema: { summary: 'Change workspace settings', body: WorkspaceUpdate, response: { 200: Workspace, ...errors } } }, async (request) =>
    toWorkspaceSettings(await updateWorkspace(app.db, request.workspace, request.body)),
  );

  app.get('/workspace/identity-secret', { schema: { summary: 'The secret your backend signs user ids and traits with', response: { 200: IdentitySecret, ...errors } } }, async (request) => ({
    identitySecret: app.secretBox.open(request.workspace.identitySecretEncrypted),
  }));

  app.post('/workspace/identity-secret/rotate', { schema: { summary: 'Replace the identity secret; signatures made with the old one stop working', response: { 200: IdentitySecret, ...errors } } }, async (request) => ({
    identitySecret: await rotateIdentitySecret(app.db, app.secretBox, request.workspace),
  }));
};
