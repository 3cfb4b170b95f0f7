/**
 * The construct's API compiles with jsii (the compiler behind cdktf's other languages) with zero
 * errors. It runs on a copy of the sources, so its output never races the package build.
 */
import { execFileSync } from 'child_process';
import { cpSync, mkdtempSync, readFileSync, symlinkSync } from 'fs';
import * as os from 'os';
import * as path from 'path';

const repo = path.resolve(__dirname, '..', '..');

describe('jsii', () => {
  it('compiles the public API with zero errors and exports the construct, its props and the rollout variable', () => {
    const work = mkdtempSync(path.join(os.tmpdir(), 'model-edge-jsii-'));
    for (const entry of ['package.json', 'tsconfig.jsii.json', 'README.md', 'LICENSE', 'lib', 'worker']) cpSync(path.join(repo, entry), path.join(work, entry), { recursive: true });
    symlinkSync(path.join(repo, 'node_modules'), path.join(work, 'node_modules'));
    let output = '';
    try {
      output = execFileSync(process.execPath, [path.join(repo, 'node_modules/jsii/bin/jsii'), '--silence-warnings=reserved-word'], { cwd: work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string };
      throw new Error(`jsii failed:\n${err.stdout ?? ''}${err.stderr ?? ''}`);
    }
    expect(output).not.toMatch(/error JSII/);
    const assembly = JSON.parse(readFileSync(path.join(work, '.jsii'), 'utf8'));
    expect(Object.keys(assembly.types)).toEqual(expect.arrayContaining(['model-edge.ModelEdgeDeployment', 'model-edge.ModelEdgeDeploymentConfig', 'model-edge.RolloutPercentage', 'model-edge.ModelEdgeStack']));
  }, 120_000);
});
