import type { ContactRuleName } from '@beckon/shared/api';

/** Why a person may not be asked now, in the team's words. */
export const RULE_LABELS: Record<ContactRuleName, string> = {
  do_not_contact: 'Do not contact',
  no_show_limit: 'Too many no-shows',
  upcoming_interview: 'Interview coming up',
  interview_limit: 'Interviewed recently',
  intercept_limit: 'Asked often lately',
  opt_out_cooldown: 'Opted out',
  dismiss_cooldown: 'Dismissed recently',
};
