import { Lexer, Source, TokenKind } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from '../support/harness.js';
import { failed, ok, publish } from '../integration/support.js';

/**
 * The alias, cost and token limits end to end, over HTTP and over graphql-ws: a query just over each
 * limit is refused with QUERY_TOO_COMPLEX, one at or just under it is answered. The server runs with
 * small limits so that the documents stay readable; the depth limit has its own tests.
 */
const LIMITS = { aliases: 5, cost: 300, tokens: 400 };

/** Tokens as graphql-js counts them for `parse(..., { maxTokens })` (every lexer token but <EOF>). */
function tokenCount(document: string): number {
  const lexer = new Lexer(new Source(document));
  let count = 0;
  while (lexer.advance().kind !== TokenKind.EOF) count += 1;
  return count;
}

/**
 * graphql-armor's cost of `contexts(first: n) { edges { node { id } } }` with its default weights
 * (object 2, scalar 1, depth factor 1.5, the `first` argument multiplying): (2 + 1.5 × (2 + 1.5 × (2 + 1.5))) × n.
 */
const pageCost = (first: number) => (2 + 1.5 * (2 + 1.5 * (2 + 1.5 * 1))) * first;
/** Cost of `contextBroadcast(...) { seq × n }`: one object with n scalars. */
const broadcastCost = (scalars: number) => 2 + 1.5 * scalars;

/** The largest n with cost(n) within the limit. */
const largestWithin = (cost: (n: number) => number, limit: number) => {
  let n = 1;
  while (cost(n + 1) <= limit) n += 1;
  return n;
};

