import { Skeleton } from '@atum-desk/ui';
import { Navigate } from '@solidjs/router';
import { Match, Switch } from 'solid-js';
import { useSession } from '../auth/session.tsx';

/** `/portal/`: the ticket list when signed in, else the sign-in page. */
export function HomePage() {
  const session = useSession();
  return (
    <Switch fallback={<Skeleton lines={3} label="Checking your session" />}>
      <Match when={session.isSuccess && session.data}>
        <Navigate href="/tickets" />
      </Match>
      <Match when={session.isSuccess || session.isError}>
        <Navigate href="/login" />
      </Match>
    </Switch>
  );
}
