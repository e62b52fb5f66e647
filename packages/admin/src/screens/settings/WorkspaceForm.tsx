// The workspace's settings as one form with one Save: its panels each edit a part of the same
// draft, so a single save checks and sends all of them together, as the API takes them.
import type { Workspace } from '@beckon/shared/api';
import { useState } from 'preact/hooks';
import { api } from '../../api.js';
import type { FieldProblem } from '../../lib/fields.js';
import { draftFromWorkspace, withoutBlankOrigins, workspaceUpdateFromDraft, type WorkspaceDraft } from '../../lib/workspace-form.js';
import { problemOfError } from '../../ui/common.js';
import { Form, SaveActions } from '../../ui/form.js';
import { IdentityPanel } from './IdentityPanel.js';
import { OriginsPanel } from './OriginsPanel.js';
import { TargetPanel } from './TargetPanel.js';
import { ThemePanel } from './ThemePanel.js';
import { WorkspacePanel } from './WorkspacePanel.js';

/** What a panel gets: the draft, and a way to change part of it. */
export interface PanelProps {
  draft: WorkspaceDraft;
  set: (patch: Partial<WorkspaceDraft>) => void;
}

export function WorkspaceForm(props: { workspace: Workspace; onSaved: (workspace: Workspace) => void }) {
  const [draft, setDraft] = useState<WorkspaceDraft>(() => draftFromWorkspace(props.workspace));
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<WorkspaceDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setStatus('');
  };

  const submit = async () => {
    const compact = withoutBlankOrigins(draft);
    setDraft(compact);
    const result = workspaceUpdateFromDraft(compact, props.workspace);
    if ('problems' in result) return setProblems(result.problems);
    setProblems([]);
    if (!result.body) return setStatus('Nothing changed.');
    setBusy(true);
    try {
      const updated = await api.updateWorkspace(result.body);
      setDraft(draftFromWorkspace(updated));
      props.onSaved(updated);
      setStatus('Settings saved.');
    } catch (error) {
      setProblems([problemOfError(error)]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form problems={problems} onSubmit={submit} aria-label="Workspace settings" class="settings-form">
      <WorkspacePanel draft={draft} set={set} />
      <TargetPanel draft={draft} set={set} />
      <OriginsPanel draft={draft} set={set} seen={props.workspace.originsSeen ?? {}} />
      <ThemePanel draft={draft} set={set} />
      {/* The rotate warning speaks of what is saved, not of the unsaved checkbox. */}
      <IdentityPanel draft={draft} set={set} requiredNow={props.workspace.requireIdentityVerification} />
      <SaveActions busy={busy} label="Save settings" status={status} />
    </Form>
  );
}
