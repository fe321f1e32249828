import { describe, expect, it } from 'vitest';
import { createShortcutMatcher, isEditableTarget, type ShortcutBinding } from './shortcuts.ts';

const bindings: ShortcutBinding[] = [
  { keys: ['g', 'i'], description: 'inbox', group: 'Anywhere' },
  { keys: ['g', 't'], description: 'tickets', group: 'Anywhere' },
  { keys: ['?'], description: 'help', group: 'Anywhere' },
  { keys: ['r'], description: 'reply', group: 'Ticket' },
];

function typer() {
  const matcher = createShortcutMatcher(1000);
  let clock = 0;
  return (key: string, options: { after?: number; editable?: boolean; ctrlKey?: boolean } = {}) => {
    clock += options.after ?? 100;
    return matcher.press({ key, at: clock, editable: options.editable, ctrlKey: options.ctrlKey }, bindings)
      ?.description;
  };
}

describe('the shortcut matcher', () => {
  it('matches single keys and two-key sequences', () => {
    const press = typer();
    expect(press('?')).toBe('help');
    expect(press('g')).toBeUndefined();
    expect(press('i')).toBe('inbox');
    expect(press('g')).toBeUndefined();
    expect(press('t')).toBe('tickets');
    expect(press('r')).toBe('reply');
  });

  it('forgets a sequence left unfinished for more than a second', () => {
    const press = typer();
    expect(press('g')).toBeUndefined();
    expect(press('i', { after: 1500 })).toBeUndefined();
  });

  it('starts over when a key does not continue the sequence', () => {
    const press = typer();
    expect(press('g')).toBeUndefined();
    expect(press('r')).toBe('reply');
    expect(press('x')).toBeUndefined();
  });

  it('leaves keys typed into a field and modified keys to them', () => {
    const press = typer();
    expect(press('r', { editable: true })).toBeUndefined();
    expect(press('g')).toBeUndefined();
    expect(press('i', { ctrlKey: true })).toBeUndefined();
    expect(press('i')).toBeUndefined();
  });

  it('ignores Shift on its own, so "?" (Shift + /) still matches', () => {
    const press = typer();
    expect(press('Shift')).toBeUndefined();
    expect(press('?')).toBe('help');
  });

  it('lets a later registration of the same keys win', () => {
    const matcher = createShortcutMatcher();
    const layered = [...bindings, { keys: ['r'], description: 'page reply', group: 'Ticket' }];
    expect(matcher.press({ key: 'r', at: 1 }, layered)?.description).toBe('page reply');
  });
});

describe('isEditableTarget', () => {
  it('tells text fields from buttons and checkboxes', () => {
    const make = (html: string) => {
      const host = document.createElement('div');
      host.innerHTML = html;
      return host.firstElementChild;
    };
    expect(isEditableTarget(make('<input type="text">'))).toBe(true);
    expect(isEditableTarget(make('<input type="search">'))).toBe(true);
    expect(isEditableTarget(make('<textarea></textarea>'))).toBe(true);
    expect(isEditableTarget(make('<select></select>'))).toBe(true);
    expect(isEditableTarget(make('<input type="checkbox">'))).toBe(false);
    expect(isEditableTarget(make('<button>Go</button>'))).toBe(false);
    expect(isEditableTarget(null)).toBe(false);
  });
});
