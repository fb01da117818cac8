import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The layer zones of eslint.config.js (`import-x/no-restricted-paths`), run through ESLint's Node API on
 * imports written for the purpose: the rule must fire on a wrong direction and stay quiet on a right one.
 * The files need not exist; the imported modules must (the rule resolves them).
 */
const projectDir = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: projectDir });

async function layerViolations(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${projectDir}${filePath}` });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'import-x/no-restricted-paths').map((m) => m.message);
}

describe('layer rules by path', () => {
  it('stops src/domain from importing src/app', async () => {
    const messages = await layerViolations(
      'src/domain/layer-probe.ts',
      "import { ContextService } from '../app/contexts.js';\nexport type Probe = ContextService;\n",
    );
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('src/domain imports nothing outside src/domain');
  });

  it('stops src/domain from importing the config or the adapters', async () => {
    const messages = await layerViolations(
      'src/domain/routing/layer-probe.ts',
      "import { loadConfig } from '../../config.js';\nimport { Neo4jExecutor } from '../../adapters/neo4j/executor.js';\nexport const probe = [loadConfig, Neo4jExecutor];\n",
    );
    expect(messages).toHaveLength(2);
  });

  it('stops src/adapters from importing src/app', async () => {
    const messages = await layerViolations(
      'src/adapters/neo4j/layer-probe.ts',
      "import { Authenticator } from '../../app/auth.js';\nexport const probe = Authenticator;\n",
    );
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('never import src/app, src/graphql or resolvers');
  });

  it('stops src/adapters from importing src/graphql', async () => {
    const messages = await layerViolations(
      'src/adapters/layer-probe.ts',
      "import { createFormatError } from '../graphql/errors.js';\nexport const probe = createFormatError;\n",
    );
    expect(messages).toHaveLength(1);
  });

  it('stops src/app from importing src/adapters or src/graphql', async () => {
    const messages = await layerViolations(
      'src/app/layer-probe.ts',
      "import { Neo4jExecutor } from '../adapters/neo4j/executor.js';\nimport { createFormatError } from '../graphql/errors.js';\nexport const probe = [Neo4jExecutor, createFormatError];\n",
    );
    expect(messages).toHaveLength(2);
    for (const message of messages) expect(message).toContain('src/app imports only src/domain');
  });

  it('lets each layer import inwards: app and adapters from the domain, app from itself', async () => {
    expect(
      await layerViolations(
        'src/app/layer-probe.ts',
        "import { canRead } from '../domain/visibility.js';\nimport { AgentDirectory } from './agent-directory.js';\nexport const probe = [canRead, AgentDirectory];\n",
      ),
    ).toEqual([]);
    expect(
      await layerViolations(
        'src/adapters/neo4j/layer-probe.ts',
        "import { canRead } from '../../domain/visibility.js';\nimport { cypher } from './cypher.js';\nexport const probe = [canRead, cypher];\n",
      ),
    ).toEqual([]);
    expect(
      await layerViolations('src/domain/layer-probe.ts', "import { canRead } from './visibility.js';\nexport const probe = canRead;\n"),
    ).toEqual([]);
  });
});
