// The autopilot's mails to the research team: a study's week turned at risk, and the Monday
// digest (last week against the target, this week so far, who is coming). Pure functions of
// plain data; times in the workspace's zone, through Intl.
import type { WeekOutlook } from '@beckon/shared/api';
import { RISK_FIXES, RISK_WORDS } from '@beckon/shared/vocabulary';
import { button, facts, heading, muted, paragraph, renderHtml, renderText, type Block } from './layout.js';
import { formatTimes } from './time.js';
import type { RenderedMail } from './types.js';

type Reason = keyof typeof RISK_FIXES;

export interface RiskAlertInput {
  to: string[];
  workspaceName: string;
  studyName: string;
  forecast: Pick<WeekOutlook, 'goal' | 'expected' | 'low' | 'high' | 'chance' | 'status'> & { booked: number; reason: Reason };
  /** The admin page where the fix is done, and the home page. */
  fixUrl: string;
  homeUrl: string;
}

const percent = (chance: number) => `${Math.round(chance * 100)} %`;
const interviews = (n: number) => (n === 1 ? '1 interview' : `${n} interviews`);

export function renderRiskAlert(input: RiskAlertInput): RenderedMail {
  const { forecast: f } = input;
  const verb = f.status === 'will_miss' ? 'will likely miss' : 'may miss';
  const subject = `${input.studyName} ${verb} this week's ${interviews(f.goal)}`;
  const blocks: Block[] = [
    heading(`This week is ${f.status === 'will_miss' ? 'not going to make it' : 'at risk'}`),
    paragraph(
      `${input.studyName} has ${f.booked} of ${interviews(f.goal)} booked so far this week. Beckon expects ${f.expected} by the week's end (likely between ${f.low} and ${f.high}): a ${percent(f.chance)} chance of reaching ${f.goal}.`,
    ),
    paragraph(`Why: ${RISK_WORDS[f.reason]}`),
    paragraph(`What would fix it: ${RISK_FIXES[f.reason]}.`),
    button(input.fixUrl, capitalise(RISK_FIXES[f.reason])),
    muted('You get this at most once a day per study, while its week is at risk. ', { url: input.homeUrl, label: "See the week's health" }),
  ];
  return { to: input.to, subject, text: renderText(blocks), html: renderHtml(subject, blocks), fromName: `Beckon for ${input.workspaceName}` };
}

export interface DigestWeek {
  target: number;
  booked: number;
  attended: number;
  noShows: number;
}

export interface WeeklyDigestInput {
  to: string[];
  workspaceName: string;
  timeZone: string;
  /** The workspace as a whole, last week and this week so far, with this week's outlook. */
  workspace: { lastWeek: DigestWeek; thisWeek: DigestWeek; outlook: WeekOutlook };
  studies: { name: string; lastWeek: DigestWeek; thisWeek: DigestWeek; outlook: WeekOutlook }[];
  /** Interviews still to come this week, soonest first. */
  coming: { participant: string; study: string; host: string; startsAt: Date; endsAt: Date }[];
  homeUrl: string;
}

const STATUS_WORDS = { on_track: 'on track', at_risk: 'at risk', will_miss: 'will miss' } as const;

function weekLine(week: DigestWeek): string {
  const extra = [week.attended > 0 ? `${week.attended} attended` : '', week.noShows > 0 ? `${week.noShows} no-show${week.noShows === 1 ? '' : 's'}` : ''].filter(Boolean).join(', ');
  return `${week.booked} of ${week.target} booked${extra ? ` (${extra})` : ''}`;
}

export function renderWeeklyDigest(input: WeeklyDigestInput): RenderedMail {
  const last = input.workspace.lastWeek;
  const met = last.booked >= last.target;
  const subject = `Your interviews this week: ${interviews(input.coming.length)} coming; last week ${last.booked} of ${last.target}`;
  const blocks: Block[] = [
    heading('Last week'),
    paragraph(`${met ? 'Target met' : 'Short of the target'}: ${weekLine(last)} across the workspace.`),
    ...(input.studies.length > 0 ? [facts(input.studies.map((s) => ({ label: s.name, lines: [weekLine(s.lastWeek)] })))] : []),
    heading('This week so far'),
    paragraph(`${weekLine(input.workspace.thisWeek)}; ${STATUS_WORDS[input.workspace.outlook.status]} (expected ${input.workspace.outlook.expected}, a ${percent(input.workspace.outlook.chance)} chance of ${input.workspace.outlook.goal}).`),
    ...(input.studies.length > 0
      ? [
          facts(
            input.studies.map((s) => ({
              label: s.name,
              lines: [`${weekLine(s.thisWeek)}; ${STATUS_WORDS[s.outlook.status]}${s.outlook.reason ? `: ${RISK_WORDS[s.outlook.reason]} Fix: ${s.outlook.fix}.` : ''}`],
            })),
          ),
        ]
      : []),
    heading("Who's coming"),
    input.coming.length === 0
      ? paragraph('No interviews are booked for the rest of this week yet.')
      : facts(
          input.coming.map((c) => {
            const times = formatTimes(c.startsAt, c.endsAt, input.timeZone);
            return { label: `${times.day}, ${times.startTime}`, lines: [`${c.participant} (${c.study}), with ${c.host}`] };
          }),
        ),
    muted(`Times in ${input.timeZone}. `, { url: input.homeUrl, label: "See the week's health" }),
  ];
  return { to: input.to, subject, text: renderText(blocks), html: renderHtml(subject, blocks), fromName: `Beckon for ${input.workspaceName}` };
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
