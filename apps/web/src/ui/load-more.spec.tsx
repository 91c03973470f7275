/** @jest-environment jsdom */
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { LoadMore } from './load-more';

describe('LoadMore', () => {
  it('renders nothing without a next page, and nothing but its loading line while the first page loads', () => {
    const { container, rerender } = render(<LoadMore hasNextPage={false} loading={false} loadMore={jest.fn()} />);
    expect(container.innerHTML).toBe('');
    rerender(<LoadMore hasNextPage={undefined} loading={false} loadMore={jest.fn()} whileLoading="disable" />);
    expect(container.innerHTML).toBe('');
    rerender(<LoadMore hasNextPage={false} loading loadMore={jest.fn()} />);
    expect(screen.getByRole('status').textContent).toBe('Loading…');
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('calls loadMore (without arguments) on click', async () => {
    const loadMore = jest.fn();
    render(<LoadMore hasNextPage loading={false} loadMore={loadMore} />);
    const button = screen.getByRole('button', { name: 'Load more' });
    expect(button.className).toBe('button');
    expect(button.getAttribute('type')).toBe('button');
    await userEvent.click(button);
    expect(loadMore).toHaveBeenCalledTimes(1);
    expect(loadMore).toHaveBeenCalledWith();
  });

  it('is reached with Tab and activated with Enter or Space', async () => {
    const loadMore = jest.fn();
    const user = userEvent.setup();
    render(<LoadMore hasNextPage loading={false} loadMore={loadMore} label="purchases" />);
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Load more purchases' }));
    await user.keyboard('{Enter}');
    await user.keyboard(' ');
    expect(loadMore).toHaveBeenCalledTimes(2);
  });

  it('names the list to screen readers only, after the visible text', () => {
    render(<LoadMore hasNextPage loading={false} loadMore={jest.fn()} label="ledger entries" />);
    const button = screen.getByRole('button', { name: 'Load more ledger entries' });
    expect(button.innerHTML).toBe('Load more<span class="visually-hidden"> ledger entries</span>');
  });

  it('hides the button and says "Loading…" while a page loads (status mode, the default)', () => {
    const { rerender } = render(<LoadMore hasNextPage loading loadMore={jest.fn()} />);
    expect(screen.queryByRole('button')).toBeNull();
    expect(screen.getByRole('status').textContent).toBe('Loading…');
    rerender(<LoadMore hasNextPage loading={false} loadMore={jest.fn()} />);
    expect(screen.queryByRole('status')).toBeNull();
    expect(screen.getByRole('button', { name: 'Load more' })).toBeTruthy();
  });

  it('keeps the button on its own line, disabled and inert, while loading (disable mode)', async () => {
    const loadMore = jest.fn();
    const user = userEvent.setup();
    const { container, rerender } = render(
      <LoadMore hasNextPage loading loadMore={loadMore} whileLoading="disable">
        Load more requests
      </LoadMore>,
    );
    const button = screen.getByRole('button', { name: 'Load more requests' }) as HTMLButtonElement;
    expect(container.innerHTML).toBe('<div><button type="button" class="button" disabled="">Load more requests</button></div>');
    expect(screen.queryByRole('status')).toBeNull();
    await user.click(button);
    await user.tab();
    expect(document.activeElement).not.toBe(button);
    expect(loadMore).not.toHaveBeenCalled();
    rerender(
      <LoadMore hasNextPage loading={false} loadMore={loadMore} whileLoading="disable">
        Load more requests
      </LoadMore>,
    );
    expect(button.disabled).toBe(false);
    await user.click(button);
    expect(loadMore).toHaveBeenCalledTimes(1);
  });

  it('shows the paging error as its sentence above the button', () => {
    render(<LoadMore hasNextPage loading={false} loadMore={jest.fn()} error={new Error('The network is down.')} />);
    const alert = screen.getByRole('alert');
    expect(alert.className).toBe('alert error');
    expect(alert.textContent).toBe('The network is down.');
    expect(alert.compareDocumentPosition(screen.getByRole('button')) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });
});
