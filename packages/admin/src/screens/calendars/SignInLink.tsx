// A sign-in link made for a member (Google, Microsoft, Zoom): shown with its expiry, to copy and
// send them; "check again" shows the connection once they have used it.
import { browserTimeZone, formatTime } from '../../lib/time.js';
import { CopyButton } from '../../ui/common.js';

export function SignInLink(props: {
  company: string;
  memberName: string;
  link: { url: string; expiresAt: string };
  /** What the member sees once the connection is made, e.g. “Calendar connected”. */
  connectedPage: string;
  onCheckAgain: () => void;
}) {
  const { company, memberName, link } = props;
  return (
    <div class="connect-link" role="group" aria-label={`${company} sign-in link`}>
      <div class="booking-link">
        <span class="booking-link-label">
          Sign-in link for {memberName}, works until {formatTime(link.expiresAt, browserTimeZone())}
        </span>
        <a class="booking-url" href={link.url} target="_blank" rel="noopener noreferrer">
          {link.url}
        </a>
        <CopyButton text={link.url} label={`Copy the ${company} sign-in link`} />
      </div>
      <p class="hint">
        Send it to {memberName}. Once they see “{props.connectedPage}”,{' '}
        <button type="button" class="button-link" onClick={props.onCheckAgain}>
          check again
        </button>{' '}
        to see the connection here.
      </p>
    </div>
  );
}
