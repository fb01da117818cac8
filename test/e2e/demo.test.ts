import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureNarration } from '../../demo/narrator.js';
import { createDraftWriter } from '../../demo/draft-writer.js';
import { playStory } from '../../demo/story.js';
import { startTestServer, type TestServer } from '../support/harness.js';

/**
 * `npm run demo`'s story (demo/story.ts) against the real service: every scene checks what it shows (a failed
 * completeStep with MISSING_REQUIRED_CONTEXT, a conflict escalated, the rollback and the replay) and throws otherwise.
 */
describe('npm run demo: the research → writing → review story', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server?.stop());

  it('plays every scene through the public API', async () => {
    const lines = captureNarration();
    await playStory({ url: server.url, adminKey: server.adminKey, suffix: `-${server.ns}`, draftWriter: createDraftWriter(null) });
    const text = lines.join('\n');
    expect(text).toContain('MISSING_REQUIRED_CONTEXT');
    expect(text).toContain('extensions.missing = ["confidence_scores"]');
    expect(text).toMatch(/market_growth: .* consensus reached/);
    expect(text).toMatch(/\[push to the reviewer\] conflict on "competitor_price" escalated/);
    expect(text).toMatch(/\[push to the writer, seq \d+\] CRITICAL/);
    expect(text).toMatch(/Rollback to "before the draft": [1-9]\d* contexts retracted/);
    expect(text).toContain('the correction is in, the false finding is not');
    expect(text).toMatch(/The writer starts its step and asks contextFor with no task: source PREFETCH/);
    expect(text).toMatch(/prefetch hit rate: [1-9]\d*%/);
  });
});
