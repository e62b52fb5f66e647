// Pages for participants, rendered on the server and working without JavaScript: the hosted
// booking link a salesperson shares (/b/{slug}?ref=…) and the manage link from every email
// (/m/{token}). They use the same services as the JSON API.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Value } from '@sinclair/typebox/value';
import { groupSlotsByDay, isValidTimeZone } from '@beckon/shared/schedule';
import { BookingRequest, RescheduleRequest, SourceRef, type Screener, type ScreenerAnswers } from '@beckon/shared/api';
import { HttpError } from '../../errors.js';
import { html, SafeHtml } from '../../mail/layout.js';
import { formatTimes } from '../../mail/time.js';
import { defaultRange, studySlots } from '../../services/availability.js';
import { assertBody } from '../../plugins/validation.js';
import { bookingByToken, bookingDeps, bookingParties, bookSlot, cancelBooking, canChange, rescheduleBooking } from '../../services/booking.js';
import { studyBySlug, toWidgetStudy, toWidgetWorkspace } from '../../services/studies.js';
import { consentTextsById } from '../../services/consent.js';
import { personOfUnsubscribeToken, unsubscribe } from '../../services/people.js';
import { acceptForms, errorNotice, formFields, page } from './page.js';

function zoneOf(query: { tz?: string }, fallback = 'UTC'): string {
  return query.tz && isValidTimeZone(query.tz) ? query.tz : fallback;
}

/** Radio buttons for free slots, one group per local day in the participant's zone. */
function slotPicker(slots: { start: string; end: string }[], timeZone: string): SafeHtml {
  if (slots.length === 0) return html`<p class="notice">There are no free times right now. Please check back in a few days.</p>`;
  const days = groupSlotsByDay(slots.slice(0, 150), timeZone);
  const dayLabel = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'long', month: 'long', day: 'numeric' });
  const timeLabel = new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', minute: '2-digit' });
  return html`${days.map(
    (day) => html`<fieldset><legend>${dayLabel.format(new Date(day.slots[0]!.start))}</legend><div class="slots">${day.slots.map(
      (slot) => html`<label><input type="radio" name="start" value="${slot.start}" required> <span>${timeLabel.format(new Date(slot.start))}</span></label>`,
    )}</div></fieldset>`,
  )}`;
}

function zonePicker(action: string, timeZone: string, hidden: Record<string, string> = {}): SafeHtml {
  const zones = Intl.supportedValuesOf('timeZone');
  return html`<form method="get" action="${action}" class="muted">${Object.entries(hidden).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
<label>Times are shown in <select name="tz" aria-label="Time zone">${zones.map((zone) => html`<option value="${zone}" ${zone === timeZone ? new SafeHtml('selected') : ''}>${zone.replaceAll('_', ' ')}</option>`)}</select></label>
<button class="secondary" type="submit">Change</button></form>`;
}

