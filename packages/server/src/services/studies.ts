// Studies as the API speaks of them, mapped to and from their rows.
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { MAX_RULE_DEPTH, ruleDepth, type Rule } from '@beckon/shared/rules';
import { slotSettingsProblem } from '@beckon/shared/schedule';
import type { Decision } from '@beckon/shared/pacing';
import { isPublicUrl, toInstant, type JoinFallback, type MeetingLocation, type Study, type StudyCreate, type StudyUpdate, type WidgetConfig } from '@beckon/shared/api';
import type { Database, Transaction } from '../db/client.js';
import { bookings, calendarConnections, members, studies, studyMembers, tremendousAccounts, workspaces, zoomConnections } from '../db/schema.js';
import { assertConsentText, consentTextsById, type ConsentTextRow } from './consent.js';
import { badRequest, conflict, notFound, unprocessable } from '../errors.js';
import { randomBytes } from 'node:crypto';
import { incentiveText, participantTitle } from '@beckon/shared/participant';

export type StudyRow = typeof studies.$inferSelect;

const DEFAULTS = {
  status: 'draft',
  priority: 0,
  incentive: null,
  durationMinutes: 20,
  targeting: null,
  triggers: [],
  samplingPercent: 100,
  recontactDays: null,
  totalQuota: null,
  weeklyQuota: null,
  weeklyTarget: null,
  screener: null,
  observerIds: [],
  assignmentMode: 'round_robin',
  bookingWindowDays: 14,
  minimumNoticeMinutes: 240,
  slotStepMinutes: 15,
  meetingLocation: { kind: 'google_meet' },
  interviewGuide: '',
  consentTextId: null,
} as const satisfies Partial<StudyCreate>;

export function slugify(name: string): string {
  const base = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  // A random suffix keeps public booking links unguessable from the study name alone.
  return `${base || 'study'}-${randomBytes(3).toString('hex')}`;
}

export function toStudy(row: StudyRow, team: { memberId: string; role: 'host' | 'observer' }[], publicUrl: string): Study {
  return {
    id: row.id,
    name: row.name,
    publicTitle: row.publicTitle,
    publicDescription: row.publicDescription,
    slug: row.slug,
    status: row.status,
    priority: row.priority,
    intercept: row.intercept,
    incentive: row.incentive,
    durationMinutes: row.durationMinutes,
    targeting: row.targeting ?? null,
    triggers: row.triggers,
    samplingPercent: row.samplingPercent,
    recontactDays: row.recontactDays,
    totalQuota: row.totalQuota,
    weeklyQuota: row.weeklyQuota,
    weeklyTarget: row.weeklyTarget,
    screener: row.screener,
    hostIds: team.filter((m) => m.role === 'host').map((m) => m.memberId),
    observerIds: team.filter((m) => m.role === 'observer').map((m) => m.memberId),
    assignmentMode: row.assignmentMode,
    bookingWindowDays: row.bookingWindowDays,
    minimumNoticeMinutes: row.minimumNoticeMinutes,
    slotStepMinutes: row.slotStepMinutes,
    meetingLocation: row.meetingLocation,
    interviewGuide: row.interviewGuide,
    consentTextId: row.consentTextId,
    bookingUrl: `${publicUrl}/b/${row.slug}`,
    problem: slotSettingsProblem(row.durationMinutes, row.slotStepMinutes),
    createdAt: toInstant(row.createdAt),
    updatedAt: toInstant(row.updatedAt),
  };
}

export async function teamsOf(db: Database | Transaction, studyIds: string[]) {
  if (studyIds.length === 0) return new Map<string, { memberId: string; role: 'host' | 'observer' }[]>();
  const rows = await db.select().from(studyMembers).where(inArray(studyMembers.studyId, studyIds)).orderBy(asc(studyMembers.memberId));
  const teams = new Map<string, { memberId: string; role: 'host' | 'observer' }[]>();
  for (const row of rows) teams.set(row.studyId, [...(teams.get(row.studyId) ?? []), { memberId: row.memberId, role: row.role }]);
  return teams;
}

async function assertMembersInWorkspace(tx: Transaction, workspaceId: string, ids: string[], field: string): Promise<void> {
  if (ids.length === 0) return;
  const found = await tx.select({ id: members.id }).from(members).where(and(eq(members.workspaceId, workspaceId), inArray(members.id, ids)));
  const foundIds = new Set(found.map((row) => row.id));
  const missing = ids.findIndex((id) => !foundIds.has(id));
  if (missing >= 0) throw unprocessable('member_not_found', `No member ${ids[missing]} in this workspace`, `${field}.${missing}`);
}

