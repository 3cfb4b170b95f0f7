/**
 * The published package: `npm pack` (which builds through `prepack`), unpack the tarball into a
 * scratch cdktf app in a temporary folder, type-check the app against the package's declarations,
 * and synthesize a stack from `import { ModelEdgeDeployment } from 'model-edge'`.
 *
 * Offline, `npm install <tarball> --offline` cannot resolve every transitive dependency from the
 * npm cache, so the scratch app gets the tarball unpacked as node_modules/model-edge and its other
 * dependencies and peers linked from this repository's node_modules (the versions the package pins).
 */
import { execFileSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeTinyModel } from '../construct/fixtures/tiny-model';

const repo = path.resolve(__dirname, '..', '..');
const run = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CHECKPOINT_DISABLE: '1', npm_config_offline: 'true' } });

const APP = `
import { App, TerraformStack, TerraformOutput } from 'cdktf';
import { CloudflareProvider } from '@cdktf/provider-cloudflare/lib/provider';
import { ModelEdgeDeployment, ModelEdgeDeploymentConfig } from 'model-edge';

const app = new App({ outdir: 'cdktf.out' });
const stack = new TerraformStack(app, 'scratch');
new CloudflareProvider(stack, 'cloudflare', {});
const config: ModelEdgeDeploymentConfig = {
  modelName: 'tiny',
  accountId: '0123456789abcdef0123456789abcdef',
  zoneName: 'example.com',
  versions: [{ label: 'v1', modelPath: 'model.onnx' }],
  routes: ['ml.example.com/tiny/*'],
};
const tiny = new ModelEdgeDeployment(stack, 'tiny', config);
new TerraformOutput(stack, 'tiny_worker', { value: tiny.workerName });
app.synth();
`;

describe('npm package', () => {
  let appDir: string;
  let tarball: string;

  beforeAll(() => {
    const work = mkdtempSync(path.join(os.tmpdir(), 'model-edge-pack-'));
    const out = run('npm', ['pack', '--pack-destination', work, '--silent'], repo).trim().split('\n').pop() as string;
    tarball = path.join(work, out);
    appDir = path.join(work, 'app');
    const modules = path.join(appDir, 'node_modules');
    mkdirSync(path.join(modules, 'model-edge'), { recursive: true });
    run('tar', ['-xzf', tarball, '-C', path.join(modules, 'model-edge'), '--strip-components=1'], work);
    for (const name of readdirSync(path.join(repo, 'node_modules'))) {
      if (name === 'model-edge' || name === '.bin' || name.startsWith('.')) continue;
      symlinkSync(path.join(repo, 'node_modules', name), path.join(modules, name));
    }
    writeFileSync(path.join(appDir, 'package.json'), JSON.stringify({ name: 'scratch', private: true, dependencies: { 'model-edge': `file:${tarball}` } }));
    writeFileSync(path.join(appDir, 'main.ts'), APP);
    writeFileSync(path.join(appDir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, esModuleInterop: true, skipLibCheck: true, types: [] }, files: ['main.ts'] }));
    writeTinyModel(appDir, 'model.onnx');
  }, 180_000);

  it('ships declarations, the Worker sources and the kernels, but no tests', () => {
    const files = run('tar', ['-tzf', tarball], repo).split('\n');
    expect(files).toEqual(expect.arrayContaining(['package/dist/lib/index.js', 'package/dist/lib/index.d.ts', 'package/worker/index.ts', 'package/worker/wasm/kernels.wasm']));
    expect(files.filter((f) => f.includes('__tests__') || f.endsWith('.onnx'))).toEqual([]);
    const declarations = readFileSync(path.join(appDir, 'node_modules/model-edge/dist/lib/deployment-config.d.ts'), 'utf8');
    expect(declarations).toMatch(/@default 'free'/); // doc comments survive into the declarations
  });

  it('type-checks a consumer app against the declarations and synthesizes its stack', () => {
    run(process.execPath, [path.join(repo, 'node_modules/typescript/bin/tsc'), '-p', '.'], appDir);
    run(process.execPath, ['main.js'], appDir);
    const stackDir = path.join(appDir, 'cdktf.out/stacks/scratch');
    const json = JSON.parse(readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
    expect(Object.values<any>(json.resource.cloudflare_worker)[0].name).toBe('model-edge-tiny');
    const version = Object.values<any>(json.resource.cloudflare_worker_version)[0];
    expect(version.modules.map((m: any) => m.name)).toEqual(['worker.js', 'model.bin', 'kernels.wasm']);
    for (const m of version.modules) expect(existsSync(path.join(stackDir, m.content_file))).toBe(true);
    expect(Object.values<any>(json.resource.cloudflare_workers_route)[0].pattern).toBe('ml.example.com/tiny/*');
    expect(json.output.tiny_version_v1_model_sha256.value).toMatch(/^[0-9a-f]{64}$/);
  }, 120_000);
});
