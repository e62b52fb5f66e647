// Every email Beckon sends about a booking, as pure functions of a BookingMailContext. The copy
// follows what good research practice asks: say exactly how long, what it is about and what
// they get; show every time in the reader's own zone, with the zone named; give the interviewer
// the context they prepare with; close by asking who else we should talk to.
import { buildInterviewInvite, type InviteOptions } from './ics.js';
import { answers, button, facts, heading, link, muted, paragraph, preformatted, renderHtml, renderText, type Block, type Inline } from './layout.js';
import { durationMinutes, formatDuration, formatTimes } from './time.js';
import { hasWayToJoin, isErased, type AttendanceVariant, type AudienceVariant, type BookingMailContext, type MailKind, type MailVariant, type RenderedMail, type ReminderVariant } from './types.js';

/** A mail for a participant whose data was erased: there is nobody to send it to. */
export class ErasedParticipant extends Error {
  constructor(kind: MailKind) {
    super(`Mail "${kind}" is for a participant whose data was erased`);
    this.name = 'ErasedParticipant';
  }
}

interface Draft {
  to: string[];
  audience: 'participant' | 'team';
  subject: string;
  preheader: string;
  blocks: Block[];
  ics?: Omit<InviteOptions, 'audience'>;
  /** Whose calendar the invite is for, when not the current host's (a cancel for the interviewer a move took it from). */
  icsHost?: BookingMailContext['host'];
}

const participantTimes = (ctx: BookingMailContext) =>
  formatTimes(ctx.booking.startsAt, ctx.booking.endsAt, ctx.participant.timeZone, ctx.locale);
const hostTimes = (ctx: BookingMailContext) => formatTimes(ctx.booking.startsAt, ctx.booking.endsAt, ctx.host.timeZone, ctx.locale);

const teamAddresses = (ctx: BookingMailContext) => [ctx.host.email, ...ctx.observers.map((o) => o.email).filter((email) => email !== ctx.host.email)];

const teamGreeting = (ctx: BookingMailContext) => (ctx.observers.length === 0 ? `Hi ${ctx.host.name},` : 'Hi team,');

function whereLines(ctx: BookingMailContext, pending: string): Inline[] {
  const lines: Inline[] = [];
  if (ctx.booking.meetingUrl) lines.push(link(ctx.booking.meetingUrl));
  if (ctx.booking.location) lines.push(ctx.booking.location);
  return lines.length > 0 ? lines : [pending];
}

/** The facts a participant needs about their interview, in their own zone. */
function participantFacts(ctx: BookingMailContext, whenLabel = 'When'): Block {
  const times = participantTimes(ctx);
  const rows: { label: string; lines: Inline[] }[] = [
    { label: whenLabel, lines: [times.range, times.zone] },
    { label: 'How long', lines: [formatDuration(ctx.booking.startsAt, ctx.booking.endsAt)] },
  ];
  rows.push({ label: "What it's about", lines: ctx.study.about ? [ctx.study.title, ctx.study.about] : [ctx.study.title] });
  rows.push({ label: 'With', lines: [`${ctx.host.name} from ${ctx.workspaceName}`] });
  rows.push({ label: 'Where', lines: whereLines(ctx, "We'll send the link before the call") });
  if (ctx.study.incentiveDescription) rows.push({ label: 'Our thank-you', lines: [ctx.study.incentiveDescription] });
  return facts(rows);
}

