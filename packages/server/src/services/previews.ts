// Previews of a study's invitation for the team, before participants see it. The admin app sends
// the editor's copy (saved or not) and frames /preview/{token}: the real widget, served by this
// server, runs there with that copy. The token's routes give the widget this one study as the
// configuration would, with the free times it would offer, and nothing else: no event is
// recorded, no impression counted, no pacing used, nothing booked. A token lasts half an hour,
// and names one workspace's one copy: there is no way from it to any other study.
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, inArray, lt } from 'drizzle-orm';
import type { StudyPreviewRequest, WidgetConfig } from '@beckon/shared/api';
import type { Database } from '../db/client.js';
import { members, studyPreviews, workspaces } from '../db/schema.js';
import { HttpError, notFound, unprocessable } from '../errors.js';
import { activeMembers } from './availability.js';
import { consentTextsById } from './consent.js';
import type { MemberRow } from './members.js';
import { findStudyRow, toWidgetStudy, toWidgetWorkspace, unsavedStudyRow, type StudyRow } from './studies.js';
import type { Workspace } from './workspaces.js';

const LIFETIME_MS = 30 * 60_000;

const hashOf = (token: string): string => createHash('sha256').update(token).digest('hex');

/** A preview's token: 32 random bytes, base64url (the path segment the routes accept). */
export const PREVIEW_TOKEN_PATTERN = '^[A-Za-z0-9_-]{43}$';

export interface CreatedPreview {
  token: string;
  /** The id the widget knows the study by: the saved study's, or the preview's own. */
  studyId: string;
  expiresAt: Date;
}

/** Each host the copy names must be in the workspace, as a save checks. */
async function assertHosts(db: Database, workspaceId: string, hostIds: string[]): Promise<void> {
  const found = await db.select({ id: members.id }).from(members).where(and(eq(members.workspaceId, workspaceId), inArray(members.id, hostIds)));
  const missing = hostIds.findIndex((id) => !found.some((member) => member.id === id));
  if (missing >= 0) throw unprocessable('member_not_found', `No member ${hostIds[missing]} in this workspace`, `study.hostIds.${missing}`);
}

export async function createPreview(db: Database, workspaceId: string, request: StudyPreviewRequest, now = new Date()): Promise<CreatedPreview> {
  const saved = request.studyId ? await findStudyRow(db, workspaceId, request.studyId) : undefined;
  // Checked as a save would check it, so what the team previews is what they can save (the copy is under `study`).
  await unsavedStudyRow(db, workspaceId, request.study, { id: saved?.id ?? '', slug: saved?.slug ?? '', createdAt: now }, now).catch((error: unknown) => {
    if (error instanceof HttpError && error.field) throw new HttpError(error.statusCode, error.code, error.message, `study.${error.field}`);
    throw error;
  });
  await assertHosts(db, workspaceId, request.study.hostIds);
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + LIFETIME_MS);
  await db.delete(studyPreviews).where(lt(studyPreviews.expiresAt, now));
  const [row] = await db
    .insert(studyPreviews)
    .values({ tokenHash: hashOf(token), workspaceId, studyId: saved?.id ?? null, study: request.study, expiresAt })
    .returning({ id: studyPreviews.id });
  return { token, studyId: saved?.id ?? row!.id, expiresAt };
}

export interface Preview {
  workspace: Workspace;
  /** The copy as a row, shown as it would be once live, whatever its status. */
  study: StudyRow;
  hosts: MemberRow[];
}

/** The preview a token names, in the workspace the path names; a 404 when it has expired (or never was). */
export async function previewByToken(db: Database, token: string, publicKey: string | undefined, now = new Date()): Promise<Preview> {
  const [found] = await db
    .select({ preview: studyPreviews, workspace: workspaces })
    .from(studyPreviews)
    .innerJoin(workspaces, eq(studyPreviews.workspaceId, workspaces.id))
    .where(and(eq(studyPreviews.tokenHash, hashOf(token)), gt(studyPreviews.expiresAt, now)));
  if (!found || (publicKey !== undefined && found.workspace.publicKey !== publicKey)) {
    throw notFound('preview_not_found', 'This preview has expired or does not exist: open it again from the study editor');
  }
  const { preview, workspace } = found;
  const saved = preview.studyId ? await findStudyRow(db, workspace.id, preview.studyId) : undefined;
  const identity = { id: saved?.id ?? preview.id, slug: saved?.slug ?? 'preview', createdAt: saved?.createdAt ?? preview.createdAt };
  const study = await unsavedStudyRow(db, workspace.id, preview.study, identity, now);
  return { workspace, study: { ...study, status: 'live' }, hosts: await activeMembers(db, workspace.id, preview.study.hostIds) };
}

/**
 * The configuration the widget gets in the preview: the one study, as every visitor's browser
 * would get it, shown whatever its pacing, capacity or sampling say (its free times are in the
 * slot step).
 */
export async function previewConfig(db: Database, preview: Preview): Promise<WidgetConfig> {
  const { study, workspace } = preview;
  const consent = study.consentTextId ? (await consentTextsById(db, [study.consentTextId])).get(study.consentTextId) : undefined;
  return { workspace: toWidgetWorkspace(workspace), studies: [toWidgetStudy(study, true, workspace, consent)] };
}
