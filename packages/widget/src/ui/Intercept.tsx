// The invitation: a non-modal card in a corner (a bottom sheet on small screens). It does not
// take focus or keys from the page; ESC closes it while focus is inside it.
import { useEffect, useState } from 'preact/hooks';
import type { MountOptions, UIEvent } from '../contract.js';

export function Intercept({ o, onAccept, onDecline }: { o: MountOptions; onAccept: () => void; onDecline: (kind: UIEvent) => void }) {
  const { intercept } = o.study;
  // Screen readers hear that an invitation appeared (the region exists before its text does).
  const [note, setNote] = useState('');
  useEffect(() => {
    const t = setTimeout(() => setNote(`Invitation: ${intercept.title}`), 300);
    return () => clearTimeout(t);
  }, []);
  return (
    <section
      class={o.position == 'bottom-left' ? 'card left' : 'card'}
      role="dialog"
      aria-labelledby="beckon-title"
      aria-describedby="beckon-body"
      onKeyDown={(e) => {
        if (e.key == 'Escape') {
          e.stopPropagation();
          onDecline('dismissed');
        }
      }}
    >
      <button type="button" class="x" aria-label="Close" onClick={() => onDecline('dismissed')}>
        ×
      </button>
      <h2 id="beckon-title">{intercept.title}</h2>
      <p id="beckon-body">{intercept.body}</p>
      <Meta o={o} />
      <div class="row">
        <button type="button" class="btn" onClick={onAccept}>
          {intercept.acceptLabel || 'Sure'}
        </button>
        <button type="button" class="btn sec" onClick={() => onDecline('snoozed')}>
          {intercept.declineLabel || 'Not now'}
        </button>
      </div>
      <div class="row">
        <button type="button" class="link" onClick={() => onDecline('opted_out')}>
          Don’t ask me again
        </button>
      </div>
      <p class="sr" role="status">
        {note}
      </p>
    </section>
  );
}

/** How long, and the thank-you. */
export function Meta({ o }: { o: MountOptions }) {
  const { incentive, durationMinutes } = o.study;
  return (
    <p class="meta">
      <span>
        <b>{durationMinutes} minutes</b>, at a time you choose
      </span>
      {incentive && (
        <span>
          Thank-you: <b>{incentive.description}</b>
        </span>
      )}
    </p>
  );
}
