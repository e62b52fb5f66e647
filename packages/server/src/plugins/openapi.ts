// The OpenAPI document is generated from the same TypeBox schemas that validate requests, so
// it cannot drift from what the server accepts. JSON at /docs/json, a browsable page at /docs.
// Names and security are decided here, in one place, so every operation has them:
//   operationId  from OPERATION_IDS (stable, readable method names for generated clients); a
//                route missing there gets one derived from its method and path (`getV1AdminThings`),
//                and a test keeps the table complete
//   tags         the audience (public, auth, health) or, for admin routes, the resource
//   security     public and most auth routes `[]`; admin routes an API key or a session (with the
//                CSRF header when the request changes something)
// Webhooks Beckon sends are described in the document's `webhooks` section.
import swagger from '@fastify/swagger';
import fp from 'fastify-plugin';
import { webhookDocument } from '../integrations/webhook-document.js';
import { docsPage } from './docs-page.js';

/** `METHOD /path` → operationId. Renaming one breaks generated clients: add, do not rename. */
export const OPERATION_IDS: Record<string, string> = {
  'GET /healthz': 'liveness',
  'GET /readyz': 'readiness',
  'GET /v1/w/{publicKey}/config': 'getWidgetConfig',
  'POST /v1/w/{publicKey}/events': 'sendEvents',
  'GET /v1/w/{publicKey}/studies/{studyId}/slots': 'listSlots',
  'POST /v1/w/{publicKey}/studies/{studyId}/bookings': 'createBooking',
  'GET /v1/bookings/{manageToken}': 'getManagedBooking',
  'POST /v1/bookings/{manageToken}/cancel': 'cancelManagedBooking',
  'POST /v1/bookings/{manageToken}/reschedule': 'rescheduleManagedBooking',
  'GET /v1/calendars/google/callback': 'googleCalendarCallback',
  'GET /v1/calendars/microsoft/callback': 'microsoftCalendarCallback',
  'GET /v1/zoom/callback': 'zoomCallback',
  'POST /v1/auth/password': 'signInWithPassword',
  'PUT /v1/auth/password': 'changePassword',
  'POST /v1/auth/link': 'requestSignInLink',
  'GET /v1/auth/sign-in': 'followSignInLink',
  'GET /v1/auth/session': 'getSession',
  'POST /v1/auth/session/workspace': 'switchWorkspace',
  'POST /v1/auth/sign-out': 'signOut',
  'GET /v1/auth/invitation': 'getInvitation',
  'POST /v1/auth/invitations/accept': 'acceptInvitation',
  'GET /v1/auth/sso/start': 'startSingleSignOn',
  'GET /v1/auth/sso/callback': 'singleSignOnCallback',
  'GET /v1/admin/studies': 'listStudies',
  'POST /v1/admin/studies': 'createStudy',
  'POST /v1/admin/studies/preview': 'previewStudy',
  'GET /v1/admin/studies/{id}': 'getStudy',
  'PATCH /v1/admin/studies/{id}': 'updateStudy',
  'DELETE /v1/admin/studies/{id}': 'deleteStudy',
  'GET /v1/admin/studies/{id}/funnel': 'getStudyFunnel',
  'GET /v1/admin/members': 'listMembers',
  'POST /v1/admin/members': 'createMember',
  'PATCH /v1/admin/members/{id}': 'updateMember',
  'GET /v1/admin/members/{id}/availability': 'getMemberAvailability',
  'PUT /v1/admin/members/{id}/availability': 'setMemberAvailability',
  'GET /v1/admin/members/{id}/calendars': 'listMemberCalendars',
  'POST /v1/admin/members/{id}/calendars': 'connectMemberCalendar',
  'GET /v1/admin/members/{id}/calendars/{connectionId}/choices': 'listMemberCalendarChoices',
  'PATCH /v1/admin/members/{id}/calendars/{connectionId}': 'updateMemberCalendar',
  'DELETE /v1/admin/members/{id}/calendars/{connectionId}': 'disconnectMemberCalendar',
  'GET /v1/admin/members/{id}/calendars/google/connect': 'startGoogleCalendarConnection',
  'GET /v1/admin/members/{id}/calendars/microsoft/connect': 'startMicrosoftCalendarConnection',
  'GET /v1/admin/members/{id}/zoom': 'getMemberZoom',
  'GET /v1/admin/members/{id}/zoom/connect': 'startZoomConnection',
  'DELETE /v1/admin/members/{id}/zoom': 'disconnectMemberZoom',
  'GET /v1/admin/bookings': 'listBookings',
  'POST /v1/admin/bookings/{id}/cancel': 'cancelBooking',
  'POST /v1/admin/bookings/{id}/complete': 'markBookingAttended',
  'POST /v1/admin/bookings/{id}/no-show': 'markBookingNoShow',
  'POST /v1/admin/bookings/{id}/move': 'moveBooking',
  'GET /v1/admin/incentives': 'listIncentives',
  'POST /v1/admin/incentives/{id}/send': 'sendIncentive',
  'POST /v1/admin/participants/erase': 'eraseParticipant',
  'GET /v1/admin/participants': 'listPeople',
  'GET /v1/admin/participants/{id}': 'getPerson',
  'PATCH /v1/admin/participants/{id}': 'updatePerson',
  'GET /v1/admin/participants/{id}/export': 'exportPerson',
  'GET /v1/admin/funnel': 'getPeopleFunnel',
  'GET /v1/admin/exports/participants.csv': 'exportPeopleCsv',
  'GET /v1/admin/exports/bookings.csv': 'exportBookingsCsv',
  'GET /v1/admin/exports/funnel.csv': 'exportFunnelCsv',
  'GET /v1/admin/consent-texts': 'listConsentTexts',
  'POST /v1/admin/consent-texts': 'createConsentText',
  'GET /v1/admin/autopilot/week': 'getWeekHealth',
  'GET /v1/admin/workspace': 'getWorkspace',
  'PATCH /v1/admin/workspace': 'updateWorkspace',
  'DELETE /v1/admin/workspace': 'deleteWorkspace',
  'GET /v1/admin/workspace/identity-secret': 'getIdentitySecret',
  'POST /v1/admin/workspace/identity-secret/rotate': 'rotateIdentitySecret',
  'GET /v1/admin/team': 'listTeam',
  'PATCH /v1/admin/team/{id}': 'updateTeammate',
  'DELETE /v1/admin/team/{id}': 'removeTeammate',
  'GET /v1/admin/team/invitations': 'listInvitations',
  'POST /v1/admin/team/invitations': 'createInvitation',
  'DELETE /v1/admin/team/invitations/{id}': 'revokeInvitation',
  'GET /v1/admin/api-keys': 'listApiKeys',
  'POST /v1/admin/api-keys': 'createApiKey',
  'DELETE /v1/admin/api-keys/{id}': 'revokeApiKey',
  'GET /v1/admin/sso': 'getSingleSignOn',
  'PUT /v1/admin/sso': 'setSingleSignOn',
  'DELETE /v1/admin/sso': 'removeSingleSignOn',
  'GET /v1/admin/audit-log': 'listAuditLog',
  'GET /v1/admin/webhook-endpoints': 'listWebhookEndpoints',
  'POST /v1/admin/webhook-endpoints': 'createWebhookEndpoint',
  'GET /v1/admin/webhook-endpoints/{id}': 'getWebhookEndpoint',
  'PATCH /v1/admin/webhook-endpoints/{id}': 'updateWebhookEndpoint',
  'DELETE /v1/admin/webhook-endpoints/{id}': 'deleteWebhookEndpoint',
  'GET /v1/admin/webhook-endpoints/{id}/deliveries': 'listWebhookDeliveries',
  'POST /v1/admin/webhook-endpoints/{id}/deliveries/{deliveryId}/replay': 'replayWebhookDelivery',
  'GET /v1/admin/slack-webhooks': 'listSlackWebhooks',
  'POST /v1/admin/slack-webhooks': 'createSlackWebhook',
  'DELETE /v1/admin/slack-webhooks/{id}': 'deleteSlackWebhook',
  'GET /v1/admin/workspace/payouts/tremendous': 'getTremendousAccount',
  'PUT /v1/admin/workspace/payouts/tremendous': 'setTremendousAccount',
  'DELETE /v1/admin/workspace/payouts/tremendous': 'removeTremendousAccount',
};

