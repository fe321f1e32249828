/** What the sign-in form collects. */
export interface SignInValues {
  email: string;
  password: string;
}

/** One message per invalid field; an empty object means the values may be sent. */
export type SignInErrors = Partial<Record<keyof SignInValues, string>>;

// Deliberately loose (something@something.tld): the server decides whether the account exists,
// this only catches typos before a round trip.
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Client-side checks for the sign-in form.
 * TODO(#4): replace with the sign-in schema from @atum-desk/core/domain when auth lands.
 */
export function validateSignIn(values: SignInValues): SignInErrors {
  const errors: SignInErrors = {};
  const email = values.email.trim();
  if (email === '') {
    errors.email = 'Enter your email address.';
  } else if (!EMAIL_SHAPE.test(email)) {
    errors.email = 'Enter an email address like name@example.com.';
  }
  if (values.password === '') {
    errors.password = 'Enter your password.';
  }
  return errors;
}
