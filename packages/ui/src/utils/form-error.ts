/**
 * A refused form submission: a message for the whole form and, per field name, the message to show
 * next to that field. Forms of the design system catch it from their `onSubmit`.
 */
export class FormError extends Error {
  /** Field name → message, e.g. `{ title: 'Enter a title.' }`. */
  readonly fields: Readonly<Record<string, string>>;

  constructor(message: string, fields: Record<string, string> = {}) {
    super(message);
    this.name = 'FormError';
    this.fields = fields;
  }
}

/** The field messages of a thrown value, when it carries any. */
export function fieldErrorsOf(error: unknown): Readonly<Record<string, string>> {
  return error instanceof FormError ? error.fields : {};
}
