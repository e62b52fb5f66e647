// The OpenAPI `webhooks` section: one operation per event Beckon sends, with its payload schema
// from @beckon/shared and the Standard Webhooks headers, so generated clients get the types.
import { WEBHOOK_EVENT_TYPES, webhookPayloadSchema } from '@beckon/shared/api';

const header = (description: string) => ({ required: true, schema: { type: 'string' }, description });

const camel = (type: string) => type.replace(/[._](\w)/g, (_, letter: string) => letter.toUpperCase());

export function webhookDocument(): Record<string, unknown> {
  return Object.fromEntries(
    WEBHOOK_EVENT_TYPES.map((type) => [
      type,
      {
        post: {
          operationId: `${camel(type)}Webhook`,
          summary: `Sent on ${type}`,
          description: 'Verify the signature with any Standard Webhooks library and the endpoint\'s secret; answer 2xx within 15 s. Failures are retried with backoff, in order, for 24 hours.',
          tags: ['webhooks'],
          security: [],
          parameters: [
            { name: 'webhook-id', in: 'header', ...header('The message id: the same on every retry and replay; use it to ignore repeats') },
            { name: 'webhook-timestamp', in: 'header', ...header('Unix seconds of this attempt') },
            { name: 'webhook-signature', in: 'header', ...header('v1,<base64 HMAC-SHA256 of id.timestamp.body>') },
          ],
          requestBody: { required: true, content: { 'application/json': { schema: webhookPayloadSchema(type) } } },
          responses: { '200': { description: 'Received (any 2xx)' }, '400': { description: 'Refused; retried like any failure' } },
        },
      },
    ]),
  );
}
