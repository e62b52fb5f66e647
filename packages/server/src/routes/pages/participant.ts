// Pages for participants, rendered on the server and working without JavaScript: the hosted
// booking link a salesperson shares (/b/{slug}?ref=…) and the manage link from every email
// (/m/{token}). They use the same services as the JSON API.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Value } from '@sinclair/typebox/value';
import { isValidTimeZone } from '@beckon/shared/schedule';
import { incentiveText, participantTitle, zoneLabel } from '@beckon/shared/participant';
import { BookingRequest, RescheduleRequest, SourceRef, type Screener, type ScreenerAnswers } from '@beckon/shared/api';
import { HttpError } from '../../errors.js';
import { html, SafeHtml } from '../../mail/layout.js';
import { formatTimes } from '../../mail/time.js';
import { defaultRange, studySlots } from '../../services/availability.js';
import { assertBody } from '../../plugins/validation.js';
import { bookingByToken, bookingDeps, bookingParties, bookSlot, cancelBooking, canChange, rescheduleBooking } from '../../services/booking.js';
import { companyName, studyBySlug, toWidgetStudy, toWidgetWorkspace } from '../../services/studies.js';
import { consentTextsById } from '../../services/consent.js';
import { personOfUnsubscribeToken, unsubscribe } from '../../services/people.js';
import { acceptForms, errorNotice, formFields, page } from './page.js';
import { dayPicker, zoneForm } from './pickers.js';

function zoneOf(query: { tz?: string | undefined }): string | undefined {
  return query.tz && isValidTimeZone(query.tz) ? query.tz : undefined;
}

/** What the participant sent, so a form with a problem (a screen-out, a taken time) comes back filled in. */
interface FormValues {
  start?: string;
  name?: string;
  email?: string;
  consent?: boolean;
  answers?: ScreenerAnswers;
}

/** The company's logo (https) or name, above every participant page. */
function brandHeader(workspace: { name: string; brandName: string | null; logoUrl: string | null }): SafeHtml {
  const company = companyName(workspace);
  return workspace.logoUrl && workspace.logoUrl.startsWith('https://')
    ? html`<header class="brand"><img src="${workspace.logoUrl}" alt="${company}" height="36"></header>`
    : html`<header class="brand"><strong>${company}</strong></header>`;
}

function screenerFields(screener: Screener | null, values: ScreenerAnswers = {}): SafeHtml {
  const flag = (on: boolean, word: string) => (on ? new SafeHtml(word) : '');
  return html`${(screener?.questions ?? []).map((question) => {
    const name = `answers.${question.id}`;
    const given = values[question.id];
    const picked = (id: string) => (Array.isArray(given) ? given.includes(id) : given === id);
    if (question.kind === 'text') {
      return html`<fieldset><legend>${question.prompt}</legend><input type="text" name="${name}" aria-label="${question.prompt}" maxlength="2000" value="${typeof given === 'string' ? given : ''}" ${flag(Boolean(question.required), 'required')}></fieldset>`;
    }
    const type = question.kind === 'single' ? 'radio' : 'checkbox';
    return html`<fieldset><legend>${question.prompt}</legend>${(question.options ?? []).map(
      (option) => html`<div><label><input type="${type}" name="${name}" value="${option.id}" ${flag(Boolean(question.required) && type === 'radio', 'required')} ${flag(picked(option.id), 'checked')}> ${option.label}</label></div>`,
    )}</fieldset>`;
  })}`;
}

/** The consent text and version a ticked "I accept" box names (`id:version`). */
function acceptedConsent(value: string): { acceptedConsent: { consentTextId: string; version: number } } | undefined {
  const [consentTextId, version] = value.split(':');
  return consentTextId && version && /^\d{1,6}$/.test(version) ? { acceptedConsent: { consentTextId, version: Number(version) } } : undefined;
}

/** A hosted link's `ref` as the booking's source, by the API's own rule; anything else is just "link". */
const sourceOf = (ref: string | undefined) => (ref !== undefined && Value.Check(SourceRef, ref) ? ref : 'link');

/** What a participant reads when the form they sent does not make a valid booking request. */
function formProblem(error: HttpError): HttpError {
  const field = error.field ?? '';
  const say = (message: string) => new HttpError(400, error.code, message, error.field);
  if (field === 'start') return say('Please pick a time.');
  if (field.startsWith('participant.name') || field.startsWith('participant.email')) return say('Please give your name and a valid email address.');
  if (field.startsWith('answers')) return say('Please check your answers to the questions.');
  return error;
}

type PageQuery = { tz?: string; ref?: string; day?: string; all?: string };
type ManageQuery = { tz?: string; done?: string; day?: string; all?: string };

