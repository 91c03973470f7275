/** @jest-environment jsdom */
import { render, screen } from '@testing-library/react';
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
});
