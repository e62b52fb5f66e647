// A member's calendar connections on the member screen: what Beckon reads for busy time and
// writes interviews to, what is broken and how to fix it, and connecting another one. Each way
// of connecting is its own file here; this one lists the connections and picks the way.
import type { Member } from '@beckon/shared/api';
import { useRef, useState } from 'preact/hooks';
import { api } from '../../api.js';
import { calendarName } from '../../lib/calendars.js';
import type { CalendarConnection, DiscoveredCalendar } from '../../types.js';
import { LoadError, Loading, useLoad } from '../../ui/common.js';
import { Fieldset, Radio } from '../../ui/form.js';
import { BuiltinConnect } from './BuiltinConnect.js';
import { CalDavConnect } from './CalDavConnect.js';
import { ConnectionCard } from './ConnectionCard.js';
import { ServiceAccountConnect } from './ServiceAccountConnect.js';
import { SignInConnect } from './SignInConnect.js';
import './calendars.css';

type ConnectKind = 'google' | 'microsoft' | 'caldav' | 'service_account' | 'builtin';

const KIND_CHOICES: { value: ConnectKind; label: string; hint: (name: string) => string }[] = [
  { value: 'google', label: 'Google Calendar', hint: (name) => `${name} signs in with Google once` },
  { value: 'microsoft', label: 'Microsoft 365 or Outlook', hint: (name) => `${name} signs in with Microsoft once` },
  { value: 'caldav', label: 'iCloud, Fastmail, Nextcloud or another CalDAV server', hint: () => 'With an app-specific password' },
  { value: 'service_account', label: 'Google Workspace service account', hint: (name) => `For Workspace admins: ${name} does not sign in` },
  { value: 'builtin', label: 'No external calendar', hint: () => 'Only Beckon bookings count as busy time' },
];

/** `mayChange`: whether the signed-in person may connect, change or remove this member's calendars. */
export function CalendarConnections(props: { member: Member; mayChange: boolean }) {
  const { member } = props;
  const calendars = useLoad(() => api.listCalendars(member.id), [member.id]);
  const [kind, setKind] = useState<ConnectKind>('google');
  /** The broken CalDAV connection being reconnected (Google and Microsoft ones are replaced by signing in again). */
  const [replacing, setReplacing] = useState<CalendarConnection | null>(null);
  const [announcement, setAnnouncement] = useState('');
  // CalDAV calendars are listed by URL and Microsoft's by id; the names they were given are learnt when listed.
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  const sectionHeading = useRef<HTMLHeadingElement>(null);
  const connectHeading = useRef<HTMLHeadingElement>(null);

  const learnNames = (discovered: DiscoveredCalendar[]) => {
    if (discovered.length > 0) setNames((known) => new Map([...known, ...discovered.map((c): [string, string] => [c.url, c.displayName || calendarName(c.url)])]));
  };
  const changed = (message: string, discovered: DiscoveredCalendar[] = []) => {
    learnNames(discovered);
    setAnnouncement(message);
    calendars.reload();
  };

  const reconnect = (connection: CalendarConnection) => {
    setKind(connection.provider === 'caldav' || connection.provider === 'microsoft' ? connection.provider : 'google');
    setReplacing(connection.provider === 'caldav' ? connection : null);
    setAnnouncement('');
    // The connect form is below the list: take the keyboard and the eye there once it is shown.
    requestAnimationFrame(() => {
      connectHeading.current?.focus();
      connectHeading.current?.scrollIntoView({ block: 'start' });
    });
  };

  const list = calendars.data;
  return (
    <section class="section calendars" aria-labelledby="calendars">
      <h2 id="calendars" class="section-title" tabIndex={-1} ref={sectionHeading}>
        Calendars
      </h2>
      <p class="hint">
        Beckon reads these for busy time, so {member.name} is never offered over another meeting, and adds each interview to one of them.
      </p>
      <p role="status" class="saved">
        {announcement}
      </p>
      {calendars.error && <LoadError error={calendars.error} what="Calendars" onRetry={calendars.reload} />}
      {calendars.loading && !list && <Loading what="calendars" />}
      {list && list.length === 0 && (
        <p class="muted">
          No calendar connected yet. Until one is, Beckon only knows about {member.name}’s Beckon bookings and may offer times when they are in other meetings.
        </p>
      )}
      {list && list.length > 0 && (
        <ul class="cards connections">
          {list.map((connection) => (
            <ConnectionCard
              key={connection.id}
              mayChange={props.mayChange}
              connection={connection}
              member={member}
              names={names}
              onReconnect={reconnect}
              onChanged={changed}
              onNames={learnNames}
              onRemoved={() => {
                calendars.set(list.filter((c) => c.id !== connection.id));
                if (replacing?.id === connection.id) setReplacing(null);
                setAnnouncement(`Removed ${connection.label}.`);
                sectionHeading.current?.focus();
              }}
            />
          ))}
        </ul>
      )}

      {props.mayChange && (
        <div class="connect" role="group" aria-labelledby="connect-calendar">
          <h3 id="connect-calendar" class="subsection-title" tabIndex={-1} ref={connectHeading}>
            {replacing ? `Reconnect ${replacing.label}` : 'Connect a calendar'}
          </h3>
          {!replacing && (
            <Fieldset legend="Kind of calendar" class="radios">
              {KIND_CHOICES.map((choice) => (
                <Radio
                  key={choice.value}
                  name="calendar-kind"
                  value={choice.value}
                  current={kind}
                  label={choice.label}
                  hint={choice.hint(member.name)}
                  onChange={(value) => {
                    setKind(value);
                    setAnnouncement('');
                  }}
                />
              ))}
            </Fieldset>
          )}
          {(kind === 'google' || kind === 'microsoft') && <SignInConnect key={kind} provider={kind} member={member} onCheckAgain={calendars.reload} />}
          {kind === 'caldav' && (
            <CalDavConnect
              key={replacing?.id ?? 'new'}
              memberId={member.id}
              replacing={replacing}
              onCancelReplace={() => setReplacing(null)}
              onStored={calendars.reload}
              onChanged={(message, discovered) => {
                setReplacing(null);
                changed(message, discovered);
              }}
            />
          )}
          {kind === 'service_account' && <ServiceAccountConnect member={member} onConnected={(connection) => changed(`Connected ${connection.label}.`)} />}
          {kind === 'builtin' && (
            <BuiltinConnect
              member={member}
              alreadyConnected={Boolean(list?.some((c) => c.provider === 'builtin'))}
              onConnected={(connection) => changed(`Connected ${connection.label}.`)}
            />
          )}
        </div>
      )}
    </section>
  );
}
