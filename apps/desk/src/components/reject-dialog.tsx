import { Alert, Button, Modal, TextField } from '@atum-desk/ui';
import { createEffect, createSignal, on, Show } from 'solid-js';
import { describeError } from '../api/errors.ts';
import { useRejectTicket } from './ticket-actions.ts';

export interface RejectDialogProps {
  /** The ticket to reject; the dialog is open while one is given. */
  ticket: { id: string; number: number; title: string } | undefined;
  onClose: () => void;
  /** Called once the ticket is rejected. */
  onRejected?: () => void;
}

/** Asks for the reason a NEW ticket is turned down (the customer reads it), then rejects it. */
export function RejectDialog(props: RejectDialogProps) {
  const reject = useRejectTicket();
  const [reason, setReason] = createSignal('');
  const [error, setError] = createSignal<string>();
  let field: HTMLTextAreaElement | undefined;
  createEffect(
    on(
      () => props.ticket?.id,
      (id) => {
        setReason('');
        setError(undefined);
        reject.reset();
        if (id) queueMicrotask(() => field?.focus());
      },
    ),
  );
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const ticket = props.ticket;
    if (!ticket || reject.isPending) return;
    if (!reason().trim()) {
      setError('Enter a reason the customer can read.');
      field?.focus();
      return;
    }
    setError(undefined);
    try {
      await reject.mutateAsync({ id: ticket.id, number: ticket.number, reason: reason().trim() });
      props.onRejected?.();
      props.onClose();
    } catch (failure) {
      const problem = describeError(failure);
      setError(problem.fields.reason ?? problem.message);
    }
  };
  return (
    <Modal.Root open={props.ticket !== undefined} onClose={props.onClose}>
      <Modal.Title>Reject ticket #{props.ticket?.number}?</Modal.Title>
      <Modal.Description>
        “{props.ticket?.title}” will be cancelled. The customer sees the reason you give here.
      </Modal.Description>
      <form class="desk-form" novalidate onSubmit={submit}>
        <TextField.Root invalid={error() !== undefined}>
          <TextField.Label>Reason</TextField.Label>
          <TextField.TextArea
            ref={field}
            name="reason"
            rows={3}
            value={reason()}
            onInput={(event) => setReason(event.currentTarget.value)}
          />
          <TextField.Error>{error()}</TextField.Error>
        </TextField.Root>
        <Show when={reject.isError && !error()}>
          <Alert tone="danger">{describeError(reject.error).message}</Alert>
        </Show>
        <Modal.Footer>
          <Button variant="ghost" onClick={() => props.onClose()}>
            Cancel
          </Button>
          <Button type="submit" busy={reject.isPending}>
            Reject ticket
          </Button>
        </Modal.Footer>
      </form>
    </Modal.Root>
  );
}
