// Identity verification: whether Beckon insists that identify calls are signed, and the secret
// the product's servers sign them with.
import { Checkbox, ErrorSlot } from '../../ui/form.js';
import { IdentitySecret } from './IdentitySecret.js';
import type { PanelProps } from './WorkspaceForm.js';

export function IdentityPanel({ draft, set, requiredNow }: PanelProps & { requiredNow: boolean }) {
  return (
    <section class="section" aria-labelledby="s-identity">
      <h2 id="s-identity" class="section-title">
        Identity verification
      </h2>
      <p>
        Anyone can call <code>beckon('identify', …)</code> in their own browser with any user id and traits. With verification required, your servers sign each
        user’s id and traits with the identity secret, and Beckon refuses opt-ins and bookings that are not signed.
      </p>
      <ErrorSlot path="requireIdentityVerification">
        <Checkbox
          label="Require identity verification"
          hint=" · turn it on once your servers sign every identify call"
          checked={draft.requireIdentityVerification}
          onChange={(requireIdentityVerification) => set({ requireIdentityVerification })}
        />
      </ErrorSlot>
      <IdentitySecret required={requiredNow} />
    </section>
  );
}