function screenerFields(screener: Screener | null): SafeHtml {
  return html`${(screener?.questions ?? []).map((question) => {
    const name = `answers.${question.id}`;
    if (question.kind === 'text') {
      return html`<fieldset><legend>${question.prompt}</legend><input type="text" name="${name}" aria-label="${question.prompt}" maxlength="2000" ${question.required ? new SafeHtml('required') : ''}></fieldset>`;
    }
    const type = question.kind === 'single' ? 'radio' : 'checkbox';
    return html`<fieldset><legend>${question.prompt}</legend>${(question.options ?? []).map(
      (option) => html`<div><label><input type="${type}" name="${name}" value="${option.id}" ${question.required && type === 'radio' ? new SafeHtml('required') : ''}> ${option.label}</label></div>`,
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

export async function participantPages(app: FastifyInstance): Promise<void> {
  acceptForms(app);
  const deps = () => bookingDeps(app);

  async function bookingPage(reply: FastifyReply, slug: string, query: { tz?: string; ref?: string }, problem?: unknown, status = 200) {
    const found = await studyBySlug(app.db, slug);
    if (!found) return page(reply, 'Not found', html`<h1>This link does not lead to a study</h1><p>Please ask the person who sent it for a new one.</p>`, 404);
    const { study, workspace } = found;
    const timeZone = zoneOf(query);
    const { intercept, incentive } = study;
    const now = new Date();
    const { slots } = await studySlots(app.db, study, defaultRange(study, now), now, app.busyTime);
    const ref = sourceOf(query.ref);
    const consent = study.consentTextId ? (await consentTextsById(app.db, [study.consentTextId])).get(study.consentTextId) : undefined;
    // The widget's own flow takes over the page when its bundle loads; the form below is the
    // same booking without JavaScript.
    const widgetData = JSON.stringify({
      api: `${app.config.publicUrl}/v1/w/${workspace.publicKey}`,
      study: toWidgetStudy(study, slots.length > 0, consent),
      workspace: toWidgetWorkspace(workspace),
    }).replaceAll('<', '\\u003c');
    return page(
      reply,
      `${study.name} · ${workspace.name}`,
      (nonce) => html`<div id="beckon-booking"></div>
<script type="application/json" id="beckon-booking-data">${new SafeHtml(widgetData)}</script>
<script src="/widget/beckon-page.js" nonce="${nonce}" defer></script>
<div id="beckon-fallback"><p class="muted">${workspace.name}</p><h1>${intercept.title}</h1><p>${intercept.body}</p>
<p><strong>${study.durationMinutes} minutes</strong>${incentive ? html`, and as a thank-you: <strong>${incentive.description}</strong>` : ''}.</p>
${errorNotice(problem)}
${study.status !== 'live' ? html`<p class="notice">This study is not taking bookings at the moment.</p>` : html`
${zonePicker(`/b/${slug}`, timeZone, { ref })}
<form method="post" action="/b/${slug}?tz=${timeZone}&amp;ref=${ref}">
${screenerFields(study.screener)}
<h2>Pick a time</h2>${slotPicker(slots, timeZone)}
<h2>About you</h2>
<p><label>Name <input type="text" name="name" autocomplete="name" required maxlength="120"></label></p>
<p><label>Email <input type="email" name="email" autocomplete="email" required maxlength="254"></label></p>
<p><label><input type="checkbox" name="consent" value="yes" required> I agree that ${workspace.name} contacts me about this interview${workspace.privacyUrl ? html` (<a href="${workspace.privacyUrl}">privacy notice</a>)` : ''}.</label></p>
${consent ? html`<h2>${consent.title}</h2><div class="consent-text">${consent.body}</div>
<p><label><input type="checkbox" name="acceptConsent" value="${consent.id}:${String(consent.version)}" required> I have read and accept “${consent.title}” (version ${String(consent.version)}).</label></p>` : ''}
<input type="hidden" name="timeZone" value="${timeZone}">
<button type="submit">Book this time</button>
</form>`}</div>`,
      status,
    );
  }

  app.get<{ Params: { slug: string }; Querystring: { tz?: string; ref?: string } }>('/b/:slug', { schema: { hide: true } }, async (request, reply) =>
    bookingPage(reply, request.params.slug, request.query),
  );

  app.post<{ Params: { slug: string }; Querystring: { tz?: string; ref?: string } }>('/b/:slug', { schema: { hide: true } }, async (request, reply) => {
    const found = await studyBySlug(app.db, request.params.slug);
    if (!found) return bookingPage(reply, request.params.slug, request.query);
    const fields = formFields(request.body);
    const one = (name: string) => fields.get(name)?.[0]?.trim() ?? '';
    const answers: ScreenerAnswers = {};
    for (const question of found.study.screener?.questions ?? []) {
      const values = fields.get(`answers.${question.id}`) ?? [];
      if (values.length > 0) answers[question.id] = question.kind === 'multiple' ? values : values[0]!;
    }
    const timeZone = zoneOf({ tz: one('timeZone') });
    // The same request the widget sends, checked by the same schema as the JSON API.
    const bookingRequest = {
      start: one('start'),
      participant: { name: one('name'), email: one('email'), timeZone },
      consent: true,
      answers,
      source: sourceOf(request.query.ref),
      ...(acceptedConsent(one('acceptConsent')) ?? {}),
    };
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
      return bookingPage(reply, request.params.slug, { ...request.query, tz: timeZone }, error, error.statusCode);
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

  async function managePage(reply: FastifyReply, token: string, query: { tz?: string; done?: string }, problem?: unknown, status = 200) {
    const booking = await bookingByToken(app.db, token).catch(() => undefined);
    if (!booking) return page(reply, 'Not found', html`<h1>This link does not match an interview</h1>`, 404);
    const { study, hostName, workspaceName } = await bookingParties(app.db, booking);
    const timeZone = zoneOf(query, booking.participantTimeZone);
    const times = formatTimes(booking.startsAt, booking.endsAt, timeZone);
    const now = new Date();
    const changeable = canChange(booking, now);
    const done: Record<string, string> = { booked: 'You are booked. A confirmation email is on its way.', moved: 'Done: your interview has a new time.', cancelled: 'Your interview is cancelled.' };
    const slots = changeable && study.status === 'live' ? (await studySlots(app.db, study, defaultRange(study, now), now, app.busyTime, { moving: booking })).slots : [];
    return page(
      reply,
      `Your interview · ${workspaceName}`,
      html`<p class="muted">${workspaceName}</p><h1>${booking.status === 'cancelled' ? 'Cancelled: ' : ''}${study.name}</h1>
${query.done && done[query.done] ? html`<p class="notice" role="status">${done[query.done]!}</p>` : ''}${errorNotice(problem)}
<p><strong>${times.range}</strong><br><span class="muted">${times.zone}</span></p>
<p>With ${hostName}${booking.meetingUrl ? html` · <a href="${booking.meetingUrl}">Join the call</a>` : ''}</p>
${changeable ? html`
<h2>Need another time?</h2>
${zonePicker(`/m/${token}`, timeZone)}
<form method="post" action="/m/${token}/reschedule?tz=${timeZone}">${slotPicker(slots, timeZone)}${slots.length > 0 ? html`<button type="submit">Move my interview</button>` : ''}</form>
<h2>Can't make it?</h2>
<form method="post" action="/m/${token}/cancel?tz=${timeZone}"><button class="secondary" type="submit">Cancel the interview</button></form>` : booking.status === 'cancelled' ? html`<p><a href="/b/${study.slug}">Book a new time</a></p>` : ''}`,
      status,
    );
  }

  app.get<{ Params: { token: string }; Querystring: { tz?: string; done?: string } }>('/m/:token', { schema: { hide: true } }, async (request, reply) =>
    managePage(reply, request.params.token, request.query),
  );

  app.post<{ Params: { token: string }; Querystring: { tz?: string } }>('/m/:token/cancel', { schema: { hide: true } }, async (request, reply) => {
    try {
      await cancelBooking(deps(), { token: request.params.token }, 'participant');
      return reply.redirect(`/m/${request.params.token}?done=cancelled&tz=${encodeURIComponent(zoneOf(request.query))}`, 303);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      return managePage(reply, request.params.token, request.query, error, error.statusCode);
    }
  });

  app.post<{ Params: { token: string }; Querystring: { tz?: string } }>('/m/:token/reschedule', { schema: { hide: true } }, async (request, reply) => {
    const start = formFields(request.body).get('start')?.[0] ?? '';
    try {
      const moveTo = { start };
      try {
        assertBody(RescheduleRequest, moveTo);
      } catch (error) {
        throw error instanceof HttpError ? formProblem(error) : error;
      }
      await rescheduleBooking(deps(), request.params.token, new Date(moveTo.start));
      return reply.redirect(`/m/${request.params.token}?done=moved&tz=${encodeURIComponent(zoneOf(request.query))}`, 303);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      return managePage(reply, request.params.token, request.query, error, error.statusCode);
    }
  });
}
