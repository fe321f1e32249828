import { Alert, Button, Modal } from '@atum-desk/ui';
import { useMutation, useQueryClient } from '@tanstack/solid-query';
import { type JSX, Show } from 'solid-js';
import { describeError, issuesToFields } from '../api/errors.ts';
import { queryKeys } from '../api/queries.ts';

/** Field name → message of a failed save (client-side zod issues or the server's answer). */
export type FieldErrors = Record<string, string | undefined>;

/**
 * A save of an administration form: validates with the domain's zod schema first, then calls the
 * server; refreshes the admin lists and the dashboard (which names organizations) afterwards.
 */
export function useAdminSave<Input, Output>(save: (input: Input) => Promise<Output>) {
  const queryClient = useQueryClient();
  return useMutation(() => ({
    mutationFn: save,
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.admin }),
        queryClient.invalidateQueries({ queryKey: queryKeys.dashboard }),
        queryClient.invalidateQueries({ queryKey: queryKeys.organizationNames }),
        queryClient.invalidateQueries({ queryKey: queryKeys.staff }),
      ]),
  }));
}

/** Runs a zod schema; answers the parsed value or the field messages. */
export function check<T>(
  schema: {
    safeParse(
      value: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
  },
  value: unknown,
): { ok: true; data: T } | { ok: false; fields: FieldErrors } {
  const result = schema.safeParse(value);
  return result.success
    ? { ok: true, data: result.data }
    : { ok: false, fields: issuesToFields(result.error.issues) };
}

/** The server's refusal as field messages plus a message for the whole form. */
export function serverErrors(error: unknown): FieldErrors & { form: string } {
  const problem = describeError(error);
  return { ...problem.fields, form: problem.message };
}

/** A modal form of the admin pages: title, fields, the form's error, Cancel and a submit button. */
export function AdminDialog(props: {
  open: boolean;
  title: string;
  description?: string;
  submitLabel: string;
  busy: boolean;
  error?: string | undefined;
  onClose: () => void;
  onSubmit: () => void;
  children?: JSX.Element;
}) {
  return (
    <Modal.Root open={props.open} onClose={props.onClose} class="desk-admin-dialog">
      <Modal.Title>{props.title}</Modal.Title>
      <Modal.Description>
        {props.description ?? 'Fields marked with an asterisk are required.'}
      </Modal.Description>
      <form
        class="desk-form"
        novalidate
        onSubmit={(event) => {
          event.preventDefault();
          props.onSubmit();
        }}
      >
        {props.children}
        <Show when={props.error}>
          <Alert tone="danger">{props.error}</Alert>
        </Show>
        <Modal.Footer>
          <Button variant="ghost" onClick={() => props.onClose()}>
            Cancel
          </Button>
          <Button type="submit" busy={props.busy}>
            {props.submitLabel}
          </Button>
        </Modal.Footer>
      </form>
    </Modal.Root>
  );
}

/** "Active" / "Inactive" in words and colour. */
export function ActiveTag(props: { active: boolean }) {
  return (
    <span class="desk-active" data-active={props.active ? '' : undefined}>
      {props.active ? 'Active' : 'Inactive'}
    </span>
  );
}
