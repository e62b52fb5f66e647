// The team's page for one booking, linked from every team mail and the calendar event: who and
// when, and marking how it went (done, so the incentive is due, or a no-show), without signing in
// to the admin app. The link's token is derived from the booking id; changes are POSTed, so a
// mail scanner that follows links changes nothing.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { HttpError } from '../../errors.js';
import { ERASED_PARTICIPANT } from '../../mail/context.js';
import { html } from '../../mail/layout.js';
import { formatTimes } from '../../mail/time.js';
import { bookingByTeamLink, bookingDeps, bookingParticipant, bookingParties, markOutcome } from '../../services/booking.js';
import { acceptForms, errorNotice, formFields, page } from './page.js';

const MARKED = { completed: 'done', no_show: 'a no-show' } as const;
type Outcome = keyof typeof MARKED;
const isOutcome = (value: string | undefined): value is Outcome => value === 'completed' || value === 'no_show';

type Params = { bookingId: string; token: string };

export async function teamPages(app: FastifyInstance): Promise<void> {
  acceptForms(app);
  const linkedBooking = (params: Params) => bookingByTeamLink(app.db, app.secretBox, params.bookingId, params.token);

  async function teamPage(reply: FastifyReply, params: Params, problem?: unknown, status = 200): Promise<FastifyReply> {
    let booking;
    try {
      booking = await linkedBooking(params);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      return page(reply, 'Link not valid', html`<h1>This link is not valid</h1><p>It does not match a booking. Open the booking from the admin app instead.</p>`, 404);
    }
    const [{ study, hostName, hostTimeZone }, participant] = await Promise.all([
      bookingParties(app.db, booking),
      bookingParticipant(app.db, booking),
    ]);
    const who = participant?.email ? (participant.name ?? 'The participant') : ERASED_PARTICIPANT;
    const times = formatTimes(booking.startsAt, booking.endsAt, hostTimeZone);
    const incentive = study.incentive?.description;
    const action = `/t/${params.bookingId}/${params.token}/outcome`;
    const button = (outcome: Outcome, label: string, secondary = false) =>
      html`<form method="post" action="${action}"><input type="hidden" name="outcome" value="${outcome}"><button type="submit"${secondary ? html` class="secondary"` : html``}>${label}</button></form>`;

    let state;
    if (booking.status === 'cancelled') state = html`<p class="notice">This interview was cancelled.</p>`;
    else if (booking.startsAt.getTime() > Date.now()) state = html`<p class="muted">Once it has started, mark here how it went.</p>`;
    else if (booking.status === 'confirmed') {
      state = html`<h2>How did it go?</h2>${incentive ? html`<p>Marking it done makes ${incentive} due; you send it from Incentives in the admin app.</p>` : html``}
<p>${button('completed', 'It happened')}</p><p>${button('no_show', `${who} did not come`, true)}</p>`;
    } else {
      const marked = booking.status as Outcome;
      const other: Outcome = marked === 'completed' ? 'no_show' : 'completed';
      state = html`<p class="notice" role="status">Marked as ${MARKED[marked]}.${marked === 'completed' && incentive ? html` The incentive, ${incentive}, is now due: send it from Incentives in the admin app.` : html``}</p>
<p class="muted">Marked by mistake?</p><p>${button(other, other === 'completed' ? 'It happened after all' : `${who} did not come after all`, true)}</p>`;
    }
    return page(
      reply,
      `Interview with ${who} · ${study.name}`,
      html`<h1>Interview with ${who}</h1>
<p>${study.name}, with ${hostName}</p>
<p><strong>${times.range}</strong><br><span class="muted">${times.zone}</span></p>
${errorNotice(problem)}${state}`,
      status,
    );
  }

  app.get<{ Params: Params }>('/t/:bookingId/:token', { schema: { hide: true } }, async (request, reply) => teamPage(reply, request.params));

  app.post<{ Params: Params }>('/t/:bookingId/:token/outcome', { schema: { hide: true } }, async (request, reply) => {
    const outcome = formFields(request.body).get('outcome')?.[0];
    try {
      const booking = await linkedBooking(request.params);
      if (!isOutcome(outcome)) throw new HttpError(400, 'invalid_outcome', 'Choose whether the interview happened.');
      await markOutcome(bookingDeps(app), booking.workspaceId, booking.id, outcome);
      return reply.redirect(`/t/${request.params.bookingId}/${request.params.token}`, 303);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      return teamPage(reply, request.params, error, error.statusCode);
    }
  });
}
