// Slack incoming webhooks: new bookings, cancellations and at-risk weeks posted to a channel.
//   GET    /slack-webhooks          list (the URL's end only)
//   POST   /slack-webhooks          { url, studyId?, label? }
//   DELETE /slack-webhooks/:id
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ErrorBody, SlackWebhook, SlackWebhookCreate, SlackWebhookList, WebhookEndpointParams } from '@beckon/shared/api';
import { createSlackWebhook, deleteSlackWebhook, listSlackWebhooks } from '../../services/slack.js';

export const slackRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const errors = { '4xx': ErrorBody };
  const deps = () => ({ db: app.db, secretBox: app.secretBox });

  app.get('/slack-webhooks', { schema: { summary: 'Slack incoming webhooks that get new bookings, cancellations and at-risk weeks', response: { 200: SlackWebhookList, ...errors } } }, async (request) => ({
    slackWebhooks: await listSlackWebhooks(deps(), request.workspace.id),
  }));

  app.post(
    '/slack-webhooks',
    {
      schema: {
        summary: "Add a Slack incoming webhook for the workspace, or for one study's bookings",
        body: SlackWebhookCreate,
        response: { 201: SlackWebhook, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await createSlackWebhook(deps(), request.workspace.id, request.body)),
  );

  app.delete('/slack-webhooks/:id', { schema: { summary: 'Stop posting to a Slack incoming webhook', params: WebhookEndpointParams, response: { 204: Type.Null(), ...errors } } }, async (request, reply) => {
    await deleteSlackWebhook(app.db, request.workspace.id, request.params.id);
    return reply.status(204).send(null);
  });
};
