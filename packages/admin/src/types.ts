// Shapes of the bookings and funnel routes, from @beckon/shared/api (types only).
import type { AdminBooking, Funnel } from '@beckon/shared/api';

export type Booking = AdminBooking;
export type BookingStatus = AdminBooking['status'];
export type BookingAction = 'cancel' | 'complete' | 'no-show';
export type FunnelResult = Funnel;

export const FUNNEL_STEPS = ['eligible', 'shown', 'opted_in', 'qualified', 'booked', 'attended'] as const;
export type FunnelStepName = (typeof FUNNEL_STEPS)[number];

/** A step as the server sends it (the name is a plain string in the schema). */
export interface FunnelStep {
  step: string;
  count: number;
}
