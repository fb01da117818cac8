import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { resolvers } from '../../resolvers/index.js';

/** The SDL folder, found from this file both in src/ (tsx) and in dist/src/ (compiled). */
export function schemaDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const candidate of [path.resolve(here, '../../schema'), path.resolve(here, '../../../schema')]) {
    try {
      if (readdirSync(candidate).some((file) => file.endsWith('.graphql'))) return candidate;
    } catch {
      // try the next candidate
    }
  }
  throw new Error('schema/ folder with .graphql files not found');
}

export function loadTypeDefs(): string[] {
  const dir = schemaDir();
  return readdirSync(dir)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => readFileSync(path.join(dir, file), 'utf8'));
}

export function buildSchema(): GraphQLSchema {
  // Generated resolver types are stricter than graphql-tools' IResolvers; the shapes are the same.
  return makeExecutableSchema({ typeDefs: loadTypeDefs(), resolvers: resolvers as Record<string, object> });
}
