// Who may do what: the one table of roles → permissions, and the one table of admin routes →
// the permission each needs (and, for writes, the audit action it records). The admin guard
// (guard.ts) refuses to start if an admin route is missing here, so a new route cannot be
// added without deciding who may call it.
import type { AccountRole } from '@beckon/shared/api';

export const PERMISSIONS = [
  'workspace:read',
  'settings:write',
  'secrets:read',
  'studies:read',
  'studies:write',
  'members:read',
  'members:write',
  'availability:write',
  'calendars:read',
  'calendars:write',
  'bookings:read',
  'bookings:write',
  'bookings:outcome',
  'incentives:read',
  'incentives:send',
  'participants:read',
  'participants:write',
  'participants:erase',
  'team:read',
  'team:write',
  'api_keys:manage',
  'sso:manage',
  'audit:read',
  'webhooks:manage',
  'workspace:delete',
] as const;
export type Permission = (typeof PERMISSIONS)[number];
/** A permission a person holds only for their own interviewer profile and the interviews they host. */
export type OwnPermission = `${Permission}:own`;
type Grant = Permission | OwnPermission;

const VIEWER: Grant[] = ['workspace:read', 'studies:read', 'members:read', 'calendars:read', 'bookings:read', 'incentives:read', 'team:read'];
/** What anyone who interviews may do to their own profile and interviews. */
const OWN: Grant[] = ['members:write:own', 'availability:write:own', 'calendars:write:own', 'bookings:write:own', 'bookings:outcome:own'];
const RESEARCHER: Grant[] = [...VIEWER, ...OWN, 'studies:write', 'bookings:write', 'bookings:outcome', 'incentives:send', 'participants:read', 'participants:write'];
const ADMIN: Grant[] = [
  ...RESEARCHER,
  'members:write',
  'availability:write',
  'calendars:write',
  'settings:write',
  'secrets:read',
  'participants:read',
  'participants:write',
  'participants:erase',
  'team:write',
  'audit:read',
  'webhooks:manage',
];

export const ROLE_GRANTS: Record<AccountRole, ReadonlySet<Grant>> = {
  viewer: new Set(VIEWER),
  interviewer: new Set([...VIEWER, ...OWN]),
  researcher: new Set(RESEARCHER),
  admin: new Set(ADMIN),
  owner: new Set([...ADMIN, 'api_keys:manage', 'sso:manage', 'workspace:delete']),
};

/** A full API key may do what an admin may (not manage keys or single sign-on); a read-only key the same, GET only. */
export const API_KEY_GRANTS: ReadonlySet<Grant> = ROLE_GRANTS.admin;

/** Whose resource a route's path parameter `id` names, for permissions held only for one's own. */
export type Ownership = 'member' | 'booking';

export interface RouteAccess {
  permission: Permission;
  own?: Ownership;
  /** For writes: what the audit log calls it, and what it snapshots as "before". */
  audit?: AuditSpec;
}

export interface AuditSpec {
  action: string;
  /** The resource `params.id` names, read before the change to record field-level before/after. */
  target?: 'study' | 'member' | 'availability' | 'workspace' | 'booking' | 'membership' | 'api_key' | 'sso' | 'invitation' | 'calendar';
  /** Record only these fields (default: the fields of the request body). */
  fields?: string[];
}

const A = (permission: Permission, audit?: AuditSpec | string, own?: Ownership): RouteAccess => ({
  permission,
  ...(own ? { own } : {}),
  ...(audit ? { audit: typeof audit === 'string' ? { action: audit } : audit } : {}),
});

