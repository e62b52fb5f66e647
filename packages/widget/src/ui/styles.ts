// The widget's only stylesheet, scoped to its shadow root. Pixels, never rem (the host page owns
// the root font size). Theme tokens are CSS custom properties, which do cross the shadow boundary:
// a page may set `--beckon-brand` and friends on :root; otherwise init's theme, then the
// workspace's theme from the configuration, then the defaults below apply.
import type { Theme } from '../types.js';

const TOKENS: [keyof Theme, string, string, string][] = [
  // [theme key, custom property, light default, dark default]
  ['brand', 'brand', '#4f46e5', '#a5b4fc'],
  ['onBrand', 'on-brand', '#ffffff', '#111827'],
  ['background', 'background', '#ffffff', '#1f2937'],
  ['text', 'text', '#111827', '#f9fafb'],
  ['radius', 'radius', '14px', '14px'],
  ['font', 'font', 'system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif', ''],
];

/** A theme value from configuration, kept to what a CSS value needs (no way out of the declaration). */
const clean = (v: unknown): string => (typeof v == 'string' ? v.replace(/[;{}<>\\]/g, '').slice(0, 200) : '');

function tokens(theme: Theme, dark: boolean): string {
  return TOKENS.map(([key, name, light, darkValue]) => {
    const given = clean(theme[key]);
    return `--${name}:var(--beckon-${name},${given || (dark && darkValue) || light});`;
  }).join('');
}

