import { toEpochMs } from './instants.js';
import type { HostBookingStats } from './types.js';

/**
 * Picks who leads among the hosts free at the chosen slot: the fewest bookings this week for this
 * study, then the least recently booked (never booked first), then the smallest hostId so the
 * choice is deterministic. Hosts without stats count as never booked. Null when none is free.
 */
export function chooseHost(freeHostIds: readonly string[], stats: readonly HostBookingStats[]): string | null {
  return rankHosts(freeHostIds, stats)[0] ?? null;
}

/** Every free host in turn order: the next one to try when the one before was just taken. */
export function rankHosts(freeHostIds: readonly string[], stats: readonly HostBookingStats[]): string[] {
  const statsById = new Map(stats.map((entry) => [entry.hostId, entry]));
  return freeHostIds
    .map((hostId) => statsById.get(hostId) ?? { hostId, bookingsThisWeekForStudy: 0, lastBookedAt: null })
    .sort(compareForNextTurn)
    .map((entry) => entry.hostId);
}

function compareForNextTurn(a: HostBookingStats, b: HostBookingStats): number {
  return (
    a.bookingsThisWeekForStudy - b.bookingsThisWeekForStudy ||
    compareLastBooked(a.lastBookedAt, b.lastBookedAt) ||
    compareCodeUnits(a.hostId, b.hostId)
  );
}

/** Never booked comes first, then the earliest last booking. */
function compareLastBooked(a: string | null, b: string | null): number {
  if (a === null || b === null) return (a === null ? 0 : 1) - (b === null ? 0 : 1);
  return toEpochMs(a) - toEpochMs(b);
}

/** Locale-independent, so every server picks the same host. */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
