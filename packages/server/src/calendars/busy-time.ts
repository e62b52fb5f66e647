import type { TimeInterval } from '@beckon/shared/schedule';

/**
 * Calendar busy time per host, as the slot computation and the booking transaction read it.
 * `fresh` skips caches (the booking transaction's last look before it commits).
 */
export interface BusyTimeSource {
  busy(hostIds: string[], from: Date, to: Date, options?: { fresh?: boolean }): Promise<Record<string, TimeInterval[]>>;
}
