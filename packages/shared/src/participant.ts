// What a participant reads, as pure functions shared by the widget, the server's pages and
// emails, and the admin app's previews: the study's public title, the incentive in words that
// follow its amount, zone names people recognise, and the hours people are awake. Intl only (no
// Temporal), so the widget can carry it.

/** '$25', '€12.50'; null without both an amount and a currency. A code Intl does not know is written out. */
export function formatMoney(amountCents: number | null | undefined, currency: string | null | undefined, locale?: string): string | null {
  if (amountCents == null || !currency) return null;
  const amount = amountCents / 100;
  try {
    // Whole amounts without '.00': a gift card is "$25", not "$25.00".
    return new Intl.NumberFormat(locale, { style: 'currency', currency, ...(amountCents % 100 === 0 ? { minimumFractionDigits: 0 } : {}) }).format(amount);
  } catch {
    return `${amount.toFixed(2)} ${currency}`;
  }
}

/** "$25", "25 USD", "€ 12,50", "12.50€": an amount written into the copy by hand. */
// \u20AC is the euro sign, escaped: the server bundle stays Latin-1 (see packages/server/build.mjs).
const WRITTEN_AMOUNT = /(?:[$\u20AC£¥]\s?\d[\d.,]*|\d[\d.,]*\s?(?:[$\u20AC£¥]|[A-Z]{3}\b))/;

export interface IncentiveWords {
  amountCents?: number | null;
  currency?: string | null;
  description: string;
}

/**
 * The incentive in words, following its amount: "{amount}" in the description is replaced by the
 * amount; an amount written by hand ("a $25 gift card") is replaced by the real one, so changing
 * the amount never leaves a stale figure; a description without either gets the amount after it.
 */
export function incentiveText(incentive: IncentiveWords, locale?: string): string {
  const amount = formatMoney(incentive.amountCents, incentive.currency, locale);
  const { description } = incentive;
  if (!amount) return description.replaceAll('{amount}', '').replace(/\s{2,}/g, ' ').trim();
  if (description.includes('{amount}')) return description.replaceAll('{amount}', amount);
  if (WRITTEN_AMOUNT.test(description)) return description.replace(WRITTEN_AMOUNT, amount);
  return `${description} (${amount})`;
}

/** The study's title as participants read it: its public title, or a neutral one; never the team's internal name. */
export function participantTitle(study: { publicTitle?: string | null; durationMinutes: number }, company: string): string {
  return study.publicTitle?.trim() || `A ${study.durationMinutes}-minute conversation with ${company}`;
}

/** "Los Angeles (PT)", "Berlin (Central European Time)", "UTC": a zone as people know it, not its IANA name. */
export function zoneLabel(timeZone: string, at: Date = new Date(), locale = 'en-US'): string {
  if (/^(Etc\/)?UTC$/.test(timeZone)) return 'UTC';
  const city = timeZone.split('/').pop()!.replace(/_/g, ' ');
  const name = (timeZoneName: 'shortGeneric' | 'longGeneric') =>
    new Intl.DateTimeFormat(locale, { timeZone, timeZoneName }).formatToParts(at).find((part) => part.type == 'timeZoneName')?.value;
  try {
    // "PT", "ET", "GMT" as they are; "Germany Time" or "GMT+1" read better as the long name.
    const short = name('shortGeneric')!;
    return `${city} (${/^[A-Z]{1,5}$/.test(short) ? short : name('longGeneric')})`;
  } catch {
    return city;
  }
}

/** The hours a participant is awake by default, local time: slots outside are shown only on request. */
export const WAKING_HOURS = { from: 7, to: 21 } as const;

/** Minutes since local midnight: "07:30" → 450. */
const minutesOfDay = (at: string | Date, timeZone: string): number => {
  const [hour, minute] = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(at)).split(':');
  return +hour! * 60 + +minute!;
};

/** Whether a slot starts at or after 07:00 and ends by 21:00 in the participant's zone. */
export function isWakingSlot(slot: { start: string | Date; end: string | Date }, timeZone: string): boolean {
  const start = minutesOfDay(slot.start, timeZone);
  const end = minutesOfDay(slot.end, timeZone);
  return start >= WAKING_HOURS.from * 60 && end <= WAKING_HOURS.to * 60 && end > start;
}
