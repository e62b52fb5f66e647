import { MS_PER_MINUTE, toEpochMs, toIsoUtc } from './instants.js';
import type { HostPlan } from './host-plan.js';
import { isHostFree, planHost, windowHolding } from './host-plan.js';
import { MINUTES_PER_DAY } from './local-time.js';
import type { FreeSlot, FreeSlotsInput, HostsFreeAtInput, InstantInput, TimeInterval } from './types.js';

export const DEFAULT_DURATION_MINUTES = 20;
/**
 * Quarter hours: the starts people expect, and every UTC offset in use today is a multiple of
 * 15 minutes, so hosts in different zones share the same instants.
 */
export const DEFAULT_SLOT_STEP_MINUTES = 15;

/** The slot steps a study may use: from 5 minutes to 4 hours, each dividing a day (see slotSettingsProblem). */
export const SLOT_STEP_CHOICES: readonly number[] = Array.from({ length: 240 - 5 + 1 }, (_, i) => i + 5).filter((minutes) => MINUTES_PER_DAY % minutes === 0);

/**
 * Free slots whose start lies in the range, sorted by start, each with the hosts free for it.
 *
 * Slot starts lie on each host's grid: local clock times a multiple of the step past midnight
 * (09:00, 09:15 …), at real instants only, so skipped clock times give no slot and repeated ones
 * give both real instants. round_robin offers the union of the hosts' grids; all_hosts uses the
 * first host's grid and needs every host inside their working hours and free.
 */
export function computeFreeSlots(input: FreeSlotsInput): FreeSlot[] {
  const durationMinutes = input.durationMinutes ?? DEFAULT_DURATION_MINUTES;
  const stepMinutes = input.slotStepMinutes ?? DEFAULT_SLOT_STEP_MINUTES;
  assertSettings(durationMinutes, stepMinutes);
  const durationMs = durationMinutes * MS_PER_MINUTE;
  const rangeFrom = toEpochMs(input.range.from);
  const rangeTo = toEpochMs(input.range.to);
  const now = toEpochMs(input.now);
  const plans = input.hosts.map((host) =>
    planHost(host, {
      rangeFrom,
      rangeTo,
      now,
      durationMs,
      stepMinutes,
      busy: busyOf(input.busy, host.hostId),
      bookings: (input.bookings ?? []).filter((booking) => booking.hostId === host.hostId),
    }),
  );
  const slots = chooseSlots(input.assignment, plans, durationMs);
  return slots.map(({ start, hostIds }) => ({
    start: toIsoUtc(start),
    end: toIsoUtc(start + durationMs),
    hostIds,
  }));
}

/**
 * The hosts free for a slot starting exactly at `start` (for all_hosts: all of them or none).
 * The booking transaction calls this with fresh busy times and bookings; it runs computeFreeSlots
 * over a one-millisecond range, so it can never disagree with the slots that were offered.
 */
export function hostsFreeAt(input: HostsFreeAtInput, start: InstantInput): string[] {
  const startMs = toEpochMs(start);
  const range = { from: new Date(startMs), to: new Date(startMs + 1) };
  const [slot] = computeFreeSlots({ ...input, range });
  return slot?.hostIds ?? [];
}

export function isSlotFree(input: HostsFreeAtInput, start: InstantInput): boolean {
  return hostsFreeAt(input, start).length > 0;
}

/** Own keys only, so a hostId like 'constructor' never picks up Object.prototype. */
function busyOf(busy: FreeSlotsInput['busy'], hostId: string): readonly TimeInterval[] {
  return busy !== undefined && Object.hasOwn(busy, hostId) ? (busy[hostId] ?? []) : [];
}

interface Candidate {
  start: number;
  hostIds: string[];
}

function chooseSlots(assignment: FreeSlotsInput['assignment'], plans: HostPlan[], durationMs: number): Candidate[] {
  switch (assignment) {
    case 'round_robin':
      return roundRobinSlots(plans, durationMs);
    case 'all_hosts':
      return allHostsSlots(plans, durationMs);
    default:
      throw new RangeError(`Unknown assignment "${String(assignment)}"`);
  }
}

/** Every grid start of any host, with the hosts for whom it is a free grid start. */
function roundRobinSlots(plans: HostPlan[], durationMs: number): Candidate[] {
  const starts = [...new Set(plans.flatMap((plan) => [...plan.gridStarts.keys()]))].sort((a, b) => a - b);
  const candidates = starts.map((start) => ({
    start,
    hostIds: plans
      .filter((plan) => {
        const window = plan.gridStarts.get(start);
        return window !== undefined && isHostFree(plan, window, start, durationMs);
      })
      .map((plan) => plan.host.hostId),
  }));
  return candidates.filter((candidate) => candidate.hostIds.length > 0);
}

/** The first host's grid starts at which every host is working and free. */
function allHostsSlots(plans: HostPlan[], durationMs: number): Candidate[] {
  const [lead] = plans;
  if (lead === undefined) return [];
  const everyoneFree = (start: number): boolean =>
    plans.every((plan) => {
      const window = windowHolding(plan, start, durationMs);
      return window !== undefined && isHostFree(plan, window, start, durationMs);
    });
  return [...lead.gridStarts.keys()]
    .filter(everyoneFree)
    .map((start) => ({ start, hostIds: plans.map((plan) => plan.host.hostId) }));
}

/** Why slots cannot be laid out with these settings, in words for the team, or null when they can. */
export function slotSettingsProblem(durationMinutes: number, slotStepMinutes: number): string | null {
  if (!Number.isInteger(durationMinutes) || durationMinutes <= 0) return `The interview length must be a positive whole number of minutes, not ${durationMinutes}`;
  // The step must divide a day so that every local day has the same grid.
  if (!Number.isInteger(slotStepMinutes) || slotStepMinutes <= 0 || MINUTES_PER_DAY % slotStepMinutes !== 0) {
    return `The slot step must divide a day (5, 10, 15, 20, 30, 60 … minutes), not ${slotStepMinutes}`;
  }
  return null;
}

function assertSettings(durationMinutes: number, slotStepMinutes: number): void {
  const problem = slotSettingsProblem(durationMinutes, slotStepMinutes);
  if (problem) throw new RangeError(problem);
}