/** The facts the interviewer and observers need, in the host's zone, with the participant's own time beside it. */
function teamFacts(ctx: BookingMailContext, whenLabel = 'When'): Block {
  const host = hostTimes(ctx);
  const theirs = participantTimes(ctx);
  const rows: { label: string; lines: Inline[] }[] = [
    { label: whenLabel, lines: [host.range, host.zone] },
  ];
  if (ctx.participant.timeZone !== ctx.host.timeZone) rows.push({ label: 'Their time', lines: [theirs.range, theirs.zone] });
  rows.push({ label: 'Who', lines: isErased(ctx.participant) ? [ctx.participant.name] : [ctx.participant.name, link(`mailto:${ctx.participant.email}`, ctx.participant.email)] });
  rows.push({ label: 'Study', lines: [ctx.study.name] });
  rows.push({ label: 'Where', lines: whereLines(ctx, 'No meeting link yet') });
  if (ctx.observers.length > 0) rows.push({ label: 'Observers', lines: [ctx.observers.map((o) => o.name).join(', ')] });
  return facts(rows);
}

const manageBlock = (ctx: BookingMailContext): Block[] => [
  paragraph('Need a different time, or can no longer make it? You can reschedule or cancel on this page, no need to write to us:'),
  button(ctx.booking.manageUrl, 'Reschedule or cancel'),
];

const teamLinkBlock = (ctx: BookingMailContext): Block[] => (ctx.booking.teamUrl ? [button(ctx.booking.teamUrl, 'Open the booking')] : []);

const participantFooter = (ctx: BookingMailContext): Block =>
  muted(`You are receiving this because you booked a conversation with ${ctx.workspaceName}. Reply to this email to reach ${ctx.host.name}.`);

const observersNote = (ctx: BookingMailContext): Block[] =>
  ctx.observers.length === 0
    ? []
    : [paragraph(ctx.observers.length === 1 ? `A colleague of ${ctx.host.name}'s may join to listen and take notes.` : `A couple of ${ctx.host.name}'s colleagues may join to listen and take notes.`)];

// ---------------------------------------------------------------- participant mails

function confirmation(ctx: BookingMailContext): Draft {
  const times = participantTimes(ctx);
  return {
    to: [ctx.participant.email],
    audience: 'participant',
    subject: `Confirmed: your chat with ${ctx.workspaceName} on ${times.short}`,
    preheader: `${times.range}, ${times.zone}`,
    blocks: [
      paragraph(`Hi ${ctx.participant.name},`),
      paragraph(`Thank you for making time to talk with us. You're booked:`),
      participantFacts(ctx),
      ...observersNote(ctx),
      paragraph("There's nothing to prepare: we'd like to hear about your own experience, and there are no wrong answers. The calendar invite is attached."),
      ...manageBlock(ctx),
      paragraph(`See you then,`, '\n', `${ctx.host.name}, ${ctx.workspaceName}`),
      participantFooter(ctx),
    ],
    ics: { method: 'REQUEST' },
  };
}

function reminder(ctx: BookingMailContext, variant: ReminderVariant): Draft {
  const times = participantTimes(ctx);
  const soon = variant === '1h';
  return {
    to: [ctx.participant.email],
    audience: 'participant',
    subject: soon ? `Starting at ${times.startTime}: your chat with ${ctx.workspaceName}` : `Reminder: your chat with ${ctx.workspaceName} on ${times.short}`,
    preheader: `${times.range}, ${times.zone}`,
    blocks: [
      paragraph(`Hi ${ctx.participant.name},`),
      paragraph(
        soon
          ? `A quick reminder: your conversation with ${ctx.host.name} starts in about an hour.`
          : `A friendly reminder of your conversation with ${ctx.host.name} from ${ctx.workspaceName}, about a day from now.`,
      ),
      participantFacts(ctx),
      ...(soon && ctx.booking.meetingUrl ? [button(ctx.booking.meetingUrl, 'Join the call')] : []),
      ...manageBlock(ctx),
      paragraph(`Talk soon,`, '\n', ctx.host.name),
      participantFooter(ctx),
    ],
  };
}

