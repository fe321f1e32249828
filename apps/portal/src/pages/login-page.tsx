import { SignInForm, type SignInValues } from '@atum-desk/ui';

async function signIn(_values: SignInValues): Promise<void> {
  // TODO(#4): call auth.login
  throw new Error('Signing in is not available yet.');
}

/** Sign-in page: fields Email and Password, button Sign in. */
export function LoginPage() {
  return <SignInForm title="Sign in" description="Customer portal" onSubmit={signIn} />;
}
