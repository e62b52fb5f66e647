// The mail layer as the rest of the server uses it: render a booking email (templates + .ics),
// then send it (SMTP or the development outbox). Tests reach the parts directly.
export { createMailer, messageIdFor, type Mailer } from './mailer.js';
export { ErasedParticipant, renderMail } from './templates.js';
export type { IncentiveHandover, MailKind, MailVariant } from './types.js';
export { hasWayToJoin, MAIL_KINDS } from './types.js';
