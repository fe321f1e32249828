import { errorStatus } from '@atum-desk/core/client';
import { problemReader } from '@atum-desk/ui';

export { issuesToFields, type Problem, sentence } from '@atum-desk/ui';

/** Failed calls as the portal's pages show them (the design system's reading, the portal's sentences). */
export const { describeError, toFormError } = problemReader({
  statusOf: errorStatus,
  fallback: { 409: 'This ticket changed in the meantime. Reload it and try again.' },
});
