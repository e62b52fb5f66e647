// The admin API client: same origin, the person's session cookie (sent by the browser) and its
// CSRF token on every change, JSON both ways, and every failure as an ApiError carrying the
// server's `{ error: { code, message, field? } }`.
import type {
  AdminBookingMove,
  ConsentText,
  ConsentTextInput,
  PeopleFunnel,
  PeoplePage,
  PersonDetail,
  PersonUpdate,
  ApiKey,
  ApiKeyCreate,
  AuditEntry,
  AutopilotWeek,
  Invitation,
  InvitationCreate,
  PasswordChange,
  Session,
  SsoSettings,
  SsoUpdate,
  TremendousSettings,
  TremendousSettingsUpdate,
  TeamMember,
  TeamUpdate,
  Availability,
  CalendarChoices,
  CalendarChoiceUpdate,
  IdentitySecret,
  ParticipantErase,
  ParticipantErased,
  Member,
  MemberCreate,
  MemberUpdate,
  Study,
  StudyCreate,
  StudyPreview,
  StudyPreviewRequest,
  StudyUpdate,
  IncentiveBudget,
  SlackWebhook,
  SlackWebhookCreate,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEndpointCreate,
  WebhookEndpointCreated,
  WebhookEndpointUpdate,
  Workspace,
  WorkspaceUpdate,
  ZoomConnectionState,
  ZoomConnectLink,
} from '@beckon/shared/api';
import type {
  AdminIncentive,
  AdminIncentivesQuery,
  Booking,
  BookingAction,
  CalendarConnect,
  CalendarConnected,
  CalendarConnection,
  FunnelResult,
  GoogleConnectLink,
  MicrosoftConnectLink,
  IncentiveSend,
} from './types.js';
import { getCsrfToken } from './session.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The route itself does not exist on this server (an older server), as opposed to a missing record. */
  get routeMissing(): boolean {
    return this.status === 404 && this.code === 'route_not_found';
  }
}

type Listener = (error: ApiError) => void;
let onUnauthorized: Listener = () => {};
/** Called when the server answers 401 to an admin request (the session ended: signed out elsewhere, removed, role changed). */
export function setUnauthorizedHandler(listener: Listener): void {
  onUnauthorized = listener;
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const csrf = getCsrfToken();
  if (csrf && method !== 'GET') headers['x-csrf-token'] = csrf;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? null : JSON.stringify(body), cache: 'no-store' });
  } catch {
    throw new ApiError(0, 'network_error', 'Could not reach the Beckon server. Check your connection and try again.');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    // fall through: a non-JSON answer (a proxy error page) is reported by status below
  }
  if (!response.ok) {
    const error = (data as { error?: { code?: unknown; message?: unknown; field?: unknown } } | null)?.error;
    const apiError = new ApiError(
      response.status,
      typeof error?.code === 'string' ? error.code : `http_${response.status}`,
      typeof error?.message === 'string' ? error.message : `The server answered ${response.status} ${response.statusText}`.trim(),
      typeof error?.field === 'string' ? error.field : undefined,
    );
    // Signing in answers 401 for a wrong password; only the admin API's 401 means "signed out".
    if (response.status === 401 && path.startsWith('/v1/admin/')) onUnauthorized(apiError);
    throw apiError;
  }
  return data as T;
}

const q = (params: Record<string, string | undefined>) => {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value) search.set(name, value);
  const text = search.toString();
  return text ? `?${text}` : '';
};
const id = (value: string) => encodeURIComponent(value);