export function css(theme: Theme = {}, zIndex = 2147483000): string {
  const mode = theme.mode;
  const dark = `${tokens(theme, true)}--muted:#d1d5db;--line:#4b5563;--soft:#374151;--error:#fca5a5;`;
  return `
:host{all:initial}
*,*::before,*::after{box-sizing:border-box}
.root{all:initial;${tokens(theme, false)}--muted:#4b5563;--line:#d1d5db;--soft:#f3f4f6;--error:#b91c1c;
  font:15px/1.45 var(--font);color:var(--text);-webkit-font-smoothing:antialiased}
${mode == 'dark' ? `.root{${dark}}` : mode == 'auto' ? `@media (prefers-color-scheme:dark){.root{${dark}}}` : ''}
.card{position:fixed;z-index:${zIndex};bottom:20px;right:20px;width:380px;max-width:calc(100vw - 40px);
  max-height:calc(100vh - 40px);overflow:auto;margin:0;padding:20px;border:1px solid var(--line);
  border-radius:var(--radius);background:var(--background);color:var(--text);font:inherit;
  box-shadow:0 12px 32px rgba(0,0,0,.18),0 2px 6px rgba(0,0,0,.08)}
.left{right:auto;left:20px}
dialog.card{inset:auto 20px 20px auto;width:420px;height:min(600px,calc(100vh - 40px))}
dialog.left{inset:auto auto 20px 20px}
dialog::backdrop{background:rgba(17,24,39,.45)}
.page{max-width:560px;margin:0 auto;padding:32px 20px}
.page h1{margin:0 0 8px;font:700 26px/1.25 var(--font)}
.page .meta{padding-bottom:16px;border-bottom:1px solid var(--line);margin-bottom:24px}
@media (max-width:540px){
  .card,dialog.card,dialog.left{inset:auto 0 0 0;width:100%;max-width:100%;max-height:90vh;
    border-radius:var(--radius) var(--radius) 0 0;padding-bottom:max(20px,env(safe-area-inset-bottom))}
  dialog.card{height:min(600px,90vh)}
}
@media (prefers-reduced-motion:no-preference){
  .card{animation:beckon-in .22s ease-out}
  @keyframes beckon-in{from{opacity:0;transform:translateY(16px)}}
}
h2{margin:0 36px 8px 0;font:700 18px/1.3 var(--font);color:var(--text)}
h2:focus{outline:none}
p{margin:0 0 12px}
.muted{color:var(--muted);font-size:14px}
.gap{margin-top:16px}
.tight{margin-top:-4px}
.meta{display:flex;flex-wrap:wrap;gap:6px 14px;margin:0 0 16px;color:var(--muted);font-size:14px}
.meta b{color:var(--text);font-weight:600}
.row{display:flex;flex-wrap:wrap;align-items:center;gap:8px;margin-top:16px}
button,select,input{font:inherit;color:inherit;margin:0}
.btn{display:inline-flex;align-items:center;justify-content:center;min-height:40px;padding:8px 16px;
  border:1px solid var(--brand);border-radius:calc(var(--radius) - 4px);background:var(--brand);
  color:var(--on-brand);font-weight:600;text-decoration:none;cursor:pointer}
.btn:hover{filter:brightness(1.08)}
.sec{background:transparent;color:var(--text);border-color:var(--line)}
.sec:hover{background:var(--soft);filter:none}
.link{padding:4px 2px;border:0;background:none;color:var(--muted);font-size:13px;text-decoration:underline;cursor:pointer}
a{color:var(--brand)}
.x{position:absolute;top:10px;right:10px;width:36px;height:36px;padding:0;border:0;border-radius:50%;
  background:none;color:var(--muted);font-size:22px;line-height:1;cursor:pointer}
.x:hover{background:var(--soft);color:var(--text)}
:focus-visible{outline:2px solid var(--brand);outline-offset:2px}
.step{margin:0 0 4px;color:var(--muted);font-size:12px;font-weight:600;letter-spacing:.04em;text-transform:uppercase}
fieldset{margin:0 0 16px;padding:0;border:0;min-width:0}
legend{padding:0;margin:0 0 8px;font-weight:600}
.opt{display:flex;align-items:center;gap:10px;padding:9px 12px;margin:0 0 6px;border:1px solid var(--line);
  border-radius:calc(var(--radius) - 6px);cursor:pointer}
.opt:hover{background:var(--soft)}
.opt input{width:18px;height:18px;accent-color:var(--brand);flex:none}
label.field{display:block;margin:0 0 12px;font-weight:600}
.field input,.field select,select.tz{display:block;width:100%;min-height:40px;margin-top:4px;padding:8px 10px;
  border:1px solid var(--line);border-radius:calc(var(--radius) - 6px);background:var(--background);font-weight:400}
.field input[aria-invalid=true]{border-color:var(--error)}
.field .error{display:block;margin:4px 0 0}
.btn[aria-disabled=true]{opacity:.6;cursor:progress}
.ct{max-height:8em;overflow:auto;white-space:pre-wrap;font-size:13px;border:1px solid;padding:8px}
.check{display:flex;gap:10px;align-items:flex-start;margin:4px 0 8px;font-size:14px}
.check input{width:18px;height:18px;margin-top:2px;accent-color:var(--brand);flex:none}
.error{color:var(--error);font-size:14px;font-weight:600;margin:4px 0 8px}
.notice{padding:10px 12px;margin:0 0 12px;border-radius:calc(var(--radius) - 6px);background:var(--soft);font-size:14px}
.tzrow{display:flex;align-items:center;gap:8px;margin:0 0 12px;font-size:14px;color:var(--muted)}
.tzrow select{width:auto;max-width:220px;margin:0;min-height:34px;padding:4px 8px}
.days{display:grid;grid-template-columns:repeat(auto-fill,minmax(72px,1fr));gap:6px;margin:0 0 8px}
.day{min-width:0;padding:6px 2px;border:1px solid var(--line);border-radius:calc(var(--radius) - 6px);
  background:var(--background);color:var(--text);font-size:13px;line-height:1.25;white-space:nowrap;cursor:pointer;text-align:center}
.day[aria-selected=true]{border-color:var(--brand);background:var(--brand);color:var(--on-brand)}
.times{display:grid;grid-template-columns:repeat(auto-fill,minmax(96px,1fr));gap:8px;margin:0;padding:0;list-style:none}
.times .btn{width:100%;font-weight:500}
.alts{grid-template-columns:1fr;margin-bottom:4px}
.alts .btn{justify-content:flex-start;text-align:left}
.summary{padding:12px 14px;margin:0 0 16px;border-left:4px solid var(--brand);background:var(--soft);
  border-radius:calc(var(--radius) - 8px);font-weight:600}
.summary span{display:block;font-weight:400;font-size:14px;color:var(--muted)}
.sr{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
`;
}
