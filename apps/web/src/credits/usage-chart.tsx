import { useId } from 'react';
import { TableWrap } from '../ui/table-wrap';

export interface UsagePoint {
  day: string;
  value: number;
}

const WIDTH = 600;
const HEIGHT = 140;

function shortDay(day: string): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
}

function amount(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** One sentence for screen readers (and the chart's name): total, busiest day. */
export function summarize(points: UsagePoint[], unit: string): string {
  const total = points.reduce((sum, p) => sum + p.value, 0);
  if (!points.length) return `No ${unit}.`;
  if (total === 0) return `No ${unit} from ${shortDay(points[0].day)} to ${shortDay(points[points.length - 1].day)}.`;
  const busiest = points.reduce((best, p) => (p.value > best.value ? p : best), points[0]);
  return `${amount(total)} ${total === 1 ? unit.replace(/s$/, '') : unit} from ${shortDay(points[0].day)} to ${shortDay(points[points.length - 1].day)}; the most on ${shortDay(busiest.day)} (${amount(busiest.value)}).`;
}

/** A bar per day, drawn as our own SVG: named by a summary sentence, with every value in a table below. */
export function UsageChart({ title, unit, points }: { title: string; unit: string; points: UsagePoint[] }) {
  const titleId = useId();
  const max = Math.max(0, ...points.map((p) => p.value));
  const slot = points.length ? WIDTH / points.length : WIDTH;
  const bar = Math.max(1, slot * 0.7);
  const summary = summarize(points, unit);
  return (
    <figure className="usage-chart" aria-labelledby={titleId}>
      <figcaption id={titleId}>
        <strong>{title}</strong>
        <span className="small muted"> — {summary}</span>
      </figcaption>
      <div className="usage-plot">
        <span className="small muted usage-max" aria-hidden="true">
          {amount(max)}
        </span>
        <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" role="img" aria-label={`${title}: ${summary}`}>
          <line x1="0" y1={HEIGHT - 0.5} x2={WIDTH} y2={HEIGHT - 0.5} className="usage-axis" />
          {points.map((p, i) => {
            const h = max > 0 ? (p.value / max) * (HEIGHT - 4) : 0;
            return (
              <rect key={p.day} x={i * slot + (slot - bar) / 2} y={HEIGHT - h} width={bar} height={h} className="usage-bar">
                <title>{`${shortDay(p.day)}: ${amount(p.value)} ${unit}`}</title>
              </rect>
            );
          })}
        </svg>
      </div>
      {points.length > 0 && (
        <div className="row small muted usage-days" aria-hidden="true">
          <span>{shortDay(points[0].day)}</span>
          <span>{shortDay(points[points.length - 1].day)}</span>
        </div>
      )}
      <details>
        <summary className="small">{title} as a table</summary>
        <TableWrap label={`${title} as a table`}>
          <table>
            <thead>
              <tr>
                <th scope="col">Day (UTC)</th>
                <th scope="col">{unit.charAt(0).toUpperCase() + unit.slice(1)}</th>
              </tr>
            </thead>
            <tbody>
              {points.map((p) => (
                <tr key={p.day}>
                  <td>{p.day}</td>
                  <td>{amount(p.value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </details>
    </figure>
  );
}
