// The demo workspace a newcomer gets on an empty embedded database: three live studies, two
// interviewers on different continents with working hours, a PM, and yesterday's interview.
import { randomUUID } from 'node:crypto';
import { count } from 'drizzle-orm';
import type { Incentive } from '@beckon/shared/api';
import type { Database, Transaction } from '../db/client.js';
import { apiKeys, bookings, demoCredentials, incentives, participants, workspaces } from '../db/schema.js';
import { ensureMembership, ensureUser } from '../auth/accounts.js';
import { randomToken, sha256, type SecretBox } from '../security/secrets.js';
import { createMember, replaceAvailability } from './members.js';
import { createStudy } from './studies.js';
import { recentlyChurned, recentSignups, superstars } from '@beckon/shared/rules';

export interface DemoPerson {
  email: string;
  name: string;
  role: 'owner' | 'researcher' | 'interviewer';
  password: string;
}

export interface DemoCredentials {
  workspaceId: string;
  publicKey: string;
  secretKey: string;
  studySlug: string;
  /** The demo team: an owner, a researcher and an interviewer, each with a password made for this database. */
  people: DemoPerson[];
}

export interface WorkspaceSecrets {
  workspaceId: string;
  publicKey: string;
  secretKey: string;
}

/**
 * A workspace with a fresh public key, secret API key (stored hashed; none with `apiKey: false`,
 * then `secretKey` is empty) and identity secret (stored encrypted).
 */
export async function createWorkspace(db: Database | Transaction, secretBox: SecretBox, input: { name: string; allowedOrigins: string[]; apiKey?: boolean }): Promise<WorkspaceSecrets> {
  const publicKey = randomToken('pk_').slice(0, 27);
  const secretKey = randomToken('sk_');
  const [workspace] = await db
    .insert(workspaces)
    .values({ name: input.name, publicKey, allowedOrigins: input.allowedOrigins, identitySecretEncrypted: secretBox.seal(randomToken('whsec_')) })
    .returning({ id: workspaces.id });
  if (!workspace) throw new Error('insert returned no row');
  if (input.apiKey === false) return { workspaceId: workspace.id, publicKey, secretKey: '' };
  await db.insert(apiKeys).values({ workspaceId: workspace.id, name: 'Default', prefix: secretKey.slice(0, 10), keyHash: sha256(secretKey) });
  return { workspaceId: workspace.id, publicKey, secretKey };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const WORKING_WEEK = ([1, 2, 3, 4, 5] as const).flatMap((weekday) => [
  { weekday, start: '09:00', end: '12:00' },
  { weekday, start: '13:00', end: '17:00' },
]);

export async function isEmpty(db: Database): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(workspaces);
  return (row?.n ?? 0) === 0;
}

/**
 * The whole demo in one transaction: a failure part-way leaves the database empty, so the next
 * start seeds it again instead of finding a half-made workspace.
 */
export async function seedDemo(db: Database, secretBox: SecretBox, publicUrl: string): Promise<DemoCredentials> {
  return db.transaction((tx) => seedDemoIn(tx as unknown as Database, secretBox, publicUrl));
}

