#!/usr/bin/env node
/**
 * `npm start`: synthesizes the stack for models/ (`cdktf synth`), then serves the synthesized
 * Worker code, model artifacts and MODEL_CONFIG bindings from cdktf.out in one local workerd.
 *
 *   npm start                 # port 8787
 *   PORT=9000 npm start
 *   SKIP_SYNTH=1 npm start    # serve what cdktf.out already holds
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const env = { ...process.env, CHECKPOINT_DISABLE: '1' };
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

function run(title, command, args) {
  console.log(`> ${title}`);
  const result = spawnSync(command, args, { cwd: root, env, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`\n${title} failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status || 1);
  }
}

// The example models are produced by a script; make them on first start.
const modelsDir = path.join(root, 'models');
const missingModels = existsSync(modelsDir) && readdirSync(modelsDir, { withFileTypes: true }).some(
  (d) => d.isDirectory() && existsSync(path.join(modelsDir, d.name, 'deployment.json')) && !readdirSync(path.join(modelsDir, d.name)).some((f) => f.endsWith('.onnx')),
);
if (missingModels && existsSync(path.join(modelsDir, 'train.ts'))) run('npm run models (the example .onnx files are missing)', 'npm', ['run', 'models']);

if (!process.env.SKIP_SYNTH) run('cdktf synth', npx, ['cdktf', 'synth']);

require('ts-node').register({ transpileOnly: true, project: path.join(root, 'tsconfig.json') });
const { artifactIo, readSynthesizedStacks } = require(path.join(root, 'lib/local/synthesized.ts'));
const { startLocalServer } = require(path.join(root, 'lib/local/local-server.ts'));
const { describeServed, formatLogLine, untilInterrupted } = require(path.join(root, 'lib/cli/serve.ts'));
const { tensorSpec } = require(path.join(root, 'lib/model-compiler/signature.ts'));

async function main() {
  const stacks = readSynthesizedStacks(path.join(root, 'cdktf.out'));
  const stack = stacks.find((s) => s.models.length > 0);
  if (!stack) {
    console.error('The synthesized stacks hold no Worker versions to serve.');
    return 1;
  }
  console.log(`\nTerraform JSON: ${path.relative(process.cwd(), stack.terraformJson)}`);
  if (stacks.length > 1) console.log(`(serving stack "${stack.stack}" of ${stacks.map((s) => s.stack).join(', ')})`);

  const server = await startLocalServer({
    models: stack.models,
    workerCode: stack.models[0].workerCode,
    kernelsWasm: stack.models[0].kernelsWasm,
    port: process.env.PORT ? Number(process.env.PORT) : 8787,
    onLine: (line) => console.log(formatLogLine(line)),
  });
  console.log(`\nServing ${stack.models.length} model(s) from the synthesized artifacts at ${server.url} (Ctrl-C to stop)`);
  // The example requests follow each artifact's own signature.
  const served = stack.models.map((m) => {
    const io = artifactIo(m.artifact);
    return { ...m, compiled: { signature: { inputs: io.inputs.map(tensorSpec), outputs: io.outputs.map(tensorSpec) } } };
  });
  for (const line of describeServed(server.url, served)) console.log(line);
  for (const note of stack.notes) console.log(`note: ${note}`);
  return untilInterrupted(server);
}

main().then(
  (code) => (process.exitCode = code),
  (e) => {
    console.error(`npm start: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  },
);
