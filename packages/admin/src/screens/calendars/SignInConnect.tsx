// Connecting Google Calendar or a Microsoft 365 / Outlook calendar: the member signs in with
// Google or Microsoft through a link made here, in their own browser, so Beckon never sees their
// password.
import type { Member } from '@beckon/shared/api';
import { useState } from 'preact/hooks';
import { api, type ApiError } from '../../api.js';
import type { GoogleConnectLink } from '../../types.js';
import { Notice, toApiError } from '../../ui/common.js';
import { SignInLink } from './SignInLink.js';

const SIGN_IN = {
  google: {
    company: 'Google',
    link: (memberId: string) => api.googleConnectLink(memberId),
    allows: (name: string) =>
      `${name} opens a sign-in link in their own browser, signs in with Google and allows Beckon to see when they are busy and to add interviews. Beckon then uses their primary calendar. Signing in again replaces a broken Google connection.`,
    notConfigured: 'google_oauth_not_configured',
    docs: 'docs/calendars.md (“Google Calendar with your own OAuth client”) has the steps. Until then, connect a Google Workspace service account or a CalDAV calendar.',
  },
  microsoft: {
    company: 'Microsoft',
    link: (memberId: string) => api.microsoftConnectLink(memberId),
    allows: (name: string) =>
      `${name} opens a sign-in link in their own browser, signs in with their Microsoft 365 (work or school) or Outlook.com account and allows Beckon to use their calendars. Beckon then uses their default calendar; you can choose others here afterwards. Signing in again replaces a broken Microsoft connection.`,
    notConfigured: 'microsoft_oauth_not_configured',
    docs: 'docs/calendars.md (“Microsoft 365 and Outlook with your own app registration”) has the steps.',
  },
} as const;

export function SignInConnect(props: { provider: keyof typeof SIGN_IN; member: Member; onCheckAgain: () => void }) {
  const { member } = props;
  const flow = SIGN_IN[props.provider];
  const [link, setLink] = useState<GoogleConnectLink | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      setLink(await flow.link(member.id));
    } catch (e) {
      setLink(null);
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="connect-google">
      <p>{flow.allows(member.name)}</p>
      <button type="button" class="button-primary" onClick={create} disabled={busy}>
        {busy ? 'Creating…' : link ? 'Create a new sign-in link' : `Create a ${flow.company} sign-in link`}
      </button>
      {error &&
        (error.code === flow.notConfigured ? (
          <Notice kind="warning" title={`${flow.company} sign-in is not set up on this server`}>
            <p>{error.message}.</p>
            <p>{flow.docs}</p>
          </Notice>
        ) : (
          <Notice kind="error" title="Could not create a sign-in link">
            <p>{error.message}</p>
          </Notice>
        ))}
      {link && <SignInLink company={flow.company} memberName={member.name} link={link} connectedPage="Calendar connected" onCheckAgain={props.onCheckAgain} />}
    </div>
  );
}
