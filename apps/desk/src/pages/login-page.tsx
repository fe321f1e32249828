import { type LoginInput, ZLoginInput } from '@atum-desk/core/domain';
import { type SignInErrors, SignInForm, type SignInValues } from '@atum-desk/ui';
import { Navigate, useSearchParams } from '@solidjs/router';
import { useMutation, useQueryClient } from '@tanstack/solid-query';
import { Show } from 'solid-js';
import { useApi } from '../api/api-context.tsx';
import { issuesToFields, toFormError } from '../api/errors.ts';
import { queryKeys } from '../api/queries.ts';
import { currentUser, safeNext, useSession } from '../auth/session.tsx';
import { usePageTitle } from '../page-title.ts';

/** The sign-in checks of the server, run in the browser first (the same zod schema). */
export function validateLogin(values: SignInValues): SignInErrors {
  const result = ZLoginInput.safeParse(values);
  return result.success ? {} : issuesToFields(result.error.issues);
}

/** `/desk/login`: fields Email and Password, button Sign in; then back to where the visitor was going. */
export function LoginPage() {
  const api = useApi();
  const queryClient = useQueryClient();
  const session = useSession();
  const [search] = useSearchParams<{ next?: string }>();
  const next = () => safeNext(search.next);
  usePageTitle(() => 'Sign in');

  const login = useMutation(() => ({
    mutationFn: (input: LoginInput) => api.client.auth.login.mutate(input),
    onSuccess: (result) => {
      // Nothing cached for a previous user of this tab may show to this one.
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== queryKeys.me[0] });
      queryClient.setQueryData(queryKeys.me, result.user);
    },
  }));

  const submit = async (values: SignInValues) => {
    try {
      await login.mutateAsync(values);
    } catch (error) {
      throw toFormError(error);
    }
  };

  return (
    <Show when={!currentUser(session)} fallback={<Navigate href={next()} />}>
      <SignInForm
        title="Sign in"
        description="Staff desk: accept, assign and work tickets within their service levels."
        validate={validateLogin}
        onSubmit={submit}
      />
    </Show>
  );
}
