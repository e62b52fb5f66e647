// The team (owners and admins): who can sign in, with which role; change a role, remove someone
// (after a question), invite by email with a role, and the invitations still open, each revocable.
// Nobody hands out a role above their own, and admins do not touch owners (the server refuses both).
import type { AccountRole, Invitation, TeamMember } from '@beckon/shared/api';
import { useRef, useState } from 'preact/hooks';
import { api } from '../../api.js';
import type { FieldProblem } from '../../lib/fields.js';
import { looksLikeEmail } from '../../lib/fields.js';
import { grantableRoles, mayManage, ROLE_HINTS, ROLE_LABELS } from '../../lib/roles.js';
import { formatDateTime } from '../../lib/time.js';
import { getSession } from '../../session.js';
import { ConfirmButton, LoadError, Loading, Notice, PageHeading, problemOfError, toApiError, useDisplayZone, useLoad } from '../../ui/common.js';
import { Form, SelectField, TextField } from '../../ui/form.js';
import './accounts.css';


const roleOptions = (roles: AccountRole[]) => roles.map((value) => ({ value, label: ROLE_LABELS[value] }));

export function TeamScreen() {
  const session = getSession()!;
  const myRole = session.workspace!.role;
  const team = useLoad(() => api.listTeam(), []);
  const invitations = useLoad(() => api.listInvitations(), []);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const [zone] = useDisplayZone();
  const heading = useRef<HTMLHeadingElement>(null);

  const report = (kind: 'success' | 'error', text: string) => setMessage({ kind, text });
  const open = (invitations.data ?? []).filter((i) => !i.acceptedAt && !i.revokedAt && Date.parse(i.expiresAt) > Date.now());

  return (
    <>
      <PageHeading title="Team">Team</PageHeading>
      <p class="lede">Who can sign in to {session.workspace!.name}, and what their role lets them do. Changing someone’s role or removing them signs them out at once.</p>
      {message && (
        <Notice kind={message.kind} live>
          <p>{message.text}</p>
        </Notice>
      )}
      {team.error && <LoadError error={team.error} what="The team" onRetry={team.reload} />}
      {team.loading && !team.data && <Loading what="the team" />}
      {team.data && (
        <table class="table">
          <caption class="visually-hidden">People in this workspace</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {team.data.map((person) => (
              <TeamRow
                key={person.id}
                person={person}
                self={person.userId === session.user.id}
                myRole={myRole}
                onChanged={(updated) => {
                  team.set(team.data!.map((p) => (p.id === updated.id ? updated : p)));
                  report('success', `${updated.name || updated.email} is now ${ROLE_LABELS[updated.role].toLowerCase()}.`);
                }}
                onRemoved={() => {
                  team.set(team.data!.filter((p) => p.id !== person.id));
                  report('success', `${person.name || person.email} was removed from the workspace and signed out.`);
                }}
                onError={(text) => report('error', text)}
              />
            ))}
          </tbody>
        </table>
      )}

      <InviteForm
        myRole={myRole}
        onInvited={(invitation) => {
          invitations.set([invitation, ...(invitations.data ?? [])]);
          report('success', `Invitation sent to ${invitation.email} as ${ROLE_LABELS[invitation.role].toLowerCase()}. The link in it works once, for 7 days.`);
        }}
        onAttempt={() => setMessage(null)}
      />

      <section class="section" aria-labelledby="open-invitations">
        <h2 id="open-invitations" class="section-title" ref={heading} tabIndex={-1}>
          Open invitations
        </h2>
        {invitations.error && <LoadError error={invitations.error} what="Invitations" onRetry={invitations.reload} />}
        {invitations.data && open.length === 0 && <p class="empty-inline">No open invitations.</p>}
        {open.length > 0 && (
          <table class="table">
            <caption class="visually-hidden">Open invitations</caption>
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Expires</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {open.map((invitation) => (
                <tr key={invitation.id}>
                  <th scope="row" data-label="Email">
                    {invitation.email}
                  </th>
                  <td data-label="Role">{ROLE_LABELS[invitation.role]}</td>
                  <td data-label="Expires">{formatDateTime(invitation.expiresAt, zone)}</td>
                  <td class="cell-actions">
                    <ConfirmButton
                      class="button-small button-secondary"
                      aria-label={`Revoke the invitation to ${invitation.email}`}
                      groupLabel={`Confirm revoking the invitation to ${invitation.email}`}
                      question={`Revoke the invitation to ${invitation.email}? Its link stops working.`}
                      confirmLabel="Revoke invitation"
                      cancelLabel="Keep it"
                      onConfirm={async () => {
                        try {
                          const revoked = await api.revokeInvitation(invitation.id);
                          invitations.set(invitations.data!.map((i) => (i.id === revoked.id ? revoked : i)));
                          report('success', `The invitation to ${invitation.email} was revoked.`);
                          heading.current?.focus();
                        } catch (error) {
                          report('error', toApiError(error).message);
                        }
                      }}
                    >
                      Revoke
                    </ConfirmButton>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

function TeamRow(props: {
  person: TeamMember;
  self: boolean;
  myRole: AccountRole;
  onChanged: (person: TeamMember) => void;
  onRemoved: () => void;
  onError: (message: string) => void;
}) {
  const { person } = props;
  const [role, setRole] = useState<AccountRole>(person.role);
  const [busy, setBusy] = useState(false);
  const who = person.name || person.email;
  const manageable = !props.self && mayManage(props.myRole, person.role);
  const selectId = `role-${person.id}`;
  return (
    <tr>
      <th scope="row" data-label="Name">
        {who} {props.self && <span class="badge">You</span>}
      </th>
      <td data-label="Email">{person.email}</td>
      <td data-label="Role">
        {manageable ? (
          <form
            class="inline-form"
            onSubmit={async (event) => {
              event.preventDefault();
              setBusy(true);
              try {
                props.onChanged(await api.updateTeamMember(person.id, { role }));
              } catch (error) {
                props.onError(toApiError(error).message);
                setRole(person.role);
              } finally {
                setBusy(false);
              }
            }}
          >
            <label class="visually-hidden" for={selectId}>
              Role of {who}
            </label>
            <select id={selectId} value={role} onChange={(e) => setRole((e.currentTarget as HTMLSelectElement).value as AccountRole)}>
              {roleOptions(grantableRoles(props.myRole)).map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
            {role !== person.role && (
              <button type="submit" class="button-small button-primary" disabled={busy} aria-label={`Change the role of ${who}`}>
                {busy ? 'Changing…' : 'Change role'}
              </button>
            )}
          </form>
        ) : (
          ROLE_LABELS[person.role]
        )}
      </td>
      <td class="cell-actions">
        {manageable && (
          <ConfirmButton
            class="button-small button-danger"
            aria-label={`Remove ${who}`}
            groupLabel={`Confirm removing ${who}`}
            question={`Remove ${who} from the workspace? They are signed out at once and can no longer sign in here.`}
            confirmLabel={`Remove ${who}`}
            cancelLabel="Keep"
            onConfirm={async () => {
              try {
                await api.removeTeamMember(person.id);
                props.onRemoved();
              } catch (error) {
                props.onError(toApiError(error).message);
              }
            }}
          >
            Remove
          </ConfirmButton>
        )}
      </td>
    </tr>
  );
}

function InviteForm(props: { myRole: AccountRole; onInvited: (invitation: Invitation) => void; onAttempt: () => void }) {
  const roles = grantableRoles(props.myRole);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<AccountRole>('researcher');
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    props.onAttempt();
    if (!looksLikeEmail(email.trim())) return setProblems([{ field: 'email', message: 'Enter an email address like ada@example.com' }]);
    setBusy(true);
    setProblems([]);
    try {
      props.onInvited(await api.invite({ email: email.trim(), role }));
      setEmail('');
    } catch (error) {
      setProblems([problemOfError(error)]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="section" aria-labelledby="invite">
      <h2 id="invite" class="section-title">
        Invite someone
      </h2>
      <Form problems={problems} onSubmit={submit} aria-label="Invite someone">
        <div class="row">
          <TextField path="email" label="Email" type="email" value={email} autoComplete="off" spellcheck={false} required onInput={setEmail} size="medium" />
          <SelectField path="role" label="Role" hint={ROLE_HINTS[role]} value={role} options={roleOptions(roles)} onChange={setRole} />
        </div>
        <button type="submit" class="button-primary" disabled={busy}>
          {busy ? 'Sending…' : 'Send invitation'}
        </button>
      </Form>
    </section>
  );
}
