// Accounts: signing in, sessions, the team and its roles, API keys, single sign-on, audit log.
import { Type, type Static } from '@sinclair/typebox';
import { Email, HttpUrl, Instant, Nullable, Uuid } from './common.js';

/**
 * What a person may do in a workspace. owner: API keys, single sign-on, the team's owners;
 * admin: settings and the team; researcher: studies, bookings, incentives, funnel; interviewer:
 * their own hours, calendars and bookings; viewer: reads only.
 */
export const AccountRole = Type.Union([Type.Literal('owner'), Type.Literal('admin'), Type.Literal('researcher'), Type.Literal('interviewer'), Type.Literal('viewer')]);
export type AccountRole = Static<typeof AccountRole>;
export const ACCOUNT_ROLES = ['owner', 'admin', 'researcher', 'interviewer', 'viewer'] as const satisfies readonly AccountRole[];

export const Password = Type.String({ minLength: 10, maxLength: 200, description: 'At least 10 characters' });
const PersonName = Type.String({ minLength: 1, maxLength: 120 });

// ------------------------------------------------------------------ signing in

export const PasswordSignIn = Type.Object({ email: Email, password: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });
export type PasswordSignIn = Static<typeof PasswordSignIn>;

export const SignInLinkRequest = Type.Object({ email: Email }, { additionalProperties: false });
export type SignInLinkRequest = Static<typeof SignInLinkRequest>;

export const SignInLinkQuery = Type.Object({ token: Type.String({ minLength: 20, maxLength: 200 }) });

export const Accepted = Type.Object({ ok: Type.Literal(true), message: Type.String() });

export const SessionWorkspace = Type.Object({ id: Uuid, name: Type.String(), role: AccountRole });

export const Session = Type.Object({
  user: Type.Object({ id: Uuid, email: Type.String(), name: Type.String(), hasPassword: Type.Boolean() }),
  /** The workspace the admin API acts on; null when the person belongs to none. */
  workspace: Nullable(SessionWorkspace),
  /** This person's interviewer profile in the current workspace, if any. */
  memberId: Nullable(Uuid),
  workspaces: Type.Array(SessionWorkspace),
  /** Send as X-CSRF-Token on every request that changes something. */
  csrfToken: Type.String(),
  expiresAt: Instant,
});
export type Session = Static<typeof Session>;

export const SwitchWorkspace = Type.Object({ workspaceId: Uuid }, { additionalProperties: false });

export const PasswordChange = Type.Object(
  { password: Password, currentPassword: Type.Optional(Type.String({ maxLength: 200, description: 'Required when a password is already set' })) },
  { additionalProperties: false },
);
export type PasswordChange = Static<typeof PasswordChange>;

export const InvitationAccept = Type.Object(
  { token: Type.String({ minLength: 20, maxLength: 200 }), name: Type.Optional(PersonName), password: Type.Optional(Password) },
  { additionalProperties: false },
);
export type InvitationAccept = Static<typeof InvitationAccept>;

export const SsoStartQuery = Type.Object({ workspace: Uuid });
export const SsoCallbackQuery = Type.Object({
  state: Type.Optional(Type.String({ maxLength: 512 })),
  code: Type.Optional(Type.String({ maxLength: 4096 })),
  error: Type.Optional(Type.String({ maxLength: 200 })),
  error_description: Type.Optional(Type.String({ maxLength: 1000 })),
  iss: Type.Optional(Type.String({ maxLength: 2048 })),
  session_state: Type.Optional(Type.String({ maxLength: 512 })),
});

// ------------------------------------------------------------------ the team

export const TeamMember = Type.Object({
  id: Uuid,
  userId: Uuid,
  email: Type.String(),
  name: Type.String(),
  role: AccountRole,
  memberId: Nullable(Uuid),
  createdAt: Instant,
});
export type TeamMember = Static<typeof TeamMember>;
export const TeamList = Type.Object({ team: Type.Array(TeamMember) });
export const TeamParams = Type.Object({ id: Uuid });

export const TeamUpdate = Type.Object(
  { role: Type.Optional(AccountRole), memberId: Type.Optional(Nullable(Uuid)) },
  { additionalProperties: false, minProperties: 1 },
);
export type TeamUpdate = Static<typeof TeamUpdate>;

export const InvitationCreate = Type.Object(
  { email: Email, role: AccountRole, memberId: Type.Optional(Nullable(Uuid)) },
  { additionalProperties: false },
);
export type InvitationCreate = Static<typeof InvitationCreate>;

