import { describe, expect, it } from 'vitest';
import type { AdminIncentive } from '@beckon/shared/api';
import { fieldId, resolveField } from '../src/lib/fields.js';
import {
  apiQueryOfIncentiveView,
  deliveryLine,
  formatIncentiveAmount,
  incentiveSendFromDraft,
  incentiveState,
  incentiveTerms,
  incentiveViewFromQuery,
  isStaleIncentiveError,
  NOTHING_IS_EMAILED,
  NOTHING_TO_EMAIL,
  participantName,
  queryOfIncentiveView,
  scopeProblem,
  type IncentiveView,
} from '../src/lib/incentives.js';
import { formatDateTime } from '../src/lib/time.js';

const STUDY_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';

const incentive: AdminIncentive = {
  id: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  bookingId: '16fd2706-8baf-433b-82eb-8c7fada847da',
  studyId: STUDY_ID,
  studyName: 'Why people churn',
  participant: { name: 'Grace Hopper', email: 'grace@example.com' },
  interviewStart: '2026-03-30T14:00:00Z',
  bookingStatus: 'completed',
  kind: 'gift_card',
  amountCents: 2500,
  currency: 'USD',
  description: 'a $25 gift card',
  status: 'pending',
  due: true,
  sentAt: null,
  sentBy: null,
  payout: null,
};

const draft = (fields: Partial<{ code: string; url: string; message: string }> = {}) => ({ code: '', url: '', message: '', ...fields });

describe('the view in the address and in the API query', () => {
  it('shows what is due by default, and for anything it does not know', () => {
    expect(incentiveViewFromQuery(new URLSearchParams(''))).toEqual({ filter: 'due', studyId: '' });
    expect(incentiveViewFromQuery(new URLSearchParams('show=pending'))).toEqual({ filter: 'due', studyId: '' });
    expect(incentiveViewFromQuery(new URLSearchParams(`show=sent&study=${STUDY_ID}`))).toEqual({ filter: 'sent', studyId: STUDY_ID });
    // Not a study id: dropped, rather than sent for the server to refuse.
    expect(incentiveViewFromQuery(new URLSearchParams('show=void&study=churn'))).toEqual({ filter: 'void', studyId: '' });
  });

  it('round-trips every view through the address, with no query for the default', () => {
    expect(queryOfIncentiveView({ filter: 'due', studyId: '' })).toEqual({ show: undefined, study: undefined });
    for (const filter of ['due', 'upcoming', 'sent', 'void', 'all'] as const) {
      for (const studyId of ['', STUDY_ID]) {
        const view: IncentiveView = { filter, studyId };
        const query = new URLSearchParams();
        for (const [name, value] of Object.entries(queryOfIncentiveView(view))) if (value) query.set(name, value);
        expect(incentiveViewFromQuery(query)).toEqual(view);
      }
    }
  });

  it('asks the server for a status, except for all', () => {
    expect(apiQueryOfIncentiveView({ filter: 'due', studyId: '' })).toEqual({ status: 'due' });
    expect(apiQueryOfIncentiveView({ filter: 'upcoming', studyId: STUDY_ID })).toEqual({ status: 'upcoming', studyId: STUDY_ID });
    expect(apiQueryOfIncentiveView({ filter: 'all', studyId: '' })).toEqual({});
    expect(apiQueryOfIncentiveView({ filter: 'all', studyId: STUDY_ID })).toEqual({ studyId: STUDY_ID });
  });
});

describe('how an incentive reads', () => {
  it('splits pending into due and upcoming', () => {
    expect(incentiveState({ status: 'pending', due: true })).toBe('due');
    expect(incentiveState({ status: 'pending', due: false })).toBe('upcoming');
    expect(incentiveState({ status: 'sent', due: false })).toBe('sent');
    expect(incentiveState({ status: 'void', due: false })).toBe('void');
  });

  it('formats the amount in its currency, without .00 for whole amounts', () => {
    expect(formatIncentiveAmount(2500, 'USD', 'en-US')).toBe('$25');
    expect(formatIncentiveAmount(1250, 'EUR', 'en-GB')).toBe('€12.50');
    expect(formatIncentiveAmount(5000, 'GBP', 'en-GB')).toBe('£50');
    expect(formatIncentiveAmount(2500, 'EUR', 'de-DE')).toBe('25\u00a0€');
    expect(formatIncentiveAmount(0, 'USD', 'en-US')).toBe('$0');
  });

  it('shows no amount without both parts, and writes out a currency Intl refuses', () => {
    expect(formatIncentiveAmount(null, 'USD')).toBeNull();
    expect(formatIncentiveAmount(2500, null)).toBeNull();
    expect(formatIncentiveAmount(2550, 'US$', 'en-US')).toBe('25.50 US$');
  });

  it('names the kind and amount beside the description', () => {
    expect(incentiveTerms(incentive, 'en-US')).toBe('Gift card, $25');
    expect(incentiveTerms({ kind: 'early_access', amountCents: null, currency: null })).toBe('Early access');
  });

  it('names the participant by name, else email', () => {
    expect(participantName({ name: 'Grace Hopper', email: 'grace@example.com' })).toBe('Grace Hopper');
    expect(participantName({ name: '  ', email: 'grace@example.com' })).toBe('grace@example.com');
    expect(participantName({ name: null, email: null })).toBe('the participant');
  });

  it('says how and when it was given, in the PM’s zone', () => {
    const sentAt = '2026-03-31T09:15:00Z';
    const when = formatDateTime(sentAt, 'Asia/Tokyo', 'en-GB');
    expect(when).toContain('18:15');
    expect(deliveryLine({ status: 'sent', sentAt, sentBy: 'email' }, 'Asia/Tokyo', 'en-GB')).toBe(`Sent by email on ${when}`);
    expect(deliveryLine({ status: 'sent', sentAt, sentBy: 'elsewhere' }, 'Asia/Tokyo', 'en-GB')).toBe(`Given another way on ${when}`);
    expect(deliveryLine({ status: 'pending', sentAt: null, sentBy: null }, 'UTC')).toBeNull();
  });
});

