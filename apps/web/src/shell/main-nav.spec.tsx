/** @jest-environment jsdom */
import { act, fireEvent, render, screen } from '@testing-library/react';
import { navigate } from '../router';
import { MainNav } from './shell';

const ITEMS = [
  { href: '/', label: 'Remove backgrounds' },
  { href: '/history', label: 'History' },
  { href: '/team', label: 'Team' },
];

describe('MainNav (the phone menu)', () => {
  beforeEach(() => window.history.replaceState(null, '', '/'));

  it('is a disclosure button controlling the list, naming the current page', () => {
    render(<MainNav items={ITEMS} pathname="/history" />);
    const toggle = screen.getByRole('button', { name: 'Menu: History' });
    const list = document.getElementById(toggle.getAttribute('aria-controls') ?? '');
    expect(list?.tagName).toBe('UL');
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByRole('navigation', { name: 'Main' }).className).toContain('open');
    expect(screen.getByRole('link', { name: 'History' }).getAttribute('aria-current')).toBe('page');
  });

  it('closes on Escape and gives the focus back to the button', () => {
    render(<MainNav items={ITEMS} pathname="/" />);
    const toggle = screen.getByRole('button', { name: /^Menu/ });
    fireEvent.click(toggle);
    const link = screen.getByRole('link', { name: 'Team' });
    act(() => link.focus());
    fireEvent.keyDown(link, { key: 'Escape' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(document.activeElement).toBe(toggle);
  });

  it('closes when a page is chosen, and on any navigation', () => {
    const { rerender } = render(<MainNav items={ITEMS} pathname="/" />);
    const toggle = screen.getByRole('button', { name: /^Menu/ });
    fireEvent.click(toggle);
    fireEvent.click(screen.getByRole('link', { name: 'Team' }));
    expect(window.location.pathname).toBe('/team');
    expect(toggle.getAttribute('aria-expanded')).toBe('false');

    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    act(() => navigate('/history'));
    rerender(<MainNav items={ITEMS} pathname="/history" />);
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
  });
});
