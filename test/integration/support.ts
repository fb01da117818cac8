import { expect } from 'vitest';
import type { GraphQLResponse, TestServer } from '../support/harness.js';

/** Shared GraphQL documents and helpers for the integration tests (not a test file itself). */

export const CONTEXT_FIELDS = `id type text content tags priority status version tokens seq updatedAt retractionReason visibleTo
  metadata { sourceAgent { id } timestamp confidence dependencies expiration }`;

export interface Ctx {
  id: string;
  type: string;
  text: string;
  content: unknown;
  tags: string[];
  priority: string;
  status: string;
  version: number;
  tokens: number;
  seq: number;
  updatedAt: string;
  retractionReason: string | null;
  visibleTo: string[] | null;
  metadata: { sourceAgent: { id: string }; timestamp: string; confidence: number; dependencies: string[]; expiration: string | null };
}

export interface Version {
  version: number;
  seq: number;
  at: string;
  changedBy: string;
  text: string;
  content: unknown;
  tags: string[];
  status: string;
  dependencies: string[];
}

export const VERSION_FIELDS = 'version seq at changedBy text content tags status dependencies';

export const PUBLISH = `mutation($input: PublishContextInput!, $key: String) {
  publishContext(input: $input, idempotencyKey: $key) { ${CONTEXT_FIELDS} } }`;
export const PUBLISH_MANY = `mutation($inputs: [PublishContextInput!]!, $key: String) {
  publishContexts(inputs: $inputs, idempotencyKey: $key) { ${CONTEXT_FIELDS} } }`;
export const UPDATE = `mutation($id: ID!, $v: Int!, $patch: ContextPatch!, $key: String) {
  updateContext(id: $id, expectedVersion: $v, patch: $patch, idempotencyKey: $key) { ${CONTEXT_FIELDS} } }`;
export const RETRACT = `mutation($id: ID!, $reason: String!, $key: String) {
  retractContext(id: $id, reason: $reason, idempotencyKey: $key) { ${CONTEXT_FIELDS} } }`;
export const GET = `query($id: ID!, $asOf: Int) { context(id: $id, asOf: $asOf) { ${CONTEXT_FIELDS} } }`;
export const GET_WITH_HISTORY = `query($id: ID!) { context(id: $id) { ${CONTEXT_FIELDS} history { ${VERSION_FIELDS} } } }`;
export const LIST_IDS = `query($filter: ContextFilter, $first: Int, $after: String) {
  contexts(filter: $filter, first: $first, after: $after) { edges { cursor node { id seq status } } pageInfo { hasNextPage endCursor } } }`;

export interface ListIds {
  contexts: {
    edges: { cursor: string; node: { id: string; seq: number; status: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

/** The data of a response that must have succeeded (fails the test with the errors otherwise). */
export function ok<T>(response: GraphQLResponse<T>): T {
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  expect(response.data).toBeTruthy();
  return response.data as T;
}

/** The first error of a response that must have failed; checks its code. */
export function failed(response: GraphQLResponse<unknown>, code: string): { message: string; extensions: Record<string, unknown> } {
  expect(response.errors, `expected ${code}, got data ${JSON.stringify(response.data)}`).toBeDefined();
  const [error] = response.errors ?? [];
  expect(error?.extensions?.code, JSON.stringify(response.errors)).toBe(code);
  return { message: error?.message ?? '', extensions: error?.extensions ?? {} };
}

export async function publish(server: TestServer, key: string, input: Record<string, unknown>, idempotencyKey?: string): Promise<Ctx> {
  const response = await server.gql<{ publishContext: Ctx }>(key, PUBLISH, { input, key: idempotencyKey ?? null });
  return ok(response).publishContext;
}

export async function publishMany(server: TestServer, key: string, inputs: Record<string, unknown>[]): Promise<Ctx[]> {
  const response = await server.gql<{ publishContexts: Ctx[] }>(key, PUBLISH_MANY, { inputs });
  return ok(response).publishContexts;
}

export async function getContext(server: TestServer, key: string, id: string, asOf?: number): Promise<Ctx | null> {
  const response = await server.gql<{ context: Ctx | null }>(key, GET, { id, asOf: asOf ?? null });
  return ok(response).context;
}

export async function getWithHistory(server: TestServer, key: string, id: string): Promise<(Ctx & { history: Version[] }) | null> {
  const response = await server.gql<{ context: (Ctx & { history: Version[] }) | null }>(key, GET_WITH_HISTORY, { id });
  return ok(response).context;
}

/** Every id listed by `contexts` for the filter, following cursors to the end. */
export async function listAllIds(server: TestServer, key: string, filter: Record<string, unknown>): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (let page = 0; page < 100; page += 1) {
    const response: GraphQLResponse<ListIds> = await server.gql<ListIds>(key, LIST_IDS, { filter, first: 100, after });
    const data: ListIds = ok(response);
    ids.push(...data.contexts.edges.map((edge) => edge.node.id));
    if (!data.contexts.pageInfo.hasNextPage) return ids;
    after = data.contexts.pageInfo.endCursor;
  }
  throw new Error('too many pages');
}

export const finding = (text: string, extra: Record<string, unknown> = {}) => ({ type: 'FINDING', text, ...extra });

/**
 * Three findings for the writer (explicitly relevant to it, same tag) and one the researcher keeps to itself: at a
 * budget of 100 tokens two fit and the third is summarised (the decision and effectiveness tests rely on that).
 */
export function orbitalTeapotFindings(id: (name: string) => string, writerId: string, researcherId: string): Record<string, unknown>[] {
  return [
    {
      id: id('launch'),
      type: 'FINDING',
      text: 'The orbital teapot spring campaign launches on April 2. The launch post goes out at nine in the morning on every channel. Pre-orders open the same day.',
      tags: ['orbital_teapot'],
      relevance: [{ agentId: writerId, score: 0.9 }],
    },
    {
      id: id('audience'),
      type: 'FINDING',
      text: 'Orbital teapot buyers are mostly tea lovers aged 30 to 50 who value design. They read long posts on the blog and short ones on social channels. They dislike hype.',
      tags: ['orbital_teapot'],
      relevance: [{ agentId: writerId, score: 0.9 }],
    },
    {
      id: id('pricing'),
      type: 'FINDING',
      text: 'The orbital teapot costs 89 euros at launch, 99 euros afterwards. The launch price holds for two weeks. Shipping is free inside the EU for the spring campaign.',
      tags: ['orbital_teapot'],
      relevance: [{ agentId: writerId, score: 0.9 }],
    },
    {
      id: id('secret'),
      type: 'FINDING',
      text: 'Confidential orbital teapot margin figures for the spring campaign.',
      tags: ['orbital_teapot'],
      visibleTo: [researcherId],
    },
  ];
}