describe('the send form', () => {
  it('needs a code, a link or a message to email, said at the Code field as the server says it', () => {
    expect(incentiveSendFromDraft(draft(), 'email')).toEqual({ problems: [{ field: 'code', message: NOTHING_TO_EMAIL }] });
    expect(incentiveSendFromDraft(draft({ code: '   ', message: '\n' }), 'email')).toEqual({ problems: [{ field: 'code', message: NOTHING_TO_EMAIL }] });
  });

  it('sends what was filled in, trimmed, and leaves out the rest', () => {
    expect(incentiveSendFromDraft(draft({ code: ' GIFT-1234-ABCD ' }), 'email')).toEqual({ body: { method: 'email', code: 'GIFT-1234-ABCD' } });
    expect(incentiveSendFromDraft(draft({ message: 'The credit is on your account.' }), 'email')).toEqual({ body: { method: 'email', message: 'The credit is on your account.' } });
    expect(incentiveSendFromDraft(draft({ code: 'X1', url: 'https://gift.example.com/redeem?c=1', message: 'Thanks!' }), 'email')).toEqual({
      body: { method: 'email', code: 'X1', url: 'https://gift.example.com/redeem?c=1', message: 'Thanks!' },
    });
  });

  it('wants a full http(s) redeem link, as the schema does', () => {
    const problemOf = (url: string) => {
      const result = incentiveSendFromDraft(draft({ url }), 'email');
      return 'problems' in result ? result.problems : [];
    };
    for (const url of ['gift.example.com/redeem', 'ftp://gift.example.com', 'HTTPS://gift.example.com', 'https://gift example.com', 'https://']) {
      expect(problemOf(url), url).toEqual([{ field: 'url', message: 'Enter the full redeem link, starting with https://' }]);
    }
    expect(problemOf('http://localhost:8080/r')).toEqual([]);
    expect(problemOf(`https://gift.example.com/${'a'.repeat(2048)}`)).toEqual([{ field: 'url', message: 'The redeem link must be at most 2048 characters' }]);
  });

  it('keeps to the schema’s lengths, each at its own field', () => {
    const result = incentiveSendFromDraft(draft({ code: 'C'.repeat(201), message: 'm'.repeat(1001) }), 'email');
    expect(result).toEqual({
      problems: [
        { field: 'code', message: 'The code must be at most 200 characters' },
        { field: 'message', message: 'The message must be at most 1000 characters' },
      ],
    });
    expect(incentiveSendFromDraft(draft({ code: 'C'.repeat(200), message: 'm'.repeat(1000) }), 'email')).toHaveProperty('body');
  });

  it('given another way sends the method alone, and refuses typed text rather than dropping it', () => {
    expect(incentiveSendFromDraft(draft(), 'elsewhere')).toEqual({ body: { method: 'elsewhere' } });
    expect(incentiveSendFromDraft(draft({ code: ' ', url: '', message: ' ' }), 'elsewhere')).toEqual({ body: { method: 'elsewhere' } });
    for (const typed of [{ code: 'GIFT-1' }, { url: 'https://x.test' }, { message: 'Credited' }]) {
      expect(incentiveSendFromDraft(draft(typed), 'elsewhere')).toEqual({ problems: [{ field: 'code', message: NOTHING_IS_EMAILED }] });
    }
  });

  it('puts a problem under the card’s own scope, where its control is, and leaves whole-form ones alone', () => {
    const scope = `incentive-${incentive.id}`;
    const paths = [`${scope}.code`, `${scope}.url`, `${scope}.message`, `incentive-other.code`];
    const scoped = scopeProblem({ field: 'code', message: NOTHING_TO_EMAIL }, scope);
    expect(resolveField(scoped.field, paths)).toBe(`${scope}.code`);
    expect(fieldId(`${scope}.code`)).toBe(`f-incentive-${incentive.id}-code`);
    expect(scopeProblem({ message: 'The interview is not marked done yet' }, scope)).toEqual({ message: 'The interview is not marked done yet' });
    // A field the form has no control for stays in the summary only.
    expect(resolveField(scopeProblem({ field: 'method', message: 'x' }, scope).field, paths)).toBeUndefined();
  });

  it('treats sent, void and missing as an out-of-date list, and other refusals as the form’s', () => {
    expect(isStaleIncentiveError({ code: 'incentive_already_sent' })).toBe(true);
    expect(isStaleIncentiveError({ code: 'incentive_void' })).toBe(true);
    expect(isStaleIncentiveError({ code: 'incentive_not_found' })).toBe(true);
    expect(isStaleIncentiveError({ code: 'interview_not_completed' })).toBe(false);
    expect(isStaleIncentiveError({ code: 'invalid_request' })).toBe(false);
  });
});
