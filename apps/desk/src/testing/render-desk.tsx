import { createMemoryHistory, MemoryRouter } from '@solidjs/router';
import { render } from '@solidjs/testing-library';
import type { DeskApi } from '../api/api-context.tsx';
import { createDeskQueryClient } from '../api/query-client.ts';
import { DeskLayout, DeskProviders, ROUTER_BASE, routes } from '../app.tsx';

/** Renders the desk at a path under /desk with the given API; returns the history to inspect. */
export function renderDesk(path: string, api: DeskApi) {
  const history = createMemoryHistory();
  history.set({ value: `${ROUTER_BASE}${path}`, scroll: false, replace: true });
  const queryClient = createDeskQueryClient();
  // Tests want an answer at once, not after TanStack's retry back-off.
  queryClient.setDefaultOptions({ queries: { ...queryClient.getDefaultOptions().queries, retry: false } });
  const result = render(() => (
    <DeskProviders api={api} queryClient={queryClient}>
      <MemoryRouter history={history} base={ROUTER_BASE} root={DeskLayout}>
        {routes}
      </MemoryRouter>
    </DeskProviders>
  ));
  return { ...result, history, queryClient, path: () => history.get() };
}
