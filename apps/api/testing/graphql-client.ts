import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface GraphqlError {
  message: string;
  extensions?: { code?: string; [key: string]: unknown };
}

export interface GraphqlResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: GraphqlError[];
  setCookie: string[];
}

/** An HTTP GraphQL client that keeps its cookies like a browser, or sends an API key. */
export class TestClient {
  /** The session cookie (`cutout_session=…`), as sent. */
  cookie?: string;
  /** Every other cookie the server set (e.g. `cutout_visitor`), by name, as sent. */
  readonly otherCookies = new Map<string, string>();

  constructor(
    readonly baseUrl: string,
    readonly apiKey?: string,
  ) {}

  withApiKey(apiKey: string): TestClient {
    return new TestClient(this.baseUrl, apiKey);
  }

  async gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<GraphqlResponse<T>> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const cookie = this.cookieHeader();
    if (cookie) headers.cookie = cookie;
    if (this.apiKey) headers.authorization = `Bearer ${this.apiKey}`;
    const res = await fetch(`${this.baseUrl}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const setCookie = res.headers.getSetCookie();
    for (const c of setCookie) {
      const [pair] = c.split(';');
      const cleared = /=$/.test(pair) || /Expires=Thu, 01 Jan 1970/i.test(c);
      const name = pair.slice(0, pair.indexOf('='));
      if (name === 'cutout_session') this.cookie = cleared ? undefined : pair;
      else if (cleared) this.otherCookies.delete(name);
      else this.otherCookies.set(name, pair);
    }
    const body = (await res.json()) as { data?: T; errors?: GraphqlError[] };
    return { status: res.status, data: body.data, errors: body.errors, setCookie };
  }

  /** The `Cookie` header this client sends (session first), or undefined. */
  cookieHeader(): string | undefined {
    return [this.cookie, ...this.otherCookies.values()].filter(Boolean).join('; ') || undefined;
  }

  /** Runs an operation and returns data, failing the test on any error. */
  async ok<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const res = await this.gql<T>(query, variables);
    if (res.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(res.errors)}`);
    return res.data as T;
  }

  /** Runs an operation that must fail, and returns its first error code. */
  async errorCode(query: string, variables?: Record<string, unknown>): Promise<string | undefined> {
    const res = await this.gql(query, variables);
    if (!res.errors?.length) throw new Error(`expected an error, got ${JSON.stringify(res.data)}`);
    return res.errors[0].extensions?.code;
  }

  /** A real graphql-ws client on the same server (with the handshake header `Origin` a browser page would send). */
  ws(connectionParams?: Record<string, unknown>, options: { origin?: string } = {}): Client {
    const url = this.baseUrl.replace(/^http/, 'ws') + '/graphql';
    const headers: Record<string, string> = {};
    const cookie = this.cookieHeader();
    if (cookie) headers.cookie = cookie;
    if (options.origin) headers.origin = options.origin;
    class CookieWebSocket extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers });
      }
    }
    return createClient({ url, webSocketImpl: CookieWebSocket, connectionParams, retryAttempts: 0, lazy: true });
  }
}

/** Runs one operation over graphql-ws and resolves with its single result (or rejects with the close event). */
export function wsRequest<T = Record<string, any>>(
  client: Client,
  query: string,
  variables?: Record<string, unknown>,
): Promise<{ data?: T | null; errors?: GraphqlError[] }> {
  return new Promise((resolve, reject) => {
    let result: { data?: T | null; errors?: GraphqlError[] } | undefined;
    client.subscribe<T>(
      { query, variables },
      {
        next: (value) => (result = value as typeof result),
        error: (error) => (Array.isArray(error) ? resolve({ errors: error as GraphqlError[] }) : reject(error)),
        complete: () => resolve(result ?? {}),
      },
    );
  });
}
