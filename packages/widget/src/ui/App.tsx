// The flow: intercept → screener → slot picker → details → confirmation. The intercept is a
// non-modal card that never takes focus; once the participant says yes, the steps open in a
// native modal <dialog> (top layer, focus kept inside, ESC closes, focus returns on close).
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { MountOptions, UIEvent } from '../contract.js';
import type { Booking } from './api.js';
import { Details, personFrom } from './Details.js';
import { Done, ScreenedOut } from './Done.js';
import { Intercept, Meta } from './Intercept.js';
import { Screener } from './Screener.js';
import type { Answers } from './answers.js';
import { qualifies } from './answers.js';
import { SlotPicker } from './SlotPicker.js';
import { detectZone, type Slot } from './time.js';
import type { StepProps } from './step.js';

const FOCUSABLE = 'a[href],button,input,select,textarea,[tabindex="0"]';

type Step = 'intercept' | 'screener' | 'slots' | 'details' | 'done' | 'out';

const TITLES: Record<Step, string> = {
  intercept: '',
  screener: 'A few quick questions',
  slots: 'Pick a time',
  details: 'Your details',
  done: 'You’re booked',
  out: 'Thank you',
};

export function App({ o, record, close }: { o: MountOptions; record: (kind: UIEvent) => void; close: () => void }) {
  const questions = o.study.screener?.questions ?? [];
  const flow: Step[] = questions.length ? ['screener', 'slots', 'details', 'done'] : ['slots', 'details', 'done'];
  const [step, setStep] = useState<Step>(o.inline ? flow[0]! : 'intercept');
  const [answers, setAnswers] = useState<Answers>({});
  const [timeZone, setTimeZone] = useState(detectZone);
  const [slot, setSlot] = useState<Slot>();
  const [alternatives, setAlternatives] = useState<Slot[]>();
  const [booking, setBooking] = useState<Booking>();
  const [person, setPerson] = useState(() => personFrom(o.traits));
  const [message, say] = useState('');

  const go = (next: Step) => {
    setStep(next);
    const n = flow.indexOf(next);
    say(n >= 0 && next != 'done' ? `Step ${n + 1} of ${flow.length - 1}: ${TITLES[next]}` : TITLES[next]);
  };
  const props: StepProps = { o, say };

  if (step == 'intercept') {
    return (
      <Intercept
        o={o}
        onAccept={() => {
          record('opted_in');
          go(flow[0]!);
        }}
        onDecline={(kind) => {
          record(kind);
          close();
        }}
      />
    );
  }

  const body =
    step == 'screener' ? (
      <Screener
        {...props}
        questions={questions}
        initial={answers}
        onSubmit={(a) => {
          setAnswers(a);
          if (qualifies(questions, a)) record('screened_in'), go('slots');
          else {
            record('screened_out');
            go('out');
          }
        }}
      />
    ) : step == 'slots' ? (
      <SlotPicker
        {...props}
        timeZone={timeZone}
        onTimeZone={setTimeZone}
        alternatives={alternatives}
        onPick={(s) => {
          setSlot(s);
          go('details');
        }}
      />
    ) : step == 'details' && slot ? (
      <Details
        {...props}
        slot={slot}
        timeZone={timeZone}
        answers={answers}
        onBack={() => go('slots')}
        onTaken={(alt) => {
          setAlternatives(alt);
          go('slots');
          say('That time was just taken. Please pick another; the nearest free times are listed first.');
        }}
        person={person}
        onPerson={setPerson}
        onBooked={(b) => {
          setBooking(b);
          go('done');
        }}
      />
    ) : step == 'done' && booking ? (
      <Done {...props} booking={booking} timeZone={timeZone} email={person.email.trim()} close={close} />
    ) : (
      <ScreenedOut {...props} close={close} />
    );

  const index = flow.indexOf(step);
  return (
    <Frame o={o} step={step} message={message} onClose={close}>
      {/* Always there (blank at the end), so the heading below never moves. */}
      <p class="step">{index >= 0 && step != 'done' ? `Step ${index + 1} of ${flow.length - 1}` : '\u00a0'}</p>
      <h2 id="beckon-title" tabIndex={-1}>
        {step == 'slots' && alternatives ? 'That time was just taken' : TITLES[step]}
      </h2>
      {body}
    </Frame>
  );
}

/** The modal dialog (or, on the hosted page, the page itself) around the steps after the intercept. */
function Frame({ o, step, message, onClose, children }: { o: MountOptions; step: Step; message: string; onClose: () => void; children: ComponentChildren }) {
  const ref = useRef<HTMLDialogElement & HTMLDivElement>(null);
  const first = useRef(true);
  useEffect(() => {
    const d = ref.current;
    if (d && !o.inline && !d.open) {
      if (d.showModal) d.showModal();
      else d.setAttribute('open', '');
    }
  }, []);
  // Each step starts at its heading, so a screen reader reads where the participant now is.
  useEffect(() => {
    if (o.inline && first.current) first.current = false;
    else ref.current?.querySelector<HTMLElement>('h2')?.focus();
  }, [step]);

  const live = (
    <p class="sr" aria-live="polite" aria-atomic="true">
      {message}
    </p>
  );
  if (o.inline) {
    return (
      <div ref={ref} class="page">
        <h1>{o.study.intercept.title}</h1>
        <p>{o.study.intercept.body}</p>
        <Meta o={o} />
        {children}
        {live}
      </div>
    );
  }
  return (
    <dialog
      ref={ref}
      class={o.position == 'bottom-left' ? 'card left' : 'card'}
      aria-labelledby="beckon-title"
      onKeyDown={(e) => {
        // Tab cycles inside the dialog (the browser would let it out to its own toolbar).
        if (e.key != 'Tab') return;
        const items = [...ref.current!.querySelectorAll<HTMLElement>(FOCUSABLE)];
        const at = (ref.current!.getRootNode() as ShadowRoot).activeElement;
        const [first, last] = [items[0], items[items.length - 1]];
        if (e.shiftKey ? at == first : at == last) {
          e.preventDefault();
          (e.shiftKey ? last : first)?.focus();
        }
      }}
      onCancel={(e) => {
        // ESC: close the whole flow ourselves, so focus goes back where it came from.
        e.preventDefault();
        onClose();
      }}
    >
      <button type="button" class="x" aria-label="Close" onClick={onClose}>
        ×
      </button>
      {children}
      {live}
    </dialog>
  );
}
