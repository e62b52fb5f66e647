// The number of incentives waiting to be sent, beside "Incentives" in the main navigation, so a
// PM sees there is something owed without opening the screen. One request when the page changes
// and when an incentive changes here; on any failure (an older server without the route) the
// count is simply not shown.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';

const listeners = new Set<() => void>();

/** Call after something here changed what is due (an incentive sent, an interview marked done). */
export function incentivesChanged(): void {
  listeners.forEach((listener) => listener());
}

export function DueIncentiveCount(props: { path: string }) {
  const [count, setCount] = useState<number | null>(null);
  const [changes, setChanges] = useState(0);
  useEffect(() => {
    const listener = () => setChanges((n) => n + 1);
    listeners.add(listener);
    return () => void listeners.delete(listener);
  }, []);
  useEffect(() => {
    let current = true;
    api.listIncentives({ status: 'due' }).then(
      (due) => current && setCount(due.length),
      () => current && setCount(null),
    );
    return () => {
      current = false;
    };
  }, [props.path, changes]);
  if (!count) return null;
  return (
    <span class="nav-count">
      <span class="visually-hidden">: </span>
      {count}
      <span class="visually-hidden"> to send</span>
    </span>
  );
}
