import { createMemo, createSignal, type JSX, mergeProps, Show } from 'solid-js';
import { fieldErrorsOf } from '../../utils/form-error.ts';
import { Button } from '../button/button.tsx';
import * as Card from '../card/index.ts';
import * as TextField from '../text-field/index.ts';
import { type SignInErrors, type SignInValues, validateSignIn } from './validate-sign-in.ts';

export interface SignInFormProps {
  /**
   * Called with valid values only. A rejection's message is shown above the button; a `FormError`'s
   * field messages appear next to their fields.
   */
  onSubmit: (values: SignInValues) => void | Promise<void>;
  /** The client-side checks; defaults to `validateSignIn`. Apps pass their schema's. */
  validate?: (values: SignInValues) => SignInErrors;
  /** Card heading. Defaults to "Sign in". */
  title?: string;
  /** Heading level of the title, to fit the page outline. Defaults to 1. */
  titleLevel?: 1 | 2 | 3 | 4;
  /** Text under the heading, e.g. which app this signs in to. */
  description?: JSX.Element;
}

/** Email and password form shared by the portal and the desk; validates before it calls `onSubmit`. */
export function SignInForm(props: SignInFormProps) {
  const merged = mergeProps({ title: 'Sign in', titleLevel: 1 as const, validate: validateSignIn }, props);
  const [email, setEmail] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [attempted, setAttempted] = createSignal(false);
  const [submitting, setSubmitting] = createSignal(false);
  const [formError, setFormError] = createSignal<string>();
  // The server's word on a field stands until the next submit.
  const [serverErrors, setServerErrors] = createSignal<SignInErrors>({});
  let emailInput: HTMLInputElement | undefined;
  let passwordInput: HTMLInputElement | undefined;

  // Errors appear after the first submit and then follow the typing, so fixing a field clears it.
  const errors = createMemo<SignInErrors>(() => ({
    ...serverErrors(),
    ...(attempted() ? merged.validate({ email: email(), password: password() }) : {}),
  }));

  const submit: JSX.EventHandler<HTMLFormElement, SubmitEvent> = async (event) => {
    event.preventDefault();
    if (submitting()) return;
    setAttempted(true);
    setFormError(undefined);
    setServerErrors({});
    const found = errors();
    if (found.email) {
      emailInput?.focus();
      return;
    }
    if (found.password) {
      passwordInput?.focus();
      return;
    }
    setSubmitting(true);
    try {
      await merged.onSubmit({ email: email().trim(), password: password() });
    } catch (error) {
      const fields = fieldErrorsOf(error);
      setServerErrors({ email: fields.email, password: fields.password });
      setFormError(error instanceof Error ? error.message : 'Sign-in failed. Try again.');
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Card.Root class="atum-sign-in">
      <Card.Title level={merged.titleLevel}>{merged.title}</Card.Title>
      <Show when={merged.description}>
        <p class="atum-sign-in__description">{merged.description}</p>
      </Show>
      <form class="atum-sign-in__form" novalidate onSubmit={submit}>
        <TextField.Root invalid={errors().email !== undefined}>
          <TextField.Label>Email</TextField.Label>
          <TextField.Input
            ref={emailInput}
            type="email"
            name="email"
            autocomplete="username"
            inputmode="email"
            spellcheck={false}
            required
            value={email()}
            onInput={(event) => setEmail(event.currentTarget.value)}
          />
          <TextField.Error>{errors().email}</TextField.Error>
        </TextField.Root>
        <TextField.Root invalid={errors().password !== undefined}>
          <TextField.Label>Password</TextField.Label>
          <TextField.Input
            ref={passwordInput}
            type="password"
            name="password"
            autocomplete="current-password"
            required
            value={password()}
            onInput={(event) => setPassword(event.currentTarget.value)}
          />
          <TextField.Error>{errors().password}</TextField.Error>
        </TextField.Root>
        <Show when={formError()}>
          <p class="atum-sign-in__error" role="alert">
            {formError()}
          </p>
        </Show>
        <Button type="submit" variant="primary" busy={submitting()}>
          Sign in
        </Button>
      </form>
    </Card.Root>
  );
}
