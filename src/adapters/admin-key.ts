import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The admin key when CONTEXT_MESH_ADMIN_KEY is unset: generated on first start and kept
 * in `<dataDir>/admin-key` (mode 0600) so restarts keep it. The key itself is never logged.
 */
export async function loadOrCreateAdminKey(dataDir: string): Promise<{ key: string; file: string; created: boolean }> {
  const file = path.join(dataDir, 'admin-key');
  try {
    const key = (await readFile(file, 'utf8')).trim();
    if (key.length >= 24) return { key, file, created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dataDir, { recursive: true });
  const key = `cm_admin_${randomBytes(32).toString('base64url')}`;
  // 'wx' fails if another process created it meanwhile; then read theirs.
  try {
    await writeFile(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
    return { key, file, created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return { key: (await readFile(file, 'utf8')).trim(), file, created: false };
  }
}
