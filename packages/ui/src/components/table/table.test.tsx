import { render, screen } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import * as Table from './index.ts';

describe('Table', () => {
  it('renders a captioned table whose cells carry their column label for phones', () => {
    render(() => (
      <Table.Root>
        <Table.Caption hidden>My tickets</Table.Caption>
        <Table.Head>
          <Table.Row>
            <Table.HeaderCell>Title</Table.HeaderCell>
          </Table.Row>
        </Table.Head>
        <Table.Body>
          <Table.Row>
            <Table.Cell label="Title">VPN drops</Table.Cell>
          </Table.Row>
        </Table.Body>
      </Table.Root>
    ));
    const table = screen.getByRole('table', { name: 'My tickets' });
    expect(table.dataset.stacked).toBe('');
    expect(screen.getByRole('columnheader', { name: 'Title' }).getAttribute('scope')).toBe('col');
    expect(screen.getByRole('cell', { name: 'VPN drops' }).dataset.label).toBe('Title');
  });

  it('can stay a plain table on phones', () => {
    render(() => (
      <Table.Root stacked={false} aria-label="Plain">
        <Table.Body />
      </Table.Root>
    ));
    expect(screen.getByRole('table', { name: 'Plain' }).dataset.stacked).toBeUndefined();
  });
});
