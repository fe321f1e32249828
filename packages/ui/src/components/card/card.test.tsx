import { render, screen } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import * as Card from './index.ts';

describe('Card', () => {
  it('renders its title as a heading and its children', () => {
    render(() => (
      <Card.Root data-testid="card">
        <Card.Title>Open tickets</Card.Title>
        <Card.Body>
          <p>Nothing waits for you.</p>
        </Card.Body>
      </Card.Root>
    ));
    expect(screen.getByRole('heading', { level: 2, name: 'Open tickets' })).toBeTruthy();
    expect(screen.getByText('Nothing waits for you.')).toBeTruthy();
    expect(screen.getByTestId('card').classList.contains('glass')).toBe(true);
  });

  it('takes the heading level the page outline needs', () => {
    render(() => (
      <Card.Root>
        <Card.Title level={1}>Sign in</Card.Title>
      </Card.Root>
    ));
    expect(screen.getByRole('heading', { level: 1, name: 'Sign in' })).toBeTruthy();
  });
});
