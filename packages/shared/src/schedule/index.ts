/**
 * Availability → free slots: interval maths on UTC instants, local time through Temporal only.
 *
 * - Grid: a slot starts where the host's local clock shows a multiple of the step past midnight
 *   (default 15: 09:00, 09:15 …), and lies wholly inside the working hours of one local date.
 * - DST: working hours cover the real instants whose clock reading falls within them. A bound on
 *   a repeated time is its first occurrence; a bound on a skipped time is the jump itself. A
 *   skipped clock time yields no slot; a repeated one yields a slot at each real instant.
 * - Notice: start ≥ now + minimumNotice. Window: the host's local dates today … today + N − 1.
 * - Buffers: a booking blocks [start − before, end + after) with its own buffers; a slot is free
 *   when [start − before, end + after) with the host's buffers overlaps no booking's blocked time
 *   and no calendar busy time. Half-open, so touching is fine. Buffers may lie outside hours.
 * - Caps: bookings per local date and per ISO week (Monday–Sunday) in the host's zone.
 * - round_robin: union of the hosts' grids, each slot listing the free hosts; all_hosts: the first
 *   host's grid, offered only when every host is working and free.
 */
export type {
  Assignment,
  AvailabilityRules,
  ClockInterval,
  ClockTime,
  DateOverride,
  ExistingBooking,
  FreeSlot,
  FreeSlotsInput,
  HostAvailability,
  HostBookingStats,
  HostsFreeAtInput,
  InstantInput,
  IsoWeekday,
  SlotDay,
  TimeInterval,
  WeeklyHours,
} from './types.js';
export {
  AvailabilityRulesSchema,
  ClockIntervalSchema,
  DateOverrideSchema,
  HostAvailabilitySchema,
  WeeklyHoursSchema,
} from './schemas.js';
export type { AvailabilityProblem } from './validate.js';
export { isValidTimeZone, validateAvailabilityRules } from './validate.js';
export {
  computeFreeSlots,
  DEFAULT_DURATION_MINUTES,
  DEFAULT_SLOT_STEP_MINUTES,
  hostsFreeAt,
  SLOT_STEP_CHOICES,
  slotSettingsProblem,
  isSlotFree,
} from './free-slots.js';
export { chooseHost, rankHosts } from './round-robin.js';
export { subtractInterval } from './intervals.js';
export { groupSlotsByDay } from './group-by-day.js';