async function seedDemoIn(db: Database, secretBox: SecretBox, publicUrl: string): Promise<DemoCredentials> {
  const { workspaceId, publicKey, secretKey } = await createWorkspace(db, secretBox, {
    name: 'Acme Analytics (demo)',
    allowedOrigins: [new URL(publicUrl).origin],
  });
  const interviewers = [
    { name: 'Maya Chen', email: 'maya@acme.example', timeZone: 'America/New_York' },
    { name: 'Jonas Weber', email: 'jonas@acme.example', timeZone: 'Europe/Berlin' },
  ];
  const hostIds: string[] = [];
  for (const person of interviewers) {
    const member = await createMember(db, workspaceId, { ...person, role: 'interviewer' });
    await replaceAvailability(db, workspaceId, member.id, {
      timeZone: person.timeZone,
      weekly: WORKING_WEEK,
      overrides: [],
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 10,
      minimumNoticeMinutes: 240,
      bookingWindowDays: 21,
      maxPerDay: 3,
      maxPerWeek: 8,
    });
    hostIds.push(member.id);
  }
  const pm = await createMember(db, workspaceId, { name: 'Priya Patel', email: 'priya@acme.example', timeZone: 'Europe/London', role: 'pm' });
  const study = await createStudy(
    db,
    workspaceId,
    {
      name: 'Onboarding: why people sign up',
      slug: 'onboarding-demo',
      status: 'live',
      intercept: {
        title: 'Got 20 minutes to talk to us?',
        body: "You joined Acme recently. We'd love to hear what made you sign up and how the first days went.",
        acceptLabel: 'Sure, pick a time',
        declineLabel: 'Not now',
      },
      incentive: { kind: 'gift_card', amountCents: 2500, currency: 'USD', description: 'a $25 gift card' },
      durationMinutes: 20,
      // Signed up in the last 30 days, asked after a few seconds on the page.
      targeting: recentSignups({ days: 30 }),
      triggers: [{ kind: 'delay', seconds: 3 }],
      weeklyQuota: 3,
      totalQuota: 25,
      screener: {
        questions: [
          {
            id: 'role',
            kind: 'single',
            prompt: 'Which best describes your role?',
            required: true,
            options: [
              { id: 'pm', label: 'Product manager', effect: 'qualify' },
              { id: 'eng', label: 'Engineer', effect: 'qualify' },
              { id: 'student', label: 'Student', effect: 'disqualify' },
            ],
          },
        ],
      },
      hostIds,
      observerIds: [pm.id],
      meetingLocation: { kind: 'video_url', details: 'https://meet.example.com/acme-research' },
      interviewGuide: 'Tell me about the day you signed up. What were you trying to get done? What happened next?',
    },
    publicUrl,
  );
  const common = {
    status: 'live' as const,
    durationMinutes: 20,
    triggers: [{ kind: 'delay' as const, seconds: 3 }],
    weeklyQuota: 3,
    totalQuota: 25,
    hostIds,
    observerIds: [pm.id],
    meetingLocation: { kind: 'video_url' as const, details: 'https://meet.example.com/acme-research' },
  };
  const churn = await createStudy(
    db,
    workspaceId,
    {
      ...common,
      name: 'Churn: why people leave',
      slug: 'churn-demo',
      priority: 2,
      targeting: recentlyChurned({ days: 30 }),
      intercept: { title: 'Could we ask why you left?', body: 'You cancelled recently. Twenty minutes of your honest story would help us fix what went wrong.', acceptLabel: 'Sure, pick a time', declineLabel: 'Not now' },
      incentive: { kind: 'gift_card', amountCents: 5000, currency: 'USD', description: 'a $50 gift card' },
      interviewGuide: 'Tell me about the last time you used Acme. What happened on the day you decided to cancel? What did you switch to?',
    },
    publicUrl,
  );
  await createStudy(
    db,
    workspaceId,
    {
      ...common,
      name: 'Superstars: what makes it work',
      slug: 'superstars-demo',
      priority: 1,
      targeting: superstars({ trait: 'reportsExported', atLeast: 50 }),
      intercept: { title: 'You are one of our heaviest users', body: 'We would love to learn how Acme fits into your work, in 20 minutes.', acceptLabel: 'Happy to help', declineLabel: 'Not now' },
      incentive: { kind: 'early_access', description: 'early access to the new report builder' },
      interviewGuide: 'Walk me through the last report you exported. Who was it for? What did you do before Acme?',
    },
    publicUrl,
  );
  await seedPastInterview(db, secretBox, { workspaceId, studyId: churn.id, hostId: hostIds[0]!, incentive: churn.incentive! });

  // The team that signs in: an owner, the PM as researcher, Maya as an interviewer (her own profile).
  const team: { person: Omit<DemoPerson, 'password'>; memberId: string | null }[] = [
    { person: { email: 'alex@acme.example', name: 'Alex Morgan', role: 'owner' }, memberId: null },
    { person: { email: 'priya@acme.example', name: 'Priya Patel', role: 'researcher' }, memberId: pm.id },
    { person: { email: 'maya@acme.example', name: 'Maya Chen', role: 'interviewer' }, memberId: hostIds[0]! },
  ];
  const people: DemoPerson[] = [];
  for (const { person, memberId } of team) {
    const password = `demo-${randomToken().slice(0, 12)}`;
    const { user } = await ensureUser(db, { email: person.email, name: person.name, password });
    await ensureMembership(db, { userId: user.id, workspaceId, role: person.role, memberId });
    people.push({ ...person, password });
  }
  const credentials: DemoCredentials = { workspaceId, publicKey, secretKey, studySlug: study.slug, people };
  // Kept with the database they open, sealed: the start banner shows them again on later starts.
  await db.insert(demoCredentials).values({ workspaceId, sealed: secretBox.seal(JSON.stringify(credentials)) });
  return credentials;
}

/** The demo's credentials as seeded into this database, if it holds the demo and they can be opened with this key. */
export async function loadDemoCredentials(db: Database, secretBox: SecretBox): Promise<DemoCredentials | undefined> {
  const [row] = await db.select().from(demoCredentials).limit(1);
  if (!row) return undefined;
  try {
    return JSON.parse(secretBox.open(row.sealed)) as DemoCredentials;
  } catch {
    return undefined;
  }
}

/**
 * An interview that took place yesterday and is marked done, as if a support agent had sent the
 * churn study's link: so a newcomer finds an incentive to send under Incentives, and the team
 * page (/t/…) from the booking. Nothing is mailed for it.
 */
async function seedPastInterview(db: Database, secretBox: SecretBox, input: { workspaceId: string; studyId: string; hostId: string; incentive: Incentive }): Promise<void> {
  const id = randomUUID();
  const startsAt = new Date(Math.floor(Date.now() / HOUR) * HOUR - 24 * HOUR);
  const endsAt = new Date(startsAt.getTime() + 20 * MINUTE);
  await db.transaction(async (tx) => {
    const [participant] = await tx
      .insert(participants)
      .values({ workspaceId: input.workspaceId, userId: 'demo-churned-sam', email: 'sam.rivera@example.com', name: 'Sam Rivera', timeZone: 'America/Chicago' })
      .returning({ id: participants.id });
    await tx.insert(bookings).values({
      id,
      workspaceId: input.workspaceId,
      studyId: input.studyId,
      hostId: input.hostId,
      participantId: participant!.id,
      status: 'completed',
      startsAt,
      endsAt,
      blockedFrom: startsAt,
      blockedUntil: new Date(endsAt.getTime() + 10 * MINUTE),
      participantTimeZone: 'America/Chicago',
      manageTokenHash: sha256(secretBox.deriveToken('manage', id)),
      manageTokenExpiresAt: endsAt,
      icalUid: `${id}@beckon`,
      source: 'support',
    });
    const { kind, amountCents, currency, description } = input.incentive;
    await tx.insert(incentives).values({ bookingId: id, kind, amountCents, currency, description });
  });
}
