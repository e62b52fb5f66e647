// Shapes of the bookings, funnel and calendar routes, from @beckon/shared/api (types only).
import type { AdminBooking, CalendarConnect, CalendarConnection, Funnel } from '@beckon/shared/api';

export type Booking = AdminBooking;
export type BookingStatus = AdminBooking['status'];
export type BookingAction = 'cancel' | 'complete' | 'no-show';
export type FunnelResult = Funnel;

/** A step as the server sends it. */
export type FunnelStep = Funnel['steps'][number];

// Calendar connections (schemas in @beckon/shared/api/calendars.ts).
export type { CalendarConnect, CalendarConnected, CalendarConnection, DiscoveredCalendar, GoogleConnectLink, MicrosoftConnectLink } from '@beckon/shared/api';
export type CalendarProvider = CalendarConnection['provider'];
export type CalDavConnect = Extract<CalendarConnect, { provider: 'caldav' }>;
export type GoogleServiceAccountConnect = Extract<CalendarConnect, { provider: 'google' }>;

// Incentives (schemas in @beckon/shared/api/incentives.ts).
export type { AdminIncentive, AdminIncentivesQuery, IncentiveDeliveryMethod, IncentiveSend } from '@beckon/shared/api';
