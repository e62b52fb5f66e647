// Identity verification: when a workspace requires it, what a visitor says about a user (their
// id and traits) counts only if the product's backend signed it with the workspace's secret,
// so nobody can grant themselves a trait or speak for someone else (opt them out, book as them).
import { createHmac } from 'node:crypto';
import { identityMessage } from '@beckon/shared/identity';
import { unprocessable } from '../errors.js';
import { safeEqual, type SecretBox } from '../security/secrets.js';
import type { Workspace } from './workspaces.js';

export interface ClaimedIdentity {
  userId?: string;
  traits?: Record<string, unknown>;
  signature?: string;
}

/** Throws a 422 naming `field` unless the user id and traits carry the workspace's signature. */
export function assertSigned(workspace: Workspace, secretBox: SecretBox, claim: ClaimedIdentity & { userId: string }, field: string): void {
  if (!claim.signature) throw unprocessable('identity_not_verified', 'This workspace requires a signed user id', field);
  const secret = secretBox.open(workspace.identitySecretEncrypted);
  const expected = createHmac('sha256', secret).update(identityMessage(claim.userId, claim.traits ?? {})).digest('hex');
  if (!safeEqual(expected, claim.signature.toLowerCase())) throw unprocessable('identity_not_verified', 'The signature does not match the user id and traits', field);
}

/**
 * What may be believed of a visitor: everything when the workspace does not verify; otherwise a
 * signed identity, or an anonymous one (no user id, no traits: a person known by email alone).
 */
export function verifiedIdentity<T extends ClaimedIdentity>(workspace: Workspace, secretBox: SecretBox, claim: T, field: string): T {
  if (!workspace.requireIdentityVerification) return claim;
  if (claim.userId === undefined) return { ...claim, traits: undefined };
  assertSigned(workspace, secretBox, { ...claim, userId: claim.userId }, field);
  return claim;
}