describe('query limits (aliases, cost, tokens) over HTTP and WebSocket', () => {
  let server: TestServer;
  let listener: { id: string; apiKey: string };
  const clients: Client[] = [];
  const tag = () => `${server.ns}-limits`;

  beforeAll(async () => {
    server = await startTestServer({
      env: {
        GRAPHQL_MAX_ALIASES: String(LIMITS.aliases),
        GRAPHQL_MAX_COST: String(LIMITS.cost),
        GRAPHQL_MAX_TOKENS: String(LIMITS.tokens),
        EXPIRY_SWEEP_MS: '0',
      },
    });
    const author = await server.registerAgent({ id: `${server.ns}-author` });
    listener = await server.registerAgent({ id: `${server.ns}-listener` });
    // One durable delivery, so that an accepted contextBroadcast subscription yields at once (replay).
    await publish(server, author.apiKey, {
      type: 'FINDING',
      priority: 'CRITICAL',
      text: 'limits probe',
      tags: [tag()],
      relevance: [{ agentId: listener.id, score: 1 }],
    });
  });
  afterAll(async () => {
    for (const client of clients) await client.dispose();
    await server?.stop();
  });

  describe('over HTTP', () => {
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: health`).join(' ')} }`;
    const page = (first: number) =>
      `{ contexts(first: ${first}, filter: { sourceAgentIds: ["${listener.id}"] }) { edges { node { id } } } }`;
    const padded = (ids: number) =>
      `{ contexts(first: 1, filter: { sourceAgentIds: [${Array.from({ length: ids }, (_, i) => `"${listener.id}-${i}"`).join(' ')}] }) { edges { node { id } } } }`;

    it(`answers ${LIMITS.aliases} aliases and refuses ${LIMITS.aliases + 1}`, async () => {
      expect(Object.keys(ok(await server.gql(server.adminKey, aliases(LIMITS.aliases))))).toHaveLength(LIMITS.aliases);
      const refused = await server.gql(server.adminKey, aliases(LIMITS.aliases + 1));
      expect(failed(refused, 'QUERY_TOO_COMPLEX').message).toMatch(/alias/i);
      expect(refused.data ?? null).toBeNull();
    });

    it(`answers a query costing just under ${LIMITS.cost} and refuses the next size up`, async () => {
      const first = largestWithin(pageCost, LIMITS.cost);
      expect(pageCost(first + 1)).toBeGreaterThan(LIMITS.cost);
      ok(await server.gql(server.adminKey, page(first)));
      const refused = await server.gql(server.adminKey, page(first + 1));
      expect(failed(refused, 'QUERY_TOO_COMPLEX').message).toMatch(/cost/i);
    });

    it(`answers a document of exactly ${LIMITS.tokens} tokens and refuses ${LIMITS.tokens + 1}`, async () => {
      const base = tokenCount(padded(0));
      const atLimit = padded(LIMITS.tokens - base);
      expect(tokenCount(atLimit)).toBe(LIMITS.tokens);
      ok(await server.gql(server.adminKey, atLimit));
      const over = padded(LIMITS.tokens - base + 1);
      expect(tokenCount(over)).toBe(LIMITS.tokens + 1);
      const refused = await server.gql(server.adminKey, over);
      expect(failed(refused, 'QUERY_TOO_COMPLEX').message).toMatch(/token/i);
    });
  });

  describe('over WebSocket', () => {
    type Outcome = { data: unknown } | { errors: { message: string; extensions?: { code?: string } }[] };

    /** The first thing a subscription answers: data (accepted) or errors (refused). */
    const firstOutcome = (query: string, variables: Record<string, unknown>, afterSubscribe?: () => Promise<void>) => {
      const client = createClient({
        url: server.wsUrl,
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        connectionParams: { authorization: `Bearer ${listener.apiKey}` },
      });
      clients.push(client);
      return new Promise<Outcome>((resolve, reject) => {
        const stop = client.subscribe(
          { query, variables },
          {
            next: (value) => {
              stop();
              resolve(value.errors ? { errors: value.errors as never } : { data: value.data });
            },
            error: (error) => resolve({ errors: (Array.isArray(error) ? error : [error]) as never }),
            complete: () => undefined,
          },
        );
        afterSubscribe?.().catch(reject);
      });
    };
    const expectAccepted = (outcome: Outcome) => expect('data' in outcome ? null : outcome.errors).toBeNull();
    const expectTooComplex = (outcome: Outcome, about: RegExp) => {
      expect('errors' in outcome, JSON.stringify(outcome)).toBe(true);
      const [error] = 'errors' in outcome ? outcome.errors : [];
      expect(error?.extensions?.code, JSON.stringify(outcome)).toBe('QUERY_TOO_COMPLEX');
      expect(error?.message).toMatch(about);
    };

    const broadcast = (selection: string) =>
      `subscription($agentId: ID!) { contextBroadcast(agentId: $agentId, afterSeq: 0) { ${selection} } }`;

    it(`accepts ${LIMITS.aliases} aliases and refuses ${LIMITS.aliases + 1}`, async () => {
      const aliases = (n: number) => Array.from({ length: n }, (_, i) => `s${i}: seq`).join(' ');
      expectAccepted(await firstOutcome(broadcast(aliases(LIMITS.aliases)), { agentId: listener.id }));
      expectTooComplex(await firstOutcome(broadcast(aliases(LIMITS.aliases + 1)), { agentId: listener.id }), /alias/i);
    });

    it(`accepts a subscription costing just under ${LIMITS.cost} and refuses the next size up`, async () => {
      const scalars = largestWithin(broadcastCost, LIMITS.cost);
      const fields = (n: number) => Array.from({ length: n }, () => 'seq').join(' ');
      expectAccepted(await firstOutcome(broadcast(fields(scalars)), { agentId: listener.id }));
      expectTooComplex(await firstOutcome(broadcast(fields(scalars + 1)), { agentId: listener.id }), /cost/i);
    });

    it(`accepts a document of exactly ${LIMITS.tokens} tokens and refuses ${LIMITS.tokens + 1}`, async () => {
      // contextPublished is live only: publish matching contexts until the subscription yields one.
      const published = (tags: number) =>
        `subscription { contextPublished(filter: { tags: [${Array.from({ length: tags }, (_, i) => `"${i === 0 ? tag() : `${tag()}-${i}`}"`).join(' ')}] }) { seq } }`;
      const base = tokenCount(published(0));
      const atLimit = published(LIMITS.tokens - base);
      expect(tokenCount(atLimit)).toBe(LIMITS.tokens);
      let answered = false;
      const keepPublishing = async () => {
        const author = await server.registerAgent({ id: `${server.ns}-token-author` });
        for (let attempt = 0; attempt < 50 && !answered; attempt += 1) {
          await publish(server, author.apiKey, { type: 'FINDING', text: `token probe ${attempt}`, tags: [tag()] });
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      };
      const outcome = await firstOutcome(atLimit, {}, keepPublishing);
      answered = true;
      expectAccepted(outcome);
      const over = published(LIMITS.tokens - base + 1);
      expect(tokenCount(over)).toBe(LIMITS.tokens + 1);
      expectTooComplex(await firstOutcome(over, {}), /token/i);
    });
  });
});
