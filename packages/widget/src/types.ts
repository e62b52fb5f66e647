/** Public types of the Beckon SDK (script tag and npm package). */

/** What the product knows about the signed-in user: `signedUpAt`, `plan`, `role`, usage counts… */
export type Traits = Record<string, unknown>;

/** Theme tokens; each is also settable from the page as a CSS custom property `--beckon-<name>`. */
export interface Theme {
  /** Brand colour of buttons and focus rings, e.g. `#4f46e5`. */
  brand?: string;
  /** Text on the brand colour. */
  onBrand?: string;
  background?: string;
  text?: string;
  /** Corner radius, e.g. `12px`. */
  radius?: string;
  font?: string;
  /** `light` (default), `dark`, or `auto` (follows the visitor's system setting). */
  mode?: 'light' | 'dark' | 'auto';
}

export interface InitOptions {
  /** The workspace's public key, `pk_…`. */
  publicKey: string;
  /**
   * Where the Beckon API lives, e.g. `https://beckon.example.com` or your own proxy path
   * `https://app.example.com/beckon`. The script tag defaults to the origin it was loaded from.
   */
  apiHost?: string;
  /** Wait for `consent(true)` before storing anything or showing anything. */
  requireConsent?: boolean;
  /** Corner of the intercept on wide screens; small screens always get a bottom sheet. */
  position?: 'bottom-right' | 'bottom-left';
  /** z-index of the intercept (the booking steps open in the browser's top layer). */
  zIndex?: number;
  theme?: Theme;
  /** Days "Not now" hides a study (default 14). */
  snoozeDays?: number;
  /** CSP nonce for the UI script and the fallback `<style>`; the script tag passes its own. */
  nonce?: string;
}

export interface IdentifyOptions {
  /**
   * `hex(HMAC-SHA256(identitySecret, userId + "\n" + canonical JSON of traits))`, computed by
   * your backend; required when the workspace verifies identity.
   */
  signature?: string;
}
