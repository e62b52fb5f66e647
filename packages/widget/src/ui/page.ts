// dist/beckon-page.js: the hosted booking page (GET /b/{studySlug}) runs the same flow full-page.
// The server renders, in its own page:
//   <div id="beckon-booking"></div>
//   <div id="beckon-fallback">…the same booking as a plain form…</div>
//   <script type="application/json" id="beckon-booking-data">{"api": ".../v1/w/pk_…", "study": {…}, "workspace": {…}}</script>
//   <script src="/widget/beckon-page.js" defer></script>
// `?ref=` becomes the booking's source (refused by the pattern check unless [A-Za-z0-9_.:-]{1,64}).
import type { WidgetStudy, WorkspaceSettings } from '../contract.js';
import { mount } from './index.js';

interface PageData {
  api: string;
  study: WidgetStudy;
  workspace: WorkspaceSettings;
}

const data = JSON.parse(document.getElementById('beckon-booking-data')?.textContent || 'null') as PageData | null;
const target = document.getElementById('beckon-booking');
if (data && target) {
  const ref = new URLSearchParams(location.search).get('ref') ?? '';
  mount({
    ...data,
    anonymousId: crypto.randomUUID?.() ?? String(Math.random()).slice(2),
    traits: {},
    source: /^[A-Za-z0-9_.:-]{1,64}$/.test(ref) ? ref : 'link',
    inline: target,
  });
  // The server's form is the same booking for browsers without JavaScript; the flow replaces it.
  document.getElementById('beckon-fallback')?.remove();
}
