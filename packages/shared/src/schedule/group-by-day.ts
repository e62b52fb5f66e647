import { toEpochMs } from './instants.js';
import { localDateOf } from './local-time.js';
import type { InstantInput, SlotDay } from './types.js';

/** Groups slots by the local date of their start in `timeZone` (the participant's), in time order. */
export function groupSlotsByDay<T extends { start: InstantInput }>(
  slots: readonly T[],
  timeZone: string,
): SlotDay<T>[] {
  const sorted = slots
    .map((slot) => ({ slot, startMs: toEpochMs(slot.start) }))
    .sort((a, b) => a.startMs - b.startMs);
  const days: SlotDay<T>[] = [];
  for (const { slot, startMs } of sorted) {
    const date = localDateOf(startMs, timeZone).toString();
    const today = days[days.length - 1];
    if (today?.date === date) today.slots.push(slot);
    else days.push({ date, slots: [slot] });
  }
  return days;
}
