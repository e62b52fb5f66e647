// The workspace's name, privacy policy, date language and how long before someone is asked again.
import { NumberField, TextField } from '../../ui/form.js';
import type { PanelProps } from './WorkspaceForm.js';

export function WorkspacePanel({ draft, set }: PanelProps) {
  return (
    <section class="section" aria-labelledby="s-workspace">
      <h2 id="s-workspace" class="section-title">
        Workspace
      </h2>
      <TextField
        path="name"
        label="Workspace name"
        hint="Participants see it in their emails: “your chat with Acme”."
        value={draft.name}
        maxLength={120}
        required
        size="medium"
        onInput={(name) => set({ name })}
      />
      <TextField
        path="brandName"
        label="Company name for participants (optional)"
        hint="On the booking and manage pages and in every participant email; empty: the workspace name."
        value={draft.brandName}
        maxLength={120}
        size="medium"
        onInput={(brandName) => set({ brandName })}
      />
      <TextField
        path="logoUrl"
        label="Logo (optional)"
        hint="An https:// address of your logo image, shown atop the booking and manage pages and participant emails."
        type="url"
        value={draft.logoUrl}
        spellcheck={false}
        placeholder="https://example.com/logo.png"
        onInput={(logoUrl) => set({ logoUrl })}
      />
      <TextField
        path="privacyUrl"
        label="Privacy policy (optional)"
        hint="The address of your privacy policy; the widget links to it where people enter their details."
        type="url"
        value={draft.privacyUrl}
        spellcheck={false}
        placeholder="https://example.com/privacy"
        onInput={(privacyUrl) => set({ privacyUrl })}
      />
      <div class="row">
        <TextField
          path="locale"
          label="Language for dates"
          hint="How participants see dates and times: en, en-GB, de, fr-CA…"
          value={draft.locale}
          size="short"
          maxLength={5}
          spellcheck={false}
          autoComplete="off"
          onInput={(locale) => set({ locale })}
        />
        <NumberField
          path="recontactDays"
          label="Ask again after"
          hint="Someone who was invited is not invited again for this long; a study can set its own."
          value={draft.recontactDays}
          suffix="days"
          onInput={(recontactDays) => set({ recontactDays })}
        />
      </div>
    </section>
  );
}
