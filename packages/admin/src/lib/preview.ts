// The intercept preview's sample visitor and verdict: which traits (and tracked events) the
// study's segment reads, a visitor who matches it to start from, and whether this visitor would
// be invited and why, decided by the shared rules evaluator (@beckon/shared/rules), the code the
// widget runs on every page view.
import { evaluate, inSample, overlapExample, type EventHistory, type Rule, type TraitCondition, type UserProfile } from '@beckon/shared/rules';

export interface SampleVisitor {
  userId: string;
  /** Trait values as typed (the evaluator reads numbers and dates from strings, as from identify()). */
  traits: Record<string, string>;
  /** How many times the visitor did each tracked event the segment counts (recently). */
  events: Record<string, string>;
}

/** The traits and tracked events a rule reads, in the order it names them. */
export function ruleInputs(rule: Rule | null): { traits: string[]; events: string[] } {
  const traits = new Set<string>();
  const events = new Set<string>();
  const walk = (r: Rule) => {
    if ('all' in r) r.all.forEach(walk);
    else if ('any' in r) r.any.forEach(walk);
    else if ('not' in r) walk(r.not);
    else if ('event' in r) events.add(r.event);
    else traits.add(r.trait);
  };
  if (rule) walk(rule);
  return { traits: [...traits], events: [...events] };
}

/** An input's text for a trait value; `day`: instants as their day ("2026-05-01", read as that day's midnight UTC). */
const asText = (value: unknown, day: boolean): string =>
  value === null || value === undefined ? '' : typeof value !== 'string' ? JSON.stringify(value) : day && /^\d{4}-\d\d-\d\dT/.test(value) ? value.slice(0, 10) : value;

/** A visitor the segment lets in, when one can be found from the rule (else blank traits): the PM edits from there. */
export function sampleVisitor(rule: Rule | null, now: number): SampleVisitor {
  const { traits, events } = ruleInputs(rule);
  const example = (rule && overlapExample(rule, null, now)) || {};
  const atLeast = (r: Rule | null, name: string): number => {
    if (!r) return 0;
    if ('all' in r) return Math.max(0, ...r.all.map((x) => atLeast(x, name)));
    if ('any' in r) return Math.max(0, ...r.any.map((x) => atLeast(x, name)));
    if ('event' in r) return r.event === name ? (r.atLeast ?? 1) : 0;
    return 0;
  };
  const texts = (day: boolean) => Object.fromEntries(traits.map((name) => [name, asText(example[name], day)]));
  // Days read better than instants, unless the day alone would change the answer (a 1-day window).
  const days = texts(true);
  const same = evaluate(rule, { traits: days }, now) === evaluate(rule, { traits: texts(false) }, now);
  return {
    userId: 'user-123',
    traits: same ? days : texts(false),
    events: Object.fromEntries(events.map((name) => [name, String(atLeast(rule, name))])),
  };
}

/** What identify() would be given: blank traits left out, as a site would not send them. */
export function sampleTraits(sample: SampleVisitor): Record<string, string> {
  return Object.fromEntries(Object.entries(sample.traits).filter(([, value]) => value.trim() !== ''));
}

/** The sample as the evaluator sees a visitor: its traits, and each event done that many times just now. */
function profileOf(sample: SampleVisitor, now: number): UserProfile {
  const at = new Date(now).toISOString();
  const events: EventHistory[] = Object.entries(sample.events)
    .map(([name, times]) => ({ name, count: Math.max(0, Math.floor(Number(times) || 0)) }))
    .filter((event) => event.count > 0)
    .map(({ name, count }) => ({ name, count, lastAt: at, timestamps: Array.from({ length: Math.min(count, 50) }, () => at) }));
  return { userId: sample.userId, traits: sampleTraits(sample), events };
}

const quoted = (value: unknown) => (typeof value === 'string' ? `“${value}”` : String(value));

/** A trait condition in words, as met and as wanted: ["is within the last 14 days", "must be within the last 14 days"]. */
function testWords(condition: TraitCondition): [string, string] {
  const value = 'value' in condition ? condition.value : undefined;
  const negative = condition.op.startsWith('not_');
  const op = condition.op.replace(/^not_/, '');
  if (op === 'contains') return negative ? [`does not contain ${quoted(value)}`, `must not contain ${quoted(value)}`] : [`contains ${quoted(value)}`, `must contain ${quoted(value)}`];
  const date = typeof value === 'string';
  const words: Record<string, string> = {
    exists: 'set',
    equals: quoted(value),
    in: `one of ${Array.isArray(value) ? value.map(quoted).join(', ') : ''}`,
    gt: `${date ? 'after' : 'more than'} ${String(value)}`,
    gte: `${date ? 'on or after' : 'at least'} ${String(value)}`,
    lt: `${date ? 'before' : 'less than'} ${String(value)}`,
    lte: `${date ? 'on or before' : 'at most'} ${String(value)}`,
    within_last_days: `within the last ${String(value)} days`,
    more_than_days_ago: `more than ${String(value)} days ago`,
  };
  const test = words[op] ?? condition.op;
  return negative ? [`is not ${test}`, `must not be ${test}`] : [`is ${test}`, `must be ${test}`];
}