async function replaceTeam(tx: Transaction, workspaceId: string, studyId: string, hostIds: string[], observerIds: string[]): Promise<void> {
  const both = hostIds.findIndex((id) => observerIds.includes(id));
  if (both >= 0) throw unprocessable('member_twice', 'A member cannot be both host and observer', `observerIds`);
  await assertMembersInWorkspace(tx, workspaceId, hostIds, 'hostIds');
  await assertMembersInWorkspace(tx, workspaceId, observerIds, 'observerIds');
  await tx.delete(studyMembers).where(eq(studyMembers.studyId, studyId));
  const team = [
    ...hostIds.map((memberId) => ({ studyId, memberId, role: 'host' as const })),
    ...observerIds.map((memberId) => ({ studyId, memberId, role: 'observer' as const })),
  ];
  if (team.length > 0) await tx.insert(studyMembers).values(team);
}

/** What the schema cannot say: how deeply the targeting rule nests (the widget evaluates it on every page view). */
function assertRuleDepth(targeting: Rule | null | undefined): void {
  if (targeting && ruleDepth(targeting) > MAX_RULE_DEPTH) {
    throw badRequest('rule_too_deep', `targeting nests more than ${MAX_RULE_DEPTH} levels of all/any/not`, 'targeting');
  }
}

/** A video link is followed by every participant: https only (the schema cannot tie the rule to the kind). */
function assertMeetingLink(location: MeetingLocation | undefined): void {
  if (location?.kind === 'video_url' && location.details !== undefined && !isPublicUrl(location.details)) {
    throw badRequest('invalid_request', 'meetingLocation.details must be an https link for a video meeting', 'meetingLocation.details');
  }
}

const FALLBACK_WORDS: Record<JoinFallback['kind'], string> = { video_url: 'their personal meeting link', phone: 'their phone number', in_person: 'their address' };

/** Where each interview's own video link is made: the calendar (or Zoom account) the host must have connected. */
const LINK_MAKERS: Partial<Record<MeetingLocation['kind'], { provider: 'google' | 'microsoft' | 'zoom'; why: (name: string) => string; fix: string }>> = {
  google_meet: { provider: 'google', why: (name) => `${name} has no Google calendar connected to make the Meet link`, fix: 'Connect their Google calendar' },
  microsoft_teams: { provider: 'microsoft', why: (name) => `${name} has no Microsoft 365 calendar connected to make the Teams link`, fix: 'Connect their Microsoft 365 calendar' },
  zoom: { provider: 'zoom', why: (name) => `${name} has no Zoom account connected to make the meeting`, fix: 'Connect their Zoom account' },
};

/**
 * Warnings a save does not refuse: each host whose participants would get no way to join (the
 * study's location gives none, no Google or Microsoft calendar to make a Meet or Teams link, no
 * Zoom account to make a Zoom meeting, no fallback), and each host whose participants get their
 * fallback instead of the study's way.
 */
async function withJoinWarnings(db: Database, list: Study[]): Promise<Study[]> {
  const needsHostWay = (location: MeetingLocation) => Boolean(LINK_MAKERS[location.kind]) || !location.details?.trim();
  const hostIds = [...new Set(list.filter((study) => needsHostWay(study.meetingLocation)).flatMap((study) => study.hostIds))];
  if (hostIds.length === 0) return list.map((study) => ({ ...study, warnings: [] }));
  const [hosts, writable, zooms] = await Promise.all([
    db.select({ id: members.id, name: members.name, joinFallback: members.joinFallback }).from(members).where(inArray(members.id, hostIds)),
    db
      .select({ memberId: calendarConnections.memberId, provider: calendarConnections.provider, writeCalendarId: calendarConnections.writeCalendarId })
      .from(calendarConnections)
      .where(and(inArray(calendarConnections.memberId, hostIds), inArray(calendarConnections.provider, ['google', 'microsoft']), eq(calendarConnections.status, 'active'))),
    db
      .select({ memberId: zoomConnections.memberId })
      .from(zoomConnections)
      .where(and(inArray(zoomConnections.memberId, hostIds), eq(zoomConnections.status, 'active'))),
  ]);
  const linkMakers = new Set([...writable.filter((row) => row.writeCalendarId).map((row) => `${row.provider}:${row.memberId}`), ...zooms.map((row) => `zoom:${row.memberId}`)]);
  return list.map((study) => {
    const location = study.meetingLocation;
    if (!needsHostWay(location)) return { ...study, warnings: [] };
    const maker = LINK_MAKERS[location.kind];
    const warnings: NonNullable<Study['warnings']> = [];
    for (const hostId of study.hostIds) {
      const host = hosts.find((h) => h.id === hostId);
      if (!host) continue;
      if (maker && linkMakers.has(`${maker.provider}:${hostId}`)) continue;
      const why = maker ? maker.why(host.name) : 'the study names no link, number or address';
      if (host.joinFallback) {
        warnings.push({ code: 'join_fallback', hostId, message: `${why[0]!.toUpperCase()}${why.slice(1)}: ${host.name}'s participants get ${FALLBACK_WORDS[host.joinFallback.kind]} instead.` });
      } else {
        warnings.push({
          code: 'no_way_to_join',
          hostId,
          message: `${why[0]!.toUpperCase()}${why.slice(1)}, and ${host.name} has no fallback: their participants would get no way to join. ${maker?.fix ?? 'Connect their Google calendar'} or give them a personal meeting link, a phone number or an address (Members).`,
        });
      }
    }
    return { ...study, warnings };
  });
}

