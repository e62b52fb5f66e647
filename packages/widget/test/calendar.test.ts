import { describe, expect, it } from 'vitest';
import { googleCalendarUrl, ics, icsHref } from '../src/ui/calendar.js';

const event = {
  uid: '8f1c7a52-0000-4000-8000-000000000001@beckon',
  start: '2026-03-30T07:00:00Z',
  end: '2026-03-30T07:20:00Z',
  title: 'Interview: Onboarding, part 2; with Acme\\Research',
  description: 'Join: https://meet.example.test/acme\nSee you there',
  location: 'https://meet.example.test/acme',
  url: 'https://beckon.example.test/m/abc',
};

describe('.ics built from the booking', () => {
  const text = ics(event, Date.parse('2026-03-01T12:00:00Z'));
  const lines = text.split('\r\n');

  it('is a VCALENDAR with one VEVENT in UTC, CRLF line ends', () => {
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/\n/);
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines).toContain('VERSION:2.0');
    expect(lines).toContain('DTSTART:20260330T070000Z');
    expect(lines).toContain('DTEND:20260330T072000Z');
    expect(lines).toContain('DTSTAMP:20260301T120000Z');
    expect(lines).toContain(`UID:${event.uid}`);
    expect(lines.filter((l) => l == 'BEGIN:VEVENT')).toHaveLength(1);
  });

  it('escapes text values and folds long lines at 75 octets without splitting characters', () => {
    const unfolded = text.replace(/\r\n /g, '');
    expect(unfolded).toContain('SUMMARY:Interview: Onboarding\\, part 2\\; with Acme\\\\Research');
    expect(unfolded).toContain('DESCRIPTION:Join: https://meet.example.test/acme\\nSee you there');
    for (const line of lines) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    const long = ics({ ...event, title: 'Entretien “découverte” — ünïcödé '.repeat(6) });
    for (const line of long.split('\r\n')) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    expect(long.replace(/\r\n /g, '')).toContain('Entretien “découverte” — ünïcödé '.repeat(6).trim());
  });

  it('is offered as a data: URL (no blob, nothing for CSP to refuse but a download)', () => {
    expect(icsHref(event).startsWith('data:text/calendar;charset=utf-8,BEGIN%3AVCALENDAR')).toBe(true);
  });

  it('links to Google Calendar with the UTC range, details and location', () => {
    const url = new URL(googleCalendarUrl(event));
    expect(url.origin + url.pathname).toBe('https://calendar.google.com/calendar/render');
    expect(url.searchParams.get('action')).toBe('TEMPLATE');
    expect(url.searchParams.get('dates')).toBe('20260330T070000Z/20260330T072000Z');
    expect(url.searchParams.get('text')).toBe(event.title);
    expect(url.searchParams.get('location')).toBe(event.location);
    expect(url.searchParams.get('details')).toContain('https://beckon.example.test/m/abc');
  });
});
