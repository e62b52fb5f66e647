import { sql } from 'drizzle-orm';
import type { InterceptEvent } from '@beckon/shared/api';
import type { Transaction } from '../db/client.js';
import { participants } from '../db/schema.js';

/**
 * What the server remembers of identified users from their intercept events: when they were
 * last asked (the recontact window) and whether they asked never to be asked again.
 */
export async function recordParticipantSignals(tx: Transaction, workspaceId: string, events: InterceptEvent[], now: Date): Promise<void> {
  const byUser = new Map<string, { shown: boolean; optedOut: boolean }>();
  for (const event of events) {
    if (!event.userId) continue;
    const signal = byUser.get(event.userId) ?? { shown: false, optedOut: false };
    signal.shown ||= event.kind === 'shown';
    signal.optedOut ||= event.kind === 'opted_out';
    byUser.set(event.userId, signal);
  }
  for (const [userId, signal] of byUser) {
    if (!signal.shown && !signal.optedOut) continue;
    await tx
      .insert(participants)
      .values({ workspaceId, userId, lastShownAt: signal.shown ? now : null, optedOutAt: signal.optedOut ? now : null })
      .onConflictDoUpdate({
        target: [participants.workspaceId, participants.userId],
        targetWhere: sql`${participants.userId} is not null`,
        set: {
          lastShownAt: signal.shown ? now : sql`${participants.lastShownAt}`,
          optedOutAt: signal.optedOut ? sql`coalesce(${participants.optedOutAt}, ${now})` : sql`${participants.optedOutAt}`,
          updatedAt: now,
        },
      });
  }
}
