/**
 * The published package, adopted the README's way: `npm pack` (which builds through `prepack`), a
 * fresh consumer folder, the README's own install lines with `model-edge` replaced by the tarball
 * (the other packages come from the npm registry, through the local npm cache when it has them),
 * the README's cdktf.json and main.ts, type-checked under the tsconfig `cdktf init` generates, then
 * `npx cdktf synth` of the two environments the sample declares.
 */
import { execFileSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeTinyModel } from '../construct/fixtures/tiny-model';

const repo = path.resolve(__dirname, '..', '..');
const env = { ...process.env, CHECKPOINT_DISABLE: '1', CLOUDFLARE_ACCOUNT_ID: '0123456789abcdef0123456789abcdef' };
const run = (cmd: string, args: string[], cwd: string) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env, maxBuffer: 64 * 1024 * 1024 });

/** The fenced blocks of the README's adoption section, by language. */
function adoptionSection(): { install: string[]; cdktfJson: string; mainTs: string } {
  const readme = readFileSync(path.join(repo, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Using the construct in your own stack'), readme.indexOf('#### Your own code around inference'));
  const blocks = [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1], text: m[2] }));
  const sh = blocks.find((b) => b.lang === 'sh' && b.text.includes('npm install'));
  return {
    install: (sh?.text ?? '').split('\n').filter((l) => l.startsWith('npm install')),
    cdktfJson: blocks.find((b) => b.lang === 'json')?.text ?? '',
    mainTs: blocks.find((b) => b.lang === 'ts')?.text ?? '',
  };
}

/** A second consumer file: the compiler subpath and the hooks types must resolve under cdktf's tsconfig. */
const SUBPATHS = `
import { checkModel } from 'model-edge/compiler';
import type { EdgeHooks } from 'model-edge/hooks';
const hooks: EdgeHooks = { afterInference: (answer) => answer };
export const checked = typeof checkModel === 'function' && hooks !== undefined;
`;

describe('npm package, adopted as the README says', () => {
  let tarball: string;
  let app: string;

  beforeAll(() => {
    const work = mkdtempSync(path.join(os.tmpdir(), 'model-edge-pack-'));
    const out = run('npm', ['pack', '--pack-destination', work, '--silent'], repo).trim().split('\n').pop() as string;
    tarball = path.join(work, out);
    app = path.join(work, 'consumer');
    mkdirSync(app);
    writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    const { install, cdktfJson, mainTs } = adoptionSection();
    expect(install.length).toBeGreaterThan(0);
    for (const line of install) {
      const args = line.split(/\s+/).slice(1).map((a) => (a === 'model-edge' ? tarball : a));
      run('npm', [...args, '--prefer-offline', '--no-audit', '--no-fund'], app);
    }
    writeFileSync(path.join(app, 'cdktf.json'), cdktfJson);
    writeFileSync(path.join(app, 'main.ts'), mainTs);
    writeFileSync(path.join(app, 'subpaths.ts'), SUBPATHS);
    writeFileSync(path.join(app, 'tsconfig.json'), readFileSync(path.join(app, 'node_modules/cdktf-cli/bundle/templates/typescript/tsconfig.json')));
    writeTinyModel(path.join(app, 'models'), 'iris.onnx', 1);
    writeTinyModel(path.join(app, 'models'), 'iris-v2.onnx', 2);
  }, 600_000);

  it('ships the prebuilt Worker, the kernels, the jsii assembly, LICENSE and the linked docs, but no tests', () => {
    const files = run('tar', ['-tzf', tarball], repo).split('\n');
    expect(files).toEqual(expect.arrayContaining([
      'package/dist/lib/index.d.ts', 'package/dist/bundle/worker.js', 'package/worker/wasm/kernels.wasm', 'package/.jsii',
      'package/LICENSE', 'package/SECURITY.md', 'package/docs/deployment-settings.md', 'package/docs/artifact-format.md', 'package/docs/operators.md',
    ]));
    expect(files.filter((f) => f.includes('__tests__') || f.endsWith('.onnx'))).toEqual([]);
    const readme = readFileSync(path.join(app, 'node_modules/model-edge/README.md'), 'utf8');
    for (const [, link] of readme.matchAll(/\]\(((?:docs\/|SECURITY)[^)#]+)/g)) expect([link, existsSync(path.join(app, 'node_modules/model-edge', link))]).toEqual([link, true]);
    expect(readFileSync(path.join(app, 'node_modules/model-edge/LICENSE'), 'utf8')).toMatch(/Apache License\s+Version 2\.0/);
  });

  it('needs neither workerd nor esbuild', () => {
    const pkg = JSON.parse(readFileSync(path.join(app, 'node_modules/model-edge/package.json'), 'utf8'));
    expect(Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies })).not.toEqual(expect.arrayContaining(['workerd']));
    expect(Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies })).not.toEqual(expect.arrayContaining(['esbuild']));
    expect(existsSync(path.join(app, 'node_modules/workerd'))).toBe(false);
  });

  it('compiles the README sample and the subpath imports under cdktf init\'s tsconfig', () => {
    run(process.execPath, [path.join(app, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', '.'], app);
  });

  it('synthesizes two environments that share no Worker name and no output', () => {
    const log = run('npx', ['cdktf', 'synth'], app);
    expect(log).toMatch(/staging: model-edge-iris-staging/);
    const stacks = ['ml-staging', 'ml-production'].map((s) => JSON.parse(readFileSync(path.join(app, 'cdktf.out/stacks', s, 'cdk.tf.json'), 'utf8')));
    const workers = stacks.map((j) => Object.values<any>(j.resource.cloudflare_worker)[0].name);
    expect(workers).toEqual(['model-edge-iris-staging', 'model-edge-iris-production']);
    const urls = stacks.map((j) => j.output.iris_endpoint_urls.value);
    expect(urls).toEqual([['https://api-staging.example.com/models/iris/'], ['https://api.example.com/models/iris/']]);
    // The canary share is the workspace variable, checked by its validation block.
    const deployment = Object.values<any>(stacks[0].resource.cloudflare_workers_deployment)[0];
    expect(deployment.versions[1].percentage).toBe('${var.iris_canary_percentage}');
    expect(stacks[0].variable.iris_canary_percentage.validation).toHaveLength(1);
    // The uploaded Worker is the prebuilt bundle shipped in the package (no bundling at synth).
    const version = Object.values<any>(stacks[0].resource.cloudflare_worker_version)[0];
    const shipped = readFileSync(path.join(app, 'node_modules/model-edge/dist/bundle/worker.js'));
    const uploaded = readFileSync(path.join(app, 'cdktf.out/stacks/ml-staging', version.modules[0].content_file));
    expect(uploaded.equals(shipped)).toBe(true);
  }, 180_000);
});
