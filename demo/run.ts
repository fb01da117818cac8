import { createDraftWriter } from './draft-writer.js';
import { startDemoService } from './service.js';
import { playStory } from './story.js';

/**
 * `npm run demo` (docs/demo.md): a research → writing → review workflow through the real service, with scripted
 * agents. Starts a fresh mesh (or uses DEMO_URL), plays the story, prints each step, and stops the mesh.
 */
async function main(): Promise<void> {
  const startedAt = Date.now();
  console.log('Context Mesh demo: starting a fresh mesh (embedded Neo4j, local embedding model)…');
  const service = await startDemoService(process.env);
  console.log(`Mesh ready at ${service.url} after ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  let failed = false;
  try {
    await playStory({ url: service.url, adminKey: service.adminKey, suffix: service.suffix, draftWriter: createDraftWriter(service.llm) });
    console.log(`\nDone in ${((Date.now() - startedAt) / 1000).toFixed(1)} s.`);
  } catch (error) {
    failed = true;
    console.error(`\nThe demo stopped: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await service.stop();
  }
  process.exit(failed ? 1 : 0);
}

void main();
