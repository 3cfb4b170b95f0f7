/** Builds land in a project-local cache that keeps itself out of git, never in a machine-wide folder. */
import { existsSync, mkdtempSync, readFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildWorkerBundle, defaultBuildDir } from '../../lib/model-build';

describe('build cache', () => {
  it('defaults to .model-edge/cache in the working directory', () => expect(defaultBuildDir()).toBe(path.join(process.cwd(), '.model-edge', 'cache')));
  it('ignores itself in git', () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'model-edge-cache-')), '.model-edge', 'cache');
    const bundle = buildWorkerBundle(dir);
    expect(bundle.modules.every((m) => existsSync(m.path))).toBe(true);
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toMatch(/^\*$/m);
  });
});
