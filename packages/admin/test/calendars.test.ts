import { describe, expect, it } from 'vitest';
import {
  brokenConnectionFix,
  calDavFromDraft,
  calendarChoiceFromDraft,
  calendarIdsOfText,
  calendarName,
  choiceDraftOf,
  connectErrorMessage,
  describeBusyCalendars,
  describeWriteCalendar,
  emptyCalDavDraft,
  serviceAccountField,
  serviceAccountFromDraft,
} from '../src/lib/calendars.js';

const KEY = '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n';

describe('calendar connections as shown', () => {
  it('names calendars: Google’s primary, a CalDAV URL by its last part unless its name is known', () => {
    expect(calendarName('primary')).toBe('Primary calendar');
    expect(calendarName('https://caldav.example.com/dav/calendars/maya/work%20stuff/')).toBe('work stuff');
    const known = new Map([['https://caldav.example.com/cal/1f3a/', 'Work']]);
    expect(calendarName('https://caldav.example.com/cal/1f3a/', known)).toBe('Work');
    expect(calendarName('team@group.calendar.google.com')).toBe('team@group.calendar.google.com');
  });

  it('says where busy time comes from and where interviews go', () => {
    const caldav = { provider: 'caldav' as const, busyCalendarIds: ['https://x.test/a/work/', 'https://x.test/a/home/'], writeCalendarId: null };
    expect(describeBusyCalendars(caldav)).toBe('work, home');
    expect(describeWriteCalendar(caldav)).toBe('Not written to this calendar');
    expect(describeWriteCalendar({ provider: 'google', writeCalendarId: 'primary' })).toBe('Primary calendar');
    expect(describeBusyCalendars({ provider: 'builtin', busyCalendarIds: [] })).toBe('Beckon bookings only');
    expect(describeWriteCalendar({ provider: 'builtin', writeCalendarId: null })).toBe('The invite in the confirmation email');
  });

  it('names Microsoft calendars by the names listed, never by their ids', () => {
    const ids = ['AAMkADdefault=', 'AAMkADresearch='];
    const outlook = { provider: 'microsoft' as const, busyCalendarIds: ids, writeCalendarId: ids[1]! };
    expect(describeBusyCalendars(outlook)).toBe('2 Outlook calendars');
    expect(describeBusyCalendars({ ...outlook, busyCalendarIds: [ids[0]!] })).toBe('An Outlook calendar');
    expect(describeWriteCalendar(outlook)).toBe('An Outlook calendar');
    const known = new Map([
      [ids[0]!, 'Calendar'],
      [ids[1]!, 'Research interviews'],
    ]);
    expect(describeBusyCalendars(outlook, known)).toBe('Calendar, Research interviews');
    expect(describeWriteCalendar(outlook, known)).toBe('Research interviews');
    expect(describeWriteCalendar({ ...outlook, writeCalendarId: null })).toBe('Not written to this calendar');
  });

  it('says how to fix a broken connection for its kind', () => {
    expect(brokenConnectionFix('google', 'Maya')).toContain('new Google sign-in link and have Maya open it');
    expect(brokenConnectionFix('microsoft', 'Maya')).toContain('new Microsoft sign-in link and have Maya open it');
    expect(brokenConnectionFix('caldav', 'Maya')).toContain('new app-specific password');
  });
});

