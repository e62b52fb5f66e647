// Name and email (prefilled from the identified user's traits), consent with the workspace's
// privacy link, then the booking. A retry after a network failure reuses the Idempotency-Key,
// so it cannot book twice.
import { useRef, useState } from 'preact/hooks';
import type { StepProps } from './step.js';
import { book, type Booking } from './api.js';
import type { Answers } from './answers.js';
import { rangeLabel, type Slot } from './time.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const text = (v: unknown): string => (typeof v == 'string' ? v.trim() : '');

/** What the participant typed; kept by the flow, so choosing another time keeps it. */
export interface Person {
  name: string;
  email: string;
  agreed: boolean;
}

export const personFrom = (t: Record<string, unknown>): Person => ({
  name: text(t.name) || [text(t.firstName), text(t.lastName)].filter(Boolean).join(' '),
  email: text(t.email),
  agreed: false,
});

const newKey = (): string => {
  try {
    return crypto.randomUUID();
  } catch {
    return Date.now().toString(36) + '-' + Math.random().toString(36).slice(2);
  }
};

const REFUSED: Record<string, string> = {
  not_eligible: 'This study is looking for other participants right now. Thank you for offering your time!',
  screened_out: 'This study is looking for a different profile right now. Thank you for offering your time!',
  identity_not_verified: 'We couldn’t confirm your account. Please reload the page and try again.',
};

export function Details({
  o,
  say,
  slot,
  timeZone,
  answers,
  onBack,
  onTaken,
  onBooked,
  person,
  onPerson,
}: StepProps & {
  person: Person;
  onPerson: (p: Person) => void;
  slot: Slot;
  timeZone: string;
  answers: Answers;
  onBack: () => void;
  onTaken: (alternatives: Slot[]) => void;
  onBooked: (b: Booking) => void;
}) {
  const t = o.traits;
  // A consent or NDA text the study asks for: shown here, accepted with the same box, its version sent.
  const c = o.study.consent;
  const { name, email, agreed } = person;
  const setName = (v: string) => onPerson({ ...person, name: v });
  const setEmail = (v: string) => onPerson({ ...person, email: v });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState('');
  const last = useRef<{ body: string; key: string }>();
  const form = useRef<HTMLFormElement>(null);

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    const found: Record<string, string> = {};
    if (!name.trim()) found.name = 'Please enter your name.';
    if (!EMAIL.test(email.trim())) found.email = 'Please enter an email address like name@example.com.';
    if (!agreed) found.consent = 'Please agree so we can send you the invitation.';
    setErrors(found);
    const firstBad = Object.keys(found)[0];
    if (firstBad) {
      say(Object.values(found).join(' '));
      form.current?.querySelector<HTMLElement>(`[name=${firstBad}]`)?.focus();
      return;
    }
    const request = {
      start: slot.start,
      participant: { email: email.trim(), name: name.trim(), timeZone, userId: o.userId, traits: Object.keys(t).length ? t : undefined, signature: o.signature },
      consent: true as const,
      answers: Object.keys(answers).length ? answers : undefined,
      source: o.source,
      acceptedConsent: c && { consentTextId: c.id, version: c.version },
    };
    const body = JSON.stringify(request);
    if (last.current?.body != body) last.current = { body, key: newKey() };
    setBusy(true);
    setFailure('');
    say('Booking…');
    const result = await book(o.api, o.study.id, request, last.current.key);
    setBusy(false);
    if (result.ok) return onBooked(result.booking);
    if (result.status == 409) return onTaken(result.alternatives ?? []);
    const message =
      result.status == 422
        ? REFUSED[result.code] ?? result.message ?? 'This time can’t be booked.'
        : result.status
          ? 'Something went wrong on our side. Please try again in a moment.'
          : 'We couldn’t reach the booking service. Please try again; you won’t be booked twice.';
    setFailure(message);
    say(message);
  }

  const field = (id: 'name' | 'email', label: string, value: string, set: (v: string) => void, type: string, autoComplete: string) => (
    <label class="field">
      {label}
      <input
        type={type}
        name={id}
        value={value}
        autoComplete={autoComplete}
        maxLength={id == 'name' ? 120 : 254}
        aria-invalid={!!errors[id]}
        aria-describedby={errors[id] ? `beckon-err-${id}` : undefined}
        onInput={(e) => set(e.currentTarget.value)}
      />
      {errors[id] && (
        <span class="error" id={`beckon-err-${id}`}>
          {errors[id]}
        </span>
      )}
    </label>
  );

  const privacy = o.workspace.privacyUrl;
  return (
    <form ref={form} noValidate onSubmit={submit}>
      <div class="summary">
        {rangeLabel(slot, timeZone, o.workspace.locale || undefined)}
        <span>{timeZone.replace(/_/g, ' ')} time</span>
      </div>
      {field('name', 'Your name', name, setName, 'text', 'name')}
      {field('email', 'Email', email, setEmail, 'email', 'email')}
      {c && (
        <div class="ct" tabIndex={0} role="region" aria-label={c.title}>
          {c.body}
        </div>
      )}
      <label class="check">
        <input
          type="checkbox"
          name="consent"
          checked={agreed}
          aria-invalid={!!errors.consent}
          aria-describedby={errors.consent ? 'beckon-err-consent' : undefined}
          onChange={(e) => onPerson({ ...person, agreed: e.currentTarget.checked })}
        />
        <span>
          I agree to be contacted about this interview and that my answers are kept for it{c && `, and accept “${c.title}” (version ${c.version})`}.
          {privacy && (
            <>
              {' '}
              <a href={privacy} target="_blank" rel="noopener noreferrer">
                Privacy policy
              </a>
            </>
          )}
        </span>
      </label>
      {errors.consent && (
        <p class="error" id="beckon-err-consent">
          {errors.consent}
        </p>
      )}
      {/* The button alone on its row: its label changes width while booking, and moves nothing. */}
      <div class="row">
        <button class="btn" aria-disabled={busy} aria-busy={busy}>
          {busy ? 'Booking…' : 'Book interview'}
        </button>
      </div>
      <div class="row">
        <button type="button" class="link" onClick={onBack}>
          Choose another time
        </button>
      </div>
      {/* Below the buttons: an answer that comes late moves nothing the participant sees. */}
      {failure && (
        <p class="error" role="alert">
          {failure}
        </p>
      )}
    </form>
  );
}
