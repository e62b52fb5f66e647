import { describe, expect, it } from 'vitest';
import { ErasedParticipant, renderMail } from '../../src/mail/templates.js';
import { formatTimes } from '../../src/mail/time.js';
import type { BookingMailContext, MailKind, MailVariant, RenderedMail } from '../../src/mail/types.js';
import { eventOf } from './support/ical.js';
import { mailContext } from './support/context.js';

/** Every mail Beckon sends, with who reads it and what invite it carries. */
const ALL: { kind: MailKind; variant?: MailVariant; reader: 'participant' | 'team' | 'host'; ics?: 'REQUEST' | 'CANCEL' }[] = [
  { kind: 'confirmation', reader: 'participant', ics: 'REQUEST' },
  { kind: 'host_notice', reader: 'team', ics: 'REQUEST' },
  { kind: 'reminder', variant: '24h', reader: 'participant' },
  { kind: 'reminder', variant: '1h', reader: 'participant' },
  { kind: 'rescheduled', variant: 'participant', reader: 'participant', ics: 'REQUEST' },
  { kind: 'rescheduled', variant: 'host', reader: 'team', ics: 'REQUEST' },
  { kind: 'cancelled', variant: 'participant', reader: 'participant', ics: 'CANCEL' },
  { kind: 'cancelled', variant: 'host', reader: 'team', ics: 'CANCEL' },
  { kind: 'thank_you', reader: 'participant' },
  { kind: 'attendance', reader: 'host' }, // the interviewer marks it, observers are not asked
];

const render = (entry: (typeof ALL)[number], ctx: BookingMailContext): RenderedMail => renderMail(entry.kind, { ...ctx, booking: { teamUrl: 'https://beckon.test/t/b/tok', ...ctx.booking } }, entry.variant);

