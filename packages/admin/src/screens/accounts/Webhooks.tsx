// Webhooks (admins): endpoints that receive signed events (Standard Webhooks), each with the
// events it wants; the signing secret is shown once, when the endpoint is added. Each endpoint's
// delivery log shows status, every attempt (status code or error, latency, next retry), with replay. Slack
// incoming webhooks (per workspace or study) are added below.
import type { SlackWebhook, WebhookDelivery, WebhookEndpoint, WebhookEndpointCreated } from '@beckon/shared/api';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '@beckon/shared/vocabulary';
import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../../api.js';
import type { FieldProblem } from '../../lib/fields.js';
import { formatDateTime } from '../../lib/time.js';
import { ConfirmButton, CopyButton, LoadError, Loading, Notice, PageHeading, problemOfError, StatusBadge, toApiError, useDisplayZone, useLoad } from '../../ui/common.js';
import { Checkbox, Fieldset, Form, SelectField, TextField } from '../../ui/form.js';
import './accounts.css';

const EVENT_LABELS: Record<WebhookEventType, string> = {
  'booking.created': 'Interview booked',
  'booking.rescheduled': 'Interview moved',
  'booking.cancelled': 'Interview cancelled',
  'booking.attended': 'Interview marked done',
  'booking.no_show': 'Participant did not come',
  'incentive.owed': 'Incentive owed',
  'incentive.sent': 'Incentive sent',
  'participant.opted_out': 'Participant opted out',
  'week.at_risk': 'Week at risk of missing its target',
};

export function WebhooksScreen() {
  const endpoints = useLoad(() => api.listWebhookEndpoints(), []);
  const [created, setCreated] = useState<WebhookEndpointCreated | null>(null);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const replace = (endpoint: WebhookEndpoint) => endpoints.set(endpoints.data!.map((e) => (e.id === endpoint.id ? endpoint : e)));

  return (
    <>
      <PageHeading title="Webhooks">Webhooks</PageHeading>
      <p class="lede">
        Beckon sends signed events to your systems (a CRM, a research repository, your own code) as they happen, in order, per the Standard Webhooks
        specification: verify them with any Standard Webhooks library and the endpoint's secret. A failed delivery is retried with backoff; after a day of
        failures the endpoint is turned off and the owners are emailed.
      </p>
      {created && <CreatedEndpoint created={created} onDone={() => setCreated(null)} />}
      {message && (
        <Notice kind={message.kind} live>
          <p>{message.text}</p>
        </Notice>
      )}
      {endpoints.error && <LoadError error={endpoints.error} what="webhook endpoints" onRetry={endpoints.reload} />}
      {endpoints.loading && !endpoints.data && <Loading what="webhook endpoints" />}
      {endpoints.data && endpoints.data.length === 0 && <p class="muted">No endpoints yet.</p>}
      {endpoints.data?.map((endpoint) => (
        <section class="section" key={endpoint.id} aria-label={`Endpoint ${endpoint.url}`}>
          <h2 class="section-title">
            <code>{endpoint.url}</code> {endpoint.enabled ? <StatusBadge status="active" label="On" /> : <StatusBadge status="inactive" label="Off" />}
          </h2>
          {endpoint.description && <p>{endpoint.description}</p>}
          {endpoint.disabledReason && !endpoint.enabled && <p class="muted">{endpoint.disabledReason}</p>}
          <p class="muted">Events: {endpoint.events.length === 0 ? 'all' : endpoint.events.map((e) => EVENT_LABELS[e]).join(', ')}</p>
          <div class="actions">
            <button
              type="button"
              class="button-small button-secondary"
              onClick={async () => {
                setMessage(null);
                try {
                  replace(await api.updateWebhookEndpoint(endpoint.id, { enabled: !endpoint.enabled }));
                  setMessage({ kind: 'success', text: endpoint.enabled ? `${endpoint.url} is off: nothing is sent to it.` : `${endpoint.url} is on again; what waited for it is being sent.` });
                } catch (error) {
                  setMessage({ kind: 'error', text: toApiError(error).message });
                }
              }}
            >
              {endpoint.enabled ? 'Turn off' : 'Turn on'}
            </button>
            <button type="button" class="button-small button-secondary" aria-expanded={open === endpoint.id} onClick={() => setOpen(open === endpoint.id ? null : endpoint.id)}>
              {open === endpoint.id ? 'Hide deliveries' : 'Deliveries'}
            </button>
            <ConfirmButton
              class="button-small button-danger"
              aria-label={`Remove ${endpoint.url}`}
              groupLabel={`Confirm removing ${endpoint.url}`}
              question={`Remove ${endpoint.url}? It receives nothing more, and its delivery log goes with it.`}
              confirmLabel="Remove endpoint"
              cancelLabel="Keep it"
              onConfirm={async () => {
                try {
                  await api.deleteWebhookEndpoint(endpoint.id);
                  endpoints.set(endpoints.data!.filter((e) => e.id !== endpoint.id));
                  setMessage({ kind: 'success', text: `${endpoint.url} was removed.` });
                } catch (error) {
                  setMessage({ kind: 'error', text: toApiError(error).message });
                }
              }}
            >
              Remove
            </ConfirmButton>
          </div>
          {open === endpoint.id && <Deliveries endpoint={endpoint} />}
        </section>
      ))}
      <AddEndpoint
        onAttempt={() => {
          setMessage(null);
          setCreated(null);
        }}
        onCreated={(result) => {
          setCreated(result);
          const { secret: _secret, ...endpoint } = result;
          endpoints.set([...(endpoints.data ?? []), endpoint]);
        }}
      />
      <SlackSection />
    </>
  );
}

