// The study editor's draft (strings, as the inputs hold them) ↔ the API's StudyCreate/Study.
import type { Incentive, Screener, Study, StudyCreate } from '@beckon/shared/api';
import { fieldOfError, type FieldProblem } from './fields.js';
import { draftFromRule, emptyTargeting, ruleFromDraft, type TargetingDraft } from './targeting.js';
import { draftFromTriggers, emptyTriggers, triggerProblemForDraft, triggersFromDraft, type TriggersDraft } from './triggers.js';

export type StudyStatus = Study['status'];
export type AssignmentMode = Study['assignmentMode'];
export type IncentiveKind = Incentive['kind'];
export type MeetingKind = Study['meetingLocation']['kind'];
export type QuestionKind = Screener['questions'][number]['kind'];
export type OptionEffect = 'qualify' | 'disqualify' | 'neutral';

export interface OptionDraft {
  id: string;
  label: string;
  effect: OptionEffect;
}
export interface QuestionDraft {
  id: string;
  kind: QuestionKind;
  prompt: string;
  required: boolean;
  options: OptionDraft[];
}

export interface StudyDraft {
  name: string;
  /** What participants read (pages, emails, invites); the name above is the team's own. */
  publicTitle: string;
  publicDescription: string;
  slug: string;
  status: StudyStatus;
  priority: string;
  interceptTitle: string;
  interceptBody: string;
  acceptLabel: string;
  declineLabel: string;
  incentiveKind: IncentiveKind | '';
  /** In major units of the currency ("25" for $25). */
  incentiveAmount: string;
  incentiveCurrency: string;
  incentiveDescription: string;
  /** manual: the team hands it over; tremendous: ordered through Tremendous when the interview is marked done. */
  incentivePayout: 'manual' | 'tremendous';
  /** In major units; empty: no limit. */
  incentiveBudget: string;
  incentiveWeeklyBudget: string;
  durationMinutes: string;
  hostIds: string[];
  observerIds: string[];
  assignmentMode: AssignmentMode;
  weeklyQuota: string;
  totalQuota: string;
  /** Interviews a week the autopilot paces the widget towards; empty: no target. */
  weeklyTarget: string;
  bookingWindowDays: string;
  minimumNoticeMinutes: string;
  slotStepMinutes: string;
  recontactDays: string;
  meetingKind: MeetingKind;
  meetingDetails: string;
  interviewGuide: string;
  questions: QuestionDraft[];
  targeting: TargetingDraft;
  samplingPercent: string;
  triggers: TriggersDraft;
}

export const STATUS_LABELS: Record<StudyStatus, string> = { draft: 'Draft', live: 'Live', paused: 'Paused', ended: 'Ended' };
export const INCENTIVE_LABELS: Record<IncentiveKind, string> = {
  gift_card: 'Gift card',
  account_credit: 'Account credit',
  early_access: 'Early access',
  donation: 'Donation to charity',
  other: 'Something else',
};
export const MEETING_LABELS: Record<MeetingKind, string> = {
  google_meet: 'Google Meet (link created per interview)',
  microsoft_teams: 'Microsoft Teams (link created per interview)',
  zoom: 'Zoom (meeting created per interview)',
  video_url: 'Video link (Zoom, Teams, …)',
  phone: 'Phone',
  in_person: 'In person',
};

export const DEFAULT_GUIDE = `Warm-up: what do you do, and where does our product fit in your week?

Tell me about the last time you …
- What were you trying to get done?
- What happened next? What did you try first?

Wrap-up: who else should we talk to?`;

export function newId(prefix: string): string {
  const random = globalThis.crypto?.randomUUID?.().slice(0, 8) ?? Math.random().toString(36).slice(2, 10);
  return `${prefix}_${random}`;
}