/** Who pays rewards through Tremendous when a workspace connected no account of its own. */
interface PayoutDefaults {
  /** The server has a Tremendous key (TREMENDOUS_API_KEY). */
  serverDefault: boolean;
}

/** The join warnings, and a warning on each study paid by Tremendous in a workspace nobody pays from: its rewards would be held. */
async function withWarnings(db: Database, workspaceId: string, list: Study[], payouts: PayoutDefaults): Promise<Study[]> {
  const warned = await withJoinWarnings(db, list);
  if (payouts.serverDefault || !warned.some((study) => study.incentive?.payout === 'tremendous')) return warned;
  const [account] = await db.select({ workspaceId: tremendousAccounts.workspaceId }).from(tremendousAccounts).where(eq(tremendousAccounts.workspaceId, workspaceId));
  if (account) return warned;
  return warned.map((study) =>
    study.incentive?.payout === 'tremendous'
      ? {
          ...study,
          warnings: [
            ...(study.warnings ?? []),
            { code: 'payout_not_connected', message: 'Rewards are paid by Tremendous, but no Tremendous account is connected (Settings → Payouts): they will be held in Incentives until one is.' },
          ],
        }
      : study,
  );
}

/** What the API takes, with every default filled in. */
type StudyValues = Required<Omit<StudyCreate, 'slug' | 'publicTitle' | 'publicDescription'>> & Pick<StudyCreate, 'publicTitle' | 'publicDescription'>;

/** A study's columns from what the API takes (the defaults filled in), but its slug. */
function rowFields(values: StudyValues) {
  return {
    name: values.name,
    publicTitle: values.publicTitle ?? null,
    publicDescription: values.publicDescription ?? null,
    status: values.status,
    priority: values.priority,
    intercept: values.intercept,
    incentive: values.incentive,
    durationMinutes: values.durationMinutes,
    targeting: values.targeting,
    triggers: values.triggers,
    samplingPercent: values.samplingPercent,
    recontactDays: values.recontactDays,
    totalQuota: values.totalQuota,
    weeklyQuota: values.weeklyQuota,
    weeklyTarget: values.weeklyTarget,
    screener: values.screener,
    assignmentMode: values.assignmentMode,
    bookingWindowDays: values.bookingWindowDays,
    minimumNoticeMinutes: values.minimumNoticeMinutes,
    slotStepMinutes: values.slotStepMinutes,
    meetingLocation: values.meetingLocation,
    interviewGuide: values.interviewGuide,
    consentTextId: values.consentTextId,
  } satisfies Partial<StudyRow>;
}

/**
 * What a copy from the editor would be once saved, as a row, without saving it (previews): the
 * saved study's identity and slug when it edits one. Checked as a save would check it.
 */
export async function unsavedStudyRow(db: Database, workspaceId: string, input: StudyCreate, identity: { id: string; slug: string; createdAt: Date }, now: Date): Promise<StudyRow> {
  assertRuleDepth(input.targeting);
  assertMeetingLink(input.meetingLocation);
  await assertConsentText(db, workspaceId, input.consentTextId);
  return { ...identity, workspaceId, ...rowFields({ ...DEFAULTS, ...input }), updatedAt: now };
}

