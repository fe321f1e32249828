import { fireEvent, render, screen } from '@solidjs/testing-library';
import { describe, expect, it, vi } from 'vitest';
import { FormError } from '../../utils/form-error.ts';
import { SignInForm } from './sign-in-form.tsx';

describe('SignInForm', () => {
  it('shows field errors and does not submit when empty', () => {
    const onSubmit = vi.fn();
    render(() => <SignInForm onSubmit={onSubmit} />);
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    const email = screen.getByLabelText('Email');
    expect(email.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Enter your email address.')).toBeTruthy();
    expect(screen.getByText('Enter your password.')).toBeTruthy();
    expect(document.activeElement).toBe(email);
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('clears an error once the field is fixed', () => {
    render(() => <SignInForm onSubmit={vi.fn()} />);
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    fireEvent.input(screen.getByLabelText('Email'), { target: { value: 'ra@example.com' } });
    expect(screen.queryByText('Enter your email address.')).toBeNull();
    expect(screen.getByText('Enter your password.')).toBeTruthy();
  });

  it('hands valid values to onSubmit', () => {
    const onSubmit = vi.fn();
    render(() => <SignInForm onSubmit={onSubmit} />);
    fireEvent.input(screen.getByLabelText('Email'), { target: { value: ' ra@example.com ' } });
    fireEvent.input(screen.getByLabelText('Password'), { target: { value: 'sun disk' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(onSubmit).toHaveBeenCalledWith({ email: 'ra@example.com', password: 'sun disk' });
  });

  it('shows the message of a failed submit', async () => {
    render(() => <SignInForm onSubmit={() => Promise.reject(new Error('Wrong email or password.'))} />);
    fireEvent.input(screen.getByLabelText('Email'), { target: { value: 'ra@example.com' } });
    fireEvent.input(screen.getByLabelText('Password'), { target: { value: 'x' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Wrong email or password.');
  });
});

describe('SignInForm with an app’s rules', () => {
  it('validates with the given function', () => {
    const onSubmit = vi.fn();
    render(() => (
      <SignInForm
        onSubmit={onSubmit}
        validate={(values) => (values.email.endsWith('.demo') ? {} : { email: 'Use your demo address.' })}
      />
    ));
    fireEvent.input(screen.getByLabelText('Email'), { target: { value: 'ra@example.com' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(screen.getByText('Use your demo address.')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('shows a FormError’s field messages next to their fields', async () => {
    render(() => (
      <SignInForm
        onSubmit={() =>
          Promise.reject(new FormError('Check the highlighted fields.', { email: 'Unknown domain.' }))
        }
      />
    ));
    fireEvent.input(screen.getByLabelText('Email'), { target: { value: 'ra@example.com' } });
    fireEvent.input(screen.getByLabelText('Password'), { target: { value: 'x' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Check the highlighted fields.');
    const email = screen.getByLabelText('Email');
    expect(email.getAttribute('aria-invalid')).toBe('true');
    expect(email.getAttribute('aria-describedby')).toBe(screen.getByText('Unknown domain.').id);
  });
});
