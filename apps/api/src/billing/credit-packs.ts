import { z } from 'zod';

/** A pack of credits sold through Stripe Checkout. `amount` is in the currency's minor unit (cents for USD). */
export interface CreditPack {
  id: string;
  name: string;
  /** Whole or quarter credits. */
  credits: number;
  amount: number;
  /** ISO 4217, lower case as Stripe writes it (`usd`). */
  currency: string;
}

/** `id:credits:amount:currency`, comma-separated: the packs sold when `CREDIT_PACKS` is unset. */
export const DEFAULT_CREDIT_PACKS = 'starter:100:1000:usd,pro:500:4500:usd,studio:2000:16000:usd';

const PACK_ID = /^[a-z][a-z0-9-]{0,31}$/;
const MAX_PACKS = 10;
const MAX_CREDITS = 1_000_000;
/** Stripe's largest amount for one payment (8 digits in the minor unit). */
const MAX_AMOUNT = 99_999_999;

const title = (id: string) => id.charAt(0).toUpperCase() + id.slice(1).replace(/-/g, ' ');

/** Parses `CREDIT_PACKS`; returns a message naming the first problem, or the packs. */
export function parseCreditPacks(value: string): CreditPack[] | string {
  const entries = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!entries.length || entries.length > MAX_PACKS) return `list 1 to ${MAX_PACKS} packs as id:credits:amount:currency, comma-separated`;
  const packs: CreditPack[] = [];
  for (const entry of entries) {
    const [id, credits, amount, currency, ...rest] = entry.split(':');
    const pack = { id, name: title(id ?? ''), credits: Number(credits), amount: Number(amount), currency: (currency ?? '').toLowerCase() };
    if (rest.length || !PACK_ID.test(id ?? '')) return `"${entry}": expected id:credits:amount:currency with an id such as starter`;
    if (!(pack.credits > 0 && pack.credits <= MAX_CREDITS && Number.isInteger(pack.credits * 4)))
      return `"${entry}": credits must be a positive multiple of 0.25 up to ${MAX_CREDITS}`;
    if (!(Number.isInteger(pack.amount) && pack.amount >= 1 && pack.amount <= MAX_AMOUNT))
      return `"${entry}": amount must be a whole number of the currency's minor unit (e.g. cents), 1 to ${MAX_AMOUNT}`;
    if (!/^[a-z]{3}$/.test(pack.currency)) return `"${entry}": currency must be a three-letter ISO 4217 code such as usd`;
    if (packs.some((p) => p.id === id)) return `"${entry}": the id ${id} is listed twice`;
    packs.push(pack);
  }
  return packs;
}

/** The zod schema of `CREDIT_PACKS` (see DEFAULT_CREDIT_PACKS for the format). */
export const creditPacksEnv = () =>
  z
    .string()
    .default(DEFAULT_CREDIT_PACKS)
    .transform((value, ctx): CreditPack[] => {
      const parsed = parseCreditPacks(value);
      if (typeof parsed === 'string') {
        ctx.addIssue({ code: 'custom', message: parsed });
        return z.NEVER;
      }
      return parsed;
    });
