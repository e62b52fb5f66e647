// The mail that asks an interviewer to connect Zoom again after its access was revoked.
import { button, heading, muted, paragraph, renderHtml, renderText } from './layout.js';
import type { RenderedMail } from './types.js';

export interface ZoomReconnectMailInput {
  member: { name: string; email: string };
  connection: { label: string };
  /** A fresh consent link (7 days), or the member's page in the admin app. */
  link: string;
}

export function renderZoomReconnect({ member, connection, link }: ZoomReconnectMailInput): RenderedMail {
  const subject = 'Action needed: connect Zoom again so your interviews get their meetings';
  const blocks = [
    heading('Zoom is disconnected'),
    paragraph(
      `Hi ${member.name}, Beckon can no longer make Zoom meetings in “${connection.label}”. Interviews stay booked; until you connect Zoom again, participants get your own meeting link if you set one, or are told a link will follow.`,
    ),
    button(link, 'Connect Zoom again'),
    muted('Connecting again makes the meetings that are missing and sends their links.'),
  ];
  return { to: [member.email], subject, text: renderText(blocks), html: renderHtml(subject, blocks) };
}
