// Signed webhooks: where they go, and what was delivered.
//   GET    /webhook-endpoints                     list
//   POST   /webhook-endpoints                     { url, description?, events? } → the endpoint and its secret, once
//   GET    /webhook-endpoints/:id                 one
//   PATCH  /webhook-endpoints/:id                 { url?, description?, events?, enabled? }
//   DELETE /webhook-endpoints/:id
//   GET    /webhook-endpoints/:id/deliveries?status&limit   the delivery log, newest first
//   POST   /webhook-endpoints/:id/deliveries/:deliveryId/replay   send it again
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  ErrorBody,
  WebhookDeliveriesQuery,
  WebhookDelivery,
  WebhookDeliveryList,
  WebhookDeliveryParams,
  WebhookEndpoint,
  WebhookEndpointCreate,
  WebhookEndpointCreated,
  WebhookEndpointList,
  WebhookEndpointParams,
  WebhookEndpointUpdate,
} from '@beckon/shared/api';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  getWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookEndpoints,
  replayWebhookDelivery,
  updateWebhookEndpoint,
} from '../../services/webhooks.js';

export const webhookRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const errors = { '4xx': ErrorBody };

  app.get('/webhook-endpoints', { schema: { summary: 'Where signed webhooks are sent', response: { 200: WebhookEndpointList, ...errors } } }, async (request) => ({
    endpoints: await listWebhookEndpoints(app.db, request.workspace.id),
  }));

  app.post(
    '/webhook-endpoints',
    {
      schema: {
        summary: 'Add an endpoint (https; http only to localhost in development); its signing secret is answered this once',
        description: 'Events are signed per Standard Webhooks with the secret. An empty `events` list receives every event.',
        body: WebhookEndpointCreate,
        response: { 201: WebhookEndpointCreated, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await createWebhookEndpoint({ db: app.db, secretBox: app.secretBox }, request.workspace.id, request.body)),
  );

  app.get('/webhook-endpoints/:id', { schema: { summary: 'One endpoint', params: WebhookEndpointParams, response: { 200: WebhookEndpoint, ...errors } } }, async (request) =>
    getWebhookEndpoint(app.db, request.workspace.id, request.params.id),
  );

  app.patch(
    '/webhook-endpoints/:id',
    {
      schema: {
        summary: 'Change an endpoint; turning it on again delivers what waits for it',
        params: WebhookEndpointParams,
        body: WebhookEndpointUpdate,
        response: { 200: WebhookEndpoint, ...errors },
      },
    },
    async (request) => updateWebhookEndpoint(app.db, request.workspace.id, request.params.id, request.body),
  );

  app.delete('/webhook-endpoints/:id', { schema: { summary: 'Remove an endpoint and its delivery log', params: WebhookEndpointParams, response: { 204: Type.Null(), ...errors } } }, async (request, reply) => {
    await deleteWebhookEndpoint(app.db, request.workspace.id, request.params.id);
    return reply.status(204).send(null);
  });

  app.get(
    '/webhook-endpoints/:id/deliveries',
    {
      schema: {
        summary: "The endpoint's delivery log, newest first: status, and every attempt's status code or error, latency and next retry",
        params: WebhookEndpointParams,
        querystring: WebhookDeliveriesQuery,
        response: { 200: WebhookDeliveryList, ...errors },
      },
    },
    async (request) => ({ deliveries: await listWebhookDeliveries(app.db, request.workspace.id, request.params.id, request.query) }),
  );

  app.post(
    '/webhook-endpoints/:id/deliveries/:deliveryId/replay',
    {
      schema: {
        summary: 'Send a delivery again (same webhook-id), after whatever waits for the endpoint',
        params: WebhookDeliveryParams,
        response: { 201: WebhookDelivery, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await replayWebhookDelivery(app.db, request.workspace.id, request.params.id, request.params.deliveryId)),
  );
};