export const api = {
  signInWithPassword: (email: string, password: string) => request<Session>('POST', '/v1/auth/password', { email, password }),
  emailSignInLink: (email: string) => request<{ ok: true; message: string }>('POST', '/v1/auth/link', { email }),
  session: () => request<Session>('GET', '/v1/auth/session'),
  switchWorkspace: (workspaceId: string) => request<Session>('POST', '/v1/auth/session/workspace', { workspaceId }),
  signOut: () => request<void>('POST', '/v1/auth/sign-out'),
  /** Sets or changes one's own password; one's other sessions end. */
  changePassword: (body: PasswordChange) => request<void>('PUT', '/v1/auth/password', body),

  /** The workspace's single sign-on, or null when none is set up. */
  getSso: () =>
    request<SsoSettings>('GET', '/v1/admin/sso').catch((error: unknown) => {
      if (error instanceof ApiError && error.code === 'sso_not_configured') return null;
      throw error;
    }),
  saveSso: (body: SsoUpdate) => request<SsoSettings>('PUT', '/v1/admin/sso', body),
  removeSso: () => request<void>('DELETE', '/v1/admin/sso'),

  getTremendous: () => request<TremendousSettings>('GET', '/v1/admin/workspace/payouts/tremendous'),
  saveTremendous: (body: TremendousSettingsUpdate) => request<TremendousSettings>('PUT', '/v1/admin/workspace/payouts/tremendous', body),
  removeTremendous: () => request<void>('DELETE', '/v1/admin/workspace/payouts/tremendous'),

  listTeam: () => request<{ team: TeamMember[] }>('GET', '/v1/admin/team').then((r) => r.team),
  updateTeamMember: (membershipId: string, body: TeamUpdate) => request<TeamMember>('PATCH', `/v1/admin/team/${id(membershipId)}`, body),
  removeTeamMember: (membershipId: string) => request<void>('DELETE', `/v1/admin/team/${id(membershipId)}`),
  listInvitations: () => request<{ invitations: Invitation[] }>('GET', '/v1/admin/team/invitations').then((r) => r.invitations),
  invite: (body: InvitationCreate) => request<Invitation>('POST', '/v1/admin/team/invitations', body),
  revokeInvitation: (invitationId: string) => request<Invitation>('DELETE', `/v1/admin/team/invitations/${id(invitationId)}`),

  listApiKeys: () => request<{ keys: ApiKey[] }>('GET', '/v1/admin/api-keys').then((r) => r.keys),
  createApiKey: (body: ApiKeyCreate) => request<{ key: ApiKey; secret: string }>('POST', '/v1/admin/api-keys', body),
  revokeApiKey: (keyId: string) => request<ApiKey>('DELETE', `/v1/admin/api-keys/${id(keyId)}`),

  listSlackWebhooks: () => request<{ slackWebhooks: SlackWebhook[] }>('GET', '/v1/admin/slack-webhooks').then((r) => r.slackWebhooks),
  createSlackWebhook: (body: SlackWebhookCreate) => request<SlackWebhook>('POST', '/v1/admin/slack-webhooks', body),
  deleteSlackWebhook: (slackId: string) => request<void>('DELETE', `/v1/admin/slack-webhooks/${id(slackId)}`),
  listWebhookEndpoints: () => request<{ endpoints: WebhookEndpoint[] }>('GET', '/v1/admin/webhook-endpoints').then((r) => r.endpoints),
  createWebhookEndpoint: (body: WebhookEndpointCreate) => request<WebhookEndpointCreated>('POST', '/v1/admin/webhook-endpoints', body),
  updateWebhookEndpoint: (endpointId: string, body: WebhookEndpointUpdate) => request<WebhookEndpoint>('PATCH', `/v1/admin/webhook-endpoints/${id(endpointId)}`, body),
  deleteWebhookEndpoint: (endpointId: string) => request<void>('DELETE', `/v1/admin/webhook-endpoints/${id(endpointId)}`),
  webhookDeliveries: (endpointId: string) =>
    request<{ deliveries: WebhookDelivery[] }>('GET', `/v1/admin/webhook-endpoints/${id(endpointId)}/deliveries`).then((r) => r.deliveries),
  replayWebhookDelivery: (endpointId: string, deliveryId: number) =>
    request<WebhookDelivery>('POST', `/v1/admin/webhook-endpoints/${id(endpointId)}/deliveries/${deliveryId}/replay`),

  auditLog: (query: { actor?: string; action?: string; from?: string; to?: string; limit?: string }) =>
    request<{ entries: AuditEntry[] }>('GET', `/v1/admin/audit-log${q(query)}`).then((r) => r.entries),

  listStudies: () => request<{ studies: Study[] }>('GET', '/v1/admin/studies').then((r) => r.studies),
  getStudy: (studyId: string) => request<Study>('GET', `/v1/admin/studies/${id(studyId)}`),
  createStudy: (body: StudyCreate) => request<Study>('POST', '/v1/admin/studies', body),
  updateStudy: (studyId: string, body: StudyUpdate) => request<Study>('PATCH', `/v1/admin/studies/${id(studyId)}`, body),
  deleteStudy: (studyId: string) => request<void>('DELETE', `/v1/admin/studies/${id(studyId)}`),
  previewStudy: (body: StudyPreviewRequest) => request<StudyPreview>('POST', '/v1/admin/studies/preview', body),

  listMembers: () => request<{ members: Member[] }>('GET', '/v1/admin/members').then((r) => r.members),
  createMember: (body: MemberCreate) => request<Member>('POST', '/v1/admin/members', body),
  updateMember: (memberId: string, body: MemberUpdate) => request<Member>('PATCH', `/v1/admin/members/${id(memberId)}`, body),
  getAvailability: (memberId: string) => request<Availability>('GET', `/v1/admin/members/${id(memberId)}/availability`),
  putAvailability: (memberId: string, body: Availability) => request<Availability>('PUT', `/v1/admin/members/${id(memberId)}/availability`, body),

  listBookings: (params: { studyId?: string; from: string; to: string }) =>
    request<{ bookings: Booking[] }>('GET', `/v1/admin/bookings${q(params)}`).then((r) => r.bookings),
  bookingAction: (bookingId: string, action: BookingAction) => request<Booking>('POST', `/v1/admin/bookings/${id(bookingId)}/${action}`),
  moveBooking: (bookingId: string, body: AdminBookingMove) => request<Booking>('POST', `/v1/admin/bookings/${id(bookingId)}/move`, body),

  listIncentives: (query: AdminIncentivesQuery = {}) =>
    request<{ incentives: AdminIncentive[] }>('GET', `/v1/admin/incentives${q(query)}`).then((r) => r.incentives),
  incentiveBudgets: () => request<{ budgets: IncentiveBudget[] }>('GET', '/v1/admin/incentives').then((r) => r.budgets),
  sendIncentive: (incentiveId: string, body: IncentiveSend) => request<AdminIncentive>('POST', `/v1/admin/incentives/${id(incentiveId)}/send`, body),

  funnel: (studyId: string, params: { from: string; to: string }) =>
    request<FunnelResult>('GET', `/v1/admin/studies/${id(studyId)}/funnel${q(params)}`),

  autopilotWeek: () => request<AutopilotWeek>('GET', '/v1/admin/autopilot/week'),

  getWorkspace: () => request<Workspace>('GET', '/v1/admin/workspace'),
  updateWorkspace: (body: WorkspaceUpdate) => request<Workspace>('PATCH', '/v1/admin/workspace', body),
  getIdentitySecret: () => request<IdentitySecret>('GET', '/v1/admin/workspace/identity-secret').then((r) => r.identitySecret),
  rotateIdentitySecret: () => request<IdentitySecret>('POST', '/v1/admin/workspace/identity-secret/rotate').then((r) => r.identitySecret),

  listCalendars: (memberId: string) =>
    request<{ calendars: CalendarConnection[] }>('GET', `/v1/admin/members/${id(memberId)}/calendars`).then((r) => r.calendars),
  connectCalendar: (memberId: string, body: CalendarConnect) => request<CalendarConnected>('POST', `/v1/admin/members/${id(memberId)}/calendars`, body),
  calendarChoices: (memberId: string, connectionId: string) => request<CalendarChoices>('GET', `/v1/admin/members/${id(memberId)}/calendars/${id(connectionId)}/choices`),
  chooseCalendars: (memberId: string, connectionId: string, body: CalendarChoiceUpdate) =>
    request<CalendarConnected>('PATCH', `/v1/admin/members/${id(memberId)}/calendars/${id(connectionId)}`, body),
  disconnectCalendar: (memberId: string, connectionId: string) =>
    request<void>('DELETE', `/v1/admin/members/${id(memberId)}/calendars/${id(connectionId)}`),
  googleConnectLink: (memberId: string) => request<GoogleConnectLink>('GET', `/v1/admin/members/${id(memberId)}/calendars/google/connect`),
  microsoftConnectLink: (memberId: string) => request<MicrosoftConnectLink>('GET', `/v1/admin/members/${id(memberId)}/calendars/microsoft/connect`),
  getZoom: (memberId: string) => request<ZoomConnectionState>('GET', `/v1/admin/members/${id(memberId)}/zoom`),
  zoomConnectLink: (memberId: string) => request<ZoomConnectLink>('GET', `/v1/admin/members/${id(memberId)}/zoom/connect`),
  disconnectZoom: (memberId: string) => request<void>('DELETE', `/v1/admin/members/${id(memberId)}/zoom`),
  listPeople: (params: Record<string, string | undefined>) => request<PeoplePage>('GET', `/v1/admin/participants${q(params)}`),
  getPerson: (personId: string) => request<PersonDetail>('GET', `/v1/admin/participants/${id(personId)}`),
  updatePerson: (personId: string, body: PersonUpdate) => request<PersonDetail>('PATCH', `/v1/admin/participants/${id(personId)}`, body),
  listConsentTexts: () => request<{ consentTexts: ConsentText[] }>('GET', '/v1/admin/consent-texts').then((r) => r.consentTexts),
  createConsentText: (body: ConsentTextInput) => request<ConsentText>('POST', '/v1/admin/consent-texts', body),
  peopleFunnel: (params: Record<string, string | undefined>) => request<PeopleFunnel>('GET', `/v1/admin/funnel${q(params)}`),
  /** Where a CSV export or a person's JSON export downloads from (the session cookie goes with it). */
  exportUrl: (path: string, params: Record<string, string | undefined> = {}) => `/v1/admin/${path}${q(params)}`,
  eraseParticipant: (body: ParticipantErase) => request<ParticipantErased>('POST', '/v1/admin/participants/erase', body),
};