export function emptyStudyDraft(): StudyDraft {
  return {
    name: '',
    publicTitle: '',
    publicDescription: '',
    slug: '',
    status: 'draft',
    priority: '0',
    interceptTitle: 'Got 20 minutes to talk to us?',
    interceptBody: 'We would love to hear how you use the product. Pick a time that suits you.',
    acceptLabel: '',
    declineLabel: '',
    incentiveKind: 'gift_card',
    incentiveAmount: '25',
    incentiveCurrency: 'USD',
    incentiveDescription: 'a {amount} gift card',
    incentivePayout: 'manual',
    incentiveBudget: '',
    incentiveWeeklyBudget: '',
    durationMinutes: '20',
    hostIds: [],
    observerIds: [],
    assignmentMode: 'round_robin',
    weeklyQuota: '3',
    totalQuota: '25',
    weeklyTarget: '',
    bookingWindowDays: '14',
    minimumNoticeMinutes: '240',
    slotStepMinutes: '15',
    recontactDays: '',
    meetingKind: 'google_meet',
    meetingDetails: '',
    interviewGuide: DEFAULT_GUIDE,
    questions: [],
    targeting: emptyTargeting(),
    samplingPercent: '100',
    triggers: emptyTriggers(),
  };
}

const text = (value: number | null | undefined) => (value === null || value === undefined ? '' : String(value));

export function draftFromStudy(study: Study): StudyDraft {
  return {
    name: study.name,
    publicTitle: study.publicTitle ?? '',
    publicDescription: study.publicDescription ?? '',
    slug: study.slug,
    status: study.status,
    priority: String(study.priority),
    interceptTitle: study.intercept.title,
    interceptBody: study.intercept.body,
    acceptLabel: study.intercept.acceptLabel ?? '',
    declineLabel: study.intercept.declineLabel ?? '',
    incentiveKind: study.incentive?.kind ?? '',
    incentiveAmount: study.incentive?.amountCents == null ? '' : String(study.incentive.amountCents / 100),
    incentiveCurrency: study.incentive?.currency ?? 'USD',
    incentiveDescription: study.incentive?.description ?? '',
    incentivePayout: study.incentive?.payout ?? 'manual',
    incentiveBudget: study.incentive?.budgetCents == null ? '' : String(study.incentive.budgetCents / 100),
    incentiveWeeklyBudget: study.incentive?.weeklyBudgetCents == null ? '' : String(study.incentive.weeklyBudgetCents / 100),
    durationMinutes: String(study.durationMinutes),
    hostIds: [...study.hostIds],
    observerIds: [...study.observerIds],
    assignmentMode: study.assignmentMode,
    weeklyQuota: text(study.weeklyQuota),
    totalQuota: text(study.totalQuota),
    weeklyTarget: text(study.weeklyTarget),
    bookingWindowDays: String(study.bookingWindowDays),
    minimumNoticeMinutes: String(study.minimumNoticeMinutes),
    slotStepMinutes: String(study.slotStepMinutes),
    recontactDays: text(study.recontactDays),
    meetingKind: study.meetingLocation.kind,
    meetingDetails: study.meetingLocation.details ?? '',
    interviewGuide: study.interviewGuide,
    questions: (study.screener?.questions ?? []).map((q) => ({
      id: q.id,
      kind: q.kind,
      prompt: q.prompt,
      required: q.required ?? true,
      options: (q.options ?? []).map((o) => ({ id: o.id, label: o.label, effect: o.effect ?? 'neutral' })),
    })),
    targeting: draftFromRule(study.targeting),
    samplingPercent: String(study.samplingPercent),
    triggers: draftFromTriggers(study.triggers),
  };
}

type NumberResult = number | null | FieldProblem;
function parseInteger(value: string, field: string, label: string, min: number, max: number, optional: boolean): NumberResult {
  const trimmed = value.trim();
  if (trimmed === '') return optional ? null : { field, message: `${label} is required` };
  const n = Number(trimmed);
  if (!Number.isInteger(n)) return { field, message: `${label} must be a whole number` };
  if (n < min || n > max) return { field, message: `${label} must be between ${min} and ${max}` };
  return n;
}

