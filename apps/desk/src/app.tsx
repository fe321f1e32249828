import { Shell, Sidebar, Skeleton, ToastProvider } from '@atum-desk/ui';
import {
  type RouteDefinition,
  Router,
  type RouteSectionProps,
  useLocation,
  useNavigate,
} from '@solidjs/router';
import { type QueryClient, QueryClientProvider } from '@tanstack/solid-query';
import { For, type JSX, lazy, Show, Suspense } from 'solid-js';
import { ApiProvider, type DeskApi } from './api/api-context.tsx';
import { browserApi } from './api/browser-api.ts';
import { createDeskQueryClient } from './api/query-client.ts';
import { type DeskArea, mayUse, navFor, roleName } from './auth/roles.ts';
import { currentUser, RequireArea, RequireStaff, useSession, useSignOut } from './auth/session.tsx';
import { LiveIndicator, LiveStatusProvider } from './live/live-updates.tsx';
import { LoginPage } from './pages/login-page.tsx';
import { NotFoundPage } from './pages/not-found-page.tsx';
import { ROUTER_BASE, withinBase } from './router-base.ts';
import { ShortcutProvider, useShortcutHelp, useShortcuts } from './shortcuts/shortcut-provider.tsx';

export { ROUTER_BASE } from './router-base.ts';

// The sign-in page is in the first download; every signed-in page loads on demand.
const DashboardPage = lazy(() => import('./pages/dashboard-page.tsx'));
const InboxPage = lazy(() => import('./pages/inbox-page.tsx'));
const TicketsPage = lazy(() => import('./pages/tickets-page.tsx'));
const TicketPage = lazy(() => import('./pages/ticket-page.tsx'));
const AuditPage = lazy(() => import('./pages/audit-page.tsx'));
const UsersPage = lazy(() => import('./pages/admin/users-page.tsx'));
const OrganizationsPage = lazy(() => import('./pages/admin/organizations-page.tsx'));
const ServicesPage = lazy(() => import('./pages/admin/services-page.tsx'));
const SlaPoliciesPage = lazy(() => import('./pages/admin/sla-page.tsx'));

/** A page only some roles use; the others see why it is not for them (the server refuses them anyway). */
function guarded(area: DeskArea, Page: () => JSX.Element) {
  return () => (
    <RequireArea area={area}>
      <Page />
    </RequireArea>
  );
}

/** The routes under ROUTER_BASE, shared by the app and its tests. */
export const routes: RouteDefinition[] = [
  { path: '/login', component: LoginPage },
  {
    path: '/',
    component: RequireStaff,
    children: [
      { path: '/', component: DashboardPage },
      { path: '/inbox', component: guarded('inbox', InboxPage) },
      { path: '/tickets', component: TicketsPage },
      { path: '/tickets/:id', component: TicketPage },
      { path: '/audit', component: guarded('audit', AuditPage) },
      { path: '/admin/users', component: guarded('admin', UsersPage) },
      { path: '/admin/organizations', component: guarded('admin', OrganizationsPage) },
      { path: '/admin/services', component: guarded('admin', ServicesPage) },
      { path: '/admin/sla', component: guarded('admin', SlaPoliciesPage) },
    ],
  },
  { path: '*', component: NotFoundPage },
];

/** Every page sits in the ATUM shell; signed-in staff get the desk's navigation and shortcuts. */
export function DeskLayout(props: RouteSectionProps) {
  const session = useSession();
  return (
    <LiveStatusProvider>
      <ShortcutProvider>
        <Shell
          homeHref={`${ROUTER_BASE}/`}
          area="Staff desk"
          nav={currentUser(session) ? <DeskHeader /> : undefined}
          sidebar={currentUser(session) ? <DeskSidebar /> : undefined}
        >
          <Suspense fallback={<Skeleton lines={5} label="Loading the page" />}>{props.children}</Suspense>
        </Shell>
        <GlobalShortcuts />
      </ShortcutProvider>
    </LiveStatusProvider>
  );
}

function DeskHeader() {
  const session = useSession();
  const signOut = useSignOut();
  const openHelp = useShortcutHelp();
  return (
    <Show when={currentUser(session)}>
      {(user) => (
        <>
          <LiveIndicator />
          <button
            type="button"
            class="atum-button desk-header__button"
            data-variant="ghost"
            aria-keyshortcuts="?"
            onClick={openHelp}
          >
            Shortcuts
          </button>
          <span class="desk-header__user" title={user().email}>
            {user().name} <span class="desk-header__role">· {roleName(user().role)}</span>
          </span>
          <button
            type="button"
            class="atum-button desk-header__button"
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

function DeskSidebar() {
  const session = useSession();
  const location = useLocation();
  const here = () => withinBase(location.pathname);
  const isCurrent = (href: string, end: boolean | undefined) =>
    end ? here() === href : here() === href || here().startsWith(`${href}/`);
  return (
    <Show when={currentUser(session)}>
      {(user) => (
        <Sidebar.Root aria-label="Desk sections">
          <For each={navFor(user().role)}>
            {(item) => (
              <Sidebar.Link
                href={`${ROUTER_BASE}${item.href === '/' ? '/' : item.href}`}
                current={isCurrent(item.href, item.end)}
              >
                {item.label}
              </Sidebar.Link>
            )}
          </For>
        </Sidebar.Root>
      )}
    </Show>
  );
}

/** Shortcuts that work on every signed-in page; pages add their own. */
function GlobalShortcuts() {
  const session = useSession();
  const navigate = useNavigate();
  useShortcuts(() => {
    const user = currentUser(session);
    if (!user) return [];
    const go = (keys: string[], href: string, description: string) => ({
      keys,
      description,
      group: 'Anywhere',
      run: () => navigate(href),
    });
    return [
      go(['g', 'd'], '/', 'Go to the dashboard'),
      ...(mayUse(user.role, 'inbox') ? [go(['g', 'i'], '/inbox', 'Go to the inbox of new tickets')] : []),
      go(['g', 't'], '/tickets', 'Go to all tickets'),
      ...(mayUse(user.role, 'audit') ? [go(['g', 'a'], '/audit', 'Go to the audit log')] : []),
      {
        keys: ['/'],
        description: 'Search tickets',
        group: 'Anywhere',
        run: () => navigate('/tickets', { state: { focusSearch: true } }),
      },
    ];
  });
  return null;
}

/** The providers every page needs: the API, the query cache, toasts. */
export function DeskProviders(props: { api: DeskApi; queryClient: QueryClient; children?: JSX.Element }) {
  return (
    <ApiProvider api={props.api}>
      <QueryClientProvider client={props.queryClient}>
        <ToastProvider>{props.children}</ToastProvider>
      </QueryClientProvider>
    </ApiProvider>
  );
}

/** The staff desk app. */
export function App() {
  // Created once here: a JSX prop is a getter, so `queryClient={createDeskQueryClient()}` would make a new
  // cache each time a provider reads it.
  const api = browserApi();
  const queryClient = createDeskQueryClient();
  return (
    <DeskProviders api={api} queryClient={queryClient}>
      <Router base={ROUTER_BASE} root={DeskLayout}>
        {routes}
      </Router>
    </DeskProviders>
  );
}