export async function createStudy(db: Database, workspaceId: string, input: StudyCreate, publicUrl: string, payouts: PayoutDefaults = { serverDefault: false }): Promise<Study> {
  assertRuleDepth(input.targeting);
  assertMeetingLink(input.meetingLocation);
  const values = { ...DEFAULTS, ...input };
  await assertConsentText(db, workspaceId, values.consentTextId);
  const created = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(studies)
      .values({
        workspaceId,
        // The link is public: from the public title when there is one, not the internal name.
        slug: values.slug ?? slugify(values.publicTitle ?? values.name),
        ...rowFields(values),
      })
      .returning();
    if (!row) throw new Error('insert returned no row');
    await replaceTeam(tx, workspaceId, row.id, values.hostIds, [...values.observerIds]);
    const teams = await teamsOf(tx, [row.id]);
    return toStudy(row, teams.get(row.id) ?? [], publicUrl);
  });
  return (await withWarnings(db, workspaceId, [created], payouts))[0]!;
}

export async function findStudyRow(db: Database | Transaction, workspaceId: string, id: string): Promise<StudyRow> {
  const [row] = await db.select().from(studies).where(and(eq(studies.workspaceId, workspaceId), eq(studies.id, id))).limit(1);
  if (!row) throw notFound('study_not_found', `No study ${id} in this workspace`);
  return row;
}

export async function getStudy(db: Database, workspaceId: string, id: string, publicUrl: string, payouts: PayoutDefaults = { serverDefault: false }): Promise<Study> {
  const row = await findStudyRow(db, workspaceId, id);
  const teams = await teamsOf(db, [id]);
  return (await withWarnings(db, workspaceId, [toStudy(row, teams.get(id) ?? [], publicUrl)], payouts))[0]!;
}

export async function listStudies(db: Database, workspaceId: string, publicUrl: string, payouts: PayoutDefaults = { serverDefault: false }): Promise<Study[]> {
  const rows = await db.select().from(studies).where(eq(studies.workspaceId, workspaceId)).orderBy(asc(studies.createdAt), asc(studies.id));
  const teams = await teamsOf(db, rows.map((row) => row.id));
  return withWarnings(db, workspaceId, rows.map((row) => toStudy(row, teams.get(row.id) ?? [], publicUrl)), payouts);
}

export async function updateStudy(db: Database, workspaceId: string, id: string, patch: StudyUpdate, publicUrl: string, payouts: PayoutDefaults = { serverDefault: false }): Promise<Study> {
  assertRuleDepth(patch.targeting);
  assertMeetingLink(patch.meetingLocation);
  await assertConsentText(db, workspaceId, patch.consentTextId);
  const updated = await db.transaction(async (tx) => {
    await findStudyRow(tx, workspaceId, id);
    const { hostIds, observerIds, ...fields } = patch;
    const [row] = await tx.update(studies).set({ ...fields, updatedAt: new Date() }).where(eq(studies.id, id)).returning();
    if (!row) throw notFound('study_not_found', `No study ${id} in this workspace`);
    if (hostIds || observerIds) {
      const current = (await teamsOf(tx, [id])).get(id) ?? [];
      await replaceTeam(
        tx,
        workspaceId,
        id,
        hostIds ?? current.filter((m) => m.role === 'host').map((m) => m.memberId),
        observerIds ?? current.filter((m) => m.role === 'observer').map((m) => m.memberId),
      );
    }
    const teams = await teamsOf(tx, [id]);
    return toStudy(row, teams.get(id) ?? [], publicUrl);
  });
  return (await withWarnings(db, workspaceId, [updated], payouts))[0]!;
}

type WidgetStudy = WidgetConfig['studies'][number];

/** What the widget (and the hosted booking page) knows of a study: no team, no guide, no quotas. */
/** A study as the widget sees it: every visitor's browser gets this, so only what participants may read. */
export function toWidgetStudy(study: StudyRow, bookable: boolean, workspace: WorkspaceRow, consent?: ConsentTextRow): WidgetStudy {
  return {
    ...(consent ? { consent: { id: consent.id, version: consent.version, kind: consent.kind, title: consent.title, body: consent.body } } : {}),
    id: study.id,
    name: participantTitle(study, companyName(workspace)),
    slug: study.slug,
    priority: study.priority,
    intercept: study.intercept,
    // The words follow the amount here, so the widget needs no copy of the rule.
    incentive: study.incentive ? { ...study.incentive, description: incentiveText(study.incentive, workspace.locale) } : null,
    durationMinutes: study.durationMinutes,
    targeting: study.targeting ?? null,
    triggers: study.triggers,
    samplingPercent: study.samplingPercent,
    recontactDays: study.recontactDays,
    screener: study.screener,
    bookable,
  };
}

