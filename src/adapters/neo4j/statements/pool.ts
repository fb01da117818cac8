import { cypher } from '../cypher.js';
import { statement } from './fragments.js';
import { ROUTABLE } from './routing.js';

/**
 * The whole pool an agent could have been handed instead of a package: the tokens of every context it may route
 * now (meshStats `tokensSavedByFiltering`). A scan of the readable contexts, so it runs off the request path, when
 * the package log writes a batch, and its result is cached per agent and workflow (src/app/history/pool-tokens.ts).
 */
export const POOL_TOKENS = statement(
  'poolTokens',
  cypher`MATCH (c:Context) WHERE ${ROUTABLE('c')}
   RETURN coalesce(sum(c.tokens), 0) AS tokens, count(c) AS contexts`,
);