function rescheduledForParticipant(ctx: BookingMailContext): Draft {
  const times = participantTimes(ctx);
  const timeMoved = !ctx.booking.previousStartsAt || ctx.booking.previousStartsAt.getTime() !== ctx.booking.startsAt.getTime();
  const previous = ctx.booking.previousStartsAt && timeMoved
    ? formatTimes(ctx.booking.previousStartsAt, ctx.booking.previousStartsAt, ctx.participant.timeZone, ctx.locale)
    : undefined;
  const newHost = ctx.previousHost && ctx.previousHost.email !== ctx.host.email ? ` You'll now talk with ${ctx.host.name}, who takes over from ${ctx.previousHost.name}.` : '';
  let opening = previous ? `Your conversation has moved from ${previous.short}.` : 'Your conversation has moved.';
  if (!timeMoved) opening = `Your conversation keeps its time, with a new interviewer.`;
  return {
    to: [ctx.participant.email],
    audience: 'participant',
    subject: timeMoved ? `New time: your chat with ${ctx.workspaceName} on ${times.short}` : `New interviewer: your chat with ${ctx.workspaceName} on ${times.short}`,
    preheader: newHost ? `With ${ctx.host.name}, ${times.range}, ${times.zone}` : `Now ${times.range}, ${times.zone}`,
    blocks: [
      paragraph(`Hi ${ctx.participant.name},`),
      paragraph(`${opening}${newHost} Here are the new details:`),
      participantFacts(ctx, timeMoved ? 'New time' : 'When'),
      paragraph('The attached invite updates the event already in your calendar.'),
      ...manageBlock(ctx),
      paragraph(`Thanks for your flexibility,`, '\n', ctx.host.name),
      participantFooter(ctx),
    ],
    ics: { method: 'REQUEST' },
  };
}

function cancelledForParticipant(ctx: BookingMailContext): Draft {
  const times = participantTimes(ctx);
  const byHost = ctx.cancelledBy === 'host';
  return {
    to: [ctx.participant.email],
    audience: 'participant',
    subject: `Cancelled: your chat with ${ctx.workspaceName} on ${times.short}`,
    preheader: byHost ? `We're sorry, we had to cancel.` : 'Your cancellation is confirmed.',
    blocks: [
      paragraph(`Hi ${ctx.participant.name},`),
      byHost
        ? paragraph(`We're sorry: we had to cancel your conversation with ${ctx.host.name} on ${times.range}, ${times.zone}.`)
        : paragraph(`Your conversation on ${times.range}, ${times.zone}, is cancelled. Thanks for letting us know.`),
      paragraph('The attached update removes it from your calendar.'),
      paragraph(byHost ? `We'd still love to hear from you. If you can, pick another time here:` : `If you'd like to talk another time, you can pick a new slot here:`),
      button(ctx.study.bookingUrl, 'Choose a time'),
      paragraph(byHost ? `Apologies again,` : 'Thank you,', '\n', ctx.host.name),
      participantFooter(ctx),
    ],
    ics: { method: 'CANCEL' },
  };
}

function thankYou(ctx: BookingMailContext): Draft {
  const incentive: Block[] = [];
  if (ctx.study.incentiveDescription) {
    const how = ctx.study.incentiveDelivery ?? `by email to ${ctx.participant.email}`;
    incentive.push(
      paragraph(`As promised, ${ctx.study.incentiveDescription} is on its way to you, ${how}. If it hasn't arrived within a week, just reply to this email and we'll sort it out.`),
    );
  }
  return {
    to: [ctx.participant.email],
    audience: 'participant',
    subject: `Thank you for talking with us, ${ctx.participant.name}`,
    preheader: 'One last question: who else should we talk to?',
    blocks: [
      paragraph(`Hi ${ctx.participant.name},`),
      paragraph(`Thank you for your time today. Hearing how things really work for you is the most useful thing we get, and it shapes what ${ctx.workspaceName} builds next.`),
      ...incentive,
      paragraph(
        'One last question: who else should we talk to? If a colleague or friend has something to say about this, forward them this link and they can pick a time that suits them:',
      ),
      button(ctx.study.bookingUrl, 'Book a conversation'),
      paragraph('With thanks,', '\n', `${ctx.host.name}, ${ctx.workspaceName}`),
      participantFooter(ctx),
      // Not about a booking they hold: the one mail that must let them stop all research mail.
      ...(ctx.unsubscribeUrl ? [paragraph(`Don't want to hear about research from ${ctx.workspaceName} again? `, link(ctx.unsubscribeUrl, 'Unsubscribe'), ' (no more invitations, on any device).')] : []),
    ],
  };
}

