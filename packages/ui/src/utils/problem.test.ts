import { describe, expect, it } from 'vitest';
import { FormError } from './form-error.ts';
import { issuesToFields, problemReader, sentence } from './problem.ts';

/** A thrown value as the typed client throws it: a message, the server's error data, a status. */
function failure(message: string, data: Record<string, unknown>, status?: number) {
  return Object.assign(new Error(message), { data, status });
}

const { describeError, toFormError } = problemReader({
  statusOf: (error) => (error as { status?: number }).status,
  fallback: { 409: 'This ticket changed in the meantime.' },
});

describe('problemReader', () => {
  it('turns field messages from zod (fieldErrors and issues) into sentences next to their fields', () => {
    const problem = describeError(
      failure(
        '[{"code":"too_small"}]',
        {
          fieldErrors: { title: ['enter a title'] },
          issues: [
            { path: ['title'], message: 'a later message for the same field' },
            { path: ['priority'], message: 'pick a priority' },
          ],
        },
        400,
      ),
    );
    expect(problem).toEqual({
      status: 400,
      message: 'Check the highlighted fields.',
      fields: { title: 'Enter a title.', priority: 'Pick a priority.' },
    });
  });

  it('puts a domain message next to each field the rule names', () => {
    const problem = describeError(failure('enter a root cause', { details: { fields: ['rootCause'] } }, 422));
    expect(problem.fields).toEqual({ rootCause: 'Enter a root cause.' });
  });

  it('shows a domain message as a sentence, but never a JSON dump', () => {
    expect(describeError(failure('only a NEW ticket can be accepted', {}, 409)).message).toBe(
      'Only a NEW ticket can be accepted.',
    );
    expect(describeError(failure('{"message":"x"}', {}, 409)).message).toBe(
      'This ticket changed in the meantime.',
    );
    expect(describeError(failure('[]', {}, 404)).message).toBe(
      'This was not found. It may have been removed, or belong to another organization.',
    );
    expect(describeError(failure('', {}, 418)).message).toBe('The request was refused.');
  });

  it('takes the status from the error data when the error has none, and tells a network failure from a 5xx', () => {
    expect(describeError(failure('', { httpStatus: 429 })).status).toBe(429);
    expect(describeError(new TypeError('fetch failed')).message).toBe(
      'The server could not be reached. Check your connection and try again.',
    );
    expect(describeError(failure('database on fire', {}, 500)).message).toBe(
      'Something went wrong on the server. Try again in a moment.',
    );
  });

  it('gives the design system forms a FormError', () => {
    const error = toFormError(failure('', { fieldErrors: { body: ['write something'] } }, 400));
    expect(error).toBeInstanceOf(FormError);
    expect(error.fields).toEqual({ body: 'Write something.' });
  });
});

describe('sentence and issuesToFields', () => {
  it('capitalise and end a fragment once, and keep the first issue per field', () => {
    expect(sentence('  enter a title ')).toBe('Enter a title.');
    expect(sentence('Done!')).toBe('Done!');
    expect(sentence('   ')).toBe('');
    expect(
      issuesToFields([
        { path: ['a', 0], message: 'first' },
        { path: ['a'], message: 'second' },
        { path: [] },
      ]),
    ).toEqual({
      a: 'First.',
    });
  });
});
