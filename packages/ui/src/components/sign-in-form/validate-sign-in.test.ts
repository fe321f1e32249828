import { describe, expect, it } from 'vitest';
import { type SignInErrors, type SignInValues, validateSignIn } from './validate-sign-in.ts';

describe('validateSignIn', () => {
  const cases: [string, SignInValues, SignInErrors][] = [
    ['accepts a well-formed email and any password', { email: 'ra@example.com', password: 'x' }, {}],
    ['trims the email before checking it', { email: '  ra@example.com ', password: 'x' }, {}],
    [
      'asks for both fields when empty',
      { email: '', password: '' },
      { email: 'Enter your email address.', password: 'Enter your password.' },
    ],
    [
      'rejects an email without a domain',
      { email: 'ra@', password: 'x' },
      { email: 'Enter an email address like name@example.com.' },
    ],
    [
      'rejects an email with spaces inside',
      { email: 'r a@example.com', password: 'x' },
      { email: 'Enter an email address like name@example.com.' },
    ],
    ['keeps a password of spaces, which may be real', { email: 'ra@example.com', password: '   ' }, {}],
  ];

  it.each(cases)('%s', (_name, values, expected) => {
    expect(validateSignIn(values)).toEqual(expected);
  });
});
