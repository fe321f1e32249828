import { isStaffRole, type UserInfo } from '@atum-desk/core/domain';
import { Card, ErrorState, Skeleton } from '@atum-desk/ui';
import { Navigate, type RouteSectionProps, useLocation } from '@solidjs/router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/solid-query';
import { type JSX, Match, Switch } from 'solid-js';
import { useApi } from '../api/api-context.tsx';
import { meQuery, queryKeys } from '../api/queries.ts';
import { LiveUpdates } from '../live/live-updates.tsx';
import { withinBase } from '../router-base.ts';
import { type DeskArea, mayUse } from './roles.ts';

/** The signed-in user (data null when nobody is), cached for the whole app. */
export function useSession() {
  const api = useApi();
  return useQuery(() => meQuery(api));
}

/** The user of a settled session, or undefined (still loading, failed, or signed out). */
export function currentUser(session: ReturnType<typeof useSession>): UserInfo | undefined {
  return session.isSuccess ? (session.data ?? undefined) : undefined;
}

/**
 * Where to go back after signing in: a path inside the desk only (never `//host` or a full URL, which
 * would make the sign-in page an open redirect).
 */
export function safeNext(next: string | undefined): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.includes('\\')) return '/';
  if (next === '/login' || next.startsWith('/login?')) return '/';
  return next;
}

/**
 * Guards the pages below it: signed-out visitors go to sign in and come back here afterwards;
 * customers are sent to the portal. While a staff member is signed in, live updates run.
 */
export function RequireStaff(props: RouteSectionProps) {
  const session = useSession();
  const location = useLocation();
  const next = () => encodeURIComponent(`${withinBase(location.pathname)}${location.search}`);
  return (
    <Switch fallback={<Skeleton lines={4} label="Checking your session" />}>
      <Match when={session.isError}>
        <ErrorState
          level={1}
          title="The desk could not be loaded"
          message="The server did not answer. Check your connection and try again."
          onRetry={() => void session.refetch()}
        />
      </Match>
      <Match when={session.isSuccess && session.data === null}>
        <Navigate href={`/login?next=${next()}`} />
      </Match>
      <Match when={session.isSuccess && session.data && !isStaffRole(session.data.role)}>
        <CustomerNotice />
      </Match>
      <Match when={currentUser(session)}>
        {(user) => <LiveUpdates user={user()}>{props.children}</LiveUpdates>}
      </Match>
    </Switch>
  );
}

/** Shows its children to roles that may use `area`, and a refusal to the others. */
export function RequireArea(props: { area: DeskArea; children?: JSX.Element }) {
  const session = useSession();
  const user = () => currentUser(session);
  const allowed = () => {
    const signedIn = user();
    return signedIn !== undefined && mayUse(signedIn.role, props.area);
  };
  return (
    <Switch>
      <Match when={allowed()}>{props.children}</Match>
      <Match when={user()}>
        <Card.Root class="atum-narrow">
          <ErrorState
            level={1}
            title="Not available to your role"
            message={`This page is for ${props.area === 'admin' ? 'administrators' : 'managers and administrators'}. Ask one of them if you need something here.`}
            action={
              <a class="atum-button" data-variant="secondary" href="/desk/">
                Back to the dashboard
              </a>
            }
          />
        </Card.Root>
      </Match>
    </Switch>
  );
}

/** A customer signed in here by mistake: the desk is for staff. */
function CustomerNotice() {
  const signOut = useSignOut();
  return (
    <Card.Root class="atum-narrow">
      <Card.Title level={1}>This is the staff desk</Card.Title>
      <Card.Body>
        <p>You are signed in with a customer account. Customers follow their tickets in the portal.</p>
        <p class="desk-actions">
          <a class="atum-button" data-variant="primary" href="/portal/tickets">
            Open the customer portal
          </a>
          <button type="button" class="atum-button" data-variant="secondary" onClick={() => signOut.mutate()}>
            Sign out
          </button>
        </p>
      </Card.Body>
    </Card.Root>
  );
}

/**
 * Ends the session. The cached user becomes null, so the guarded page sends the visitor to sign in
 * (and back here should they sign in again); the previous user's data is dropped at the next sign-in.
 */
export function useSignOut() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation(() => ({
    mutationFn: () => api.client.auth.logout.mutate(),
    onSettled: () => queryClient.setQueryData(queryKeys.me, null),
  }));
}
