/** @jest-environment jsdom */
import { act, fireEvent, render, screen } from '@testing-library/react';
import { ComparisonSlider } from './comparison-slider';

describe('ComparisonSlider', () => {
  it('is a focusable slider that arrow keys, Page Up/Down, Home and End move', () => {
    render(<ComparisonSlider before="/before.png" after="/after.png" label="cat.jpg" />);
    const slider = screen.getByRole('slider', { name: 'Compare before and after: cat.jpg' });
    expect(slider.getAttribute('aria-valuenow')).toBe('50');
    expect(slider.getAttribute('aria-valuemin')).toBe('0');
    expect(slider.getAttribute('aria-valuemax')).toBe('100');
    expect(slider.tabIndex).toBe(0);

    act(() => slider.focus());
    expect(document.activeElement).toBe(slider);

    fireEvent.keyDown(slider, { key: 'ArrowRight' });
    expect(slider.getAttribute('aria-valuenow')).toBe('55');
    fireEvent.keyDown(slider, { key: 'ArrowLeft' });
    fireEvent.keyDown(slider, { key: 'ArrowLeft' });
    expect(slider.getAttribute('aria-valuenow')).toBe('45');
    fireEvent.keyDown(slider, { key: 'PageUp' });
    expect(slider.getAttribute('aria-valuenow')).toBe('70');
    fireEvent.keyDown(slider, { key: 'End' });
    expect(slider.getAttribute('aria-valuenow')).toBe('100');
    fireEvent.keyDown(slider, { key: 'ArrowRight' });
    expect(slider.getAttribute('aria-valuenow')).toBe('100');
    fireEvent.keyDown(slider, { key: 'Home' });
    expect(slider.getAttribute('aria-valuenow')).toBe('0');
    fireEvent.keyDown(slider, { key: 'ArrowDown' });
    expect(slider.getAttribute('aria-valuenow')).toBe('0');
    expect(slider.getAttribute('aria-valuetext')).toBe('0% original');
  });

  it('leaves other keys alone (Tab still moves focus)', () => {
    render(<ComparisonSlider before="/b.png" after="/a.png" label="dog.png" initial={30} />);
    const slider = screen.getByRole('slider');
    const tab = fireEvent.keyDown(slider, { key: 'Tab' });
    expect(tab).toBe(true);
    expect(slider.getAttribute('aria-valuenow')).toBe('30');
    const arrow = fireEvent.keyDown(slider, { key: 'ArrowUp' });
    expect(arrow).toBe(false);
  });

  it('shows the result with a text alternative over the checkerboard', () => {
    const { container } = render(<ComparisonSlider before="/b.png" after="/a.png" label="dog.png" width={400} height={300} />);
    expect(screen.getByAltText('dog.png: background removed').getAttribute('src')).toBe('/a.png');
    const frame = container.querySelector('.compare') as HTMLElement;
    expect(frame.className).toContain('checkerboard');
    expect(frame.style.getPropertyValue('--pos')).toBe('50%');
  });
});