/** One condition, as met or not by the visitor: "signedUpAt is within the last 14 days (“2026-05-01”)". */
function conditionWords(rule: Rule, met: boolean, user: UserProfile): string {
  if ('event' in rule) {
    const times = `“${rule.event}” at least ${rule.atLeast ?? 1} time${(rule.atLeast ?? 1) === 1 ? '' : 's'}${rule.withinDays ? ` in the last ${rule.withinDays} days` : ''}`;
    const done = user.events?.find((event) => event.name === rule.event)?.count ?? 0;
    return met ? `did ${times}` : `must have done ${times} (done ${done} time${done === 1 ? '' : 's'})`;
  }
  if (!('trait' in rule)) return '';
  const has = user.traits[rule.trait];
  const shown = has === undefined ? 'not given' : quoted(has);
  const [asMet, asWanted] = testWords(rule);
  return met ? `${rule.trait} ${asMet} (${shown})` : `${rule.trait} ${asWanted} (it is ${shown})`;
}

/** The conditions that make the rule come out as it does for this visitor, in words. */
function reasons(rule: Rule, user: UserProfile, now: number): { met: boolean; why: string[] } {
  if ('all' in rule || 'any' in rule) {
    const every = 'all' in rule;
    const parts = (every ? rule.all : rule.any).map((part) => reasons(part, user, now));
    const met = every ? parts.every((p) => p.met) : parts.some((p) => p.met);
    // Met "all": every part; failed "all": the failing parts. Met "any": the parts that hold; failed "any": all of them.
    const telling = met === every ? parts : parts.filter((p) => p.met === met);
    return { met, why: telling.flatMap((p) => p.why) };
  }
  if ('not' in rule) {
    const inner = reasons(rule.not, user, now);
    return { met: !inner.met, why: inner.why.map((why) => `not so: ${why}`) };
  }
  const met = evaluate(rule, user, now);
  return { met, why: [conditionWords(rule, met, user)] };
}

export interface Verdict {
  invited: boolean;
  /** One sentence: "This visitor would be invited: …" or "… would not be invited, because …". */
  summary: string;
  /** What else is true of the study now (a draft asks nobody; sampling). */
  notes: string[];
}

/**
 * Whether the widget would invite this visitor to the study (the segment, and the sampling when
 * the study's id is known), and why. Triggers and the visitor's own history (recontact window,
 * "Not now") are not part of it: the preview shows the invitation whatever they say.
 */
export function verdict(study: { status: string; targeting: Rule | null; samplingPercent: number; id?: string }, sample: SampleVisitor, now: number): Verdict {
  const user = profileOf(sample, now);
  const matches = evaluate(study.targeting, user, now);
  const why = study.targeting ? reasons(study.targeting, user, now).why : ['the segment is everyone'];
  const notes: string[] = [];
  if (study.status !== 'live') notes.push(`The study is ${study.status === 'draft' ? 'a draft' : study.status}: the widget invites nobody until it is live.`);
  let sampled = true;
  if (study.samplingPercent < 100) {
    if (study.id) {
      sampled = inSample(sample.userId || 'anonymous', study.id, study.samplingPercent);
      notes.push(`Sampling: ${sample.userId ? `visitor “${sample.userId}”` : 'this visitor'} is ${sampled ? 'inside' : 'outside'} the study’s ${study.samplingPercent}% sample (each visitor’s place is fixed).`);
    } else {
      notes.push(`Sampling: ${study.samplingPercent}% of the visitors who match are asked; each visitor’s place is fixed once the study is saved.`);
    }
  }
  const invited = matches && sampled;
  const summary = invited
    ? `This visitor would be invited: ${why.join('; ')}.`
    : !matches
      ? `This visitor would not be invited, because ${why.join('; ')}.`
      : `This visitor matches the segment (${why.join('; ')}) but would not be invited: they are outside the sample.`;
  return { invited, summary, notes };
}

/** The preview frame's address: the server's page, with the sample visitor in the fragment (never sent to the server). */
export function frameSrc(frameUrl: string, sample: SampleVisitor): string {
  return `${frameUrl}#${encodeURIComponent(JSON.stringify({ userId: sample.userId.trim(), traits: sampleTraits(sample) }))}`;
}
