/**
 * Credits are exact to the quarter (the API counts quarter-credits): "1 credit", "0.25 credits",
 * "2,500.75 credits", "-1.5 credits". Never rounds a quarter away.
 */
export function formatCredits(amount: number): string {
  const text = amount.toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: 2 });
  return `${text} ${amount === 1 || amount === -1 ? 'credit' : 'credits'}`;
}
