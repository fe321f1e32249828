import { QueryCache, QueryClient } from '@tanstack/solid-query';
import { describeError } from './errors.ts';
import { queryKeys } from './queries.ts';

/**
 * The desk's query cache. Failed calls are retried twice (with TanStack's growing delay) unless the
 * server answered with a 4xx, which will not change on retry. A 401 anywhere means the session ended:
 * the cached user becomes null and the guarded pages send the user to sign in. Live events keep the
 * data fresh, so queries stay fresh for 30 s and do not refetch on every window focus.
 */
export function createDeskQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError(error, query) {
        if (describeError(error).status === 401 && query.queryKey[0] !== queryKeys.me[0]) {
          client.setQueryData(queryKeys.me, null);
        }
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        retry: (failures, error) => {
          const status = describeError(error).status;
          return (status === undefined || status >= 500 || status === 429) && failures < 2;
        },
      },
      mutations: { retry: false },
    },
  });
  return client;
}
