import type { CsatAnswerInput } from '@atum-desk/core/domain';
import type { PortalApi } from './api-context.tsx';
import { queryKeys } from './queries.ts';

/** The survey of a link's token (public: the signed token is the credential). */
export function csatSurveyQuery(api: PortalApi, token: string) {
  return {
    queryKey: queryKeys.csat(token),
    queryFn: () => api.client.csat.get.query({ token }),
  };
}

/** Sends the one answer of a survey. */
export function submitCsat(api: PortalApi, input: CsatAnswerInput) {
  return api.client.csat.submit.mutate(input);
}