/** Auth routes that need a signed-in person's session (the rest start one, or need nothing). */
const SESSION_AUTH_ROUTES = new Set(['GET /v1/auth/session', 'POST /v1/auth/session/workspace', 'PUT /v1/auth/password', 'POST /v1/auth/sign-out']);

const ADMIN_TAGS: Record<string, string> = {
  studies: 'Studies and their funnels',
  members: 'Interviewers: hours and calendars',
  bookings: 'Interviews booked, cancelled, attended',
  incentives: 'Rewards owed to participants and their payment',
  participants: 'The panel: one record per person, their history and their data',
  funnel: 'Unique people at each step of recruiting',
  exports: 'The panel, bookings and the funnel as CSV',
  'consent-texts': 'Consent and NDA texts and who accepted them',
  autopilot: "The week's health",
  workspace: 'Workspace settings and keys',
  team: 'People with access, and invitations',
  'api-keys': 'Secret keys for machines',
  sso: 'Single sign-on',
  'audit-log': 'Who changed what',
  'webhook-endpoints': 'Where signed webhooks are sent, and what was delivered',
  'slack-webhooks': 'Slack channels told about bookings and at-risk weeks',
};

function derivedOperationId(method: string, path: string): string {
  const words = path
    .split('/')
    .filter(Boolean)
    .map((segment) => (segment.startsWith('{') ? `by-${segment.slice(1, -1)}` : segment));
  return [method.toLowerCase(), ...words]
    .join('-')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word, index) => (index === 0 ? word : word[0]!.toUpperCase() + word.slice(1)))
    .join('');
}

