import { useRef, useState, type CSSProperties, type KeyboardEvent, type PointerEvent } from 'react';

/** Where a key moves the divider (percent), or undefined for keys it ignores. */
export function nextPosition(position: number, key: string): number | undefined {
  const clamp = (n: number) => Math.max(0, Math.min(100, n));
  switch (key) {
    case 'ArrowLeft':
    case 'ArrowDown':
      return clamp(position - 5);
    case 'ArrowRight':
    case 'ArrowUp':
      return clamp(position + 5);
    case 'PageDown':
      return clamp(position - 25);
    case 'PageUp':
      return clamp(position + 25);
    case 'Home':
      return 0;
    case 'End':
      return 100;
    default:
      return undefined;
  }
}

/**
 * The original and the result on top of each other over a transparency checkerboard; the divider
 * shows the original on its left. A role="slider" that arrow keys, Page Up/Down, Home and End move,
 * and that a pointer drags.
 */
export function ComparisonSlider({
  before,
  after,
  label,
  width,
  height,
  initial = 50,
}: {
  before: string;
  after: string;
  label: string;
  width?: number;
  height?: number;
  initial?: number;
}) {
  const [position, setPosition] = useState(initial);
  const frame = useRef<HTMLDivElement>(null);

  const fromPointer = (event: PointerEvent) => {
    const box = frame.current?.getBoundingClientRect();
    if (!box || box.width === 0) return;
    setPosition(Math.round(Math.max(0, Math.min(100, ((event.clientX - box.left) / box.width) * 100))));
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const next = nextPosition(position, event.key);
    if (next === undefined) return;
    event.preventDefault();
    setPosition(next);
  };

  const style = { '--pos': `${position}%`, '--ratio': width && height ? `${width} / ${height}` : undefined } as CSSProperties;

  return (
    <div
      ref={frame}
      className="compare checkerboard"
      style={style}
      onPointerDown={(event) => {
        (event.currentTarget as HTMLElement).setPointerCapture?.(event.pointerId);
        fromPointer(event);
      }}
      onPointerMove={(event) => {
        if (event.buttons & 1) fromPointer(event);
      }}
    >
      <img src={after} alt={`${label}: background removed`} draggable={false} />
      <img className="before" src={before} alt="" draggable={false} />
      <span className="label" style={{ left: '0.5rem' }} aria-hidden="true">
        Before
      </span>
      <span className="label" style={{ right: '0.5rem' }} aria-hidden="true">
        After
      </span>
      <div
        className="handle"
        role="slider"
        tabIndex={0}
        aria-label={`Compare before and after: ${label}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={position}
        aria-valuetext={`${position}% original`}
        aria-orientation="horizontal"
        onKeyDown={onKeyDown}
      >
        <span className="handle-knob" />
      </div>
    </div>
  );
}
