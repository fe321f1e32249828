import { isStaffRole, type UserInfo } from '@atum-desk/core/domain';
import { Card, ErrorState, Skeleton } from '@atum-desk/ui';
import { Navigate, type RouteSectionProps, useLocation } from '@solidjs/router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/solid-query';
import { Match, Switch } from 'solid-js';
import { useApi } from '../api/api-context.tsx';
import { meQuery, queryKeys } from '../api/queries.ts';
import { withinBase } from '../router-base.ts';

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
 * Where to go back after signing in: a path inside the portal only (never `//host` or a full URL,
 * which would make the sign-in page an open redirect).
 */
export function safeNext(next: string | undefined): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.includes('\\')) return '/tickets';
  return next;
}

/** Guards the pages below it: signed-out visitors go to sign in, and come back here afterwards. */
export function RequireSignIn(props: RouteSectionProps) {
  const session = useSession();
  const location = useLocation();
  const next = () => encodeURIComponent(`${withinBase(location.pathname)}${location.search}`);
  return (
    <Switch fallback={<Skeleton lines={4} label="Checking your session" />}>
      <Match when={session.isError}>
        <ErrorState
          level={1}
          title="The portal could not be loaded"
          message="The server did not answer. Check your connection and try again."
          onRetry={() => void session.refetch()}
        />
      </Match>
      <Match when={session.isSuccess && session.data === null}>
        <Navigate href={`/login?next=${next()}`} />
      </Match>
      <Match when={session.isSuccess && session.data && isStaffRole(session.data.role)}>
        <StaffNotice />
      </Match>
      <Match when={session.isSuccess && session.data}>{props.children}</Match>
    </Switch>
  );
}

/** Staff signed in here by mistake: the portal is for customers. */
function StaffNotice() {
  const signOut = useSignOut();
  return (
    <Card.Root class="atum-narrow">
      <Card.Title level={1}>This is the customer portal</Card.Title>
      <Card.Body>
        <p>You are signed in with a staff account. Staff work in the desk.</p>
        <p class="portal-actions">
          <a class="atum-button" data-variant="primary" href="/desk/">
            Open the staff desk
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
 * Ends the session. The cached user becomes null, so the header empties and the guarded page sends
 * the visitor to sign in (and back to this page, should they sign in again); what the previous user
 * saw is dropped from the cache at the next sign-in (see the login page).
 */
export function useSignOut() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation(() => ({
    mutationFn: () => api.client.auth.logout.mutate(),
    // Even if the server did not answer, this browser stops showing the session.
    onSettled: () => queryClient.setQueryData(queryKeys.me, null),
  }));
}
