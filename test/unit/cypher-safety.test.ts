import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_TRAVERSAL_DEPTH, alias, cypher, pathBound } from '../../src/adapters/neo4j/cypher.js';
import * as agents from '../../src/adapters/neo4j/statements/agents.js';
import * as contextPage from '../../src/adapters/neo4j/statements/context-page.js';
import * as contexts from '../../src/adapters/neo4j/statements/contexts.js';
import { traversal } from '../../src/adapters/neo4j/statements/contexts.js';
import * as deliveries from '../../src/adapters/neo4j/statements/deliveries.js';
import * as events from '../../src/adapters/neo4j/statements/events.js';
import * as history from '../../src/adapters/neo4j/statements/history.js';
import * as idempotencyKeys from '../../src/adapters/neo4j/statements/idempotency-keys.js';
import * as routing from '../../src/adapters/neo4j/statements/routing.js';
import * as snapshots from '../../src/adapters/neo4j/statements/snapshots.js';
import * as workflows from '../../src/adapters/neo4j/statements/workflows.js';

const statements = {
  ...agents,
  ...contextPage,
  ...contexts,
  ...deliveries,
  ...events,
  ...history,
  ...idempotencyKeys,
  ...routing,
  ...snapshots,
  ...workflows,
};
// Statements kept per scope (one workflow or the whole mesh), by scope.
const scopedStatements = [snapshots.DIFF_ROWS, snapshots.ROLLBACK_TARGETS].flatMap((byScope) => Object.values(byScope));

describe('Cypher safety', () => {
  it('accepts only integer traversal depths within bounds (the one non-parameter in our Cypher)', () => {
    expect(pathBound(3)).toBe('{1,3}');
    for (const bad of [0, -1, 1.5, MAX_TRAVERSAL_DEPTH + 1, Number.NaN, '3} DETACH DELETE n //' as unknown as number]) {
      expect(() => pathBound(bad)).toThrow(RangeError);
    }
    expect(() => traversal('OUTGOING', '1}]->(x) DETACH DELETE x //' as unknown as number)).toThrow(RangeError);
  });

  it('lets only Cypher fragments into Cypher text: a plain string does not type-check, an unknown alias throws', () => {
    const requestValue: string = 'x" }) DETACH DELETE n //';
    // The type check (npm run check, .ci/run) fails if this line ever compiles: values must be parameters.
    // @ts-expect-error a request value is a string, not a Cypher fragment
    void cypher`MATCH (c:Context { id: ${requestValue} })`;
    expect(cypher`MATCH (${alias('c')}:Context) WHERE ${alias('c')}.id = $id`).toBe('MATCH (c:Context) WHERE c.id = $id');
    expect(() => alias('c) DETACH DELETE c //' as never)).toThrow(RangeError);
  });

  it('keeps every named statement free of string-built values: values are $parameters', () => {
    const named = [...Object.values(statements), ...scopedStatements].filter(
      (value): value is { name: string; cypher: string } => typeof value === 'object' && value !== null && 'cypher' in value,
    );
    expect(named.length).toBeGreaterThan(20);
    for (const { name, cypher } of named) {
      // Quoted literals are allowed only for our own fixed vocabulary (statuses, counter name, candidate sources).
      const literals = cypher.match(/'[^']*'/g) ?? [];
      for (const literal of literals)
        expect(
          [
            ...[
              'ACTIVE',
              'EXPIRED',
              'SUPERSEDED',
              'RETRACTED',
              'event',
              'vector',
              'needs_vector',
              'fulltext',
              'topic',
              'explicit',
              'own',
              'graph',
              // a filtered index read that came back short (statements/routing.ts `filteredIndexHits`)
              'vector_short',
              'needs_vector_short',
              'fulltext_short',
            ],
            // valid time and the reasons `contexts { leftOut }` reports
            ...['VALID', 'NOT_YET_VALID', 'NO_LONGER_VALID', 'retracted', 'superseded', 'expired', 'notYetValid', 'noLongerValid'],
            // the JSON punctuation of a version's relevanceJson (RECORD_VERSIONS; the values come from the graph)
            ...['{"agentId":"', '","score":', ',"explicit":', '}', '[', ']', ',', ''],
          ],
          `${name}: ${literal}`,
        ).toContain(literal.slice(1, -1));
    }
  });

  it('imports neo4j-driver only inside src/adapters/neo4j', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (
          full.endsWith('.ts') &&
          /from 'neo4j-driver'/.test(readFileSync(full, 'utf8')) &&
          !full.includes(path.join('adapters', 'neo4j') + path.sep)
        ) {
          offenders.push(full);
        }
      }
    };
    walk('src');
    walk('resolvers');
    expect(offenders).toEqual([]);
  });
});
