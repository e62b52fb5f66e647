// The Incentives screen's logic: which incentives a view shows (in the address and in the API
// query), how a promise and its delivery read, and the send form checked the way the server
// checks it (packages/shared/src/api/incentives.ts), so problems show before anything is sent.
import type { FieldProblem } from './fields.js';
import { INCENTIVE_LABELS } from './study-form.js';
import { formatDateTime } from './time.js';
import type { AdminIncentive, AdminIncentivesQuery, IncentiveDeliveryMethod, IncentiveSend } from '../types.js';
import { isUuid } from '@beckon/shared/ids';
import { formatMoney } from '@beckon/shared/participant';

export const INCENTIVE_FILTERS = [
  { value: 'due', label: 'To send' },
  { value: 'upcoming', label: 'Upcoming' },
  { value: 'sent', label: 'Sent' },
  { value: 'void', label: 'Void' },
  { value: 'all', label: 'All' },
] as const;
export type IncentiveFilter = (typeof INCENTIVE_FILTERS)[number]['value'];

export interface IncentiveView {
  filter: IncentiveFilter;
  /** '' for every study. */
  studyId: string;
}

/**
 * The view an address asks for. Anything unknown shows what is due, the reason to come here;
 * a study id that is not one is dropped rather than sent (the server would answer 422).
 */
export function incentiveViewFromQuery(query: URLSearchParams): IncentiveView {
  const show = query.get('show');
  const study = query.get('study') ?? '';
  return {
    filter: INCENTIVE_FILTERS.find((f) => f.value === show)?.value ?? 'due',
    studyId: isUuid(study) ? study : '',
  };
}

/** The address query of a view; the default one has none, so a bare /incentives is "to send". */
export function queryOfIncentiveView(view: IncentiveView): Record<string, string | undefined> {
  return { show: view.filter === 'due' ? undefined : view.filter, study: view.studyId || undefined };
}

/** What to ask the server for: "all" is no status at all. */
export function apiQueryOfIncentiveView(view: IncentiveView): AdminIncentivesQuery {
  return { ...(view.filter === 'all' ? {} : { status: view.filter }), ...(view.studyId ? { studyId: view.studyId } : {}) };
}

/** Where an incentive stands for the PM: the server's pending splits by whether it can be sent yet. */
export type IncentiveState = 'due' | 'upcoming' | 'sent' | 'void';
export const INCENTIVE_STATE_LABELS: Record<IncentiveState, string> = { due: 'To send', upcoming: 'Upcoming', sent: 'Sent', void: 'Void' };

export function incentiveState(incentive: Pick<AdminIncentive, 'status' | 'due'>): IncentiveState {
  if (incentive.status === 'pending') return incentive.due ? 'due' : 'upcoming';
  return incentive.status;
}

/** '$25', '€12.50': one rule, shared with the pages and emails participants read. */
export const formatIncentiveAmount = formatMoney;

/** 'Gift card, $25': the kind and amount beside the study's own description of the promise. */
export function incentiveTerms(incentive: Pick<AdminIncentive, 'kind' | 'amountCents' | 'currency'>, locale?: string): string {
  const amount = formatIncentiveAmount(incentive.amountCents, incentive.currency, locale);
  const kind = INCENTIVE_LABELS[incentive.kind] ?? incentive.kind;
  return amount ? `${kind}, ${amount}` : kind;
}

/** Who the participant is, for a button or an announcement: name, else email, else a plain word. */
export function participantName(participant: AdminIncentive['participant']): string {
  return participant.name?.trim() || participant.email || 'the participant';
}

/** 'Sent by email on Tue, 30 Mar 2026, 10:00' or 'Given another way on …', in the PM's zone. */
export function deliveryLine(incentive: Pick<AdminIncentive, 'status' | 'sentAt' | 'sentBy'>, zone: string, locale?: string): string | null {
  if (incentive.status !== 'sent') return null;
  const how = incentive.sentBy === 'elsewhere' ? 'Given another way' : incentive.sentBy === 'email' ? 'Sent by email' : 'Sent';
  return incentive.sentAt ? `${how} on ${formatDateTime(incentive.sentAt, zone, locale)}` : how;
}

export interface SendDraft {
  code: string;
  url: string;
  message: string;
}
export const EMPTY_SEND_DRAFT: SendDraft = { code: '', url: '', message: '' };

// The schema's limits, repeated so a problem shows at its field before anything is sent.
export const SEND_LIMITS = { code: 200, url: 2048, message: 1000 } as const;

/** The server's own words when an email would carry nothing. */
export const NOTHING_TO_EMAIL = 'Give the code, a link to redeem it, or a message';
/** Typed text is never dropped silently: a code is money, and "given another way" emails nothing. */
export const NOTHING_IS_EMAILED = 'Given another way sends nothing: clear the code, link and message, or email them instead';

function redeemLinkProblem(url: string): string | undefined {
  if (url.length > SEND_LIMITS.url) return `The redeem link must be at most ${SEND_LIMITS.url} characters`;
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  // The schema wants a lower-case http:// or https:// at the start and a URI without spaces.
  if (!parsed || !/^https?:\/\//.test(url) || /\s/.test(url) || !parsed.host) return 'Enter the full redeem link, starting with https://';
  return undefined;
}

/**
 * The request body for sending by `method`, or the problems at their fields (named as the server
 * names them: code, url, message). Blank fields are left out; text is trimmed.
 */
export function incentiveSendFromDraft(draft: SendDraft, method: IncentiveDeliveryMethod): { body: IncentiveSend } | { problems: FieldProblem[] } {
  const code = draft.code.trim();
  const url = draft.url.trim();
  const message = draft.message.trim();
  if (method === 'elsewhere') {
    return code || url || message ? { problems: [{ field: 'code', message: NOTHING_IS_EMAILED }] } : { body: { method } };
  }
  if (!code && !url && !message) return { problems: [{ field: 'code', message: NOTHING_TO_EMAIL }] };
  const problems: FieldProblem[] = [];
  if (code.length > SEND_LIMITS.code) problems.push({ field: 'code', message: `The code must be at most ${SEND_LIMITS.code} characters` });
  const urlProblem = url ? redeemLinkProblem(url) : undefined;
  if (urlProblem) problems.push({ field: 'url', message: urlProblem });
  if (message.length > SEND_LIMITS.message) problems.push({ field: 'message', message: `The message must be at most ${SEND_LIMITS.message} characters` });
  if (problems.length > 0) return { problems };
  return { body: { method, ...(code ? { code } : {}), ...(url ? { url } : {}), ...(message ? { message } : {}) } };
}

/**
 * Several send forms share one page, so each names its controls under its own scope; a problem
 * named as the server names it (`code`) is moved under that scope (`incentive-<id>.code`).
 */
export function scopeProblem(problem: FieldProblem, scope: string): FieldProblem {
  return problem.field ? { ...problem, field: `${scope}.${problem.field}` } : problem;
}

/** Refusals that mean the list is out of date (sent or voided meanwhile): show it again rather than the form. */
const STALE_CODES = new Set(['incentive_already_sent', 'incentive_void', 'incentive_not_found']);
export function isStaleIncentiveError(error: { code: string }): boolean {
  return STALE_CODES.has(error.code);
}
