/** @jest-environment jsdom */
import { render, screen } from '@testing-library/react';
import { summarize, UsageChart } from './usage-chart';

const points = [
  { day: '2026-11-28', value: 0 },
  { day: '2026-11-29', value: 3 },
  { day: '2026-11-30', value: 1.25 },
];

describe('UsageChart', () => {
  it('is an image named by its summary, with a bar per day scaled to the busiest day', () => {
    const { container } = render(<UsageChart title="Credits spent per day" unit="credits" points={points} />);
    const chart = screen.getByRole('img', { name: 'Credits spent per day: 4.25 credits from Nov 28 to Nov 30; the most on Nov 29 (3).' });
    const bars = [...chart.querySelectorAll('rect')];
    expect(bars.map((b) => Number(b.getAttribute('height')))).toEqual([0, 136, (1.25 / 3) * 136]);
    expect(bars[1].querySelector('title')?.textContent).toBe('Nov 29: 3 credits');
    expect(container.querySelector('figure')).not.toBeNull();
  });

  it('lists every day in a table for those who cannot see the bars', () => {
    render(<UsageChart title="Jobs per day" unit="jobs" points={points} />);
    const rows = screen.getAllByRole('row', { hidden: true }).slice(1);
    expect(rows.map((r) => r.textContent)).toEqual(['2026-11-280', '2026-11-293', '2026-11-301.25']);
  });

  it('says so when nothing was spent', () => {
    expect(summarize([{ day: '2026-11-30', value: 0 }], 'jobs')).toBe('No jobs from Nov 30 to Nov 30.');
    expect(summarize([], 'jobs')).toBe('No jobs.');
  });
});