/** The promised incentive itself, sent when the PM hands it over after the interview. */
function incentive(ctx: BookingMailContext): Draft {
  const handover = ctx.incentiveHandover;
  const promised = ctx.study.incentiveDescription;
  if (!handover || !promised) throw new Error('Mail "incentive" needs the study\'s incentive and what hands it over');
  const blocks: Block[] = [
    paragraph(`Hi ${ctx.participant.name},`),
    paragraph(`Thank you again for talking with ${ctx.host.name} on ${participantTimes(ctx).day}. As promised, here is ${promised}.`),
  ];
  if (handover.code) blocks.push(paragraph('Your code:'), preformatted(handover.code));
  if (handover.url) blocks.push(button(handover.url, handover.code ? 'Redeem it' : 'Claim it'));
  if (handover.message) blocks.push(paragraph(handover.message));
  blocks.push(
    paragraph("If anything doesn't work, just reply to this email and we'll sort it out."),
    paragraph('With thanks,', '\n', `${ctx.host.name}, ${ctx.workspaceName}`),
    participantFooter(ctx),
  );
  return {
    to: [ctx.participant.email],
    audience: 'participant',
    subject: `Your thank-you from ${ctx.workspaceName}: ${promised}`,
    preheader: `As promised, ${promised}.`,
    blocks,
  };
}

// ---------------------------------------------------------------- team mails

function hostNotice(ctx: BookingMailContext): Draft {
  const times = hostTimes(ctx);
  const { segment, answers: screener } = ctx.qualification;
  const context: { label: string; lines: Inline[] }[] = [{ label: 'Segment', lines: [segment ?? 'None recorded'] }];
  if (ctx.booking.source) context.push({ label: 'Came from', lines: [ctx.booking.source] });
  return {
    to: teamAddresses(ctx),
    audience: 'team',
    subject: `New interview: ${ctx.participant.name}${segment ? ` (${segment})` : ''} on ${times.short}`,
    preheader: `${ctx.study.name}: ${times.range}, ${times.zone}`,
    blocks: [
      paragraph(teamGreeting(ctx)),
      paragraph(`${ctx.participant.name} booked a ${durationMinutes(ctx.booking.startsAt, ctx.booking.endsAt)}-minute interview for ${ctx.study.name}. ${ctx.host.name} leads.`),
      teamFacts(ctx),
      heading('Why they qualified'),
      facts(context),
      heading('Screener answers'),
      screener.length > 0 ? answers(screener) : paragraph('No screener answers.'),
      heading('Interview guide'),
      ctx.study.interviewGuide.trim()
        ? preformatted(ctx.study.interviewGuide)
        : paragraph('This study has no guide yet. Adding a few story-based prompts ("Tell me about the last time you…") keeps every interview comparable.'),
      paragraph('Before you wrap up, ask: who else should we talk to?'),
      ...teamLinkBlock(ctx),
      muted('Sent by Beckon. The calendar invite is attached.'),
    ],
    ics: { method: 'REQUEST' },
  };
}

