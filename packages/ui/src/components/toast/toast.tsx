import { createContext, createSignal, For, type JSX, onCleanup, Show, useContext } from 'solid-js';

/** How a toast reads: news, success, or a failure the user should notice. */
export type ToastTone = 'info' | 'success' | 'danger';

export interface ToastOptions {
  message: string;
  /** A bold first line. */
  title?: string;
  /** Defaults to `info`. */
  tone?: ToastTone;
  /** Milliseconds until it goes by itself; 0 keeps it until dismissed. Defaults to 6000. */
  duration?: number;
}

interface Toast extends Required<Omit<ToastOptions, 'title'>> {
  id: number;
  title: string | undefined;
}

export interface Toaster {
  /** Shows a toast and returns its id. */
  show(options: ToastOptions): number;
  dismiss(id: number): void;
}

const ToastContext = createContext<Toaster>();

/** Provides `useToast()` to its children and renders the toasts in a live region. */
export function ToastProvider(props: { children?: JSX.Element }) {
  const [toasts, setToasts] = createSignal<Toast[]>([]);
  const timers = new Map<number, ReturnType<typeof setTimeout>>();
  let nextId = 1;

  const toaster: Toaster = {
    show(options) {
      const id = nextId++;
      const toast: Toast = {
        id,
        message: options.message,
        title: options.title,
        tone: options.tone ?? 'info',
        duration: options.duration ?? 6000,
      };
      setToasts((list) => [...list, toast]);
      if (toast.duration > 0)
        timers.set(
          id,
          setTimeout(() => toaster.dismiss(id), toast.duration),
        );
      return id;
    },
    dismiss(id) {
      clearTimeout(timers.get(id));
      timers.delete(id);
      setToasts((list) => list.filter((toast) => toast.id !== id));
    },
  };
  onCleanup(() => {
    for (const timer of timers.values()) clearTimeout(timer);
  });

  return (
    <ToastContext.Provider value={toaster}>
      {props.children}
      {/* Always in the page, so screen readers already watch it when a toast arrives. */}
      <section class="atum-toasts" aria-label="Notifications">
        {/* The live region wraps the list, so the list keeps its role and its items stay list items. */}
        <div role="status" aria-live="polite">
          <ol class="atum-toasts__list">
            <For each={toasts()}>
              {(toast) => (
                <li class="atum-toast glass" data-tone={toast.tone}>
                  <div class="atum-toast__text">
                    <Show when={toast.title}>
                      <p class="atum-toast__title">{toast.title}</p>
                    </Show>
                    <p>{toast.message}</p>
                  </div>
                  <button
                    type="button"
                    class="atum-toast__close"
                    aria-label="Dismiss notification"
                    onClick={() => toaster.dismiss(toast.id)}
                  >
                    ×
                  </button>
                </li>
              )}
            </For>
          </ol>
        </div>
      </section>
    </ToastContext.Provider>
  );
}

/** The toaster of the enclosing `ToastProvider`. */
export function useToast(): Toaster {
  const toaster = useContext(ToastContext);
  if (!toaster) throw new Error('useToast must be used inside ToastProvider');
  return toaster;
}
