// Shapes of the bookings, funnel and calendar routes, from @beckon/shared/api (types only).
import type { AdminBooking, CalendarConnect, CalendarConnection, Funnel } from '@beckon/shared/api';

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

// Calendar connections (schemas in @beckon/shared/api/calendars.ts).
export type { CalendarConnect, CalendarConnected, CalendarConnection, DiscoveredCalendar, GoogleConnectLink } from '@beckon/shared/api';
export type CalendarProvider = CalendarConnection['provider'];
export type CalDavConnect = Extract<CalendarConnect, { provider: 'caldav' }>;
export type GoogleServiceAccountConnect = Extract<CalendarConnect, { provider: 'google' }>;

// Incentives (schemas in @beckon/shared/api/incentives.ts).
export type { AdminIncentive, AdminIncentivesQuery, IncentiveDeliveryMethod, IncentiveSend } from '@beckon/shared/api';