function rescheduledForTeam(ctx: BookingMailContext): Draft {
  const times = hostTimes(ctx);
  const previous = ctx.booking.previousStartsAt
    ? formatTimes(ctx.booking.previousStartsAt, ctx.booking.previousStartsAt, ctx.host.timeZone, ctx.locale)
    : undefined;
  return {
    to: teamAddresses(ctx),
    audience: 'team',
    subject: `Rescheduled: ${ctx.participant.name}, now ${times.short}`,
    preheader: `${ctx.study.name}: now ${times.range}, ${times.zone}`,
    blocks: [
      paragraph(teamGreeting(ctx)),
      paragraph(
        previous
          ? `The interview with ${ctx.participant.name} for ${ctx.study.name} has moved from ${previous.short} to:`
          : `The interview with ${ctx.participant.name} for ${ctx.study.name} has moved to:`,
      ),
      teamFacts(ctx, 'New time'),
      ...teamLinkBlock(ctx),
      muted('Sent by Beckon. The attached invite updates the calendar event.'),
    ],
    ics: { method: 'REQUEST' },
  };
}

/** To the interviewer a move took the interview from: it is off their calendar, and who has it now. */
function movedAwayFromHost(ctx: BookingMailContext): Draft {
  const previousHost = ctx.previousHost;
  if (!previousHost) throw new Error('Mail "rescheduled" for the previous host needs who that was');
  const was = formatTimes(ctx.booking.previousStartsAt ?? ctx.booking.startsAt, ctx.booking.previousStartsAt ?? ctx.booking.startsAt, previousHost.timeZone, ctx.locale);
  return {
    to: [previousHost.email],
    audience: 'team',
    subject: `No longer yours: ${ctx.participant.name} on ${was.short}`,
    preheader: `${ctx.host.name} leads it now; it is off your calendar.`,
    blocks: [
      paragraph(`Hi ${previousHost.name},`),
      paragraph(
        `The ${ctx.study.name} interview with ${ctx.participant.name} on ${was.range}, ${was.zone}, has moved to ${ctx.host.name}. You no longer need to keep that time: it is off your calendar and free for new bookings.`,
      ),
      ...teamLinkBlock(ctx),
      muted('Sent by Beckon. The attached update removes the event from your calendar.'),
    ],
    ics: { method: 'CANCEL' },
    icsHost: previousHost,
  };
}

function cancelledForTeam(ctx: BookingMailContext): Draft {
  const times = hostTimes(ctx);
  const who = ctx.cancelledBy === 'host' ? 'The team cancelled' : `${ctx.participant.name} cancelled`;
  return {
    to: teamAddresses(ctx),
    audience: 'team',
    subject: `Cancelled: ${ctx.participant.name} on ${times.short}`,
    preheader: `${who} the ${ctx.study.name} interview.`,
    blocks: [
      paragraph(teamGreeting(ctx)),
      paragraph(`${who} the ${ctx.study.name} interview on ${times.range}, ${times.zone}. The time is free again for new bookings.`),
      ...(ctx.cancelReason ? [paragraph('Their reason, in their words:'), preformatted(ctx.cancelReason)] : []),
      ...teamLinkBlock(ctx),
      muted('Sent by Beckon. The attached update removes the event from your calendar.'),
    ],
    ics: { method: 'CANCEL' },
  };
}

/**
 * Did it happen? Just after the interview the interviewer is asked; two days unmarked, asked
 * again; a day later the workspace's admins are asked, since the thank-you and the incentive wait on it.
 */
