// Keyboard shortcuts as sequences of keys ("g i", "?", "r"), matched by a small pure state machine so
// the rules can be tested without a browser: modified keys (Ctrl, Cmd, Alt) belong to the browser, keys
// typed into a field belong to the field, and a sequence must be finished within a second. The keys
// follow the habit of GitHub and Gmail ("g" then a letter to go somewhere, "?" for help).

/** One shortcut: the keys pressed one after another, as `KeyboardEvent.key` names them. */
export interface ShortcutBinding {
  keys: readonly string[];
  /** What it does, for the `?` overlay: "Go to the inbox". */
  description: string;
  /** Where it works, for grouping in the overlay: "Anywhere", "Inbox", "Ticket". */
  group: string;
}

/** What the matcher needs from a key press. */
export interface KeyPress {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  /** The focus is in a text field, text area, select or editable element. */
  editable?: boolean;
  /** When it happened, in milliseconds (e.g. `event.timeStamp` or `Date.now()`). */
  at: number;
}

/** Milliseconds allowed between the keys of a sequence. */
export const SEQUENCE_TIMEOUT_MS = 1000;

/** The sequence as the overlay shows it: `["g", "i"]` → "g then i". */
export function describeKeys(keys: readonly string[]): string {
  return keys.join(' then ');
}

/** A matcher that remembers the keys of an unfinished sequence. */
export function createShortcutMatcher(timeoutMs = SEQUENCE_TIMEOUT_MS) {
  let pending: string[] = [];
  let lastAt = Number.NEGATIVE_INFINITY;

  const startsWith = (keys: readonly string[], prefix: readonly string[]) =>
    prefix.length <= keys.length && prefix.every((key, index) => keys[index] === key);

  const find = <T extends ShortcutBinding>(bindings: readonly T[], typed: readonly string[]) => {
    // Later registrations win, so a page can take over a key the layout also uses.
    for (let index = bindings.length - 1; index >= 0; index--) {
      const binding = bindings[index];
      if (binding && binding.keys.length === typed.length && startsWith(binding.keys, typed)) return binding;
    }
    return undefined;
  };

  return {
    /**
     * Feeds one key press; answers the binding it completes, or undefined (no match yet, or none at
     * all). A key that neither completes nor continues a sequence starts a new one.
     */
    press<T extends ShortcutBinding>(press: KeyPress, bindings: readonly T[]): T | undefined {
      if (press.ctrlKey || press.metaKey || press.altKey || press.editable) {
        pending = [];
        return undefined;
      }
      // Shift, Control and the like arrive as keys of their own while a sequence is typed.
      if (['Shift', 'Control', 'Alt', 'Meta', 'CapsLock'].includes(press.key)) return undefined;
      const continued = press.at - lastAt <= timeoutMs ? [...pending, press.key] : [press.key];
      lastAt = press.at;
      for (const typed of continued.length > 1 ? [continued, [press.key]] : [continued]) {
        const done = find(bindings, typed);
        if (done) {
          pending = [];
          return done;
        }
        if (bindings.some((binding) => startsWith(binding.keys, typed))) {
          pending = typed;
          return undefined;
        }
      }
      pending = [];
      return undefined;
    },
    /** Forgets an unfinished sequence. */
    reset() {
      pending = [];
    },
    /** The keys typed so far of an unfinished sequence (for a hint on screen). */
    get pending(): readonly string[] {
      return pending;
    },
  };
}

/** Whether an element takes typed text, so single-key shortcuts must leave it alone. */
export function isEditableTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).closest !== 'function') return false;
  const element = target as HTMLElement;
  if (element.isContentEditable) return true;
  const tag = element.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (element as HTMLInputElement).type;
  // Buttons, checkboxes and radios take no text: shortcuts still work while they have focus.
  return !['button', 'submit', 'reset', 'checkbox', 'radio', 'file', 'range', 'color'].includes(type);
}
