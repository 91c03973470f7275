import { loadApiConfig } from '../config/api.config';
import { DEFAULT_CREDIT_PACKS, parseCreditPacks } from './credit-packs';
import { stripeHostOptions } from './stripe.adapter';
import { configProblems } from '../../testing/config-problems';

const problems = (env: Record<string, string>) => configProblems(env, (p) => `${p.variable}: ${p.message}`);

describe('billing configuration', () => {
  it('needs no Stripe account: billing is off, and the default packs are on sale', () => {
    const config = loadApiConfig({});
    expect(config.STRIPE_SECRET_KEY).toBeUndefined();
    expect(config.CREDIT_PACKS).toEqual(parseCreditPacks(DEFAULT_CREDIT_PACKS));
    expect(config.CREDIT_PACKS.map((p) => [p.id, p.credits, p.amount, p.currency])).toEqual([
      ['starter', 100, 1000, 'usd'],
      ['pro', 500, 4500, 'usd'],
      ['studio', 2000, 16000, 'usd'],
    ]);
  });

  it('requires the webhook secret with the secret key', () => {
    expect(problems({ STRIPE_SECRET_KEY: 'sk_test_x' })).toEqual([expect.stringMatching(/^STRIPE_WEBHOOK_SECRET: is required/)]);
    expect(problems({ STRIPE_SECRET_KEY: 'sk_test_x', STRIPE_WEBHOOK_SECRET: 'whsec_x' })).toEqual([]);
  });

  it('refuses a STRIPE_API_BASE that is not an http(s) URL', () => {
    expect(problems({ STRIPE_API_BASE: 'localhost:12111' })).toEqual([expect.stringMatching(/^STRIPE_API_BASE: /)]);
    expect(problems({ STRIPE_API_BASE: 'ftp://127.0.0.1:12111' })).toEqual([expect.stringMatching(/^STRIPE_API_BASE: /)]);
  });

  it('points the SDK at STRIPE_API_BASE', () => {
    expect(stripeHostOptions(undefined)).toEqual({});
    expect(stripeHostOptions('http://127.0.0.1:12111')).toEqual({ host: '127.0.0.1', port: '12111', protocol: 'http' });
    expect(stripeHostOptions('https://stripe.internal')).toEqual({ host: 'stripe.internal', port: 443, protocol: 'https' });
  });

  it.each([
    ['', /list 1 to 10 packs/],
    ['starter:100:1000', /currency/],
    ['Starter:100:1000:usd', /id such as starter/],
    ['a:0:1000:usd', /credits must be a positive multiple of 0.25/],
    ['a:1.3:1000:usd', /credits must be a positive multiple of 0.25/],
    ['a:1:10.5:usd', /amount must be a whole number/],
    ['a:1:0:usd', /amount must be a whole number/],
    ['a:1:100:dollars', /currency must be a three-letter/],
    ['a:1:100:usd:extra', /expected id:credits:amount:currency/],
    ['a:1:100:usd,a:2:200:usd', /listed twice/],
  ])('refuses CREDIT_PACKS=%j', (value, message) => {
    const found = problems({ CREDIT_PACKS: value === '' ? ',' : value });
    expect(found).toEqual([expect.stringMatching(/^CREDIT_PACKS: /)]);
    expect(found[0]).toMatch(message);
  });

  it('reads packs with quarter credits and upper-case currencies', () => {
    expect(parseCreditPacks(' mini-pack:0.75:99:EUR , big:10:900:usd ')).toEqual([
      { id: 'mini-pack', name: 'Mini pack', credits: 0.75, amount: 99, currency: 'eur' },
      { id: 'big', name: 'Big', credits: 10, amount: 900, currency: 'usd' },
    ]);
  });
});
