// The mail that asks an interviewer to reconnect a calendar whose access was revoked.
import { button, heading, muted, paragraph, renderHtml, renderText } from './layout.js';
import type { RenderedMail } from './types.js';

export interface ReconnectMailInput {
  member: { name: string; email: string };
  connection: { label: string; provider: 'google' | 'microsoft' | 'caldav' | 'builtin' };
  /** A fresh sign-in link (Google, Microsoft: 7 days) or the member's page in the admin app. */
  link: string;
}

export function renderCalendarReconnect({ member, connection, link }: ReconnectMailInput): RenderedMail {
  const subject = 'Action needed: reconnect your calendar to keep getting interviews';
  const blocks = [
    heading('Your calendar is disconnected'),
    paragraph(`Hi ${member.name}, Beckon can no longer read your calendar “${connection.label}”, so you are not offered for interviews until it is reconnected. Interviews already booked stay booked.`),
    button(link, 'Reconnect my calendar'),
    muted(connection.provider === 'caldav' ? 'For iCloud or Fastmail, create a new app-specific password and add the calendar again.' : 'The link works for 7 days.'),
  ];
  return { to: [member.email], subject, text: renderText(blocks), html: renderHtml(subject, blocks) };
}
