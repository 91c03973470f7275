import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake received, with its form body flattened (`metadata[teamId]` → value). */
export interface StripeRequest {
  method: string;
  path: string;
  form: Record<string, string>;
  idempotencyKey: string | undefined;
  authorization: string | undefined;
}

export interface FakeCheckoutSession {
  id: string;
  object: 'checkout.session';
  url: string;
  mode: string;
  customer: string;
  client_reference_id: string | null;
  metadata: Record<string, string>;
  amount_total: number;
  currency: string;
  payment_status: 'unpaid';
  payment_intent: null;
  success_url: string;
  cancel_url: string;
}

/**
 * A local HTTP server that answers like Stripe's API for the calls billing makes — POST
 * /v1/customers, DELETE /v1/customers/:id, POST /v1/checkout/sessions, GET /v1/payment_intents/:id — with Stripe's
 * idempotency (same key, same answer) and error shape. Point the API at it with STRIPE_API_BASE.
 */
export interface FakeStripe {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  /** Every request, oldest first (the idempotent replays too). */
  requests: StripeRequest[];
  sessions: Map<string, FakeCheckoutSession>;
  /** The receipt URL answered for a payment intent's latest charge. */
  receiptUrlOf(paymentIntentId: string): string;
  /** The next `count` requests answer this HTTP status with a Stripe error body. */
  failNext(status: number, count?: number): void;
  close(): Promise<void>;
}

let sequence = 0;
const nextId = (prefix: string) => `${prefix}_test_${Date.now().toString(36)}${(++sequence).toString(36).padStart(4, '0')}`;

async function readForm(req: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
}

/** `metadata[teamId]=…` style keys under `prefix[` → a plain object. */
const subObject = (form: Record<string, string>, prefix: string) =>
  Object.fromEntries(
    Object.entries(form)
      .filter(([k]) => k.startsWith(`${prefix}[`) && k.endsWith(']') && !k.slice(prefix.length + 1, -1).includes('['))
      .map(([k, v]) => [k.slice(prefix.length + 1, -1), v]),
  );

export async function startFakeStripe(): Promise<FakeStripe> {
  const requests: StripeRequest[] = [];
  const sessions = new Map<string, FakeCheckoutSession>();
  const replies = new Map<string, { status: number; body: unknown }>();
  let failures: { status: number; count: number } | null = null;
  const receiptUrlOf = (paymentIntentId: string) => `https://pay.stripe.test/receipts/${paymentIntentId}`;

  const answer = (method: string, path: string, form: Record<string, string>): { status: number; body: unknown } => {
    if (method === 'POST' && path === '/v1/customers') {
      return { status: 200, body: { id: nextId('cus'), object: 'customer', metadata: subObject(form, 'metadata') } };
    }
    if (method === 'POST' && path === '/v1/checkout/sessions') {
      const id = nextId('cs');
      const session: FakeCheckoutSession = {
        id,
        object: 'checkout.session',
        url: `https://checkout.stripe.test/c/pay/${id}`,
        mode: form.mode,
        customer: form.customer,
        client_reference_id: form.client_reference_id ?? null,
        metadata: subObject(form, 'metadata'),
        amount_total: Number(form['line_items[0][price_data][unit_amount]']) * Number(form['line_items[0][quantity]'] ?? 1),
        currency: form['line_items[0][price_data][currency]'],
        payment_status: 'unpaid',
        payment_intent: null,
        success_url: form.success_url,
        cancel_url: form.cancel_url,
      };
      sessions.set(id, session);
      return { status: 200, body: session };
    }
    const customer = /^\/v1\/customers\/([^/?]+)$/.exec(path);
    if (method === 'DELETE' && customer) return { status: 200, body: { id: customer[1], object: 'customer', deleted: true } };
    const intent = /^\/v1\/payment_intents\/([^/?]+)$/.exec(path);
    if (method === 'GET' && intent) {
      const charge = { id: `ch_for_${intent[1]}`, object: 'charge', payment_intent: intent[1], receipt_url: receiptUrlOf(intent[1]) };
      const expanded = form['expand[0]'] === 'latest_charge';
      return { status: 200, body: { id: intent[1], object: 'payment_intent', latest_charge: expanded ? charge : charge.id } };
    }
    return { status: 404, body: { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${method}: ${path}).` } } };
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://stripe.test');
      const form = req.method === 'GET' ? Object.fromEntries(url.searchParams) : await readForm(req);
      const idempotencyKey = req.headers['idempotency-key'] as string | undefined;
      const method = req.method ?? 'GET';
      requests.push({ method, path: url.pathname, form, idempotencyKey, authorization: req.headers.authorization });
      let reply: { status: number; body: unknown };
      if (failures && failures.count > 0) {
        failures.count--;
        reply = { status: failures.status, body: { error: { type: 'api_error', message: 'The fake was told to fail.' } } };
      } else if (idempotencyKey && replies.has(`${method} ${url.pathname} ${idempotencyKey}`)) {
        reply = replies.get(`${method} ${url.pathname} ${idempotencyKey}`)!;
      } else {
        reply = answer(method, url.pathname, form);
        if (idempotencyKey) replies.set(`${method} ${url.pathname} ${idempotencyKey}`, reply);
      }
      res.writeHead(reply.status, { 'content-type': 'application/json', 'request-id': nextId('req') });
      res.end(JSON.stringify(reply.body));
    })().catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { type: 'api_error', message: String(error) } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    sessions,
    receiptUrlOf,
    failNext: (status, count = 1) => void (failures = { status, count }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