function attendance(ctx: BookingMailContext, variant: AttendanceVariant): Draft {
  const times = hostTimes(ctx);
  if (!ctx.booking.teamUrl) throw new Error('Mail "attendance" needs the booking\'s team page');
  const promised = ctx.study.incentiveDescription;
  const stakes = promised
    ? `Marked done, ${promised} becomes due (listed under Incentives in the admin app) and the participant is thanked; marked a no-show, nothing is owed and no thank-you goes out.`
    : 'Marked done, the participant is thanked; marked a no-show, no thank-you goes out, and the funnel counts who really came.';
  if (variant === 'escalate') {
    const admins = ctx.admins ?? [];
    if (admins.length === 0) throw new Error('Mail "attendance" (escalate) needs the workspace\'s admins');
    return {
      to: admins.map((admin) => admin.email),
      audience: 'team',
      subject: `Not marked yet: ${ctx.participant.name} with ${ctx.host.name}, ${times.short}`,
      preheader: 'The participant is waiting on it: done or a no-show.',
      blocks: [
        paragraph('Hi,'),
        paragraph(
          `${ctx.host.name}'s ${ctx.study.name} interview with ${ctx.participant.name} was on ${times.range}, ${times.zone}, and nobody has marked whether it happened, though ${ctx.host.name} was asked twice. Could you check with them, or mark it yourself?`,
        ),
        button(ctx.booking.teamUrl, 'Mark how it went'),
        paragraph(stakes),
        muted('Sent by Beckon to the workspace\'s owners and admins, once, three days after an unmarked interview.'),
      ],
    };
  }
  const again = variant === 'again';
  return {
    to: [ctx.host.email],
    audience: 'team',
    subject: again ? `Still to mark: ${ctx.participant.name}, ${times.short}` : `Did it happen? ${ctx.participant.name}, ${times.short}`,
    preheader: again ? 'Two days on, the participant is still waiting: done or a no-show.' : 'One click: done or a no-show.',
    blocks: [
      paragraph(`Hi ${ctx.host.name},`),
      paragraph(
        again
          ? `Your ${ctx.study.name} interview with ${ctx.participant.name} on ${times.range}, ${times.zone}, is not marked yet. Did it happen?`
          : `Your ${ctx.study.name} interview with ${ctx.participant.name} was on ${times.range}, ${times.zone}. Did it happen?`,
      ),
      button(ctx.booking.teamUrl, 'Mark how it went'),
      paragraph(stakes),
      muted(again ? 'Sent by Beckon to the interviewer two days after an unmarked interview; next, the workspace\'s admins are asked.' : 'Sent by Beckon to the interviewer just after the interview.'),
    ],
  };
}

/** The link (or number, or address) that was to follow, sent before the first reminder. */
function joinDetailsForParticipant(ctx: BookingMailContext): Draft {
  const times = participantTimes(ctx);
  if (!hasWayToJoin(ctx)) throw new Error('Mail "join_details" for the participant needs a way to join');
  return {
    to: [ctx.participant.email],
    audience: 'participant',
    subject: `How to join: your chat with ${ctx.workspaceName} on ${times.short}`,
    preheader: ctx.booking.meetingUrl ? 'Your link for the call' : 'Where and how we meet',
    blocks: [
      paragraph(`Hi ${ctx.participant.name},`),
      paragraph(`As promised, here is how to join your conversation with ${ctx.host.name}:`),
      participantFacts(ctx),
      ...(ctx.booking.meetingUrl ? [button(ctx.booking.meetingUrl, 'Join the call')] : []),
      ...manageBlock(ctx),
      paragraph(`Talk soon,`, '\n', ctx.host.name),
      participantFooter(ctx),
    ],
    ics: { method: 'REQUEST' },
  };
}

/** Nobody could give the participant a way to join: the interviewer and the workspace's admins are told, in time to fix it. */
function noWayToJoin(ctx: BookingMailContext): Draft {
  const times = hostTimes(ctx);
  const to = [...new Set([ctx.host.email, ...(ctx.admins ?? []).map((admin) => admin.email)])];
  return {
    to,
    audience: 'team',
    subject: `No way to join yet: ${ctx.participant.name}, ${times.short}`,
    preheader: `${ctx.participant.name} was promised a link before the call.`,
    blocks: [
      paragraph(teamGreeting(ctx)),
      paragraph(
        `${ctx.participant.name}'s ${ctx.study.name} interview with ${ctx.host.name} is on ${times.range}, ${times.zone}, and they have no link, number or address to join with: they were told one would follow.`,
      ),
      paragraph(
        `To fix it, connect ${ctx.host.name}'s Google or Microsoft 365 calendar (it makes the Meet or Teams link) or give ${ctx.host.name} a fallback in the admin app (Members: a personal meeting link, a phone number or an address). The participant's reminders carry it from then on; you can also write to them directly.`,
      ),
      ...teamLinkBlock(ctx),
      muted("Sent by Beckon to the interviewer and the workspace's owners and admins, before the participant's first reminder."),
    ],
  };
}

