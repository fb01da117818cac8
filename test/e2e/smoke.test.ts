import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/harness.js';

describe('server smoke', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('answers an authenticated query', async () => {
    const result = await server.gql(server.adminKey, '{ health }');
    expect(result.data).toEqual({ health: 'ok' });
  });
});
