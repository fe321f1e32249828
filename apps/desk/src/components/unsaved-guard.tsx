import { Button, Modal } from '@atum-desk/ui';
import { useBeforeLeave } from '@solidjs/router';
import { type Accessor, createSignal, onCleanup, onMount } from 'solid-js';

/**
 * Protects unsent work: while `dirty()` holds, closing or reloading the tab asks the browser's own
 * question (beforeunload), and moving to another desk page asks ours first.
 */
export function UnsavedGuard(props: { dirty: Accessor<boolean>; what: string }) {
  const [retry, setRetry] = createSignal<(() => void) | undefined>();
  useBeforeLeave((event) => {
    if (!props.dirty() || event.defaultPrevented) return;
    event.preventDefault();
    setRetry(() => () => event.retry(true));
  });
  const onBeforeUnload = (event: BeforeUnloadEvent) => {
    if (!props.dirty()) return;
    event.preventDefault();
    // Older browsers show the dialog only when returnValue is set.
    event.returnValue = '';
  };
  onMount(() => window.addEventListener('beforeunload', onBeforeUnload));
  onCleanup(() => window.removeEventListener('beforeunload', onBeforeUnload));
  return (
    <Modal.Root open={retry() !== undefined} onClose={() => setRetry(undefined)}>
      <Modal.Title>Discard your {props.what}?</Modal.Title>
      <Modal.Description>
        You have written something that is not sent yet. Leaving this page loses it.
      </Modal.Description>
      <Modal.Footer>
        <Button variant="secondary" onClick={() => setRetry(undefined)}>
          Keep editing
        </Button>
        <Button
          variant="primary"
          onClick={() => {
            const leave = retry();
            setRetry(undefined);
            leave?.();
          }}
        >
          Discard and leave
        </Button>
      </Modal.Footer>
    </Modal.Root>
  );
}
