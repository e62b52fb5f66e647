// A member's Zoom account on the member screen: for studies whose interviews happen on Zoom,
// Beckon makes a meeting there for each interview. The member signs in with Zoom through a link
// made here, in their own browser; a broken connection says why and offers a new link.
import type { Member, ZoomConnectLink } from '@beckon/shared/api';
import { useState } from 'preact/hooks';
import { api, type ApiError } from '../../api.js';
import { browserTimeZone, formatLocalDate, localDate } from '../../lib/time.js';
import { ConfirmButton, LoadError, Loading, Notice, StatusBadge, toApiError, useLoad } from '../../ui/common.js';
import { SignInLink } from './SignInLink.js';

/** `mayChange`: whether the signed-in person may connect or disconnect this member's Zoom. */
export function ZoomConnection(props: { member: Member; mayChange: boolean }) {
  const { member } = props;
  const state = useLoad(() => api.getZoom(member.id), [member.id]);
  const [link, setLink] = useState<ZoomConnectLink | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [announcement, setAnnouncement] = useState('');

  const createLink = async () => {
    setBusy(true);
    setError(null);
    try {
      setLink(await api.zoomConnectLink(member.id));
    } catch (e) {
      setLink(null);
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };

  const disconnect = async () => {
    setError(null);
    try {
      await api.disconnectZoom(member.id);
    } catch (e) {
      const apiError = toApiError(e);
      // Already gone (disconnected in another tab): the section catches up.
      if (apiError.code !== 'zoom_not_connected') return setError(apiError);
    }
    setLink(null);
    setAnnouncement('Disconnected Zoom.');
    state.reload();
  };

  const connection = state.data?.zoom ?? null;
  const broken = connection?.status === 'broken';
  return (
    <section class="section calendars" aria-labelledby="zoom">
      <h2 id="zoom" class="section-title">
        Zoom
      </h2>
      <p class="hint">For studies whose interviews happen on Zoom, Beckon makes a meeting in {member.name}’s Zoom account for each interview and sends its link.</p>
      <p role="status" class="saved">
        {announcement}
      </p>
      {state.error && <LoadError error={state.error} what="Zoom" onRetry={state.reload} />}
      {state.loading && !state.data && <Loading what="Zoom" />}
      {state.data && !state.data.configured && (
        <Notice kind="warning" title="Zoom is not set up on this server">
          <p>Set ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET (a Zoom Marketplace app of your own); docs/calendars.md (“Zoom meetings”) has the steps.</p>
        </Notice>
      )}
      {state.data?.configured && !connection && <p class="muted">Not connected. Zoom studies give {member.name}’s participants their own meeting link instead, or tell them a link will follow.</p>}
      {connection && (
        <ul class="cards connections">
          <li class={`card connection${broken ? ' connection-broken' : ''}`} aria-labelledby="zoom-connection">
            <div class="card-head">
              <h3 id="zoom-connection" class="card-title">
                {connection.label}
              </h3>
              <StatusBadge status={connection.status} label={broken ? 'Broken' : 'Connected'} />
            </div>
            <dl class="facts">
              <div>
                <dt>Connected</dt>
                <dd>{formatLocalDate(localDate(connection.createdAt, browserTimeZone()), undefined, 'medium')}</dd>
              </div>
            </dl>
            {broken && (
              <Notice kind="warning" title="Not working: interviews get no Zoom meeting until Zoom is connected again">
                {connection.lastError && <p class="last-error">Zoom said: {connection.lastError}</p>}
                <p>{member.name} signs in with Zoom again through a new link; the missing meetings are then made and their links sent.</p>
              </Notice>
            )}
            {props.mayChange && (
              <div class="card-actions">
                <ConfirmButton
                  class="button-danger button-small"
                  aria-label={`Disconnect Zoom ${connection.label}`}
                  groupLabel={`Confirm disconnecting Zoom ${connection.label}`}
                  question={`Disconnect ${connection.label}? Meetings already made stay in Zoom; new interviews get no Zoom meeting.`}
                  confirmLabel="Yes, disconnect"
                  cancelLabel="Keep it"
                  onConfirm={disconnect}
                >
                  Disconnect
                </ConfirmButton>
              </div>
            )}
          </li>
        </ul>
      )}
      {error && (
        <Notice kind="error" title="Zoom">
          <p>{error.message}</p>
        </Notice>
      )}
      {props.mayChange && state.data?.configured && (!connection || broken) && (
        <div class="connect">
          <p>{member.name} opens a sign-in link in their own browser, signs in with Zoom and allows Beckon to make meetings. Beckon never sees their Zoom password.</p>
          <button type="button" class="button-primary" onClick={createLink} disabled={busy}>
            {busy ? 'Creating…' : link ? 'Create a new Zoom sign-in link' : 'Create a Zoom sign-in link'}
          </button>
          {link && <SignInLink company="Zoom" memberName={member.name} link={link} connectedPage="Zoom connected" onCheckAgain={state.reload} />}
        </div>
      )}
    </section>
  );
}
