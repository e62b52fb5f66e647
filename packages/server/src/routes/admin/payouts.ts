// The workspace's Tremendous account, which pays the rewards of studies whose incentive is paid by Tremendous.
//   GET    /workspace/payouts/tremendous    whether one is connected (the key's last 4 characters only)
//   PUT    /workspace/payouts/tremendous    { apiKey?, environment, fundingSourceId?, campaignId? }, checked with Tremendous first
//   DELETE /workspace/payouts/tremendous    disconnect (the server's key, if any, pays again)
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ErrorBody, TremendousSettings, TremendousSettingsUpdate } from '@beckon/shared/api';
import { deleteTremendousSettings, getTremendousSettings, saveTremendousSettings } from '../../services/payouts.js';

export const payoutRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const errors = { '4xx': ErrorBody };
  const deps = () => ({ db: app.db, secretBox: app.secretBox, apiUrls: app.config.tremendousApiUrls, serverDefault: app.config.tremendous !== undefined });

  app.get(
    '/workspace/payouts/tremendous',
    { schema: { summary: "The workspace's Tremendous account (the API key is never answered)", response: { 200: TremendousSettings, ...errors } } },
    async (request) => getTremendousSettings(deps(), request.workspace.id),
  );

  app.put(
    '/workspace/payouts/tremendous',
    {
      schema: {
        summary: "Connect or change the workspace's Tremendous account; the key is checked with Tremendous before it is saved",
        description: 'Omit `apiKey` to keep the saved key. Rewards held for want of an account are ordered once it is saved.',
        body: TremendousSettingsUpdate,
        response: { 200: TremendousSettings, ...errors },
      },
    },
    async (request) => saveTremendousSettings(deps(), request.workspace.id, request.body),
  );

  app.delete(
    '/workspace/payouts/tremendous',
    { schema: { summary: "Disconnect the workspace's Tremendous account", response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      await deleteTremendousSettings(app.db, request.workspace.id);
      return reply.status(204).send(null);
    },
  );
};
