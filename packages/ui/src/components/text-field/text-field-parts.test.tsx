import { render, screen } from '@solidjs/testing-library';
import { createSignal } from 'solid-js';
import { describe, expect, it } from 'vitest';
import * as Select from '../select/index.ts';
import * as TextField from './index.ts';

describe('TextField.TextArea', () => {
  it('is a labelled multi-line control described by its hint and its error', () => {
    render(() => (
      <TextField.Root invalid>
        <TextField.Label>Description</TextField.Label>
        <TextField.Description>What happened, and since when?</TextField.Description>
        <TextField.TextArea />
        <TextField.Error>Enter a description.</TextField.Error>
      </TextField.Root>
    ));
    const area = screen.getByRole('textbox', { name: 'Description' });
    expect(area.tagName).toBe('TEXTAREA');
    expect(area.getAttribute('rows')).toBe('5');
    const hint = screen.getByText('What happened, and since when?');
    const error = screen.getByText('Enter a description.');
    expect(area.getAttribute('aria-describedby')).toBe(`${hint.id} ${error.id}`);
  });

  it('stops pointing at a hint that is no longer rendered', () => {
    const [hinted, setHinted] = createSignal(true);
    render(() => (
      <TextField.Root>
        <TextField.Label>Title</TextField.Label>
        {hinted() ? <TextField.Description>Short and specific.</TextField.Description> : null}
        <TextField.Input />
      </TextField.Root>
    ));
    expect(screen.getByLabelText('Title').getAttribute('aria-describedby')).toMatch(/-description$/);
    setHinted(false);
    expect(screen.getByLabelText('Title').getAttribute('aria-describedby')).toBeNull();
  });
});

describe('Select', () => {
  it('is a native select named by its label, invalid state included', () => {
    render(() => (
      <Select.Root invalid>
        <Select.Label>Priority</Select.Label>
        <Select.Control value="HIGH">
          <option value="URGENT">P1 · Urgent</option>
          <option value="HIGH">P2 · High</option>
        </Select.Control>
        <Select.Error>Choose a priority.</Select.Error>
      </Select.Root>
    ));
    const select = screen.getByRole('combobox', { name: 'Priority' }) as HTMLSelectElement;
    expect(select.tagName).toBe('SELECT');
    expect(select.value).toBe('HIGH');
    expect(select.getAttribute('aria-invalid')).toBe('true');
    expect(select.getAttribute('aria-describedby')).toBe(screen.getByText('Choose a priority.').id);
  });
});
