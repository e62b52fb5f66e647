// The mail layer: render a booking email (templates + .ics), then send it (SMTP or the dev outbox).
export { buildInterviewInvite, type InviteOptions } from './ics.js';
export { addressOf, createMailer, DEFAULT_SMTP_TIMEOUTS, messageIdFor, normalizeMessageId, smtpOptionsFromUrl, type Mailer, type MailerOptions, type OutgoingMail, type SendResult, type SmtpTimeouts } from './mailer.js';
export { ErasedParticipant, renderMail } from './templates.js';
export { formatTimes, type ZonedTimes } from './time.js';
export type { AudienceVariant, BookingMailContext, IcsAttachment, IncentiveHandover, MailKind, MailPerson, MailVariant, RenderedMail, ReminderVariant } from './types.js';
export { isErased, MAIL_KINDS, participantLine } from './types.js';
