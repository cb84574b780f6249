import type { LabInfo } from '../../lib/lab';

/** The recap: a page like a lab, with no request of its own. */
export const lab: LabInfo = {
  id: 'recap',
  title: 'Recap',
  concept: [
    'What the labs showed, in a few lines to keep, and the habits that make streaming code hold up. Your progress through the "Try this" steps is below; it is kept in this browser only.',
  ],
  defaultPrompt: '',
  maxTokens: 0,
};