export const Invitation = Type.Object({
  id: Uuid,
  email: Type.String(),
  role: AccountRole,
  memberId: Nullable(Uuid),
  expiresAt: Instant,
  acceptedAt: Nullable(Instant),
  revokedAt: Nullable(Instant),
  createdAt: Instant,
});
export type Invitation = Static<typeof Invitation>;
export const InvitationList = Type.Object({ invitations: Type.Array(Invitation) });

export const WorkspaceDelete = Type.Object(
  { confirm: Type.String({ maxLength: 200, description: "The workspace's name, typed again" }) },
  { additionalProperties: false },
);
export type WorkspaceDelete = Static<typeof WorkspaceDelete>;

// ------------------------------------------------------------------ API keys

export const ApiKeyAccess = Type.Union([Type.Literal('full'), Type.Literal('read')], { description: 'read: GET requests only' });
export const ApiKey = Type.Object({
  id: Uuid,
  name: Type.String(),
  prefix: Type.String({ description: 'The first characters of the key, to tell keys apart' }),
  access: ApiKeyAccess,
  lastUsedAt: Nullable(Instant),
  revokedAt: Nullable(Instant),
  createdAt: Instant,
});
export type ApiKey = Static<typeof ApiKey>;
export const ApiKeyList = Type.Object({ keys: Type.Array(ApiKey) });
export const ApiKeyCreate = Type.Object({ name: Type.String({ minLength: 1, maxLength: 80 }), access: ApiKeyAccess }, { additionalProperties: false });
export type ApiKeyCreate = Static<typeof ApiKeyCreate>;
export const ApiKeyCreated = Type.Object({ key: ApiKey, secret: Type.String({ description: 'Shown once; Beckon keeps only its hash' }) });
export const ApiKeyParams = Type.Object({ id: Uuid });

// ------------------------------------------------------------------ single sign-on

const Domain = Type.String({ pattern: '^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$', maxLength: 253 });

export const SsoSettings = Type.Object({
  issuerUrl: HttpUrl,
  clientId: Type.String(),
  enabled: Type.Boolean(),
  autoJoinDomains: Type.Array(Type.String()),
  autoJoinRole: AccountRole,
  /** Where the provider must send people back; register it with the provider. */
  redirectUri: Type.String(),
  /** Where people start signing in for this workspace. */
  signInUrl: Type.String(),
  updatedAt: Instant,
});
export type SsoSettings = Static<typeof SsoSettings>;

export const SsoUpdate = Type.Object(
  {
    issuerUrl: HttpUrl,
    clientId: Type.String({ minLength: 1, maxLength: 500 }),
    /** Required when first configured; omitted, the stored one is kept. */
    clientSecret: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
    enabled: Type.Optional(Type.Boolean()),
    autoJoinDomains: Type.Optional(Type.Array(Domain, { maxItems: 20, uniqueItems: true, description: 'People with a verified address here join on first sign-in' })),
    autoJoinRole: Type.Optional(Type.Union([Type.Literal('admin'), Type.Literal('researcher'), Type.Literal('interviewer'), Type.Literal('viewer')])),
  },
  { additionalProperties: false },
);
export type SsoUpdate = Static<typeof SsoUpdate>;

// ------------------------------------------------------------------ audit log

export const AuditEntry = Type.Object({
  id: Type.Integer(),
  at: Instant,
  actor: Type.Object({
    type: Type.Union([Type.Literal('user'), Type.Literal('api_key'), Type.Literal('system')]),
    id: Nullable(Type.String()),
    /** The person's email or the key's name. */
    label: Nullable(Type.String()),
  }),
  ip: Nullable(Type.String()),
  action: Type.String(),
  route: Nullable(Type.String()),
  targetId: Nullable(Type.String()),
  changes: Type.Record(Type.String(), Type.Object({ before: Type.Optional(Type.Unknown()), after: Type.Optional(Type.Unknown()) })),
});
export type AuditEntry = Static<typeof AuditEntry>;
export const AuditList = Type.Object({ entries: Type.Array(AuditEntry) });
export const AuditQuery = Type.Object({
  actor: Type.Optional(Type.String({ maxLength: 100, description: 'A user id or API key id' })),
  action: Type.Optional(Type.String({ maxLength: 100, description: 'Exact, or a prefix ending in "." (e.g. study.)' })),
  from: Type.Optional(Instant),
  to: Type.Optional(Instant),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
});
export type AuditQuery = Static<typeof AuditQuery>;
