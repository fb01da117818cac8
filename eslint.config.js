// @ts-check
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const outside = (names, message) => ({ paths: names.map((name) => ({ name, message })), patterns: [{ group: ['@apollo/*'], message }] });

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'coverage/', '.data/', 'neo4j-local/', 'models/', 'resolvers/__generated__/'] },
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })] },
    rules: {
      'import-x/no-cycle': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'error',
    },
  },
  // Dependencies point inwards: the domain knows no GraphQL, driver, sockets or environment.
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        outside(
          ['graphql', 'neo4j-driver', 'dataloader', 'ws', 'graphql-ws', 'express', 'pino', 'openai'],
          'src/domain is pure: no I/O or framework imports',
        ),
      ],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'only src/config.ts reads the environment' }],
    },
  },
  {
    files: ['src/app/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        outside(['graphql', 'neo4j-driver', 'ws', 'graphql-ws', 'express'], 'use-cases know ports, not GraphQL or the driver'),
      ],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'only src/config.ts reads the environment' }],
    },
  },
  {
    files: ['resolvers/**/*.ts', 'src/graphql/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'neo4j-driver', message: 'resolvers call use-cases; only src/adapters/neo4j talks to the driver' }] },
      ],
    },
  },
  // The same direction by path, for our own modules (no-restricted-imports above covers packages).
  {
    files: ['src/**/*.ts'],
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './src/domain',
              from: './src',
              except: ['./domain'],
              message: 'src/domain imports nothing outside src/domain.',
            },
            { target: './src/domain', from: './resolvers', message: 'src/domain imports nothing outside src/domain.' },
            {
              target: './src/app',
              from: './src',
              except: ['./domain', './app'],
              message: 'src/app imports only src/domain (and itself).',
            },
            { target: './src/app', from: './resolvers', message: 'src/app imports only src/domain (and itself).' },
            {
              target: './src/adapters',
              from: ['./src/app', './src/graphql', './resolvers'],
              message: 'src/adapters implement domain ports; they never import src/app, src/graphql or resolvers.',
            },
          ],
        },
      ],
    },
  },
  // Long functions hide rules; past ~60 lines, split it or write the reason next to an eslint-disable.
  {
    files: ['src/**/*.ts', 'resolvers/*.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }] },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'demo/**/*.ts', 'eslint.config.js'],
    rules: { 'no-console': 'off' },
  },
);
