import { createMemoryHistory, MemoryRouter } from '@solidjs/router';
import { render } from '@solidjs/testing-library';
import type { PortalApi } from '../api/api-context.tsx';
import { createPortalQueryClient } from '../api/query-client.ts';
import { PortalLayout, PortalProviders, ROUTER_BASE, routes } from '../app.tsx';

/** Renders the portal at a path under /portal with the given API; returns the history to inspect. */
export function renderPortal(path: string, api: PortalApi) {
  const history = createMemoryHistory();
  history.set({ value: `${ROUTER_BASE}${path}`, scroll: false, replace: true });
  const queryClient = createPortalQueryClient();
  // Tests want an answer at once, not after TanStack's retry back-off.
  queryClient.setDefaultOptions({ queries: { ...queryClient.getDefaultOptions().queries, retry: false } });
  const result = render(() => (
    <PortalProviders api={api} queryClient={queryClient}>
      <MemoryRouter history={history} base={ROUTER_BASE} root={PortalLayout}>
        {routes}
      </MemoryRouter>
    </PortalProviders>
  ));
  return { ...result, history, queryClient, path: () => history.get() };
}
