import { Modal } from '@atum-desk/ui';
import {
  type Accessor,
  createContext,
  createMemo,
  createSignal,
  For,
  type JSX,
  onCleanup,
  onMount,
  useContext,
} from 'solid-js';
import { createShortcutMatcher, isEditableTarget, type ShortcutBinding } from './shortcuts.ts';

/** A shortcut with what it does when pressed. */
export interface Shortcut extends ShortcutBinding {
  run: (event: KeyboardEvent) => void;
}

interface ShortcutContextValue {
  register(shortcuts: Accessor<readonly Shortcut[]>): () => void;
  /** Every shortcut in force, for the overlay. */
  active: Accessor<readonly Shortcut[]>;
  openHelp(): void;
}

const ShortcutContext = createContext<ShortcutContextValue>();

/**
 * Listens for shortcuts on the whole document and shows the `?` overlay that lists them. Pages add
 * theirs with `useShortcuts` for as long as they are shown.
 */
export function ShortcutProvider(props: { children?: JSX.Element }) {
  const [sources, setSources] = createSignal<Accessor<readonly Shortcut[]>[]>([]);
  const [helpOpen, setHelpOpen] = createSignal(false);
  const active = createMemo(() => sources().flatMap((source) => source()));
  const matcher = createShortcutMatcher();

  const help: Shortcut = {
    keys: ['?'],
    description: 'Show these keyboard shortcuts',
    group: 'Anywhere',
    run: () => setHelpOpen(true),
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.defaultPrevented || helpOpen()) return;
    const binding = matcher.press(
      {
        key: event.key,
        ctrlKey: event.ctrlKey,
        metaKey: event.metaKey,
        altKey: event.altKey,
        editable: isEditableTarget(event.target),
        at: Date.now(),
      },
      [help, ...active()],
    );
    if (!binding) return;
    event.preventDefault();
    binding.run(event);
  };
  onMount(() => document.addEventListener('keydown', onKeyDown));
  onCleanup(() => document.removeEventListener('keydown', onKeyDown));

  const context: ShortcutContextValue = {
    register(shortcuts) {
      setSources((list) => [...list, shortcuts]);
      return () => setSources((list) => list.filter((source) => source !== shortcuts));
    },
    active: () => [help, ...active()],
    openHelp: () => setHelpOpen(true),
  };

  return (
    <ShortcutContext.Provider value={context}>
      {props.children}
      <ShortcutHelp open={helpOpen()} onClose={() => setHelpOpen(false)} shortcuts={context.active()} />
    </ShortcutContext.Provider>
  );
}

/** Adds shortcuts while the calling component is shown; the list may follow signals. */
export function useShortcuts(shortcuts: () => readonly Shortcut[]): void {
  const context = useContext(ShortcutContext);
  if (!context) return;
  const unregister = context.register(createMemo(shortcuts));
  onCleanup(unregister);
}

/** Opens the `?` overlay (for a visible "Keyboard shortcuts" button). */
export function useShortcutHelp(): () => void {
  const context = useContext(ShortcutContext);
  return () => context?.openHelp();
}

/**
 * The pages' own shortcuts, listed in the overlay on every page (those of the page shown come from its
 * registrations; the others from here, so the overlay documents them all).
 */
const PAGE_SHORTCUTS: readonly ShortcutBinding[] = [
  { keys: ['j'], description: 'Next ticket', group: 'Inbox' },
  { keys: ['k'], description: 'Previous ticket', group: 'Inbox' },
  { keys: ['a'], description: 'Accept the ticket whose row has the focus', group: 'Inbox' },
  { keys: ['x'], description: 'Reject the ticket whose row has the focus', group: 'Inbox' },
  { keys: ['/'], description: 'Search tickets', group: 'Tickets' },
  { keys: ['j'], description: 'Next ticket', group: 'Tickets' },
  { keys: ['k'], description: 'Previous ticket', group: 'Tickets' },
  { keys: ['r'], description: 'Write a reply', group: 'Ticket' },
  { keys: ['i'], description: 'Switch the reply between public and internal note', group: 'Ticket' },
  { keys: ['s'], description: 'Change the status', group: 'Ticket' },
];

function ShortcutHelp(props: { open: boolean; onClose: () => void; shortcuts: readonly Shortcut[] }) {
  const groups = createMemo(() => {
    const byGroup = new Map<string, ShortcutBinding[]>();
    const seen = new Set<string>();
    // The last registration of a key sequence is the one in force.
    for (const shortcut of [...props.shortcuts].reverse()) {
      const id = shortcut.keys.join(' ');
      if (seen.has(id)) continue;
      seen.add(id);
      byGroup.set(shortcut.group, [shortcut, ...(byGroup.get(shortcut.group) ?? [])]);
    }
    const here = new Set(byGroup.keys());
    for (const shortcut of PAGE_SHORTCUTS) {
      if (here.has(shortcut.group)) continue;
      const label = `On the ${shortcut.group.toLowerCase()} page`;
      byGroup.set(label, [...(byGroup.get(label) ?? []), shortcut]);
    }
    const order = ['Anywhere', ...[...byGroup.keys()].filter((group) => group !== 'Anywhere')];
    return order
      .filter((group) => byGroup.has(group))
      .map((group) => [group, byGroup.get(group) ?? []] as const);
  });
  return (
    <Modal.Root open={props.open} onClose={props.onClose} class="desk-shortcuts">
      <Modal.Title>Keyboard shortcuts</Modal.Title>
      <Modal.Description>
        Press the keys one after the other. They work whenever the focus is not in a text field; in the Reply
        field, Ctrl+Enter sends.
      </Modal.Description>
      <For each={groups()}>
        {([group, shortcuts]) => (
          <section class="desk-shortcuts__group" aria-label={group}>
            <h3 class="desk-shortcuts__title">{group}</h3>
            <dl class="desk-shortcuts__list">
              <For each={shortcuts}>
                {(shortcut) => (
                  <div class="desk-shortcuts__row">
                    <dt>
                      <For each={shortcut.keys}>
                        {(key, index) => (
                          <>
                            {index() > 0 ? <span class="desk-shortcuts__then"> then </span> : null}
                            <kbd>{key === ' ' ? 'Space' : key}</kbd>
                          </>
                        )}
                      </For>
                    </dt>
                    <dd>{shortcut.description}</dd>
                  </div>
                )}
              </For>
            </dl>
          </section>
        )}
      </For>
      <Modal.Footer>
        <button type="button" class="atum-button" data-variant="primary" onClick={props.onClose}>
          Close
        </button>
      </Modal.Footer>
    </Modal.Root>
  );
}
