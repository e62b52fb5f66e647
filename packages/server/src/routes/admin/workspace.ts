import { eq } from 'drizzle-orm';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody, IdentitySecret, Workspace, WorkspaceUpdate } from '@beckon/shared/api';
import { workspaces } from '../../db/schema.js';
import { randomToken } from '../../security/secrets.js';

type WorkspaceRow = typeof workspaces.$inferSelect;

const toWorkspace = (row: WorkspaceRow): Workspace => ({
  id: row.id,
  publicKey: row.publicKey,
  name: row.name,
  allowedOrigins: row.allowedOrigins,
  requireIdentityVerification: row.requireIdentityVerification,
  recontactDays: row.recontactDays,
  privacyUrl: row.privacyUrl,
  locale: row.locale,
  theme: row.theme,
});

export const workspaceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const errors = { '4xx': ErrorBody };

  app.get('/workspace', { schema: { summary: 'Workspace settings and the public key for the script tag', response: { 200: Workspace, ...errors } } }, async (request) =>
    toWorkspace(request.workspace),
  );

  app.patch('/workspace', { schema: { summary: 'Change workspace settings', body: WorkspaceUpdate, response: { 200: Workspace, ...errors } } }, async (request) => {
    const [row] = await app.db.update(workspaces).set({ ...request.body, updatedAt: new Date() }).where(eq(workspaces.id, request.workspace.id)).returning();
    app.publicWorkspaces.forget(row!.publicKey);
    return toWorkspace(row!);
  });

  app.get('/workspace/identity-secret', { schema: { summary: 'The secret your backend signs user ids and traits with', response: { 200: IdentitySecret, ...errors } } }, async (request) => ({
    identitySecret: app.secretBox.open(request.workspace.identitySecretEncrypted),
  }));

  app.post('/workspace/identity-secret/rotate', { schema: { summary: 'Replace the identity secret; signatures made with the old one stop working', response: { 200: IdentitySecret, ...errors } } }, async (request) => {
    const identitySecret = randomToken('whsec_');
    await app.db.update(workspaces).set({ identitySecretEncrypted: app.secretBox.seal(identitySecret), updatedAt: new Date() }).where(eq(workspaces.id, request.workspace.id));
    // The old secret must stop working now, not when the public-route cache expires.
    app.publicWorkspaces.forget(request.workspace.publicKey);
    return { identitySecret };
  });
};
