// The intercept events of the funnel, batched: one request a second at most, and whatever is left
// when the page is hidden or unloaded goes with keepalive so it outlives the page. Each request has
// a deadline; failures are dropped (a batch that timed out may have arrived, and a resent one would
// count twice): the funnel is a measure, never a reason to bother the participant.
import type { EventBatch } from '@beckon/shared/api';
import { markShown, optOut, snoozeStudy } from '@beckon/shared/rules/suppression';
import type { MountOptions, UIEvent } from '../contract.js';
import { deadline } from '../deadline.js';

type Event = EventBatch['events'][number];

const FLUSH_MS = 1000;
const TIMEOUT_MS = 10_000;
const BATCH = 50;
const queues = new Map<string, Event[]>();
let timer: ReturnType<typeof setTimeout> | undefined;
let listening = false;

export function flush(): void {
  clearTimeout(timer);
  timer = undefined;
  for (const [api, queue] of queues) {
    while (queue.length) {
      fetch(api + '/events', {
        method: 'POST',
        keepalive: true,
        credentials: 'omit',
        signal: deadline(TIMEOUT_MS),
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ events: queue.splice(0, BATCH) }),
      }).catch(() => {});
    }
  }
}

/**
 * What the UI calls at every step: records the event, and keeps "when not to ask" up to date
 * (shown starts the recontact window, "Not now" snoozes the study, "Don't ask me again" opts out).
 */
export function recorder(o: MountOptions): (kind: UIEvent) => void {
  let suppression = o.suppression ?? {};
  return (kind) => {
    if (kind == 'opted_in') o.onEngage?.();
    if (o.preview) return;
    const now = Date.now();
    const next =
      kind == 'shown'
        ? markShown(suppression, now)
        : kind == 'snoozed'
          ? snoozeStudy(suppression, o.study.id, o.snoozeDays ?? 14, now)
          : kind == 'opted_out'
            ? optOut(suppression)
            : suppression;
    if (next != suppression) o.onSuppress?.((suppression = next));

    if (!queues.has(o.api)) queues.set(o.api, []);
    queues.get(o.api)!.push({
      studyId: o.study.id,
      kind,
      at: new Date(now).toISOString(),
      anonymousId: o.anonymousId,
      userId: o.userId,
      signature: o.signature,
      // What the signature covers, so a workspace that verifies identity can check it.
      traits: o.signature ? o.traits : undefined,
      url: (location.origin + location.pathname).slice(0, 2048),
    });
    timer ??= setTimeout(flush, FLUSH_MS);
    if (!listening) {
      listening = true;
      addEventListener('pagehide', flush);
      document.addEventListener('visibilitychange', () => document.visibilityState == 'hidden' && flush());
    }
  };
}