export async function participantPages(app: FastifyInstance): Promise<void> {
  acceptForms(app);
  const deps = () => bookingDeps(app);

  async function bookingPage(reply: FastifyReply, slug: string, query: PageQuery, problem?: unknown, status = 200, values: FormValues = {}) {
    const found = await studyBySlug(app.db, slug);
    if (!found) return page(reply, 'Not found', html`<h1>This link does not lead to a study</h1><p>Please ask the person who sent it for a new one.</p>`, 404);
    const { study, workspace } = found;
    const company = companyName(workspace);
    const title = participantTitle(study, company);
    const timeZone = zoneOf(query);
    const { incentive } = study;
    const now = new Date();
    const window = defaultRange(study, now);
    const { slots } = await studySlots(app.db, study, window, now, app.busyTime);
    const ref = sourceOf(query.ref);
    const all = query.all === '1';
    const consent = study.consentTextId ? (await consentTextsById(app.db, [study.consentTextId])).get(study.consentTextId) : undefined;
    // The widget's own flow takes over the page when its bundle loads; the form below is the
    // same booking without JavaScript.
    const widgetData = JSON.stringify({
      api: `${app.config.publicUrl}/v1/w/${workspace.publicKey}`,
      study: toWidgetStudy(study, slots.length > 0, workspace, consent),
      workspace: toWidgetWorkspace(workspace),
    }).replaceAll('<', '\\u003c');
    const keep = { ref, ...(query.day ? { day: query.day } : {}), ...(all ? { all: '1' } : {}) };
    const times = timeZone ? dayPicker(slots, { action: `/b/${slug}`, timeZone, day: query.day, all, keep: { ref }, chosen: values.start, window }) : undefined;
    const form = () => html`
${zoneForm(`/b/${slug}`, timeZone, keep)}
${
  timeZone && times
    ? html`<form method="post" action="/b/${slug}?${new URLSearchParams({ tz: timeZone, ...keep }).toString()}">
${screenerFields(study.screener, values.answers)}
<h2>Pick a time</h2>${times.picker}
<h2>About you</h2>
<p><label>Name <input type="text" name="name" autocomplete="name" required maxlength="120" value="${values.name ?? ''}"></label></p>
<p><label>Email <input type="email" name="email" autocomplete="email" required maxlength="254" value="${values.email ?? ''}"></label></p>
<p><label><input type="checkbox" name="consent" value="yes" required ${values.consent ? new SafeHtml('checked') : ''}> I agree that ${company} contacts me about this interview${workspace.privacyUrl ? html` (<a href="${workspace.privacyUrl}">privacy notice</a>)` : ''}.</label></p>
${consent ? html`<h2>${consent.title}</h2><div class="consent-text">${consent.body}</div>
<p><label><input type="checkbox" name="acceptConsent" value="${consent.id}:${String(consent.version)}" required> I have read and accept &ldquo;${consent.title}&rdquo; (version ${String(consent.version)}).</label></p>` : ''}
<input type="hidden" name="timeZone" value="${timeZone}">
<button type="submit">Book this time</button>
</form>`
    : html`<p class="muted">Choose your time zone to see the free times in your own hours.</p>`
}`;
    return page(
      reply,
      `${title} · ${company}`,
      (nonce) => html`${brandHeader(workspace)}<div id="beckon-booking"></div>
<script type="application/json" id="beckon-booking-data">${new SafeHtml(widgetData)}</script>
<script src="/widget/beckon-page.js" nonce="${nonce}" defer></script>
<div id="beckon-fallback"><h1>${title}</h1><p>${study.publicDescription ?? study.intercept.body}</p>
<p><strong>${study.durationMinutes} minutes</strong>${incentive ? html`, and as a thank-you: <strong>${incentiveText(incentive)}</strong>` : ''}.</p>
${errorNotice(problem)}
${study.status !== 'live' ? html`<p class="notice">This study is not taking bookings at the moment.</p>` : form()}</div>`,
      status,
    );
  }

  app.get<{ Params: { slug: string }; Querystring: PageQuery }>('/b/:slug', { schema: { hide: true } }, async (request, reply) =>
    bookingPage(reply, request.params.slug, request.query),
  );

  app.post<{ Params: { slug: string }; Querystring: PageQuery }>('/b/:slug', { schema: { hide: true } }, async (request, reply) => {
    const found = await studyBySlug(app.db, request.params.slug);
    if (!found) return bookingPage(reply, request.params.slug, request.query);
    const fields = formFields(request.body);
    const one = (name: string) => fields.get(name)?.[0]?.trim() ?? '';
    const answers: ScreenerAnswers = {};
    for (const question of found.study.screener?.questions ?? []) {
      const values = fields.get(`answers.${question.id}`) ?? [];
      if (values.length > 0) answers[question.id] = question.kind === 'multiple' ? values : values[0]!;
    }
    const timeZone = zoneOf({ tz: one('timeZone') }) ?? zoneOf(request.query) ?? 'UTC';
    // The same request the widget sends, checked by the same schema as the JSON API.
    const bookingRequest = {
      start: one('start'),
      participant: { name: one('name'), email: one('email'), timeZone },
      consent: true,
      answers,
      source: sourceOf(request.query.ref),
      ...(acceptedConsent(one('acceptConsent')) ?? {}),
    };
    const values: FormValues = { start: one('start'), name: one('name'), email: one('email'), consent: one('consent') === 'yes', answers };
    try {
      if (one('consent') !== 'yes') throw new HttpError(400, 'consent_required', 'Please agree to be contacted about the interview.');
      try {
        assertBody(BookingRequest, bookingRequest);
      } catch (error) {
        throw error instanceof HttpError ? formProblem(error) : error;
      }
      const result = await bookSlot(deps(), found.workspace, found.study.id, bookingRequest, undefined);
      const { manageUrl } = result.body.booking;
      return reply.redirect(`${new URL(manageUrl).pathname}?done=booked&tz=${encodeURIComponent(timeZone)}`, 303);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      return bookingPage(reply, request.params.slug, { ...request.query, tz: timeZone, day: one('day') || request.query.day }, error, error.statusCode, values);
    }
  });

  // Unsubscribing, from the link in every non-transactional email: the page asks (a mail scanner
  // following links must not unsubscribe anyone); the form, or a mail client's one-click POST
  // (RFC 8058), does it.
  const unsubscribePage = (reply: FastifyReply, done: boolean, valid: boolean) =>
    valid
      ? page(
          reply,
          'Unsubscribe',
          done
            ? html`<h1>You are unsubscribed</h1><p>You will not be invited to research again, on any device, and get no more emails but those about an interview you booked.</p>`
            : html`<h1>Stop research invitations?</h1><p>You will not be invited to research again, on any device, and get no more emails but those about an interview you booked.</p><form method="post"><button type="submit">Unsubscribe</button></form>`,
        )
      : page(reply, 'Not found', html`<h1>This link does not work</h1><p>Please use the link from your most recent email.</p>`, 404);
  app.get<{ Params: { token: string } }>('/u/:token', { schema: { hide: true } }, async (request, reply) =>
    unsubscribePage(reply, false, personOfUnsubscribeToken(app.secretBox, request.params.token) !== undefined),
  );
  app.post<{ Params: { token: string } }>('/u/:token', { schema: { hide: true } }, async (request, reply) =>
    unsubscribePage(reply, true, await unsubscribe(app.db, app.secretBox, request.params.token)),
  );

  async function managePage(reply: FastifyReply, token: string, query: ManageQuery, problem?: unknown, status = 200, confirmCancel = false) {
    const booking = await bookingByToken(app.db, token).catch(() => undefined);
    if (!booking) return page(reply, 'Not found', html`<h1>This link does not match an interview</h1>`, 404);
    const parties = await bookingParties(app.db, booking);
    const { study, hostName } = parties;
    const workspace = { name: parties.workspaceName, brandName: parties.brandName, logoUrl: parties.logoUrl };
    const company = companyName(workspace);
    const title = participantTitle(study, company);
    // The zone they booked in, unless they pick another here: no redirect to find it out.
    const timeZone = zoneOf(query) ?? booking.participantTimeZone;
    const times = formatTimes(booking.startsAt, booking.endsAt, timeZone);
    const now = new Date();
    const changeable = canChange(booking, now);
    const all = query.all === '1';
    const done: Record<string, string> = { booked: 'You are booked. A confirmation email is on its way.', moved: 'Done: your interview has a new time.', cancelled: 'Your interview is cancelled.' };
    const state =
      booking.status === 'cancelled'
        ? { heading: `Cancelled: ${title}`, line: html`<p class="notice state">This interview was cancelled${booking.cancelledAt ? html` on ${formatTimes(booking.cancelledAt, booking.cancelledAt, timeZone).day}` : ''}. There is no call to join.</p>` }
        : booking.status === 'no_show' || booking.status === 'completed' || booking.endsAt <= now
          ? { heading: title, line: html`<p class="notice state">This interview has taken place${booking.status === 'no_show' ? ' (marked as missed)' : ''}. Thank you for your time.</p>` }
          : booking.startsAt <= now
            ? { heading: title, line: html`<p class="notice state">This interview has started.</p>` }
            : { heading: title, line: html`` };
    // A join link only while the interview is still to come or under way.
    const joinable = booking.status === 'confirmed' && booking.endsAt > now && booking.meetingUrl;
    const intro = html`${brandHeader(workspace)}<h1>${state.heading}</h1>
${query.done && done[query.done] ? html`<p class="notice" role="status">${done[query.done]!}</p>` : ''}${errorNotice(problem)}${state.line}
<p><strong>${times.range}</strong><br><span class="muted">${zoneLabel(timeZone, booking.startsAt)}</span></p>
<p>With ${hostName} from ${company}${joinable ? html` · <a href="${booking.meetingUrl!}">Join the call</a>` : ''}</p>`;

    if (changeable && confirmCancel) {
      return page(
        reply,
        `Cancel your interview · ${company}`,
        html`${intro}
<h2>Cancel this interview?</h2>
<form method="post" action="/m/${token}/cancel?tz=${encodeURIComponent(timeZone)}" class="cancel">
<p><label for="reason">Anything you'd like to tell ${hostName}? (optional)</label>
<textarea id="reason" name="reason" rows="3" maxlength="1000"></textarea></p>
<input type="hidden" name="confirm" value="yes">
<p><button type="submit" class="danger">Yes, cancel it</button> <a href="/m/${token}?tz=${encodeURIComponent(timeZone)}">No, keep it</a></p>
</form>`,
        status,
      );
    }
    const window = defaultRange(study, now);
    const slots = changeable && study.status === 'live' ? (await studySlots(app.db, study, window, now, app.busyTime, { moving: booking })).slots : [];
    const picker = dayPicker(slots, { action: `/m/${token}`, timeZone, day: query.day, all, window });
    return page(
      reply,
      `${title} · ${company}`,
      html`${intro}
${changeable ? html`
<h2>Need another time?</h2>
${zoneForm(`/m/${token}`, timeZone, { ...(query.day ? { day: query.day } : {}), ...(all ? { all: '1' } : {}) })}
<form method="post" action="/m/${token}/reschedule?tz=${encodeURIComponent(timeZone)}">${picker.picker}${picker.count > 0 ? html`<button type="submit">Move my interview</button>` : ''}</form>
<h2>Can't make it?</h2>
<form method="get" action="/m/${token}/cancel"><input type="hidden" name="tz" value="${timeZone}"><button class="secondary" type="submit">Cancel the interview&hellip;</button></form>` : booking.status === 'cancelled' ? html`<p><a href="/b/${study.slug}">Book a new time</a></p>` : ''}`,
      status,
    );
  }

  app.get<{ Params: { token: string }; Querystring: ManageQuery }>('/m/:token', { schema: { hide: true } }, async (request, reply) =>
    managePage(reply, request.params.token, request.query),
  );

  // Cancelling asks first: this page, then a POST with confirm=yes and an optional reason.
  app.get<{ Params: { token: string }; Querystring: ManageQuery }>('/m/:token/cancel', { schema: { hide: true } }, async (request, reply) =>
    managePage(reply, request.params.token, request.query, undefined, 200, true),
  );

  app.post<{ Params: { token: string }; Querystring: { tz?: string } }>('/m/:token/cancel', { schema: { hide: true } }, async (request, reply) => {
    const fields = formFields(request.body);
    const tz = zoneOf(request.query);
    const back = tz ? `&tz=${encodeURIComponent(tz)}` : '';
    if (fields.get('confirm')?.[0] !== 'yes') return managePage(reply, request.params.token, request.query, undefined, 200, true);
    try {
      const reason = (fields.get('reason')?.[0] ?? '').trim().slice(0, 1000);
      await cancelBooking(deps(), { token: request.params.token }, 'participant', reason || undefined);
      return reply.redirect(`/m/${request.params.token}?done=cancelled${back}`, 303);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      return managePage(reply, request.params.token, request.query, error, error.statusCode);
    }
  });

  app.post<{ Params: { token: string }; Querystring: { tz?: string } }>('/m/:token/reschedule', { schema: { hide: true } }, async (request, reply) => {
    const start = formFields(request.body).get('start')?.[0] ?? '';
    const tz = zoneOf(request.query);
    const back = tz ? `&tz=${encodeURIComponent(tz)}` : '';
    try {
      const moveTo = { start };
      try {
        assertBody(RescheduleRequest, moveTo);
      } catch (error) {
        throw error instanceof HttpError ? formProblem(error) : error;
      }
      await rescheduleBooking(deps(), request.params.token, new Date(moveTo.start));
      return reply.redirect(`/m/${request.params.token}?done=moved${back}`, 303);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      return managePage(reply, request.params.token, request.query, error, error.statusCode);
    }
  });
}
