// What every booking email is rendered from. The job handler builds one of these from the
// booking as it is now (re-read from the database), so a retried or late job never mails
// stale times; everything here is plain data, and the renderers are pure functions of it.

export interface MailPerson {
  name: string;
  email: string;
}

export interface BookingMailContext {
  booking: {
    id: string;
    /** Stays the same for the booking's whole life, reschedules included. */
    icalUid: string;
    /** Raised by the caller on every change (reschedule, cancel) before the mail is rendered. */
    icalSequence: number;
    startsAt: Date;
    endsAt: Date;
    /** The video link; null when there is none (yet). */
    meetingUrl: string | null;
    /** Phone instructions or an address, for studies that do not meet by video. */
    location?: string | null;
    /** The participant's manage page (holds their secret token): reschedule and cancel are both there. */
    manageUrl: string;
    /** The start before a reschedule, so the notice can say what moved. */
    previousStartsAt?: Date | null;
    /** Where the booking came from: "widget" or the `ref` of a hosted booking link. */
    source?: string | null;
    /** The team's page for this booking (admin), if there is one; never the participant's manageUrl. */
    teamUrl?: string | null;
  };
  study: {
    /** The team's internal name: team mails only, never a participant's. */
    name: string;
    /** What participants read as the study's title (its public title, or a neutral default). */
    title: string;
    /** Not used for display: the length shown is always endsAt − startsAt, the booking's own truth. */
    durationMinutes?: number;
    /** One participant-facing sentence on what the conversation is about (e.g. the intercept's body). */
    about?: string | null;
    /** e.g. "a $25 Amazon gift card"; null when the study offers none. */
    incentiveDescription: string | null;
    /** How the incentive reaches them, e.g. "by email from Tremendous within 2 working days". */
    incentiveDelivery?: string | null;
    interviewGuide: string;
    /** The study's hosted booking link (/b/{slug}), shared in the thank-you and after a cancel. */
    bookingUrl: string;
  };
  participant: MailPerson & { timeZone: string };
  host: MailPerson & { timeZone: string };
  /** After a move to another interviewer: who led it before. */
  previousHost?: (MailPerson & { timeZone: string }) | null;
  observers: MailPerson[];
  /** For the attendance escalation and the no-way-to-join warning: the workspace's owners and admins. */
  admins?: MailPerson[];
  qualification: {
    /** The segment they matched, as the PM named it ("Recent sign-ups"); null when none applied. */
    segment: string | null;
    /** Screener answers with option ids already turned into their labels. */
    answers: { question: string; answer: string }[];
  };
  /** The company as participants know it (the workspace's brand name, else its name). */
  workspaceName: string;
  /** The company's logo (https), shown atop participant mails; null: none. */
  logoUrl?: string | null;
  cancelledBy?: 'participant' | 'host';
  /** What the participant wrote when they cancelled, for the team's notice. */
  cancelReason?: string | null;
  /** For the incentive mail: what the PM entered to hand the incentive over. */
  incentiveHandover?: IncentiveHandover;
  /** For non-transactional mail (the thank-you): the participant's unsubscribe link; absent on transactional mail. */
  unsubscribeUrl?: string;
  /** BCP 47 locale for dates and times; en-US by default. The copy itself is English. */
  locale?: string;
}

/** A gift card code, where to redeem it and a line from the team; at least one is set. */
export interface IncentiveHandover {
  code?: string;
  url?: string;
  message?: string;
}

/** A participant whose data was erased on request has no address: they are mailed and invited no more. */
export const isErased = (participant: Pick<MailPerson, 'email'>): boolean => participant.email === '';

/** The participant as written into invites and the team's calendar: name and address, or the name alone once erased. */
export const participantLine = (participant: MailPerson): string => (isErased(participant) ? participant.name : `${participant.name} <${participant.email}>`);

export const MAIL_KINDS = ['confirmation', 'host_notice', 'reminder', 'rescheduled', 'cancelled', 'thank_you', 'incentive', 'attendance', 'join_details'] as const;
export type MailKind = (typeof MAIL_KINDS)[number];
export type ReminderVariant = '24h' | '1h';
export type AudienceVariant = 'participant' | 'host' | 'previous_host';
export type AttendanceVariant = 'first' | 'again' | 'escalate';
export type MailVariant = ReminderVariant | AudienceVariant | AttendanceVariant;

export interface IcsAttachment {
  method: 'REQUEST' | 'CANCEL';
  content: string;
}

export interface RenderedMail {
  /** Bare addresses; display names stay out so no name can smuggle in another address. */
  to: string[];
  /** Participant mails: replies go to the host, a person, not to the sending mailbox. */
  replyTo?: string;
  /** Display name for the From header (the address is the configured one). */
  fromName?: string;
  subject: string;
  text: string;
  html: string;
  ics?: IcsAttachment;
  /** One-click unsubscribe (RFC 8058): sent as List-Unsubscribe and List-Unsubscribe-Post. */
  unsubscribeUrl?: string;
}

/** Whether the participant has been given a way to join: a link, phone instructions or an address. */
export const hasWayToJoin = (ctx: Pick<BookingMailContext, 'booking'>): boolean => Boolean(ctx.booking.meetingUrl || ctx.booking.location);
