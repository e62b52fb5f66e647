// Connecting Google Calendar: the member signs in with Google through a link made here, in their
// own browser, so Beckon never sees their Google password.
import type { Member } from '@beckon/shared/api';
import { useState } from 'preact/hooks';
import { api, type ApiError } from '../../api.js';
import { browserTimeZone, formatTime } from '../../lib/time.js';
import type { GoogleConnectLink } from '../../types.js';
import { CopyButton, Notice, toApiError } from '../../ui/common.js';

export function GoogleConnect(props: { member: Member; onCheckAgain: () => void }) {
  const { member } = props;
  const [link, setLink] = useState<GoogleConnectLink | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      setLink(await api.googleConnectLink(member.id));
    } catch (e) {
      setLink(null);
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="connect-google">
      <p>
        {member.name} opens a sign-in link in their own browser, signs in with Google and allows Beckon to see when they are busy and to add interviews. Beckon
        then uses their primary calendar. Signing in again replaces a broken Google connection.
      </p>
      <button type="button" class="button-primary" onClick={create} disabled={busy}>
        {busy ? 'Creating…' : link ? 'Create a new sign-in link' : 'Create a Google sign-in link'}
      </button>
      {error &&
        (error.code === 'google_oauth_not_configured' ? (
          <Notice kind="warning" title="Google sign-in is not set up on this server">
            <p>{error.message}.</p>
            <p>
              docs/calendars.md (“Google Calendar with your own OAuth client”) has the steps. Until then, connect a Google Workspace service account or a CalDAV
              calendar.
            </p>
          </Notice>
        ) : (
          <Notice kind="error" title="Could not create a sign-in link">
            <p>{error.message}</p>
          </Notice>
        ))}
      {link && (
        <div class="connect-link" role="group" aria-label="Google sign-in link">
          <div class="booking-link">
            <span class="booking-link-label">
              Sign-in link for {member.name}, works until {formatTime(link.expiresAt, browserTimeZone())}
            </span>
            <a class="booking-url" href={link.url} target="_blank" rel="noopener noreferrer">
              {link.url}
            </a>
            <CopyButton text={link.url} label="Copy the Google sign-in link" />
          </div>
          <p class="hint">
            Send it to {member.name}. Once they see “Calendar connected”,{' '}
            <button type="button" class="button-link" onClick={props.onCheckAgain}>
              check again
            </button>{' '}
            to see the connection here.
          </p>
        </div>
      )}
    </div>
  );
}
