// The demo workspace a newcomer gets on an empty embedded database: three live studies, two
// interviewers on different continents with working hours, a PM, and yesterday's interview.
import { randomUUID } from 'node:crypto';
import { count, eq, sql } from 'drizzle-orm';
import { weekFrame } from '@beckon/shared/pacing';
import type { Incentive } from '@beckon/shared/api';
import type { Database, Transaction } from '../db/client.js';
import { apiKeys, bookings, demoCredentials, incentives, interceptEvents, participants, workspaces } from '../db/schema.js';
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
      weeklyTarget: 3,
      targeting: recentlyChurned({ days: 30 }),
      intercept: { title: 'Could we ask why you left?', body: 'You cancelled recently. Twenty minutes of your honest story would help us fix what went wrong.', acceptLabel: 'Sure, pick a time', declineLabel: 'Not now' },
      incentive: { kind: 'gift_card', amountCents: 5000, currency: 'USD', description: 'a $50 gift card' },
      interviewGuide: 'Tell me about the last time you used Acme. What happened on the day you decided to cancel? What did you switch to?',
    },
    publicUrl,
  );
  const superstarsStudy = await createStudy(
    db,
    workspaceId,
    {
      ...common,
      name: 'Superstars: what makes it work',
      weeklyTarget: 1,
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
  // Weeks run on the team's clock in New York; the workspace wants three interviews a week.
  await db.update(workspaces).set({ timeZone: 'America/New_York', weeklyTarget: 3 }).where(eq(workspaces.id, workspaceId));
  await seedHistory(db, secretBox, { workspaceId, timeZone: 'America/New_York', hostIds, superstarsId: superstarsStudy.id, churnId: churn.id, now: new Date() });

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

const DAY = 24 * HOUR;
const FIRST_NAMES = ['Ana', 'Ben', 'Chloe', 'Dev', 'Elif', 'Farid', 'Greta', 'Hiro', 'Ines', 'Jamal', 'Kofi', 'Lena', 'Mateo', 'Nora', 'Omar', 'Pia', 'Quinn', 'Rosa', 'Sven', 'Tara'];
const LAST_NAMES = ['Silva', 'Novak', 'Okafor', 'Lindqvist', 'Tanaka', 'Moreau', 'Kowalski', 'Haddad', 'Fischer', 'Reyes'];

/**
 * Eight weeks of history and this week so far, so the home page shows a real week: superstars
 * (1 a week) gets its interview week after week and has this week's booked, on track (so the
 * autopilot asks no more superstars this week); churn (3 a week) has plenty of visitors but few
 * say yes to it (about 1 in 80), so it falls short most weeks and this week is at risk: raise the
 * incentive. Onboarding has no target, so the demo's new sign-up is always asked. Intercept
 * events are spread evenly over each week's hours; interviews are booked on a weekday afternoon
 * and held the next day.
 */
async function seedHistory(
  db: Database,
  secretBox: SecretBox,
  input: { workspaceId: string; timeZone: string; hostIds: string[]; superstarsId: string; churnId: string; now: Date },
): Promise<void> {
  const { workspaceId, timeZone, now } = input;
  const frames = [weekFrame(now.getTime(), timeZone)];
  while (frames.length < 9) frames.unshift(weekFrame(frames[0]!.start - 1, timeZone));
  const thisWeek = frames[8]!;
  // Share of this week gone, so its traffic so far is in proportion.
  const elapsed = (now.getTime() - thisWeek.start) / (thisWeek.end - thisWeek.start);
  let person = 0;
  const plans = [
    // Superstars: 60 shown a week, 3 say yes, 1 or 2 booked; one no-show in four.
    { studyId: input.superstarsId, shown: 60, optedIn: 3, screenedOut: 0, booked: (week: number) => (week % 3 === 0 ? 2 : 1), thisWeekBooked: 1 },
    // Churn: 160 shown a week, 2 say yes, 1 or 2 booked against a target of 3.
    { studyId: input.churnId, shown: 160, optedIn: 2, screenedOut: 0, booked: (week: number) => (week % 2 === 0 ? 2 : 1), thisWeekBooked: 0 },
  ];
  for (const plan of plans) {
    for (const [index, frame] of frames.entries()) {
      const current = index === 8;
      const share = current ? elapsed : 1;
      const to = current ? now.getTime() : frame.end;
      await seedTraffic(db, { workspaceId, studyId: plan.studyId, from: frame.start, to, shown: Math.round(plan.shown * share), optedIn: Math.round(plan.optedIn * share), screenedOut: Math.round(plan.screenedOut * share) });
      const booked = current ? plan.thisWeekBooked : plan.booked(index);
      for (let i = 0; i < booked; i++) {
        person += 1;
        const hostId = input.hostIds[person % input.hostIds.length]!;
        // Past weeks: booked Monday to Wednesday at 14:00 local, held the next day at 11:00 (a slot
        // in both hosts' hours). This week: booked in the part of the week gone, held next week.
        const createdAt = current ? new Date(thisWeek.start + ((i + 1) / (booked + 1)) * (now.getTime() - thisWeek.start)) : new Date(frame.start + i * DAY + 14 * HOUR);
        const startsAt = current ? new Date(thisWeek.end + (2 + i) * DAY + 11 * HOUR) : new Date(frame.start + (i + 1) * DAY + 11 * HOUR);
        const status = current ? 'confirmed' : person % 4 === 0 ? 'no_show' : 'completed';
        await seedBooking(db, secretBox, { workspaceId, studyId: plan.studyId, hostId, createdAt, startsAt, status, person });
      }
    }
  }
}

/** `shown` visitors spread evenly over [from, to), the first `optedIn` of them saying yes, the first `screenedOut` of those screened out. */
async function seedTraffic(db: Database, input: { workspaceId: string; studyId: string; from: number; to: number; shown: number; optedIn: number; screenedOut: number }): Promise<void> {
  const step = (input.to - input.from) / Math.max(1, input.shown);
  const tag = randomUUID().slice(0, 8);
  for (const [kind, n] of [['shown', input.shown], ['opted_in', input.optedIn], ['screened_out', input.screenedOut]] as const) {
    if (n <= 0) continue;
    await db.execute(sql`
      insert into ${interceptEvents} (workspace_id, study_id, kind, at, anonymous_id)
      select ${input.workspaceId}::uuid, ${input.studyId}::uuid, ${kind}, to_timestamp((${input.from}::float8 + i * ${step}::float8 + ${kind === 'shown' ? 0 : MINUTE}::float8) / 1000), ${tag} || '-' || i
      from generate_series(0, ${n - 1}) as i`);
  }
}

async function seedBooking(
  db: Database,
  secretBox: SecretBox,
  input: { workspaceId: string; studyId: string; hostId: string; createdAt: Date; startsAt: Date; status: 'confirmed' | 'completed' | 'no_show'; person: number },
): Promise<void> {
  const id = randomUUID();
  const name = `${FIRST_NAMES[input.person % FIRST_NAMES.length]} ${LAST_NAMES[(input.person * 7) % LAST_NAMES.length]}`;
  const [participant] = await db
    .insert(participants)
    .values({ workspaceId: input.workspaceId, userId: `demo-history-${input.person}`, email: `${name.toLowerCase().replace(' ', '.')}.${input.person}@example.com`, name, timeZone: 'America/New_York' })
    .returning({ id: participants.id });
  const endsAt = new Date(input.startsAt.getTime() + 20 * MINUTE);
  await db.insert(bookings).values({
    id,
    workspaceId: input.workspaceId,
    studyId: input.studyId,
    hostId: input.hostId,
    participantId: participant!.id,
    status: input.status,
    startsAt: input.startsAt,
    endsAt,
    blockedFrom: input.startsAt,
    blockedUntil: new Date(endsAt.getTime() + 10 * MINUTE),
    participantTimeZone: 'America/New_York',
    manageTokenHash: sha256(secretBox.deriveToken('manage', id)),
    manageTokenExpiresAt: endsAt,
    icalUid: `${id}@beckon`,
    source: 'widget',
    createdAt: input.createdAt,
  });
}
