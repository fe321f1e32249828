import { errorStatus } from '@atum-desk/core/client';
import { problemReader } from '@atum-desk/ui';

export { issuesToFields, type Problem, sentence } from '@atum-desk/ui';

/** Failed calls as the desk's pages show them (the design system's reading, the desk's sentences). */
export const { describeError, toFormError } = problemReader({
  statusOf: errorStatus,
  fallback: { 409: 'Someone changed this in the meantime. It has been reloaded; check it and try again.' },
});
