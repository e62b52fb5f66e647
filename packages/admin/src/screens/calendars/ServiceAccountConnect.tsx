// Connecting through a Google Workspace service account: for admins who grant domain-wide
// delegation, so the member never has to sign in themselves.
import type { Member } from '@beckon/shared/api';
import { useState } from 'preact/hooks';
import { api } from '../../api.js';
import { connectErrorMessage, serviceAccountField, serviceAccountFromDraft, type ServiceAccountDraft } from '../../lib/calendars.js';
import { fieldOfError, type FieldProblem } from '../../lib/fields.js';
import type { CalendarConnection } from '../../types.js';
import { toApiError } from '../../ui/common.js';
import { Form, SaveActions, TextAreaField, TextField } from '../../ui/form.js';

const EMPTY: ServiceAccountDraft = { keyFile: '', subject: '' };

export function ServiceAccountConnect(props: { member: Member; onConnected: (connection: CalendarConnection) => void }) {
  const { member } = props;
  const [draft, setDraft] = useState<ServiceAccountDraft>(EMPTY);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const result = serviceAccountFromDraft(draft);
    if ('problems' in result) return setProblems(result.problems);
    setBusy(true);
    setProblems([]);
    try {
      const { calendar } = await api.connectCalendar(member.id, result.body);
      // The key is not kept in the page once it is stored.
      setDraft(EMPTY);
      props.onConnected(calendar);
    } catch (error) {
      const e = toApiError(error);
      setProblems([{ field: serviceAccountField(fieldOfError(e)), message: connectErrorMessage(e) }]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form problems={problems} onSubmit={submit} aria-label="Connect with a Google service account">
      <p class="hint">
        A service account with domain-wide delegation acts as {member.name}; docs/calendars.md lists the steps and the two scopes to grant. Beckon checks the key
        by reading free/busy, keeps it encrypted, and never shows it again.
      </p>
      <TextAreaField
        path="keyFile"
        label="Key file (JSON)"
        hint="Paste the whole key file downloaded from Google Cloud."
        value={draft.keyFile}
        rows={5}
        code
        onInput={(keyFile) => setDraft({ ...draft, keyFile })}
      />
      <TextField
        path="subject"
        label="Act as (optional)"
        hint={`The Workspace user whose calendar to use; ${member.email} if empty`}
        type="email"
        value={draft.subject}
        size="medium"
        autoComplete="off"
        onInput={(subject) => setDraft({ ...draft, subject })}
      />
      <SaveActions busy={busy} label="Connect" status="" />
    </Form>
  );
}