/** Slack incoming webhooks: new bookings, cancellations and at-risk weeks, posted to a channel. */
function SlackSection() {
  const hooks = useLoad(() => api.listSlackWebhooks(), []);
  const studies = useLoad(() => api.listStudies(), []);
  const [url, setUrl] = useState('');
  const [studyId, setStudyId] = useState('');
  const [label, setLabel] = useState('');
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const studyName = (id: string | null) => (id ? (studies.data?.find((s) => s.id === id)?.name ?? 'A study') : 'Every study, and at-risk weeks');
  const remove = async (hook: SlackWebhook) => {
    await api.deleteSlackWebhook(hook.id);
    hooks.set(hooks.data!.filter((h) => h.id !== hook.id));
    setMessage('The Slack webhook was removed.');
  };
  return (
    <section class="section" aria-labelledby="slack-title">
      <h2 id="slack-title" class="section-title">
        Slack
      </h2>
      <p>
        Post new bookings, cancellations and weeks at risk of missing their target to a Slack channel: create an incoming webhook in Slack and paste its URL. A study's own
        webhook gets only that study's bookings.
      </p>
      {message && (
        <Notice kind="success" live>
          <p>{message}</p>
        </Notice>
      )}
      {hooks.error && <LoadError error={hooks.error} what="Slack webhooks" onRetry={hooks.reload} />}
      {hooks.data && hooks.data.length > 0 && (
        <ul>
          {hooks.data.map((hook) => (
            <li key={hook.id}>
              {hook.label || 'Slack'} <code>{hook.urlEnd}</code> · {studyName(hook.studyId)}{' '}
              <button type="button" class="button-small button-danger" aria-label={`Remove Slack webhook ${hook.label || hook.urlEnd}`} onClick={() => void remove(hook)}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <Form
        problems={problems}
        aria-label="Add a Slack webhook"
        onSubmit={async () => {
          setMessage(null);
          if (!url.trim()) return setProblems([{ field: 'slack.url', message: 'Paste the incoming webhook URL from Slack' }]);
          try {
            const created = await api.createSlackWebhook({ url: url.trim(), label: label.trim(), ...(studyId ? { studyId } : {}) });
            hooks.set([...(hooks.data ?? []), created]);
            setUrl('');
            setLabel('');
            setProblems([]);
            setMessage('Slack will hear about the next booking.');
          } catch (error) {
            // The endpoint form above has the same fields: these live under `slack.` so their ids differ.
            const problem = problemOfError(error);
            setProblems([{ ...problem, ...(problem.field ? { field: `slack.${problem.field}` } : {}) }]);
          }
        }}
      >
        <TextField path="slack.url" label="Incoming webhook URL" value={url} maxLength={2048} required onInput={setUrl} />
        <TextField path="slack.label" label="Channel (optional)" hint="e.g. #research, so you know where it posts." value={label} maxLength={80} onInput={setLabel} size="medium" />
        <SelectField
          path="slack.studyId"
          label="For"
          value={studyId}
          options={[{ value: '', label: 'Every study, and at-risk weeks' }, ...(studies.data ?? []).map((s) => ({ value: s.id, label: s.name }))]}
          onChange={setStudyId}
        />
        <button type="submit" class="button-primary">
          Add Slack webhook
        </button>
      </Form>
    </section>
  );
}

function Deliveries(props: { endpoint: WebhookEndpoint }) {
  const deliveries = useLoad(() => api.webhookDeliveries(props.endpoint.id), [props.endpoint.id]);
  const [zone] = useDisplayZone();
  const [message, setMessage] = useState<string | null>(null);
  const [detail, setDetail] = useState<number | null>(null);
  if (deliveries.error) return <LoadError error={deliveries.error} what="deliveries" onRetry={deliveries.reload} />;
  if (!deliveries.data) return <Loading what="deliveries" />;
  if (deliveries.data.length === 0) return <p class="muted">Nothing sent yet.</p>;
  const answer = (d: WebhookDelivery) => (d.responseStatus !== null ? String(d.responseStatus) : (d.error ?? '—'));
  return (
    <>
      {message && (
        <Notice kind="success" live>
          <p>{message}</p>
        </Notice>
      )}
      <table class="table">
        <caption class="visually-hidden">Deliveries to {props.endpoint.url}, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Event</th>
            <th scope="col">Status</th>
            <th scope="col">Attempts</th>
            <th scope="col">Answer</th>
            <th scope="col">Latency</th>
            <th scope="col">Last attempt</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {deliveries.data.map((d) => (
            <Fragment key={d.id}>
            <tr>
              <th scope="row" data-label="Event">
                {EVENT_LABELS[d.type]} <code>{d.type}</code>
              </th>
              <td data-label="Status">
                <StatusBadge status={d.status === 'delivered' ? 'active' : d.status === 'failed' ? 'inactive' : 'pending'} label={d.status} />
              </td>
              <td data-label="Attempts">{d.attempts}</td>
              <td data-label="Answer">{answer(d)}</td>
              <td data-label="Latency">{d.latencyMs !== null ? `${d.latencyMs} ms` : '—'}</td>
              <td data-label="Last attempt">{d.lastAttemptAt ? formatDateTime(d.lastAttemptAt, zone) : 'Not yet'}</td>
              <td class="cell-actions">
                {d.attemptLog.length > 0 && (
                  <button
                    type="button"
                    class="button-small button-secondary"
                    aria-expanded={detail === d.id}
                    aria-controls={`attempts-${d.id}`}
                    aria-label={`${detail === d.id ? 'Hide' : 'Show'} the attempts of ${d.type}`}
                    onClick={() => setDetail(detail === d.id ? null : d.id)}
                  >
                    {detail === d.id ? 'Hide attempts' : 'Attempts'}
                  </button>
                )}
                <button
                  type="button"
                  class="button-small button-secondary"
                  aria-label={`Send ${d.type} again`}
                  onClick={async () => {
                    const copy = await api.replayWebhookDelivery(props.endpoint.id, d.id);
                    deliveries.set([copy, ...deliveries.data!]);
                    setMessage(`${d.type} is queued to be sent again, with the same webhook-id.`);
                  }}
                >
                  Send again
                </button>
              </td>
            </tr>
            {detail === d.id && (
              <tr id={`attempts-${d.id}`}>
                <td colSpan={7}>
                  <AttemptLog delivery={d} zone={zone} />
                </td>
              </tr>
            )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** Every attempt at one delivery, oldest first: when, what came back, how long it took, when it is tried again. */
function AttemptLog(props: { delivery: WebhookDelivery; zone: string }) {
  const { delivery, zone } = props;
  const dropped = delivery.attempts - delivery.attemptLog.length;
  return (
    <>
      {dropped > 0 && <p class="muted">The {dropped} earliest of {delivery.attempts} attempts are no longer kept.</p>}
      <ol class="webhook-attempts" aria-label={`Attempts to deliver ${delivery.type}, oldest first`} start={dropped + 1}>
        {delivery.attemptLog.map((attempt) => (
          <li key={attempt.at}>
            {formatDateTime(attempt.at, zone)}: {attempt.responseStatus !== null ? <>answered <strong>{attempt.responseStatus}</strong></> : <strong>{attempt.error}</strong>} in {attempt.latencyMs} ms
            {attempt.nextRetryAt ? <> · tried again {formatDateTime(attempt.nextRetryAt, zone)}</> : attempt.error ? <> · not tried again</> : null}
          </li>
        ))}
      </ol>
    </>
  );
}

/** The secret, this once: a warning, the secret and a copy button; the notice takes focus. */
function CreatedEndpoint(props: { created: WebhookEndpointCreated; onDone: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), [props.created]);
  return (
    <div class="notice notice-warning" role="region" aria-labelledby="new-endpoint-title" tabIndex={-1} ref={ref}>
      <p class="notice-title" id="new-endpoint-title">
        Copy the signing secret for {props.created.url} now
      </p>
      <p>This is the only time Beckon shows it. Your receiver verifies every webhook with it.</p>
      <div class="secret-once">
        <code aria-label="The signing secret">{props.created.secret}</code>
        <CopyButton text={props.created.secret} label="Copy the signing secret" what="signing secret" />
      </div>
      <button type="button" class="button-small button-secondary" onClick={props.onDone}>
        I have stored it
      </button>
    </div>
  );
}

function AddEndpoint(props: { onCreated: (result: WebhookEndpointCreated) => void; onAttempt: () => void }) {
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<WebhookEventType[]>([]);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    props.onAttempt();
    if (!url.trim()) return setProblems([{ field: 'url', message: 'Enter the https address that receives the webhooks' }]);
    setBusy(true);
    setProblems([]);
    try {
      props.onCreated(await api.createWebhookEndpoint({ url: url.trim(), description: description.trim(), events }));
      setUrl('');
      setDescription('');
      setEvents([]);
    } catch (error) {
      setProblems([problemOfError(error)]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="section" aria-labelledby="add-endpoint">
      <h2 id="add-endpoint" class="section-title">
        Add an endpoint
      </h2>
      <Form problems={problems} onSubmit={submit} aria-label="Add a webhook endpoint">
        <TextField path="url" label="URL" hint="https (http only to localhost, for development)." value={url} maxLength={2048} required onInput={setUrl} />
        <TextField path="description" label="Description" hint="What receives them, e.g. “CRM sync”." value={description} maxLength={200} onInput={setDescription} size="medium" />
        <Fieldset path="events" legend="Events" hint="None ticked: every event, including ones added later.">
          {WEBHOOK_EVENT_TYPES.map((type) => (
            <Checkbox
              key={type}
              id={`event-${type}`}
              label={
                <>
                  {EVENT_LABELS[type]} <code>{type}</code>
                </>
              }
              checked={events.includes(type)}
              onChange={(checked) => setEvents(checked ? [...events, type] : events.filter((e) => e !== type))}
            />
          ))}
        </Fieldset>
        <button type="submit" class="button-primary" disabled={busy}>
          {busy ? 'Adding…' : 'Add endpoint'}
        </button>
      </Form>
    </section>
  );
}
