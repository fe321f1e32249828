import { Shell } from '@atum-desk/ui';
import { type RouteDefinition, Router, type RouteSectionProps } from '@solidjs/router';
import { HomePage } from './pages/home-page.tsx';
import { LoginPage } from './pages/login-page.tsx';
import { NotFoundPage } from './pages/not-found-page.tsx';

/** Where the server mounts this app; Vite's `base` without the trailing slash. */
export const ROUTER_BASE = '/desk';

/** The routes under ROUTER_BASE, shared by the app and its tests. */
export const routes: RouteDefinition[] = [
  { path: '/', component: HomePage },
  { path: '/login', component: LoginPage },
  { path: '*', component: NotFoundPage },
];

/** Every page sits in the ATUM shell. */
export function DeskLayout(props: RouteSectionProps) {
  return (
    <Shell homeHref={`${ROUTER_BASE}/`} area="Staff desk">
      {props.children}
    </Shell>
  );
}

/** The staff desk app. */
export function App() {
  return (
    <Router base={ROUTER_BASE} root={DeskLayout}>
      {routes}
    </Router>
  );
}
