/**
 * Words the pages put next to colours, so no colour is ever the only
 * carrier of meaning (issue 12: impact levels used to differ by one word).
 */
import type { Impact } from '../schemas.ts';

/** An incident's impact, as its pill reads, e.g. `Critical impact`. */
export const IMPACT_LABELS: Record<Impact, string> = {
  none: 'No impact',
  minor: 'Minor impact',
  major: 'Major impact',
  critical: 'Critical impact',
};