type Operation = { operationId?: string; tags?: string[]; security?: Record<string, string[]>[] };

/** Operation names, tags and security for one operation, by its method and path. */
export function describeOperation(method: string, path: string, operation: Operation): Operation {
  const key = `${method.toUpperCase()} ${path}`;
  const operationId = operation.operationId ?? OPERATION_IDS[key] ?? derivedOperationId(method, path);
  const changes = method.toUpperCase() !== 'GET';
  const session: Record<string, string[]> = changes ? { session: [], csrf: [] } : { session: [] };
  if (path.startsWith('/v1/admin/')) {
    const resource = path.split('/')[3]!;
    const tag = resource in ADMIN_TAGS ? resource : 'admin';
    return { operationId, tags: [tag], security: [{ secretKey: [] }, session] };
  }
  if (path.startsWith('/v1/auth/')) return { operationId, tags: ['auth'], security: SESSION_AUTH_ROUTES.has(key) ? [session] : [] };
  return { operationId, tags: operation.tags ?? ['public'], security: [] };
}

export const openApiPlugin = fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Beckon API',
          version: '1',
          description:
            'Public routes serve the widget and the hosted booking page; admin routes take `Authorization: Bearer <secret key>` ' +
            'or a signed-in session (with the `X-CSRF-Token` header on changes). ' +
            'Errors are `{ "error": { "code", "message", "field"? } }`. Instants are ISO 8601 UTC; zones are IANA names. ' +
            'Webhooks are signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`).',
        },
        servers: [{ url: app.config.publicUrl }],
        components: {
          securitySchemes: {
            secretKey: { type: 'http', scheme: 'bearer', description: 'A workspace API key (sk_…)' },
            session: { type: 'apiKey', in: 'cookie', name: 'beckon_session', description: 'A signed-in person (the admin app)' },
            csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token', description: "The session's CSRF token from GET /v1/auth/session; needed with the session cookie on every change" },
          },
        },
        tags: [
          { name: 'public', description: 'Called by the widget and the hosted booking page' },
          { name: 'auth', description: 'Signing in and out, sessions, invitations, single sign-on' },
          { name: 'health', description: 'For load balancers and orchestrators' },
          { name: 'admin', description: 'Called by the admin app and integrators' },
          ...Object.entries(ADMIN_TAGS).map(([name, description]) => ({ name, description })),
          { name: 'webhooks', description: 'Events Beckon sends to your endpoints' },
        ],
        webhooks: webhookDocument() as never,
      },
      transformObject: (documentObject) => {
        if (!('openapiObject' in documentObject)) return documentObject.swaggerObject;
        const { openapiObject } = documentObject;
        for (const [path, operations] of Object.entries(openapiObject.paths ?? {})) {
          for (const [method, operation] of Object.entries(operations as Record<string, Operation>)) Object.assign(operation, describeOperation(method, path, operation));
        }
        return openapiObject;
      },
    });
    await app.register(docsPage);
  },
  { name: 'openapi', dependencies: ['database', 'validation'] },
);
