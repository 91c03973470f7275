import { formatCredits } from './format';

/** The dashboard shell; its pages arrive with the dashboard issue. */
export function App() {
  return (
    <main>
      <h1>Cutout</h1>
      <p>Background removal for teams. Trial balance: {formatCredits(0)}.</p>
    </main>
  );
}
