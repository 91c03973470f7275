/** @jest-environment jsdom */
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { TableWrap } from './table-wrap';

function Receipt({ count }: { count: number }) {
  return (
    <TableWrap>
      <table>
        <caption>Receipt: {count} items</caption>
        <tbody>
          <tr>
            <td>{count}</td>
          </tr>
        </tbody>
      </table>
    </TableWrap>
  );
}

describe('TableWrap', () => {
  it('is a focusable region named by the given label, with the table-wrap class', () => {
    render(
      <TableWrap label="Purchases">
        <table>
          <caption>Ignored when a label is given</caption>
          <tbody>
            <tr>
              <td>1</td>
            </tr>
          </tbody>
        </table>
      </TableWrap>,
    );
    const region = screen.getByRole('region', { name: 'Purchases' });
    expect(region.className).toBe('table-wrap');
    expect(region.tabIndex).toBe(0);
    region.focus();
    expect(document.activeElement).toBe(region);
    expect(region.querySelector('table')).not.toBeNull();
  });

  it('is named by the table’s caption when no label is given, and follows it when it changes', () => {
    const { rerender } = render(<Receipt count={2} />);
    expect(screen.getByRole('region', { name: 'Receipt: 2 items' })).toBeTruthy();
    rerender(<Receipt count={3} />);
    expect(screen.getByRole('region', { name: 'Receipt: 3 items' })).toBeTruthy();
  });

  it('falls back to "Table" with neither label nor caption', () => {
    render(
      <TableWrap>
        <table>
          <tbody>
            <tr>
              <td>1</td>
            </tr>
          </tbody>
        </table>
      </TableWrap>,
    );
    expect(screen.getByRole('region', { name: 'Table' }).tabIndex).toBe(0);
  });

  it('gives each body cell its column’s shown heading and marks a table of three or more columns stackable, with its native roles', () => {
    render(
      <TableWrap label="Keys">
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">
                Last <em>used</em>
              </th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">CI</th>
              <td>Never</td>
              <td>
                <button type="button">Revoke</button>
              </td>
            </tr>
          </tbody>
        </table>
      </TableWrap>,
    );
    const table = screen.getByRole('table');
    expect(table.classList.contains('stackable')).toBe(true);
    expect(screen.getAllByRole('columnheader').map((th) => th.textContent)).toEqual(['Name', 'Last used', 'Actions']);
    expect(screen.getByRole('rowheader', { name: 'CI' }).hasAttribute('data-label')).toBe(false);
    // The actions column's heading is for screen readers only: its cells print no label.
    expect(screen.getAllByRole('cell').map((td) => td.getAttribute('data-label'))).toEqual(['Last used', '']);
    expect(screen.getAllByRole('rowgroup')).toHaveLength(2);
  });

  it('leaves a two-column table a table (not stackable), and labels rows a child adds by itself', async () => {
    function Growing() {
      const [rows, setRows] = useState(['a']);
      return (
        <>
          <button type="button" onClick={() => setRows((r) => [...r, `row ${r.length}`])}>
            More
          </button>
          <table>
            <thead>
              <tr>
                <th scope="col">Item</th>
                <th scope="col">Count</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row}>
                  <td>{row}</td>
                  <td>1</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      );
    }
    render(
      <TableWrap label="Receipt">
        <Growing />
      </TableWrap>,
    );
    expect(screen.getByRole('table').classList.contains('stackable')).toBe(false);
    expect(screen.getByRole('table').getAttribute('role')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'More' }));
    await waitFor(() =>
      expect(Array.from(screen.getByRole('table').querySelectorAll('tbody td'), (td) => td.getAttribute('data-label'))).toEqual([
        'Item',
        'Count',
        'Item',
        'Count',
      ]),
    );
  });
});
