/**
 * What a new user does: `git clone` into an empty folder, `npm install` with no environment
 * variables, then `npx model-edge check ...`. The install must not try to download onnxruntime-node's
 * binaries (the project's .npmrc skips that), must build dist/ (`prepare`) so that the package's bin
 * exists, and npx must find it with an exec cache that has never seen the project.
 *
 * The clone is of the committed tree (HEAD); npm's package cache makes the install take about half
 * a minute without fetching anything it already has.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const repo = path.resolve(__dirname, '..', '..');

/** The environment of a user's shell: nothing from npm's own script runner, no install switches. */
function userEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) || key === 'ONNXRUNTIME_NODE_INSTALL' || key === 'INIT_CWD') continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

describe('a fresh clone', () => {
  let work: string;
  let clone: string;
  let install: ReturnType<typeof spawnSync>;

  beforeAll(() => {
    work = mkdtempSync(path.join(os.tmpdir(), 'model-edge-clone-'));
    clone = path.join(work, 'model-edge');
    execFileSync('git', ['clone', '--quiet', repo, clone]);
    install = spawnSync('npm', ['install', '--prefer-offline'], { cwd: clone, env: userEnvironment({}), encoding: 'utf8', timeout: 480_000 });
  }, 500_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('keeps onnxruntime-node from downloading binaries, in the project config every npm reads', () => {
    const npmrc = readFileSync(path.join(repo, '.npmrc'), 'utf8').split('\n').map((l) => l.trim());
    expect(npmrc).toContain('onnxruntime-node-install=skip');
  });

  it('installs with a plain `npm install`, and the install builds the command-line tool', () => {
    expect({ status: install.status, stderr: install.status === 0 ? '' : String(install.stderr).slice(-2000) }).toEqual({ status: 0, stderr: '' });
    expect(String(install.stderr)).not.toMatch(/ENOTFOUND|getaddrinfo/);
    expect(existsSync(path.join(clone, 'dist/lib/cli/main.js'))).toBe(true);
    // npx links the bin once per project path and only then marks it executable; a later build
    // (a new clone at the same path, `npm run build`) must leave an executable file behind itself.
    expect(statSync(path.join(clone, 'dist/lib/cli/main.js')).mode & 0o111).toBe(0o111);
  });

  it('answers `npx model-edge check models/iris/model.onnx` with an exec cache that has never seen the project', () => {
    const cache = path.join(work, 'npm-cache');
    const check = spawnSync('npx', ['model-edge', 'check', 'models/iris/model.onnx'], {
      cwd: clone,
      env: userEnvironment({ npm_config_cache: cache, npm_config_offline: 'true' }),
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect({ status: check.status, stderr: check.status === 0 ? '' : check.stderr }).toEqual({ status: 0, stderr: '' });
    expect(check.stdout).toMatch(/ai\.onnx\.ml\.TreeEnsembleClassifier\s+1\s+supported/);
    expect(check.stdout).toMatch(/Workers size limit: fits the Free plan/);
  });
});
