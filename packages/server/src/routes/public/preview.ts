// The intercept preview, for the admin app's sandboxed frame: /preview/{token} is a page that runs
// the real widget (the built loader and UI from /widget/, as product sites load them) with a study
// editor's copy, saved or not; /preview/{token}/v1/w/{publicKey}/… answers that widget as the
// public routes would for that one copy, and records, counts and books nothing. The token is the
// credential (made by POST /v1/admin/studies/preview, half an hour long), so the API answers any
// origin, the sandboxed frame's opaque one included, and nothing here sends or reads a cookie.
// Not in the OpenAPI document: the admin app's own plumbing, not a contract for integrators.
import { randomBytes } from 'node:crypto';
import cors from '@fastify/cors';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { BookingRequest, EventBatch, EventBatchAccepted, ErrorBody, SlotsQuery, SlotsResponse, StudyPathParams, WidgetConfig, WidgetConfigQuery } from '@beckon/shared/api';
import { participantTitle } from '@beckon/shared/participant';
import { jsString, snippetLine } from '@beckon/shared/snippet';
import { HttpError, notFound } from '../../errors.js';
import { html, SafeHtml } from '../../mail/layout.js';
import { previewByToken, previewConfig, PREVIEW_TOKEN_PATTERN } from '../../services/previews.js';
import { companyName } from '../../services/studies.js';
import { slotsAnswer } from './bookings.js';

const Token = Type.String({ pattern: PREVIEW_TOKEN_PATTERN });
const PageParams = Type.Object({ token: Token });
const ApiParams = Type.Object({ token: Token, publicKey: StudyPathParams.properties.publicKey });
const StudyParams = Type.Object({ token: Token, ...StudyPathParams.properties });

/** A neutral product page behind the widget: a bar, some lines and blocks, and the word that this is a preview. */
const STYLE = `
  html, body { margin: 0; min-height: 100%; }
  body { font: 15px/1.5 system-ui, sans-serif; background: #f4f5f7; color: #2b2f36; }
  .bar { display: flex; align-items: center; gap: .6rem; padding: .75rem 1.1rem; background: #fff; border-bottom: 1px solid #e3e5e8; font-weight: 600; }
  .logo { width: 1.4rem; height: 1.4rem; border-radius: .35rem; background: #c9ced6; }
  .note { margin-left: auto; text-align: right; font-size: .8rem; font-weight: 500; color: #6b5200; background: #fff6d6; border: 1px solid #ecd27a; border-radius: 1rem; padding: .1rem .65rem; }
  main { max-width: 44rem; padding: 1.25rem 1.1rem; }
  .line { height: .75rem; border-radius: .4rem; background: #e1e4e8; margin: .7rem 0; }
  .short { width: 55%; } .title { height: 1.3rem; width: 40%; background: #d5d9df; }
  .blocks { display: grid; grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr)); gap: 1rem; margin-top: 1.25rem; }
  .block { height: 6.5rem; border-radius: .6rem; background: #e8eaee; }
`;

/** The snippet as a product site has it, then identify() with the sample visitor (from the fragment) and show() of the one study. */
function bootScript(data: { publicKey: string; apiHost: string; studyId: string }): string {
  return `${snippetLine('/widget/beckon.js')}
(function(){var s={};try{s=JSON.parse(decodeURIComponent(location.hash.slice(1)))||{}}catch(e){}
beckon('init',{publicKey:${jsString(data.publicKey)},apiHost:${jsString(data.apiHost)}});
if(typeof s.userId=='string'&&s.userId)beckon('identify',s.userId,s.traits&&typeof s.traits=='object'?s.traits:{});
beckon('show',${jsString(data.studyId)});})();`;
}

export const previewRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // No credentials ride along (the widget omits them), so any origin may read the answers.
  await app.register(cors, { origin: '*', methods: ['GET', 'POST'], allowedHeaders: ['Content-Type', 'Idempotency-Key'], maxAge: 600 });
  const hidden = { hide: true } as const;

  app.get('/:token', { schema: { ...hidden, params: PageParams } }, async (request, reply) => {
    const preview = await previewByToken(app.db, request.params.token, undefined);
    const nonce = randomBytes(16).toString('base64');
    const script = bootScript({ publicKey: preview.workspace.publicKey, apiHost: `/preview/${request.params.token}`, studyId: preview.study.id });
    // The participant-facing title (never the internal name): which study this is, for the team.
    const title = participantTitle(preview.study, companyName(preview.workspace));
    const page = html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><meta name="robots" content="noindex"><title>Preview: ${title}</title>
<style nonce="${nonce}">${new SafeHtml(STYLE)}</style>
<script nonce="${nonce}">${new SafeHtml(script)}</script>
</head><body><div class="bar"><span class="logo"></span>Your product<span class="note">Preview of &ldquo;${title}&rdquo;: nothing is recorded or booked</span></div>
<main aria-hidden="true"><div class="line title"></div><div class="line"></div><div class="line short"></div><div class="blocks"><div class="block"></div><div class="block"></div><div class="block"></div></div><div class="line"></div><div class="line short"></div></main>
</body></html>`;
    // Sandboxed even when opened on its own: no cookies, no storage, no reaching the admin app.
    // Forms are allowed because the widget's steps are forms it handles itself; none goes anywhere (form-action 'none').
    const csp = `sandbox allow-scripts allow-forms; default-src 'none'; script-src 'self' 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self' data: https:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'`;
    return reply.header('Content-Security-Policy', csp).header('Cache-Control', 'no-store').header('Referrer-Policy', 'no-referrer').type('text/html; charset=utf-8').send(page.toString());
  });

  app.get(
    '/:token/v1/w/:publicKey/config',
    { schema: { ...hidden, params: ApiParams, querystring: WidgetConfigQuery, response: { 200: WidgetConfig, '4xx': ErrorBody } } },
    async (request, reply) => {
      // The sample visitor's userId and traits arrive too: a preview applies no contact rules, so they change nothing.
      const preview = await previewByToken(app.db, request.params.token, request.params.publicKey);
      reply.header('Cache-Control', 'no-store');
      return previewConfig(app.db, preview);
    },
  );

  app.get(
    '/:token/v1/w/:publicKey/studies/:studyId/slots',
    { schema: { ...hidden, params: StudyParams, querystring: SlotsQuery, response: { 200: SlotsResponse, '4xx': ErrorBody } } },
    async (request, reply) => {
      const preview = await previewByToken(app.db, request.params.token, request.params.publicKey);
      if (request.params.studyId !== preview.study.id) throw notFound('study_not_found', 'This preview shows another study');
      reply.header('Cache-Control', 'no-store');
      return slotsAnswer(app, preview.study, request.query, preview.hosts);
    },
  );

  app.post(
    '/:token/v1/w/:publicKey/studies/:studyId/bookings',
    { schema: { ...hidden, params: StudyParams, body: BookingRequest, response: { '4xx': ErrorBody } } },
    async (request) => {
      await previewByToken(app.db, request.params.token, request.params.publicKey);
      // What the participant would send is checked (the schema above); nothing is booked or held.
      throw new HttpError(422, 'preview', 'This is a preview: nothing was booked.');
    },
  );

  app.post(
    '/:token/v1/w/:publicKey/events',
    { schema: { ...hidden, params: ApiParams, body: EventBatch, response: { 202: EventBatchAccepted, '4xx': ErrorBody } } },
    async (request, reply) => {
      await previewByToken(app.db, request.params.token, request.params.publicKey);
      // The widget sends none in a preview; any that come are not recorded, so no funnel, pacing or contact rule counts them.
      return reply.status(202).send({ accepted: 0 });
    },
  );
};
