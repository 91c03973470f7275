/** "1 credit", "2,500 credits". */
export function formatCredits(amount: number): string {
  const n = Math.trunc(amount);
  return `${n.toLocaleString('en-US')} ${Math.abs(n) === 1 ? 'credit' : 'credits'}`;
}
