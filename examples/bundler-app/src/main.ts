// A product app's entry point: Beckon comes from the npm package, like any other dependency.
// The UI is a separate chunk the bundler splits off; it is fetched only when an invitation shows.
import { identify, init, reset, track } from '@beckon/widget';

interface SignedInUser {
  id: string;
  email: string;
  name: string;
  plan: string;
  createdAt: string;
  /** Made by your backend with the workspace's identity secret (see the README). */
  beckonSignature?: string;
}

export function startBeckon(user: SignedInUser | null): void {
  init({ publicKey: 'pk_your_public_key', apiHost: 'https://beckon.example.com' });
  if (!user) return;
  identify(user.id, { email: user.email, name: user.name, plan: user.plan, signedUpAt: user.createdAt }, user.beckonSignature ? { signature: user.beckonSignature } : undefined);
}

export function onReportExported(): void {
  track('report_exported');
}

export function onLogout(): void {
  reset();
}
