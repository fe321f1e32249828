import { createAtumClient } from '@atum-desk/core/client';
import { Shell, Skeleton, ToastProvider } from '@atum-desk/ui';
import { A, type RouteDefinition, Router, type RouteSectionProps } from '@solidjs/router';
import { type QueryClient, QueryClientProvider } from '@tanstack/solid-query';
import { type JSX, lazy, Show, Suspense } from 'solid-js';
import { ApiProvider, type PortalApi } from './api/api-context.tsx';
import { LiveUpdates } from './api/live-updates.tsx';
import { createPortalQueryClient } from './api/query-client.ts';
import { uploadAttachment } from './api/upload.ts';
import { currentUser, RequireSignIn, useSession, useSignOut } from './auth/session.tsx';
import { HomePage } from './pages/home-page.tsx';
import { LoginPage } from './pages/login-page.tsx';
import { NotFoundPage } from './pages/not-found-page.tsx';
import { ROUTER_BASE } from './router-base.ts';

export { ROUTER_BASE } from './router-base.ts';

// The sign-in page is in the first download (most visits start there); the rest load on demand.
const TicketsPage = lazy(() => import('./pages/tickets-page.tsx'));
const NewTicketPage = lazy(() => import('./pages/new-ticket-page.tsx'));
const TicketPage = lazy(() => import('./pages/ticket-page.tsx'));
const CsatPage = lazy(() => import('./pages/csat-page.tsx'));

/** The routes under ROUTER_BASE, shared by the app and its tests. */
export const routes: RouteDefinition[] = [
  { path: '/', component: HomePage },
  { path: '/login', component: LoginPage },
  { path: '/csat/:token', component: CsatPage },
  {
    path: '/tickets',
    component: RequireSignIn,
    children: [
      { path: '/', component: TicketsPage },
      { path: '/new', component: NewTicketPage },
      { path: '/:id', component: TicketPage },
    ],
  },
  { path: '*', component: NotFoundPage },
];

/** Every page sits in the ATUM shell; signed-in customers get the portal's navigation. */
export function PortalLayout(props: RouteSectionProps) {
  const session = useSession();
  return (
    <Shell homeHref={`${ROUTER_BASE}/`} area="Customer portal" nav={<PortalNav />}>
      <LiveUpdates signedIn={Boolean(currentUser(session))} />
      <Suspense fallback={<Skeleton lines={5} label="Loading the page" />}>{props.children}</Suspense>
    </Shell>
  );
}

function PortalNav() {
  const session = useSession();
  const signOut = useSignOut();
  const user = () => currentUser(session);
  return (
    <Show when={user()}>
      {(signedIn) => (
        <>
          <A href="/tickets" end class="portal-nav__link">
            {signedIn().role === 'CUSTOMER_ADMIN' ? 'Tickets' : 'My tickets'}
          </A>
          <A href="/tickets/new" class="portal-nav__link">
            New ticket
          </A>
          <span class="portal-nav__user" title={signedIn().email}>
            {signedIn().name}
          </span>
          <button
            type="button"
            class="atum-button portal-nav__sign-out"
            data-variant="secondary"
            aria-busy={signOut.isPending ? 'true' : undefined}
            onClick={() => signOut.mutate()}
          >
            Sign out
          </button>
        </>
      )}
    </Show>
  );
}

/** The API of the running page: same origin, the session cookie does the signing in. */
export function browserApi(): PortalApi {
  const url = window.location.origin;
  return {
    client: createAtumClient({ url }),
    upload: uploadAttachment,
    live: (onSignal) => {
      // A socket of its own per signed-in stretch: it authenticates with the session cookie of the
      // moment it opens, so a socket opened before sign-in would never be let in. Loaded on demand: the
      // WebSocket client is not needed to read the sign-in page.
      let stop = () => {};
      let stopped = false;
      void import('@atum-desk/core/client').then(({ createAtumRealtimeClient }) => {
        if (stopped) return;
        const realtime = createAtumRealtimeClient({ url });
        const subscription = realtime.client.events.onTicketEvent.subscribe(undefined, {
          onData: (envelope) => {
            const event = envelope.data;
            onSignal(
              event.kind === 'resync' ? { kind: 'resync' } : { kind: 'ticket', ticketId: event.ticketId },
            );
          },
          // The socket reconnects by itself and resumes with a resync; an error ends only this stream.
          onError: () => onSignal({ kind: 'resync' }),
        });
        stop = () => {
          subscription.unsubscribe();
          void realtime.close();
        };
      });
      return () => {
        stopped = true;
        stop();
      };
    },
  };
}

/** The providers every page needs: the API, the query cache, toasts. */
export function PortalProviders(props: { api: PortalApi; queryClient: QueryClient; children?: JSX.Element }) {
  return (
    <ApiProvider api={props.api}>
      <QueryClientProvider client={props.queryClient}>
        <ToastProvider>{props.children}</ToastProvider>
      </QueryClientProvider>
    </ApiProvider>
  );
}

/** The customer portal app. */
export function App() {
  // Made once, here: written inline as props, Solid would call them again at every read of the prop.
  const api = browserApi();
  const queryClient = createPortalQueryClient();
  return (
    <PortalProviders api={api} queryClient={queryClient}>
      <Router base={ROUTER_BASE} root={PortalLayout}>
        {routes}
      </Router>
    </PortalProviders>
  );
}