// ---------------------------------------------------------------- entry point

function draftFor(kind: MailKind, ctx: BookingMailContext, variant: MailVariant | undefined): Draft {
  const audience = (): AudienceVariant => {
    if (variant !== 'participant' && variant !== 'host' && variant !== 'previous_host') throw new Error(`Mail "${kind}" needs the variant "participant", "host" or "previous_host", got ${JSON.stringify(variant)}`);
    return variant;
  };
  switch (kind) {
    case 'confirmation':
      return confirmation(ctx);
    case 'host_notice':
      return hostNotice(ctx);
    case 'reminder':
      if (variant !== '24h' && variant !== '1h') throw new Error(`Mail "reminder" needs the variant "24h" or "1h", got ${JSON.stringify(variant)}`);
      return reminder(ctx, variant);
    case 'rescheduled': {
      const to = audience();
      return to === 'participant' ? rescheduledForParticipant(ctx) : to === 'previous_host' ? movedAwayFromHost(ctx) : rescheduledForTeam(ctx);
    }
    case 'cancelled':
      return audience() === 'participant' ? cancelledForParticipant(ctx) : cancelledForTeam(ctx);
    case 'thank_you':
      return thankYou(ctx);
    case 'incentive':
      return incentive(ctx);
    case 'join_details':
      return audience() === 'participant' ? joinDetailsForParticipant(ctx) : noWayToJoin(ctx);
    case 'attendance':
      if (variant !== undefined && variant !== 'first' && variant !== 'again' && variant !== 'escalate') throw new Error(`Mail "attendance" needs the variant "first", "again" or "escalate", got ${JSON.stringify(variant)}`);
      return attendance(ctx, variant ?? 'first');
    default:
      throw new Error(`Unknown mail kind ${JSON.stringify(kind)}`);
  }
}

export function renderMail(kind: 'confirmation' | 'host_notice' | 'thank_you' | 'incentive', ctx: BookingMailContext): RenderedMail;
export function renderMail(kind: 'attendance', ctx: BookingMailContext, variant?: AttendanceVariant): RenderedMail;
export function renderMail(kind: 'reminder', ctx: BookingMailContext, variant: ReminderVariant): RenderedMail;
export function renderMail(kind: 'rescheduled' | 'cancelled' | 'join_details', ctx: BookingMailContext, variant: AudienceVariant): RenderedMail;
/** For job payloads read from the database: the kind/variant pair is checked at run time and a wrong one throws. */
export function renderMail(kind: MailKind, ctx: BookingMailContext, variant?: MailVariant): RenderedMail;
export function renderMail(kind: MailKind, ctx: BookingMailContext, variant?: MailVariant): RenderedMail {
  const draft = draftFor(kind, ctx, variant);
  if (draft.audience === 'participant' && isErased(ctx.participant)) throw new ErasedParticipant(kind);
  const mail: RenderedMail = {
    to: draft.to,
    subject: draft.subject,
    text: renderText(draft.blocks),
    html: renderHtml(draft.subject, draft.blocks, draft.preheader, draft.audience === 'participant' ? { name: ctx.workspaceName, logoUrl: ctx.logoUrl ?? null } : undefined),
  };
  if (kind === 'thank_you' && ctx.unsubscribeUrl) mail.unsubscribeUrl = ctx.unsubscribeUrl;
  if (draft.audience === 'participant') {
    mail.replyTo = ctx.host.email;
    mail.fromName = ctx.workspaceName;
  } else {
    mail.fromName = 'Beckon';
  }
  if (draft.ics) mail.ics = buildInterviewInvite(draft.icsHost ? { ...ctx, host: draft.icsHost, observers: [] } : ctx, { ...draft.ics, audience: draft.audience });
  return mail;
}
