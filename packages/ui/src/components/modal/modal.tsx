import { createEffect, createUniqueId, type JSX, on, onCleanup, splitProps } from 'solid-js';
import { cx } from '../../utils/cx.ts';
import { ModalContext, useModalContext } from './modal-context.ts';

export interface ModalRootProps
  extends Omit<JSX.DialogHtmlAttributes<HTMLDialogElement>, 'open' | 'onClose'> {
  /** Whether the modal is shown. */
  open: boolean;
  /** Called when the user dismisses it (Escape, the close button); the caller sets `open` to false. */
  onClose: () => void;
}

/**
 * A modal dialog on the native `<dialog>`: `showModal()` makes the rest of the page inert, traps focus,
 * closes on Escape and puts focus back where it was on close. Named by its `Modal.Title`.
 */
export function ModalRoot(props: ModalRootProps) {
  const [local, others] = splitProps(props, ['open', 'onClose', 'class', 'children']);
  const titleId = `atum-modal-${createUniqueId()}-title`;
  const descriptionId = `${titleId.slice(0, -6)}-description`;
  let dialog: HTMLDialogElement | undefined;

  createEffect(
    on(
      () => local.open,
      (open) => {
        if (!dialog) return;
        if (open && !dialog.open) {
          // jsdom and very old browsers have no showModal; an open dialog still shows and is named.
          if (typeof dialog.showModal === 'function') dialog.showModal();
          else dialog.setAttribute('open', '');
        } else if (!open && dialog.open) {
          if (typeof dialog.close === 'function') dialog.close();
          else dialog.removeAttribute('open');
        }
      },
    ),
  );
  onCleanup(() => {
    if (dialog?.open && typeof dialog.close === 'function') dialog.close();
  });

  return (
    <ModalContext.Provider value={{ titleId, descriptionId, close: () => local.onClose() }}>
      <dialog
        {...others}
        ref={dialog}
        class={cx('atum-modal', 'glass', local.class)}
        aria-labelledby={titleId}
        aria-describedby={descriptionId}
        onCancel={(event) => {
          // Escape: the caller decides, so `open` stays the one source of truth.
          event.preventDefault();
          local.onClose();
        }}
      >
        {local.children}
      </dialog>
    </ModalContext.Provider>
  );
}

/** The modal's heading and accessible name. */
export function ModalTitle(props: JSX.HTMLAttributes<HTMLHeadingElement>) {
  const context = useModalContext('Title');
  const [local, others] = splitProps(props, ['class']);
  return <h2 {...others} id={context.titleId} class={cx('atum-modal__title', local.class)} />;
}

/** What the modal asks or tells; its accessible description. */
export function ModalDescription(props: JSX.HTMLAttributes<HTMLParagraphElement>) {
  const context = useModalContext('Description');
  const [local, others] = splitProps(props, ['class']);
  return <p {...others} id={context.descriptionId} class={cx('atum-modal__description', local.class)} />;
}

/** The row of actions at the bottom. */
export function ModalFooter(props: JSX.HTMLAttributes<HTMLDivElement>) {
  const [local, others] = splitProps(props, ['class']);
  return <div {...others} class={cx('atum-modal__footer', local.class)} />;
}

/** A function that closes the enclosing modal, for a Cancel button. */
export function useModalClose(): () => void {
  return useModalContext('close').close;
}
