// The built-in calendar: for interviewers whose calendar Beckon cannot read, only Beckon's own
// bookings count as busy time.
import type { Member } from '@beckon/shared/api';
import { useState } from 'preact/hooks';
import { api, type ApiError } from '../../api.js';
import type { CalendarConnection } from '../../types.js';
import { Notice, toApiError } from '../../ui/common.js';

export function BuiltinConnect(props: { member: Member; alreadyConnected: boolean; onConnected: (connection: CalendarConnection) => void }) {
  const { member } = props;
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const connect = async () => {
    setBusy(true);
    setError(null);
    try {
      props.onConnected((await api.connectCalendar(member.id, { provider: 'builtin' })).calendar);
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <p>
        Only {member.name}’s Beckon bookings count as busy time, and the invite in the confirmation email is the calendar entry. For interviewers whose calendar
        Beckon cannot read.
      </p>
      {props.alreadyConnected ? (
        <p class="muted">{member.name} already uses the built-in calendar.</p>
      ) : (
        <button type="button" class="button-primary" onClick={connect} disabled={busy}>
          Use the built-in calendar
        </button>
      )}
      {error && (
        <Notice kind="error" title="Could not connect">
          <p>{error.message}</p>
        </Notice>
      )}
    </div>
  );
}
