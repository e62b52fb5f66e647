import type { Member, MemberCreate } from '@beckon/shared/api';
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import type { FieldProblem } from '../lib/fields.js';
import { browserTimeZone, timeZones } from '../lib/time.js';
import { href } from '../router.js';
import { can } from '../session.js';
import { LoadError, Loading, Notice, PageHeading, problemOfError, StatusBadge, useLoad } from '../ui/common.js';
import { Form, SelectField, TextField } from '../ui/form.js';

export type Role = Member['role'];
export const ROLE_LABELS: Record<Role, string> = { interviewer: 'Interviewer', pm: 'Product manager', admin: 'Admin' };
export const ROLE_OPTIONS = (Object.keys(ROLE_LABELS) as Role[]).map((value) => ({ value, label: ROLE_LABELS[value] }));

export function MembersScreen() {
  const members = useLoad(() => api.listMembers(), []);
  const [added, setAdded] = useState<Member | null>(null);
  return (
    <>
      <PageHeading title="Members">Members</PageHeading>
      <p class="lede">Interviewers lead and observe interviews; their availability decides which slots participants can book.</p>
      {members.error && <LoadError error={members.error} what="Members" onRetry={members.reload} />}
      {members.loading && !members.data && <Loading what="members" />}
      {members.data && members.data.length === 0 && <p class="muted">No members yet. Add the first interviewer below.</p>}
      {members.data && members.data.length > 0 && (
        <table class="table">
          <caption class="visually-hidden">Members</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Time zone</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {members.data.map((m) => (
              <tr key={m.id}>
                <th scope="row" data-label="Name">
                  <a href={href(`/members/${m.id}`)}>{m.name}</a> {!m.active && <StatusBadge status="inactive" label="Inactive" />}
                </th>
                <td data-label="Email">{m.email}</td>
                <td data-label="Role">{ROLE_LABELS[m.role]}</td>
                <td data-label="Time zone">{m.timeZone}</td>
                <td class="cell-actions">
                  <a class="button button-secondary button-small" href={href(`/members/${m.id}`)} aria-label={`Calendars and availability of ${m.name}`}>
                    Calendars and availability
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {added && (
        <Notice kind="success" live>
          <p>
            {added.name} added. <a href={href(`/members/${added.id}`)}>Set {added.name}’s availability</a> so participants can book them.
          </p>
        </Notice>
      )}
      {can('members:write') && (
        <AddMember
          onAttempt={() => setAdded(null)}
          onAdded={(member) => {
            setAdded(member);
            members.set([...(members.data ?? []), member]);
          }}
        />
      )}
    </>
  );
}

function AddMember(props: { onAdded: (member: Member) => void; onAttempt: () => void }) {
  const empty = { name: '', email: '', role: 'interviewer' as Role, timeZone: browserTimeZone() };
  const [draft, setDraft] = useState(empty);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<typeof draft>) => setDraft((d) => ({ ...d, ...patch }));

  const submit = async () => {
    props.onAttempt();
    const found: FieldProblem[] = [];
    if (!draft.name.trim()) found.push({ field: 'name', message: 'Name is required' });
    if (!/^\S+@\S+\.\S+$/.test(draft.email.trim())) found.push({ field: 'email', message: 'Enter an email address like maya@example.com' });
    if (found.length > 0) return setProblems(found);
    setBusy(true);
    setProblems([]);
    try {
      const body: MemberCreate = { name: draft.name.trim(), email: draft.email.trim(), role: draft.role, timeZone: draft.timeZone };
      props.onAdded(await api.createMember(body));
      setDraft({ ...empty, timeZone: draft.timeZone });
    } catch (error) {
      setProblems([problemOfError(error)]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="section" aria-labelledby="add-member">
      <h2 id="add-member" class="section-title">
        Add a member
      </h2>
      <Form problems={problems} onSubmit={submit} aria-label="Add a member">
        <div class="row">
          <TextField path="name" label="Name" value={draft.name} autoComplete="off" maxLength={120} required onInput={(name) => set({ name })} size="medium" />
          <TextField path="email" label="Email" type="email" value={draft.email} autoComplete="off" required onInput={(email) => set({ email })} size="medium" />
        </div>
        <div class="row">
          <SelectField path="role" label="Role" value={draft.role} options={ROLE_OPTIONS} onChange={(role) => set({ role })} />
          <SelectField path="timeZone" label="Time zone" hint="Where they work; their hours are written in it." value={draft.timeZone} options={timeZones(draft.timeZone)} onChange={(timeZone) => set({ timeZone })} />
        </div>
        <button type="submit" class="button-primary" disabled={busy}>
          {busy ? 'Adding…' : 'Add member'}
        </button>
      </Form>
    </section>
  );
}