/** Text shown to the reader, HTML with tags and entities removed, for "does the reader see X" checks. */
function visibleHtml(html: string): string {
  return html
    .replace(/<br>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

describe('times in the reader’s zone (Berlin participant, New York host, 2026-03-16 when only the US is on summer time)', () => {
  const ctx = mailContext();
  const berlin = 'Monday, March 16, 2026, 3:00 – 3:20 PM';
  const newYork = 'Monday, March 16, 2026, 10:00 – 10:20 AM';

  it.each(ALL.filter((e) => e.kind !== 'thank_you'))('$kind $variant shows the time in the reader’s zone, zone named, in text and HTML', (entry) => {
    const mail = render(entry, ctx);
    const [time, zone, other] =
      entry.reader === 'participant'
        ? [berlin, 'Central European Standard Time (Europe/Berlin)', '10:00']
        : [newYork, 'Eastern Daylight Time (America/New_York)', undefined];
    for (const part of [mail.text, visibleHtml(mail.html)]) {
      expect(part).toContain(time);
      expect(part).toContain(zone);
      // Participants never see the host's local time.
      if (other) expect(part).not.toContain(other);
    }
  });

  it('team mails also give the participant’s own time, so the interviewer knows it is their afternoon', () => {
    const mail = renderMail('host_notice', ctx);
    expect(mail.text).toMatch(/Their time:\s+Monday, March 16, 2026, 3:00 – 3:20 PM\n\s+Central European Standard Time \(Europe\/Berlin\)/);
  });

  it('subjects carry the reader’s local time and zone', () => {
    expect(renderMail('confirmation', ctx).subject).toBe('Confirmed: your chat with Acme on Mon, Mar 16, 3:00 PM GMT+1');
    expect(renderMail('host_notice', ctx).subject).toBe('New interview: Ada Lovelace (Recent sign-ups) on Mon, Mar 16, 10:00 AM EDT');
    expect(renderMail('reminder', ctx, '1h').subject).toBe('Starting at 3:00 PM: your chat with Acme');
  });
});

describe('formatTimes across the spring DST changes', () => {
  // US: 2026-03-08 02:00 local; EU: 2026-03-29 01:00 UTC.
  it.each([
    { at: '2026-03-02T15:00:00Z', zone: 'Europe/Berlin', time: '4:00 – 4:20 PM', name: 'Central European Standard Time' },
    { at: '2026-03-02T15:00:00Z', zone: 'America/New_York', time: '10:00 – 10:20 AM', name: 'Eastern Standard Time' },
    { at: '2026-03-16T14:00:00Z', zone: 'Europe/Berlin', time: '3:00 – 3:20 PM', name: 'Central European Standard Time' },
    { at: '2026-03-16T14:00:00Z', zone: 'America/New_York', time: '10:00 – 10:20 AM', name: 'Eastern Daylight Time' },
    { at: '2026-03-27T14:00:00Z', zone: 'Europe/Berlin', time: '3:00 – 3:20 PM', name: 'Central European Standard Time' },
    { at: '2026-03-30T13:00:00Z', zone: 'Europe/Berlin', time: '3:00 – 3:20 PM', name: 'Central European Summer Time' },
    { at: '2026-03-30T13:00:00Z', zone: 'America/New_York', time: '9:00 – 9:20 AM', name: 'Eastern Daylight Time' },
    { at: '2026-03-16T14:00:00Z', zone: 'Asia/Kathmandu', time: '7:45 – 8:05 PM', name: 'Nepal Time' },
  ])('$at in $zone is $time $name', ({ at, zone, time, name }) => {
    const start = new Date(at);
    const times = formatTimes(start, new Date(start.getTime() + 20 * 60_000), zone);
    expect(times.range.endsWith(time)).toBe(true);
    expect(times.zone).toBe(`${name} (${zone})`);
  });

  it('an interview across local midnight names both dates', () => {
    const times = formatTimes(new Date('2026-03-16T22:50:00Z'), new Date('2026-03-16T23:10:00Z'), 'Europe/Berlin');
    expect(times.range).toBe('Monday, March 16, 2026 at 11:50 PM – Tuesday, March 17, 2026 at 12:10 AM');
  });

  it('an unknown zone falls back to UTC and says so', () => {
    const times = formatTimes(new Date('2026-03-16T14:00:00Z'), new Date('2026-03-16T14:20:00Z'), 'Mars/Olympus_Mons');
    expect(times.range).toBe('Monday, March 16, 2026, 2:00 – 2:20 PM');
    expect(times.zone).toBe('Coordinated Universal Time (UTC)');
  });
});

describe('each mail', () => {
  const ctx = mailContext();

  it.each(ALL)('$kind $variant: recipients, reply-to, both parts and the right invite', (entry) => {
    const mail = render(entry, ctx);
    expect(mail.subject.length).toBeGreaterThan(10);
    expect(mail.text.length).toBeGreaterThan(100);
    expect(mail.html).toMatch(/^<!doctype html>/);
    expect(mail.html).toContain(`<title>${mail.subject.replace(/&/g, '&amp;')}</title>`);
    if (entry.reader === 'participant') {
      expect(mail.to).toEqual(['ada@example.com']);
      expect(mail.replyTo).toBe('maya@acme.test');
      expect(mail.fromName).toBe('Acme');
    } else {
      expect(mail.to).toEqual(entry.reader === 'host' ? ['maya@acme.test'] : ['maya@acme.test', 'jonas@acme.test']);
      expect(mail.replyTo).toBeUndefined();
    }
    if (entry.ics) {
      expect(mail.ics?.method).toBe(entry.ics);
      expect(eventOf(mail.ics!.content).calendar.get('METHOD')).toBe(entry.ics);
    } else {
      expect(mail.ics).toBeUndefined();
    }
  });

  it.each(ALL.filter((e) => e.reader === 'participant'))('$kind $variant never shows the observers’ addresses to the participant', (entry) => {
    const mail = render(entry, ctx);
    for (const content of [mail.text, mail.html, mail.ics?.content ?? '']) expect(content).not.toContain('jonas@acme.test');
  });

  it.each(ALL.filter((e) => e.reader === 'team'))('$kind $variant never carries the participant’s private manage link', (entry) => {
    const mail = render(entry, ctx);
    for (const content of [mail.text, mail.html, mail.ics?.content ?? '']) expect(content).not.toContain('tok_secret_123');
  });

  it.each(['confirmation', 'reminder', 'rescheduled'] as const)('%s gives the manage link and names both actions', (kind) => {
    const mail = kind === 'confirmation' ? renderMail(kind, ctx) : kind === 'reminder' ? renderMail(kind, ctx, '24h') : renderMail(kind, ctx, 'participant');
    expect(mail.text).toContain('https://beckon.test/m/tok_secret_123');
    expect(mail.text).toMatch(/reschedule or cancel/i);
    expect(mail.html).toContain('href="https://beckon.test/m/tok_secret_123"');
  });

  it('the confirmation says how long, what it is about, what they get, and where', () => {
    const mail = renderMail('confirmation', ctx);
    expect(mail.text).toMatch(/How long:\s+20 minutes/);
    expect(mail.text).toMatch(/What it's about:\s+Your first week with Acme\s+How your first week with Acme went\./);
    expect(`${mail.subject}${mail.text}${mail.html}${mail.ics?.content}`).not.toContain('Onboarding interviews');
    expect(mail.text).toMatch(/Our thank-you:\s+a \$25 gift card/);
    expect(mail.text).toMatch(/Where:\s+https:\/\/meet\.example\.com\/abc-defg-hij/);
    expect(mail.text).toMatch(/With:\s+Maya Chen from Acme/);
    expect(mail.text).toContain('may join to listen and take notes');
  });

  it('the length shown is the booking’s own, not a stale study setting', () => {
    const mail = renderMail('confirmation', mailContext({ booking: { endsAt: new Date('2026-03-16T14:45:00Z') }, study: { durationMinutes: 20 } }));
    expect(mail.text).toMatch(/How long:\s+45 minutes/);
  });

  it('without a meeting link or incentive, the confirmation says so instead of printing null', () => {
    const mail = renderMail('confirmation', mailContext({ booking: { meetingUrl: null }, study: { incentiveDescription: null } }));
    expect(mail.text).toContain("We'll send the link before the call");
    expect(mail.text).not.toContain('thank-you:');
    expect(mail.text).not.toContain('null');
  });

  it('the host notice gives who, segment, source, screener answers and the guide', () => {
    const mail = renderMail('host_notice', ctx);
    for (const part of [mail.text, visibleHtml(mail.html)]) {
      expect(part).toContain('Ada Lovelace');
      expect(part).toContain('ada@example.com');
      expect(part).toContain('Recent sign-ups');
      expect(part).toContain('widget');
      expect(part).toContain('What do you mainly use Acme for?');
      expect(part).toContain('Invoicing my clients');
      expect(part).toContain('Tell me about the last time you sent an invoice.\nWhat happened next?');
      expect(part).toContain('Onboarding interviews');
      expect(part).toContain('who else should we talk to?');
    }
    expect(mail.text).toMatch(/Observers:\s+Jonas Weber/);
  });

  it('the host notice without observers greets the host and goes to the host alone', () => {
    const mail = renderMail('host_notice', mailContext({ observers: [] }));
    expect(mail.to).toEqual(['maya@acme.test']);
    expect(mail.text.startsWith('Hi Maya Chen,')).toBe(true);
  });

  it('the host notice without segment, answers or guide says so', () => {
    const mail = renderMail('host_notice', mailContext({ qualification: { segment: null, answers: [] }, study: { interviewGuide: '  ' } }));
    expect(mail.text).toMatch(/Segment:\s+None recorded/);
    expect(mail.text).toContain('No screener answers.');
    expect(mail.text).toContain('This study has no guide yet');
    expect(mail.subject).toBe('New interview: Ada Lovelace on Mon, Mar 16, 10:00 AM EDT');
  });

  it('the two reminders differ: the 1 h one leads with the join link', () => {
    const day = renderMail('reminder', ctx, '24h');
    const hour = renderMail('reminder', ctx, '1h');
    expect(day.subject).toBe('Reminder: your chat with Acme on Mon, Mar 16, 3:00 PM GMT+1');
    expect(day.text).toContain('about a day from now');
    expect(hour.text).toContain('starts in about an hour');
    expect(hour.text).toContain('Join the call:\nhttps://meet.example.com/abc-defg-hij');
    expect(day.text).not.toContain('Join the call');
  });

  it('the reschedule notices say where it moved from, each in its reader’s zone', () => {
    const moved = mailContext({ booking: { previousStartsAt: new Date('2026-03-13T14:00:00Z'), icalSequence: 1 } });
    expect(renderMail('rescheduled', moved, 'participant').text).toContain('moved from Fri, Mar 13, 3:00 PM GMT+1');
    expect(renderMail('rescheduled', moved, 'host').text).toContain('moved from Fri, Mar 13, 10:00 AM EDT');
  });

  it('the cancel notice to the participant fits who cancelled, and offers the booking link', () => {
    const byThem = renderMail('cancelled', mailContext({ cancelledBy: 'participant' }), 'participant');
    const byUs = renderMail('cancelled', mailContext({ cancelledBy: 'host' }), 'participant');
    expect(byThem.text).toContain('Thanks for letting us know');
    expect(byUs.text).toContain("We're sorry: we had to cancel");
    for (const mail of [byThem, byUs]) expect(mail.text).toContain('https://beckon.test/b/onboarding');
    expect(renderMail('cancelled', mailContext({ cancelledBy: 'participant' }), 'host').text).toContain('Ada Lovelace cancelled');
    expect(renderMail('cancelled', mailContext({ cancelledBy: 'host' }), 'host').text).toContain('The team cancelled');
  });

  it('the thank-you covers the incentive and asks who else we should talk to, with the booking link', () => {
    const mail = renderMail('thank_you', mailContext({ study: { incentiveDelivery: 'by email from Tremendous within 2 working days' } }));
    expect(mail.text).toContain('a $25 gift card is on its way to you, by email from Tremendous within 2 working days');
    expect(mail.text).toContain('who else should we talk to?');
    expect(mail.text).toContain('https://beckon.test/b/onboarding');
    expect(mail.html).toContain('href="https://beckon.test/b/onboarding"');
    expect(renderMail('thank_you', mailContext({ study: { incentiveDescription: null } })).text).not.toContain('on its way');
  });

  it('the incentive mail hands over the code, the link and the team’s message, on the participant’s own day', () => {
    const handover = { code: 'GIFT-1234-ABCD', url: 'https://gifts.example.test/redeem?c=1&d=2', message: 'It works in 40 stores.' };
    const mail = renderMail('incentive', mailContext({ incentiveHandover: handover }));
    expect(mail.to).toEqual(['ada@example.com']);
    expect(mail.subject).toBe('Your thank-you from Acme: a $25 gift card');
    expect(mail.replyTo).toBe(mailContext().host.email);
    expect(mail.text).toContain('Thank you again for talking with Maya Chen on Monday, March 16. As promised, here is a $25 gift card.');
    for (const part of [mail.text, visibleHtml(mail.html)]) {
      expect(part).toContain('GIFT-1234-ABCD');
      expect(part).toContain('It works in 40 stores.');
    }
    expect(mail.html).toContain('href="https://gifts.example.test/redeem?c=1&amp;d=2"');
    expect(mail.html).toContain('Redeem it');
    // Without a code, the link is what claims it; a link alone or a message alone is enough.
    expect(renderMail('incentive', mailContext({ incentiveHandover: { url: handover.url } })).html).toContain('Claim it');
    expect(renderMail('incentive', mailContext({ incentiveHandover: { message: 'Your credit is on your account.' } })).text).not.toContain('Your code');
    expect(() => renderMail('incentive', mailContext())).toThrow(/incentive/);
    const hostile = renderMail('incentive', mailContext({ incentiveHandover: { code: '<b>x</b>', url: 'javascript:alert(1)' } }));
    expect(hostile.html).not.toContain('<b>x');
    expect(hostile.html).not.toMatch(/href="javascript:/i);
  });

  it('a participant erased on request is mailed nothing, and the team’s mails and invites carry no address for them', () => {
    const erased = mailContext({ participant: { name: 'A participant whose data was erased', email: '' } });
    for (const entry of ALL.filter((e) => e.reader === 'participant')) expect(() => render(entry, erased)).toThrow(ErasedParticipant);
    expect(() => renderMail('incentive', { ...erased, incentiveHandover: { code: 'X' } })).toThrow(ErasedParticipant);
    for (const entry of ALL.filter((e) => e.reader === 'team')) {
      const mail = render(entry, erased);
      expect(mail.to).not.toContain('');
      expect(mail.html).not.toContain('mailto:"');
      expect(mail.html).not.toMatch(/mailto:(?=["<])/);
      expect(mail.text).toContain('A participant whose data was erased');
      if (mail.ics) {
        expect(mail.ics.content).not.toMatch(/ATTENDEE[^\n]*:mailto:\r?\n/);
        expect(mail.ics.content).not.toContain('<>');
      }
    }
  });

  it('asks the interviewer just after the interview whether it happened, with one link to mark it', () => {
    const mail = renderMail('attendance', mailContext({ booking: { teamUrl: 'https://beckon.test/t/b/tok' } }));
    expect(mail.to).toEqual(['maya@acme.test']);
    expect(mail.subject).toBe('Did it happen? Ada Lovelace, Mon, Mar 16, 10:00 AM EDT');
    expect(mail.html).toContain('href="https://beckon.test/t/b/tok"');
    expect(mail.text).toContain('Marked done, a $25 gift card becomes due');
    expect(mail.ics).toBeUndefined();
    expect(renderMail('attendance', mailContext({ booking: { teamUrl: 'https://beckon.test/t/b/tok' }, study: { incentiveDescription: null } })).text).toContain('no thank-you goes out');
    expect(() => renderMail('attendance', mailContext())).toThrow(/team page/);
  });

  it('a kind and variant that do not belong together are refused', () => {
    expect(() => renderMail('reminder', ctx, 'host' as never)).toThrow(/24h/);
    expect(() => renderMail('cancelled', ctx, undefined as never)).toThrow(/participant/);
    expect(() => renderMail('nonsense' as MailKind, ctx)).toThrow(/Unknown mail kind/);
  });
});

describe('when plans change', () => {
  const previousHost = { name: 'Ben Okafor', email: 'ben@acme.test', timeZone: 'Europe/Berlin' };

  it('tells the participant who now leads, and the first interviewer that it is off their calendar (a CANCEL in their name)', () => {
    const moved = mailContext({ booking: { previousStartsAt: new Date('2026-03-16T12:00:00Z') } });
    moved.previousHost = previousHost;
    const participant = renderMail('rescheduled', moved, 'participant');
    expect(participant.text).toContain("You'll now talk with Maya Chen, who takes over from Ben Okafor");
    expect(participant.text).toContain('has moved from');
    const sameTime = mailContext({ booking: { previousStartsAt: new Date('2026-03-16T14:00:00Z') } });
    sameTime.previousHost = previousHost;
    const handedOver = renderMail('rescheduled', sameTime, 'participant');
    expect(handedOver.subject).toMatch(/^New interviewer: /);
    expect(handedOver.text).toContain('keeps its time, with a new interviewer');
    const first = renderMail('rescheduled', moved, 'previous_host');
    expect(first.to).toEqual(['ben@acme.test']);
    expect(first.subject).toBe('No longer yours: Ada Lovelace on Mon, Mar 16, 1:00 PM GMT+1');
    expect(first.text).toContain('has moved to Maya Chen');
    expect(first.ics?.method).toBe('CANCEL');
    expect(first.ics?.content).toContain('ORGANIZER;CN="Ben Okafor":mailto:ben@acme.test');
    expect(first.ics?.content).not.toContain('jonas@acme.test');
    expect(() => renderMail('rescheduled', mailContext(), 'previous_host')).toThrow(/previous host/);
  });

  it('asks again, then the admins, whether an interview happened', () => {
    const ctx = mailContext({ booking: { teamUrl: 'https://beckon.test/t/b/tok' } });
    expect(renderMail('attendance', ctx, 'again').subject).toMatch(/^Still to mark: Ada Lovelace/);
    expect(() => renderMail('attendance', ctx, 'escalate')).toThrow(/admins/);
    ctx.admins = [{ name: 'Olivia', email: 'olivia@acme.test' }];
    const escalated = renderMail('attendance', ctx, 'escalate');
    expect(escalated.to).toEqual(['olivia@acme.test']);
    expect(escalated.text).toContain('though Maya Chen was asked twice');
    expect(() => renderMail('attendance', ctx, 'host' as never)).toThrow(/first/);
  });

  it('sends the way to join that was to follow, or tells the team there is none', () => {
    const phone = mailContext({ booking: { meetingUrl: null, location: 'By phone: +49 40 555 0100' } });
    const howTo = renderMail('join_details', phone, 'participant');
    expect(howTo.to).toEqual(['ada@example.com']);
    expect(howTo.text).toContain('By phone: +49 40 555 0100');
    const none = mailContext({ booking: { meetingUrl: null, location: null } });
    expect(() => renderMail('join_details', none, 'participant')).toThrow(/way to join/);
    none.admins = [{ name: 'Olivia', email: 'olivia@acme.test' }, { name: 'Maya', email: 'maya@acme.test' }];
    const warning = renderMail('join_details', none, 'host');
    expect(warning.to).toEqual(['maya@acme.test', 'olivia@acme.test']);
    expect(warning.subject).toMatch(/^No way to join yet: Ada Lovelace/);
    expect(renderMail('confirmation', none).text).toContain("We'll send the link before the call");
  });
});

describe('HTML escaping', () => {
  const evil = '<script>alert(1)</script>';
  const ctx = mailContext({
    booking: { meetingUrl: 'javascript:alert(1)', manageUrl: 'https://beckon.test/m/x?a=1&b="2"', location: `<b>room</b> ${evil}` },
    study: { name: `Study ${evil}`, about: `About ${evil}`, incentiveDescription: `<img src=x onerror=alert(1)>`, interviewGuide: `Guide ${evil}` },
    participant: { name: `Ada ${evil}` },
    host: { name: `Maya ${evil}` },
    observers: [{ name: `Jonas ${evil}`, email: 'jonas@acme.test' }],
    qualification: { segment: `Segment ${evil}`, answers: [{ question: `Q ${evil}`, answer: `A ${evil}` }] },
    workspaceName: `Acme ${evil}`,
  });

  it.each(ALL)('$kind $variant: every value is escaped, no markup from data survives', (entry) => {
    const mail = render(entry, ctx);
    expect(mail.html).not.toContain('<script');
    expect(mail.html).not.toContain('<img');
    expect(mail.html).not.toContain('<b>');
    expect(mail.html).not.toMatch(/href="javascript:/i);
    expect(mail.html).toContain('Ada &lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('a link with quotes and ampersands stays inside its attribute', () => {
    const mail = renderMail('confirmation', ctx);
    expect(mail.html).toContain('href="https://beckon.test/m/x?a=1&amp;b=%222%22"');
  });

  it('a non-web meeting link is shown as text, not as a link', () => {
    const mail = renderMail('confirmation', ctx);
    expect(visibleHtml(mail.html)).toContain('javascript:alert(1)');
    expect(mail.html).not.toContain('href="javascript');
  });

  it.each(ALL)('$kind $variant: the text part keeps names as written', (entry) => {
    expect(render(entry, ctx).text).toContain(`Ada ${evil}`);
    expect(render(entry, ctx).text).not.toContain('&lt;');
  });
});
