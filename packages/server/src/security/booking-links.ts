// A booking's capability links: whoever holds one may act on the booking, so their tokens are
// derived from the server's key (never stored) and compared in constant time.
import { safeEqual, type SecretBox } from './secrets.js';

/** The participant's page for a booking (move or cancel it). */
export const manageUrl = (publicUrl: string, token: string) => `${publicUrl}/m/${token}`;

/** The team's page for a booking (marking how it went), behind a token derived from its id; in every team mail. */
export const teamUrl = (publicUrl: string, secretBox: SecretBox, bookingId: string) => `${publicUrl}/t/${bookingId}/${secretBox.deriveToken('team', bookingId)}`;

/** The booking a team link names, if its token is right. */
export function isTeamToken(secretBox: SecretBox, bookingId: string, token: string): boolean {
  return safeEqual(secretBox.deriveToken('team', bookingId), token);
}
