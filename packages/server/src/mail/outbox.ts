// Reading the development outbox (mailer.ts writes it when no SMTP server is configured).
import { and, arrayContains, desc, eq, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { outboxMessages } from '../db/schema.js';
import { notFound } from '../errors.js';

export type OutboxMessage = typeof outboxMessages.$inferSelect;

/** Newest first; `to` keeps those sent to that address. */
export async function outboxMessagesTo(db: Database, limit: number, to?: string): Promise<OutboxMessage[]> {
  const filters: SQL[] = [];
  if (to) filters.push(arrayContains(outboxMessages.to, [to]));
  return db
    .select()
    .from(outboxMessages)
    .where(filters.length > 0 ? and(...filters) : undefined)
    .orderBy(desc(outboxMessages.createdAt), desc(outboxMessages.id))
    .limit(limit);
}

export async function outboxMessage(db: Database, id: number): Promise<OutboxMessage> {
  const [row] = await db.select().from(outboxMessages).where(eq(outboxMessages.id, id)).limit(1);
  if (!row) throw notFound('outbox_message_not_found', `No message ${id} in the outbox`);
  return row;
}
