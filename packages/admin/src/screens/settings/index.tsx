// Settings: how the widget gets onto the product, where it may run, how it looks, and how Beckon
// knows who the users are. Each panel is its own file here; erasing a participant has its own
// screen (Privacy), linked from the foot of this one.
import { api } from '../../api.js';
import { href } from '../../router.js';
import { LoadError, Loading, PageHeading, useLoad } from '../../ui/common.js';
import { can } from '../../session.js';
import { ConsentPanel } from './ConsentPanel.js';
import { ContactRulesPanel } from './ContactRulesPanel.js';
import { EmbedPanel } from './EmbedPanel.js';
import { PayoutsPanel } from './PayoutsPanel.js';
import { SsoPanel } from './SsoPanel.js';
import { WorkspaceForm } from './WorkspaceForm.js';
import './settings.css';

export function SettingsScreen() {
  const workspace = useLoad(() => api.getWorkspace(), []);
  return (
    <>
      <PageHeading title="Settings">Settings</PageHeading>
      <p class="lede">How the widget gets onto your product, where it may run, how it looks, and how Beckon knows who your users are.</p>
      {workspace.error && <LoadError error={workspace.error} what="Settings" onRetry={workspace.reload} />}
      {workspace.loading && !workspace.data && <Loading what="settings" />}
      {workspace.data && (
        <>
          <EmbedPanel workspace={workspace.data} />
          <WorkspaceForm key={workspace.data.id} workspace={workspace.data} onSaved={workspace.set} />
          <ContactRulesPanel key={`rules-${workspace.data.id}`} workspace={workspace.data} onSaved={workspace.set} />
          <ConsentPanel />
          {can('settings:write') && <PayoutsPanel />}
          {can('sso:manage') && <SsoPanel />}
          <section class="section" aria-labelledby="s-participants">
            <h2 id="s-participants" class="section-title">
              Participants’ data
            </h2>
            <p>
              When someone asks to be forgotten, <a href={href('/privacy')}>erase a participant</a> under Privacy.
            </p>
          </section>
        </>
      )}
    </>
  );
}
