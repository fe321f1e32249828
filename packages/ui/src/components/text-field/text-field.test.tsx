import { render, screen } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import * as TextField from './index.ts';

describe('TextField', () => {
  it('binds its label to its input', () => {
    render(() => (
      <TextField.Root>
        <TextField.Label>Email</TextField.Label>
        <TextField.Input type="email" />
      </TextField.Root>
    ));
    const input = screen.getByLabelText('Email');
    expect(input.tagName).toBe('INPUT');
    expect(input.getAttribute('type')).toBe('email');
    expect(input.getAttribute('aria-invalid')).toBeNull();
  });

  it('gives each field its own id', () => {
    render(() => (
      <>
        <TextField.Root>
          <TextField.Label>Email</TextField.Label>
          <TextField.Input />
        </TextField.Root>
        <TextField.Root>
          <TextField.Label>Password</TextField.Label>
          <TextField.Input />
        </TextField.Root>
      </>
    ));
    expect(screen.getByLabelText('Email').id).not.toBe(screen.getByLabelText('Password').id);
  });

  it('describes an invalid input with its error message', () => {
    render(() => (
      <TextField.Root invalid>
        <TextField.Label>Email</TextField.Label>
        <TextField.Input aria-describedby="hint" />
        <TextField.Error>Enter your email address.</TextField.Error>
      </TextField.Root>
    ));
    const input = screen.getByLabelText('Email');
    const error = screen.getByText('Enter your email address.');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.getAttribute('aria-describedby')).toBe(`hint ${error.id}`);
  });

  it('hides the error while the field is valid', () => {
    render(() => (
      <TextField.Root invalid={false}>
        <TextField.Label>Email</TextField.Label>
        <TextField.Input />
        <TextField.Error>Enter your email address.</TextField.Error>
      </TextField.Root>
    ));
    expect(screen.queryByText('Enter your email address.')).toBeNull();
    expect(screen.getByLabelText('Email').getAttribute('aria-describedby')).toBeNull();
  });
});
