// The calendar integrations: busy time for slots and bookings, and the writes the jobs make.
import fp from 'fastify-plugin';
import type { BusyTimeSource } from '../calendars/busy-time.js';
import { createCalendarService, type CalendarService } from '../calendars/service.js';
import { enqueue } from '../jobs/queue.js';

declare module 'fastify' {
  interface FastifyInstance {
    calendarService: CalendarService;
    /** Every host's busy time in their connected calendars (the calendar service's source). */
    busyTime: BusyTimeSource;
  }
}

export const calendarsPlugin = fp<{ calendarService?: CalendarService }>(
  async (app, options) => {
    const { config, db } = app;
    const service =
      options.calendarService ??
      createCalendarService({
        db,
        secretBox: app.secretBox,
        fetchTimeoutMs: config.calendarTimeoutMs,
        caldavAllowPrivateNetworks: config.caldavAllowPrivateNetworks,
        oauth: config.google ? { ...config.google, redirectUri: `${config.publicUrl}/v1/calendars/google/callback` } : undefined,
        googleSendUpdates: config.googleSendUpdates,
        microsoft: {
          ...config.microsoftEndpoints,
          oauth: config.microsoft ? { ...config.microsoft, redirectUri: `${config.publicUrl}/v1/calendars/microsoft/callback` } : undefined,
          inviteAttendees: config.microsoftInviteAttendees,
        },
        publicUrl: config.publicUrl,
        onBroken: async (broken) => {
          app.log.warn({ connectionId: broken.connectionId }, 'calendar connection broken: access revoked');
          // One reconnect email per connection and day, however often the failure is seen.
          const day = new Date().toISOString().slice(0, 10);
          await enqueue(db, { kind: 'mail.calendar_reconnect', payload: { connectionId: broken.connectionId }, dedupeKey: `calendar_reconnect:${broken.connectionId}:${day}` });
        },
      });
    app.decorate('calendarService', service);
    app.decorate('busyTime', service.busyTimeSource);
  },
  { name: 'calendars', dependencies: ['database', 'secrets'] },
);
