// Consent and NDA texts, versioned per workspace (or per study): a study may ask for one before
// booking, and each acceptance is kept with the version and the time (see booking.ts).
import { and, asc, count, eq, inArray, isNull, max } from 'drizzle-orm';
import { toInstant, type ConsentText, type ConsentTextInput } from '@beckon/shared/api';
import type { Database } from '../db/client.js';
import { consents, consentTexts, studies } from '../db/schema.js';
import { notFound, unprocessable } from '../errors.js';

export type ConsentTextRow = typeof consentTexts.$inferSelect;

const toConsentText = (row: ConsentTextRow, accepted: number): ConsentText => ({
  id: row.id,
  title: row.title,
  body: row.body,
  kind: row.kind,
  studyId: row.studyId,
  version: row.version,
  createdAt: toInstant(row.createdAt),
  accepted,
});

export async function listConsentTexts(db: Database, workspaceId: string): Promise<ConsentText[]> {
  const rows = await db.select().from(consentTexts).where(eq(consentTexts.workspaceId, workspaceId)).orderBy(asc(consentTexts.title), asc(consentTexts.version));
  const counts = rows.length === 0 ? [] : await db.select({ id: consents.consentTextId, n: count() }).from(consents).where(inArray(consents.consentTextId, rows.map((row) => row.id))).groupBy(consents.consentTextId);
  return rows.map((row) => toConsentText(row, counts.find((c) => c.id === row.id)?.n ?? 0));
}

/** A new text, or the next version of the text with the same title (and study). */
export async function createConsentText(db: Database, workspaceId: string, input: ConsentTextInput): Promise<ConsentText> {
  const studyId = input.studyId ?? null;
  if (studyId) {
    const [study] = await db.select({ id: studies.id }).from(studies).where(and(eq(studies.workspaceId, workspaceId), eq(studies.id, studyId)));
    if (!study) throw unprocessable('study_not_found', 'No study with this id in this workspace', 'studyId');
  }
  return db.transaction(async (tx) => {
    const same = and(eq(consentTexts.workspaceId, workspaceId), eq(consentTexts.title, input.title), studyId ? eq(consentTexts.studyId, studyId) : isNull(consentTexts.studyId));
    const [latest] = await tx.select({ version: max(consentTexts.version) }).from(consentTexts).where(same);
    const [row] = await tx.insert(consentTexts).values({ workspaceId, studyId, kind: input.kind, title: input.title, body: input.body, version: (latest?.version ?? 0) + 1 }).returning();
    // A study asking for an earlier version of this text now asks for this one.
    const earlier = tx.select({ id: consentTexts.id }).from(consentTexts).where(same);
    await tx.update(studies).set({ consentTextId: row!.id }).where(and(eq(studies.workspaceId, workspaceId), inArray(studies.consentTextId, earlier)));
    return toConsentText(row!, 0);
  });
}

/** Checks that a study's consent text is the workspace's own. */
export async function assertConsentText(db: Database, workspaceId: string, id: string | null | undefined): Promise<void> {
  if (!id) return;
  const [row] = await db.select({ id: consentTexts.id }).from(consentTexts).where(and(eq(consentTexts.workspaceId, workspaceId), eq(consentTexts.id, id)));
  if (!row) throw notFound('consent_text_not_found', 'No consent text with this id in this workspace');
}

/** The texts live studies ask for, by id, for the widget. */
export async function consentTextsById(db: Database, ids: string[]): Promise<Map<string, ConsentTextRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select().from(consentTexts).where(inArray(consentTexts.id, ids));
  return new Map(rows.map((row) => [row.id, row]));
}
