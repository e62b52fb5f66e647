// What each role may do, as far as the app needs to know to hide what a person cannot do. The
// server decides (packages/server/src/auth/permissions.ts); this mirrors it so nobody is offered a
// button the server would refuse. Reads are open to every role (not the audit log or webhook endpoints).
import type { AccountRole } from '@beckon/shared/api';

export type Capability =
  | 'studies:write'
  | 'members:write'
  | 'availability:write'
  | 'calendars:write'
  | 'bookings:write'
  | 'bookings:outcome'
  | 'incentives:send'
  | 'settings:write'
  | 'secrets:read'
  | 'participants:read'
  | 'participants:write'
  | 'participants:erase'
  | 'team:write'
  | 'audit:read'
  | 'webhooks:manage'
  | 'api_keys:manage'
  | 'sso:manage';

export const ROLE_RANK: Record<AccountRole, number> = { viewer: 0, interviewer: 1, researcher: 2, admin: 3, owner: 4 };

export const ROLE_LABELS: Record<AccountRole, string> = { owner: 'Owner', admin: 'Admin', researcher: 'Researcher', interviewer: 'Interviewer', viewer: 'Viewer' };

export const ROLE_HINTS: Record<AccountRole, string> = {
  owner: 'Everything, including API keys and single sign-on',
  admin: 'Settings, the team, interviewer profiles, webhooks, erasures and the audit log',
  researcher: 'Studies, bookings, incentives and the funnel',
  interviewer: 'Reads everything; changes their own hours, calendars and interviews',
  viewer: 'Reads everything except secrets and the audit log',
};

/** The least role that holds each capability. */
const LEAST: Record<Capability, AccountRole> = {
  'studies:write': 'researcher',
  'bookings:write': 'researcher',
  'bookings:outcome': 'researcher',
  'incentives:send': 'researcher',
  'members:write': 'admin',
  'availability:write': 'admin',
  'calendars:write': 'admin',
  'settings:write': 'admin',
  'secrets:read': 'admin',
  'participants:read': 'researcher',
  'participants:write': 'researcher',
  'participants:erase': 'admin',
  'team:write': 'admin',
  'audit:read': 'admin',
  'webhooks:manage': 'admin',
  'api_keys:manage': 'owner',
  'sso:manage': 'owner',
};

/** What everyone but a viewer may do to their own interviewer profile and the interviews they host. */
const OWN: ReadonlySet<Capability> = new Set(['members:write', 'availability:write', 'calendars:write', 'bookings:write', 'bookings:outcome']);

export function can(role: AccountRole, capability: Capability): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[LEAST[capability]];
}

export function canForOwn(role: AccountRole, capability: Capability): boolean {
  return can(role, capability) || (role !== 'viewer' && OWN.has(capability));
}

/** The roles someone may hand out: none above their own. */
export function grantableRoles(role: AccountRole): AccountRole[] {
  return (Object.keys(ROLE_RANK) as AccountRole[]).filter((r) => ROLE_RANK[r] <= ROLE_RANK[role]).sort((a, b) => ROLE_RANK[b] - ROLE_RANK[a]);
}

/** Whether `role` may change or remove someone who holds `target` (admins do not touch owners). */
export function mayManage(role: AccountRole, target: AccountRole): boolean {
  return can(role, 'team:write') && ROLE_RANK[target] <= ROLE_RANK[role];
}