/** Every admin route, by method and path (HEAD follows GET). */
export const ADMIN_ROUTES: Record<string, RouteAccess> = {
  'GET /v1/admin/studies': A('studies:read'),
  'POST /v1/admin/studies': A('studies:write', { action: 'study.create' }),
  // Anyone who may read a study may see it as visitors will; a preview changes nothing.
  'POST /v1/admin/studies/preview': A('studies:read'),
  'GET /v1/admin/studies/:id': A('studies:read'),
  'PATCH /v1/admin/studies/:id': A('studies:write', { action: 'study.update', target: 'study' }),
  'DELETE /v1/admin/studies/:id': A('studies:write', { action: 'study.delete', target: 'study', fields: ['name', 'slug', 'status'] }),
  'GET /v1/admin/studies/:id/funnel': A('studies:read'),
  'GET /v1/admin/autopilot/week': A('studies:read'),

  'GET /v1/admin/members': A('members:read'),
  'POST /v1/admin/members': A('members:write', { action: 'member.create' }),
  'PATCH /v1/admin/members/:id': A('members:write', { action: 'member.update', target: 'member' }, 'member'),
  'GET /v1/admin/members/:id/availability': A('members:read'),
  'PUT /v1/admin/members/:id/availability': A('availability:write', { action: 'member.availability.replace', target: 'availability' }, 'member'),

  'GET /v1/admin/members/:id/calendars': A('calendars:read'),
  'POST /v1/admin/members/:id/calendars': A('calendars:write', { action: 'calendar.connect', fields: ['provider'] }, 'member'),
  'GET /v1/admin/members/:id/calendars/:connectionId/choices': A('calendars:write', undefined, 'member'),
  'PATCH /v1/admin/members/:id/calendars/:connectionId': A('calendars:write', { action: 'calendar.update', fields: ['busyCalendarIds', 'writeCalendarId'] }, 'member'),
  'DELETE /v1/admin/members/:id/calendars/:connectionId': A('calendars:write', { action: 'calendar.disconnect', fields: [] }, 'member'),
  'GET /v1/admin/members/:id/calendars/google/connect': A('calendars:write', undefined, 'member'),
  'GET /v1/admin/members/:id/calendars/microsoft/connect': A('calendars:write', undefined, 'member'),
  'GET /v1/admin/members/:id/zoom': A('calendars:read'),
  'GET /v1/admin/members/:id/zoom/connect': A('calendars:write', undefined, 'member'),
  'DELETE /v1/admin/members/:id/zoom': A('calendars:write', { action: 'zoom.disconnect', fields: [] }, 'member'),

  'GET /v1/admin/bookings': A('bookings:read'),
  'POST /v1/admin/bookings/:id/cancel': A('bookings:write', { action: 'booking.cancel', target: 'booking', fields: ['status'] }, 'booking'),
  'POST /v1/admin/bookings/:id/move': A('bookings:write', { action: 'booking.move', target: 'booking', fields: ['hostId', 'start'] }, 'booking'),
  'POST /v1/admin/bookings/:id/complete': A('bookings:outcome', { action: 'booking.complete', target: 'booking', fields: ['status'] }, 'booking'),
  'POST /v1/admin/bookings/:id/no-show': A('bookings:outcome', { action: 'booking.no_show', target: 'booking', fields: ['status'] }, 'booking'),

  'GET /v1/admin/incentives': A('incentives:read'),
  // The code, link and message are the participant's gift: only how it was handed over is kept.
  'POST /v1/admin/incentives/:id/send': A('incentives:send', { action: 'incentive.send', fields: ['method', 'status'] }),
  // Who was erased is exactly what must not be kept: only the counts.
  // The panel: people's contact details and histories, so researchers and up (not viewers).
  'GET /v1/admin/participants': A('participants:read'),
  'GET /v1/admin/participants/:id': A('participants:read'),
  'PATCH /v1/admin/participants/:id': A('participants:write', { action: 'participant.update', fields: ['doNotContact'] }),
  'GET /v1/admin/participants/:id/export': A('participants:read'),
  'GET /v1/admin/exports/participants.csv': A('participants:read'),
  'GET /v1/admin/exports/bookings.csv': A('bookings:read'),
  'GET /v1/admin/funnel': A('studies:read'),
  'GET /v1/admin/exports/funnel.csv': A('studies:read'),
  'GET /v1/admin/consent-texts': A('studies:read'),
  'POST /v1/admin/consent-texts': A('studies:write', { action: 'consent_text.create', fields: ['title', 'kind', 'studyId'] }),
  'POST /v1/admin/participants/erase': A('participants:erase', { action: 'participant.erase', fields: ['participants', 'bookingsCancelled', 'bookingsErased'] }),

  'GET /v1/admin/workspace': A('workspace:read'),
  'PATCH /v1/admin/workspace': A('settings:write', { action: 'workspace.update', target: 'workspace' }),
  'GET /v1/admin/workspace/identity-secret': A('secrets:read'),
  // Not audited: the log goes with the workspace. The deletion is logged (ids only).
  'DELETE /v1/admin/workspace': A('workspace:delete'),
  'POST /v1/admin/workspace/identity-secret/rotate': A('settings:write', { action: 'workspace.identity_secret.rotate', fields: [] }),

  'GET /v1/admin/team': A('team:read'),
  'PATCH /v1/admin/team/:id': A('team:write', { action: 'membership.update', target: 'membership' }),
  'DELETE /v1/admin/team/:id': A('team:write', { action: 'membership.remove', target: 'membership', fields: ['email', 'role'] }),
  'GET /v1/admin/team/invitations': A('team:read'),
  'POST /v1/admin/team/invitations': A('team:write', { action: 'invitation.create', fields: ['email', 'role', 'memberId'] }),
  'DELETE /v1/admin/team/invitations/:id': A('team:write', { action: 'invitation.revoke', target: 'invitation', fields: ['email', 'role'] }),

  'GET /v1/admin/api-keys': A('api_keys:manage'),
  'POST /v1/admin/api-keys': A('api_keys:manage', { action: 'api_key.create', fields: ['name', 'access', 'prefix'] }),
  'DELETE /v1/admin/api-keys/:id': A('api_keys:manage', { action: 'api_key.revoke', target: 'api_key', fields: ['name', 'revokedAt'] }),

  'GET /v1/admin/sso': A('sso:manage'),
  'PUT /v1/admin/sso': A('sso:manage', { action: 'sso.update', target: 'sso', fields: ['issuerUrl', 'clientId', 'enabled', 'autoJoinDomains', 'autoJoinRole'] }),
  'DELETE /v1/admin/sso': A('sso:manage', { action: 'sso.remove', target: 'sso', fields: ['issuerUrl', 'clientId'] }),

  'GET /v1/admin/audit-log': A('audit:read'),

  // The signing secret is answered once and never recorded.
  'GET /v1/admin/webhook-endpoints': A('webhooks:manage'),
  'POST /v1/admin/webhook-endpoints': A('webhooks:manage', { action: 'webhook_endpoint.create', fields: ['url', 'description', 'events'] }),
  'GET /v1/admin/webhook-endpoints/:id': A('webhooks:manage'),
  'PATCH /v1/admin/webhook-endpoints/:id': A('webhooks:manage', { action: 'webhook_endpoint.update', fields: ['url', 'description', 'events', 'enabled'] }),
  'DELETE /v1/admin/webhook-endpoints/:id': A('webhooks:manage', { action: 'webhook_endpoint.delete', fields: [] }),
  'GET /v1/admin/webhook-endpoints/:id/deliveries': A('webhooks:manage'),
  'POST /v1/admin/webhook-endpoints/:id/deliveries/:deliveryId/replay': A('webhooks:manage', { action: 'webhook_delivery.replay', fields: [] }),
  // The URL is a credential: only which study and the label are recorded.
  'GET /v1/admin/slack-webhooks': A('webhooks:manage'),
  'POST /v1/admin/slack-webhooks': A('webhooks:manage', { action: 'slack_webhook.create', fields: ['studyId', 'label'] }),
  'DELETE /v1/admin/slack-webhooks/:id': A('webhooks:manage', { action: 'slack_webhook.delete', fields: [] }),
  // Owners and admins; the API key is never recorded, only its last 4 characters.
  'GET /v1/admin/workspace/payouts/tremendous': A('settings:write'),
  'PUT /v1/admin/workspace/payouts/tremendous': A('settings:write', { action: 'tremendous.update', fields: ['environment', 'fundingSourceId', 'campaignId', 'apiKeyEnd'] }),
  'DELETE /v1/admin/workspace/payouts/tremendous': A('settings:write', { action: 'tremendous.remove', fields: [] }),
};

export function routeAccess(method: string, url: string): RouteAccess | undefined {
  return ADMIN_ROUTES[`${method === 'HEAD' ? 'GET' : method} ${url}`];
}

export type Grants = ReadonlySet<string>;

/** 'yes', 'own' (only for one's own profile or interviews), or 'no'. */
export function decide(grants: Grants, access: RouteAccess): 'yes' | 'own' | 'no' {
  if (grants.has(access.permission)) return 'yes';
  if (access.own && grants.has(`${access.permission}:own`)) return 'own';
  return 'no';
}

/** Roles ranked, so nobody hands out or takes away more than they hold. */
export const ROLE_RANK: Record<AccountRole, number> = { viewer: 0, interviewer: 1, researcher: 2, admin: 3, owner: 4 };
