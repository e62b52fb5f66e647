// Zoom meetings per interview: the members' Zoom connections and the `zoom.sync` job's handler.
import fp from 'fastify-plugin';
import { createZoomService, type ZoomService } from '../calendars/zoom-meetings.js';
import { enqueue } from '../jobs/queue.js';

declare module 'fastify' {
  interface FastifyInstance {
    zoom: ZoomService;
  }
}

export const zoomPlugin = fp(
  async (app) => {
    const { config, db } = app;
    const service = createZoomService({
      db,
      secretBox: app.secretBox,
      app: config.zoom ? { ...config.zoom, redirectUri: `${config.publicUrl}/v1/zoom/callback` } : undefined,
      fetchTimeoutMs: config.calendarTimeoutMs,
      onBroken: async (broken) => {
        app.log.warn({ zoomConnectionId: broken.connectionId }, 'zoom connection broken: access revoked');
        // One email per connection and day, however often the failure is seen.
        const day = new Date().toISOString().slice(0, 10);
        await enqueue(db, { kind: 'mail.zoom_reconnect', payload: { connectionId: broken.connectionId }, dedupeKey: `zoom_reconnect:${broken.connectionId}:${day}` });
      },
    });
    app.decorate('zoom', service);
  },
  { name: 'zoom', dependencies: ['database', 'secrets'] },
);
