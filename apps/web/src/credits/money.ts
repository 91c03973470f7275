/** A price in the currency's minor unit (as Stripe and the API count it) for people: 1000 usd → "$10.00". */
export function formatMoney(amount: number, currency: string): string {
  const code = currency.toUpperCase();
  let format: Intl.NumberFormat;
  try {
    format = new Intl.NumberFormat('en-US', { style: 'currency', currency: code });
  } catch {
    return `${amount} ${code} (minor units)`;
  }
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amount / 10 ** digits);
}

/** A signed credit amount as the ledger shows it: "+100", "−0.25". */
export function formatSignedCredits(amount: number): string {
  const text = Math.abs(amount).toLocaleString('en-US', { maximumFractionDigits: 2 });
  return amount < 0 ? `−${text}` : `+${text}`;
}

/** The last `days` whole UTC days up to and including today: [from, to) as ISO strings. */
export function lastDays(days: number, now = new Date()): { from: string; to: string } {
  const to = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return { from: new Date(to - days * 86_400_000).toISOString(), to: new Date(to).toISOString() };
}
