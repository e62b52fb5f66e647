// The script tag an engineer pastes into the product, and what else the widget needs to run there.
import type { Workspace } from '@beckon/shared/api';
import { fieldId } from '../../lib/fields.js';
import { embedSnippet } from '../../lib/workspace-form.js';
import { CopyButton, Notice } from '../../ui/common.js';
import { focusField } from '../../ui/form.js';

export function EmbedPanel({ workspace }: { workspace: Workspace }) {
  // The admin app is served by the Beckon server itself, so its origin is the API host.
  const snippet = embedSnippet(workspace.publicKey, window.location.origin);
  const toOrigins = (event: MouseEvent) => {
    event.preventDefault();
    focusField('allowedOrigins');
  };
  return (
    <section class="section settings-embed" aria-labelledby="s-embed">
      <h2 id="s-embed" class="section-title">
        Embed on your site
      </h2>
      <p>
        An engineer pastes this into the <code>&lt;head&gt;</code> of your product’s pages. It loads the widget without slowing the page down.
      </p>
      <div class="snippet">
        <pre class="snippet-code" tabIndex={0} role="region" aria-label="Embed snippet">
          <code>{snippet}</code>
        </pre>
        <div class="snippet-actions">
          <CopyButton text={snippet} label="Copy the embed snippet" what="snippet" />
        </div>
      </div>
      <p class="hint">
        Once a user is signed in, the page tells the widget who they are, so studies can target them: <code>beckon('identify', user.id, {'{ plan: user.plan }'})</code>
        {workspace.requireIdentityVerification ? (
          <>
            , with the signature your servers make: <code>{'{ signature }'}</code> as the fourth argument.
          </>
        ) : (
          '.'
        )}
      </p>
      {workspace.allowedOrigins.length === 0 ? (
        <Notice kind="warning" title="No site may show the widget yet">
          <p>
            The widget only runs on the sites under{' '}
            <a href={`#${fieldId('allowedOrigins')}`} onClick={toOrigins}>
              Allowed origins
            </a>
            . Add your product’s origin, e.g. https://app.example.com, and save.
          </p>
        </Notice>
      ) : (
        <p class="hint">
          The widget only runs on the sites under{' '}
          <a href={`#${fieldId('allowedOrigins')}`} onClick={toOrigins}>
            Allowed origins
          </a>{' '}
          (now {workspace.allowedOrigins.join(', ')}): the site you paste this into must be one of them.
        </p>
      )}
    </section>
  );
}