type WorkspaceRow = typeof workspaces.$inferSelect;

/** The company as participants know it: the brand name set in Settings, else the workspace's name. */
export const companyName = (workspace: Pick<WorkspaceRow, 'name' | 'brandName'>): string => workspace.brandName ?? workspace.name;

/** The study a hosted booking link names, with its workspace. */
export async function studyBySlug(db: Database, slug: string): Promise<{ study: StudyRow; workspace: WorkspaceRow } | undefined> {
  const [row] = await db.select({ study: studies, workspace: workspaces }).from(studies).innerJoin(workspaces, eq(studies.workspaceId, workspaces.id)).where(eq(studies.slug, slug));
  return row;
}

export function toWidgetWorkspace(workspace: WorkspaceRow): WidgetConfig['workspace'] {
  return {
    recontactDays: workspace.recontactDays,
    identityVerificationRequired: workspace.requireIdentityVerification,
    privacyUrl: workspace.privacyUrl,
    locale: workspace.locale,
    theme: workspace.theme,
  };
}

/** A workspace's live studies, highest priority first (the order the widget tries them in). */
export async function liveStudies(db: Database, workspaceId: string): Promise<StudyRow[]> {
  return db
    .select()
    .from(studies)
    .where(and(eq(studies.workspaceId, workspaceId), eq(studies.status, 'live')))
    .orderBy(desc(studies.priority), asc(studies.id));
}

/** Deletes a study that was never booked; one with bookings is ended instead, so its history stays. */
export async function deleteStudy(db: Database, workspaceId: string, id: string): Promise<void> {
  await findStudyRow(db, workspaceId, id);
  const [booked] = await db.select({ id: bookings.id }).from(bookings).where(eq(bookings.studyId, id)).limit(1);
  if (booked) throw conflict('study_has_bookings', 'This study has bookings; set its status to "ended" instead of deleting it');
  await db.delete(studies).where(eq(studies.id, id));
}

/** What the widget's configuration needs of the capacity cache. */
interface WidgetCapacity {
  bookableStudyIds(studies: StudyRow[], now: Date): Promise<Set<string>>;
  pacing(workspace: WorkspaceRow, studies: StudyRow[], now: Date): Promise<Map<string, Decision>>;
}

/**
 * The pacing controller's decision applied to what the widget knows: a study whose week's target
 * is met (or whose free slots are all promised) is not bookable, so nobody is asked; otherwise its
 * sampling is the controller's show probability, rounded up to a whole percent, never above the
 * percentage the PM set (quotas and sampling stay manual overrides). The widget's own sampling
 * bucket is a hash of visitor and study, so each visitor's answer is sticky while the probability
 * holds, and the decision stays on the server: the loader is the same.
 */
function pacedWidgetStudy(study: StudyRow, bookable: boolean, decision: Decision | undefined, workspace: WorkspaceRow, consent?: ConsentTextRow): WidgetStudy {
  const base = toWidgetStudy(study, bookable, workspace, consent);
  if (!decision || !bookable) return base;
  if (decision.reason !== 'paced' || decision.probability <= 0) return { ...base, bookable: false };
  return { ...base, samplingPercent: Math.min(study.samplingPercent, Math.max(1, Math.ceil(decision.probability * 100))) };
}

/**
 * What every visitor of a workspace's sites gets from the config route: the same body for all,
 * so a CDN can cache it (served from memory by WidgetConfigCache).
 */
export async function widgetConfig(db: Database, workspace: WorkspaceRow, capacity: WidgetCapacity, now = new Date()): Promise<WidgetConfig> {
  const live = await liveStudies(db, workspace.id);
  const [bookable, texts] = await Promise.all([capacity.bookableStudyIds(live, now), consentTextsById(db, live.flatMap((study) => (study.consentTextId ? [study.consentTextId] : [])))]);
  const decisions = await capacity.pacing(workspace, live.filter((study) => bookable.has(study.id)), now);
  return { workspace: toWidgetWorkspace(workspace), studies: live.map((study) => pacedWidgetStudy(study, bookable.has(study.id), decisions.get(study.id), workspace, texts.get(study.consentTextId ?? ''))) };
}
