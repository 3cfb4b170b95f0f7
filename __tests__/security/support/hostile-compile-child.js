/**
 * Runs one model file through the real entry points in a process of its own: `model-edge check`
 * (lib/cli/main), compileModelFile (as synth calls it) and `model-edge serve`'s compile step
 * (compileForServing, before it starts workerd). Prints, as the last line
 * of stdout, each one's exit code, time and output, and the process's peak RSS (getrusage's
 * ru_maxrss: the whole process, typed arrays included, which a worker thread cannot isolate).
 *   node hostile-compile-child.js <model.onnx>
 */
const path = require('path');

require('ts-node').register({ transpileOnly: true, compilerOptions: { module: 'commonjs' } });
const root = path.resolve(__dirname, '../../..');
const { main } = require(path.join(root, 'lib/cli/main'));
const { compileModelFile, ModelCompileError } = require(path.join(root, 'lib/compiler'));
const { compileForServing } = require(path.join(root, 'lib/cli/serve'));

const file = process.argv[2];

/** Runs `fn`, collecting what it prints. */
async function captured(fn) {
  const lines = [];
  const saved = [console.log, console.error];
  console.log = console.error = (...args) => lines.push(args.join(' '));
  const started = performance.now();
  try {
    const code = await fn();
    return { code, ms: performance.now() - started, output: lines.join('\n') };
  } finally {
    [console.log, console.error] = saved;
  }
}

/** 0 when `compile` succeeds, 1 with the message printed when it throws a ModelCompileError. */
function exitCodeOf(compile) {
  try {
    compile();
    console.log('compiled');
    return 0;
  } catch (e) {
    if (!(e instanceof ModelCompileError)) throw e;
    console.error(e.message);
    return 1;
  }
}

async function run() {
  const check = await captured(() => main(['check', file]));
  const compileFile = await captured(() => exitCodeOf(() => compileModelFile(file)));
  const serve = await captured(() => exitCodeOf(() => compileForServing([file], console.log)));
  return { check, compileFile, serve };
}

run().then(
  (result) => {
    const peakRssMB = process.resourceUsage().maxRSS / 1024;
    process.stdout.write(`\n${JSON.stringify({ ...result, peakRssMB })}\n`);
  },
  (e) => {
    console.error(`crashed: ${e && e.stack}`);
    process.exitCode = 3;
  },
);