/** The body to save, or every problem the editor can see (the server checks again). */
export function studyFromDraft(draft: StudyDraft): { body: StudyCreate } | { problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const num = (value: string, field: string, label: string, min: number, max: number, optional = false): number | null => {
    const result = parseInteger(value, field, label, min, max, optional);
    if (result !== null && typeof result === 'object') {
      problems.push(result);
      return null;
    }
    return result;
  };
  const required = (value: string, field: string, label: string) => {
    if (!value.trim()) problems.push({ field, message: `${label} is required` });
    return value.trim();
  };

  const name = required(draft.name, 'name', 'Name');
  const title = required(draft.interceptTitle, 'intercept.title', 'Invitation title');
  const body = required(draft.interceptBody, 'intercept.body', 'Invitation text');
  if (draft.hostIds.length === 0) problems.push({ field: 'hostIds', message: 'Choose at least one host who leads the interviews' });
  const slug = draft.slug.trim().toLowerCase();
  if (slug && !/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/.test(slug)) {
    problems.push({ field: 'slug', message: 'Use lowercase letters, digits and dashes (not at the start or end), at most 64' });
  }

  let incentive: Incentive | null = null;
  if (draft.incentiveKind) {
    const description = required(draft.incentiveDescription, 'incentive.description', 'Incentive description');
    const amountText = draft.incentiveAmount.trim();
    let amountCents: number | undefined;
    if (amountText) {
      const amount = Number(amountText);
      if (!Number.isFinite(amount) || amount < 0 || amount > 100_000) problems.push({ field: 'incentive.amountCents', message: 'Enter an amount between 0 and 100000' });
      else amountCents = Math.round(amount * 100);
    }
    const currency = draft.incentiveCurrency.trim().toUpperCase();
    if (amountCents !== undefined && !/^[A-Z]{3}$/.test(currency)) problems.push({ field: 'incentive.currency', message: 'Use a three-letter currency code, e.g. USD' });
    const budget = (text: string, field: string): number | null => {
      if (!text.trim()) return null;
      const value = Number(text.trim());
      if (!Number.isFinite(value) || value < 0 || value > 100_000_000) {
        problems.push({ field, message: 'Enter an amount between 0 and 100000000, or leave it empty for no limit' });
        return null;
      }
      return Math.round(value * 100);
    };
    const budgetCents = budget(draft.incentiveBudget, 'incentive.budgetCents');
    const weeklyBudgetCents = budget(draft.incentiveWeeklyBudget, 'incentive.weeklyBudgetCents');
    if (draft.incentivePayout === 'tremendous' && amountCents === undefined) problems.push({ field: 'incentive.amountCents', message: 'Paid through Tremendous, the incentive needs an amount' });
    incentive = {
      kind: draft.incentiveKind,
      description,
      ...(amountCents !== undefined ? { amountCents, currency } : {}),
      // The incentive is saved whole: what is left out (manual payment, no budget) is its default.
      ...(draft.incentivePayout === 'tremendous' ? { payout: 'tremendous' as const } : {}),
      ...(budgetCents !== null ? { budgetCents } : {}),
      ...(weeklyBudgetCents !== null ? { weeklyBudgetCents } : {}),
    };
  }

  const questions: Screener['questions'] = draft.questions.map((q, i) => {
    required(q.prompt, `screener.questions.${i}.prompt`, 'Question');
    if (q.kind !== 'text') {
      if (q.options.length < 2) problems.push({ field: `screener.questions.${i}.options`, message: 'A choice question needs at least two options' });
      q.options.forEach((o, j) => required(o.label, `screener.questions.${i}.options.${j}.label`, 'Option'));
    }
    return {
      id: q.id,
      kind: q.kind,
      prompt: q.prompt.trim(),
      required: q.required,
      ...(q.kind === 'text' ? {} : { options: q.options.map((o) => ({ id: o.id, label: o.label.trim(), effect: o.effect })) }),
    };
  });

  const targeting = ruleFromDraft(draft.targeting);
  if ('problem' in targeting) problems.push(targeting.problem);
  const triggers = triggersFromDraft(draft.triggers);
  problems.push(...triggers.problems);

  const durationMinutes = num(draft.durationMinutes, 'durationMinutes', 'Duration', 5, 240);
  const weeklyQuota = num(draft.weeklyQuota, 'weeklyQuota', 'Weekly quota', 1, 10_000, true);
  const totalQuota = num(draft.totalQuota, 'totalQuota', 'Total quota', 1, 10_000, true);
  const weeklyTarget = num(draft.weeklyTarget, 'weeklyTarget', 'Weekly target', 1, 50, true);
  const bookingWindowDays = num(draft.bookingWindowDays, 'bookingWindowDays', 'Booking window', 1, 365);
  const minimumNoticeMinutes = num(draft.minimumNoticeMinutes, 'minimumNoticeMinutes', 'Minimum notice', 0, 60 * 24 * 30);
  const slotStepMinutes = num(draft.slotStepMinutes, 'slotStepMinutes', 'Slot step', 5, 240);
  const recontactDays = num(draft.recontactDays, 'recontactDays', 'Recontact days', 0, 3650, true);
  const samplingPercent = num(draft.samplingPercent, 'samplingPercent', 'Sampling', 0, 100);
  const priority = num(draft.priority, 'priority', 'Priority', -1000, 1000);

  if (problems.length > 0) return { problems };
  const meetingDetails = draft.meetingDetails.trim();
  return {
    body: {
      name,
      publicTitle: draft.publicTitle.trim() || null,
      publicDescription: draft.publicDescription.trim() || null,
      ...(slug ? { slug } : {}),
      status: draft.status,
      priority: priority!,
      intercept: {
        title,
        body,
        ...(draft.acceptLabel.trim() ? { acceptLabel: draft.acceptLabel.trim() } : {}),
        ...(draft.declineLabel.trim() ? { declineLabel: draft.declineLabel.trim() } : {}),
      },
      incentive,
      durationMinutes: durationMinutes!,
      targeting: 'rule' in targeting ? targeting.rule : null,
      triggers: triggers.triggers,
      samplingPercent: samplingPercent!,
      recontactDays,
      totalQuota,
      weeklyQuota,
      weeklyTarget,
      screener: questions.length > 0 ? { questions } : null,
      hostIds: [...draft.hostIds],
      observerIds: draft.observerIds.filter((id) => !draft.hostIds.includes(id)),
      assignmentMode: draft.assignmentMode,
      bookingWindowDays: bookingWindowDays!,
      minimumNoticeMinutes: minimumNoticeMinutes!,
      slotStepMinutes: slotStepMinutes!,
      meetingLocation: { kind: draft.meetingKind, ...(meetingDetails ? { details: meetingDetails } : {}) },
      interviewGuide: draft.interviewGuide,
    },
  };
}

/** A failed save as a problem on the editor's control (server errors name the API's fields). */
export function problemOfSaveError(error: { code?: string; field?: string | undefined; message: string }, draft: StudyDraft): FieldProblem {
  return triggerProblemForDraft({ field: fieldOfError(error), message: error.message }, draft.triggers);
}

export function newQuestion(kind: QuestionKind = 'single'): QuestionDraft {
  return {
    id: newId('q'),
    kind,
    prompt: '',
    required: true,
    options: kind === 'text' ? [] : [newOption(), newOption()],
  };
}

export function newOption(label = '', effect: OptionEffect = 'neutral'): OptionDraft {
  return { id: newId('o'), label, effect };
}

/** 'Weekly 3 · total 25', 'No quota'. */
export function describeQuota(study: Pick<Study, 'weeklyQuota' | 'totalQuota'>): string {
  const parts = [];
  if (study.weeklyQuota != null) parts.push(`${study.weeklyQuota} a week`);
  if (study.totalQuota != null) parts.push(`${study.totalQuota} in total`);
  return parts.length > 0 ? parts.join(' · ') : 'No quota';
}
