import { Type, type Static } from '@sinclair/typebox';
import { RuleRef, TriggersSchema } from '../rules/schemas.js';
import { Nullable, Uuid } from './common.js';
import { Incentive, InterceptCopy, Screener } from './studies.js';

export const PublicKeyParams = Type.Object({ publicKey: Type.String({ pattern: '^pk_[A-Za-z0-9_-]{8,64}$' }) });

/** What the loader needs to decide, on the page, whether to show a study. */
export const WidgetStudy = Type.Object({
  id: Uuid,
  /** The participant-facing title (never the team's internal name), e.g. for the participant's calendar entry. */
  name: Type.String(),
  slug: Type.String(),
  priority: Type.Integer(),
  intercept: InterceptCopy,
  incentive: Nullable(Incentive),
  durationMinutes: Type.Integer(),
  targeting: Nullable(RuleRef),
  triggers: TriggersSchema,
  samplingPercent: Type.Integer(),
  recontactDays: Nullable(Type.Integer()),
  screener: Nullable(Screener),
  /** Whether a slot can be booked right now; a study without capacity is never shown. */
  bookable: Type.Boolean(),
});

export const WidgetConfig = Type.Object({
  workspace: Type.Object({
    recontactDays: Type.Integer(),
    identityVerificationRequired: Type.Boolean(),
    privacyUrl: Nullable(Type.String()),
    locale: Type.String(),
    theme: Type.Record(Type.String(), Type.String()),
  }),
  studies: Type.Array(WidgetStudy),
});
export type WidgetConfig = Static<typeof WidgetConfig>;