describe('connect forms', () => {
  it('makes a CalDAV body; the password goes as typed, the optional name only when given', () => {
    const draft = { ...emptyCalDavDraft('fastmail'), username: ' maya@fastmail.com ', password: 'abcd efgh ijkl mnop' };
    expect(draft.serverUrl).toBe('https://caldav.fastmail.com');
    expect(calDavFromDraft(draft)).toEqual({
      body: { provider: 'caldav', serverUrl: 'https://caldav.fastmail.com', username: 'maya@fastmail.com', password: 'abcd efgh ijkl mnop' },
    });
    expect(calDavFromDraft({ ...draft, label: ' Work ' })).toMatchObject({ body: { label: 'Work' } });
  });

  it('names each missing or wrong CalDAV field', () => {
    const result = calDavFromDraft({ ...emptyCalDavDraft('other'), serverUrl: 'caldav.example.com' });
    expect('problems' in result && result.problems.map((p) => p.field)).toEqual(['serverUrl', 'username', 'password']);
    expect('problems' in result && result.problems[0]!.message).toContain('starting with https://');
  });

  it('gives an unreachable server’s terse error some context; other refusals stay as the server says them', () => {
    expect(connectErrorMessage({ code: 'calendar_unreachable', message: 'CalDAV discovery: fetch failed' })).toBe(
      'Beckon could not reach the calendar server (CalDAV discovery: fetch failed). Check the address and try again.',
    );
    expect(connectErrorMessage({ code: 'calendar_auth_failed', message: 'The server refused this username and password' })).toBe('The server refused this username and password');
  });

  it('reads a service account key file; problems land on the one field it has', () => {
    const keyFile = JSON.stringify({ type: 'service_account', client_email: 'beckon@proj.iam.gserviceaccount.com', private_key: KEY });
    expect(serviceAccountFromDraft({ keyFile, subject: '' })).toEqual({
      body: { provider: 'google', mode: 'service_account', clientEmail: 'beckon@proj.iam.gserviceaccount.com', privateKey: KEY },
    });
    expect(serviceAccountFromDraft({ keyFile, subject: 'maya@acme.test' })).toMatchObject({ body: { subject: 'maya@acme.test' } });
    expect(serviceAccountFromDraft({ keyFile: '{ "client_email": "x" ', subject: '' })).toEqual({
      problems: [{ field: 'keyFile', message: 'This is not a JSON key file: paste the whole file, from { to }' }],
    });
    expect(serviceAccountFromDraft({ keyFile: '{"client_id":"1"}', subject: 'maya' })).toMatchObject({ problems: [{ field: 'keyFile' }, { field: 'subject' }] });
    expect(serviceAccountField('privateKey')).toBe('keyFile');
    expect(serviceAccountField('subject')).toBe('subject');
  });
});

describe('choosing calendars on a connection', () => {
  const connection = { busyCalendarIds: ['https://dav.test/maya/work/', 'https://dav.test/maya/home/'], writeCalendarId: null };

  it('starts from what the connection has, and sends nothing when nothing changed (order aside)', () => {
    const draft = choiceDraftOf(connection);
    expect(draft).toEqual({ busy: connection.busyCalendarIds, write: '' });
    expect(calendarChoiceFromDraft({ ...draft, busy: [...draft.busy].reverse() }, connection)).toEqual({ body: null });
  });

  it('sends the new busy calendars and the write calendar, none as null', () => {
    expect(calendarChoiceFromDraft({ busy: ['https://dav.test/maya/work/'], write: 'https://dav.test/maya/work/' }, connection)).toEqual({
      body: { busyCalendarIds: ['https://dav.test/maya/work/'], writeCalendarId: 'https://dav.test/maya/work/' },
    });
    expect(calendarChoiceFromDraft({ busy: ['primary'], write: '' }, { busyCalendarIds: ['primary'], writeCalendarId: 'primary' })).toEqual({
      body: { busyCalendarIds: ['primary'], writeCalendarId: null },
    });
  });

  it('needs at least one busy calendar, at the busy field', () => {
    expect(calendarChoiceFromDraft({ busy: ['  '], write: '' }, connection)).toEqual({ problems: [{ field: 'busyCalendarIds', message: 'Choose at least one calendar to check for busy time' }] });
  });

  it('reads typed Google calendar ids one per line or comma-separated, once each', () => {
    expect(calendarIdsOfText('primary\n research@group.calendar.google.com ,primary\n\n')).toEqual(['primary', 'research@group.calendar.google.com']);
  });
});
