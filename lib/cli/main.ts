#!/usr/bin/env node
/**
 * The `model-edge` command. Each command lives in its own module exporting `command`; adding one
 * is one line in COMMANDS. Modules load lazily so that `model-edge check` does not pay for cdktf.
 */
export interface CliCommand {
  /** one line for the help text */
  readonly summary: string;
  readonly usage: string;
  /** returns the process exit code */
  run(argv: string[]): Promise<number> | number;
}

const COMMANDS: Record<string, () => Promise<{ command: CliCommand }>> = {
  check: () => import('./check'),
  keygen: () => import('./keygen'),
  run: () => import('./run'),
  serve: () => import('./serve'),
};

async function help(): Promise<string> {
  const names = Object.keys(COMMANDS);
  const width = Math.max(...names.map((n) => n.length));
  const rows = await Promise.all(names.map(async (n) => `  ${n.padEnd(width)}  ${(await COMMANDS[n]()).command.summary}`));
  return ['Usage: model-edge <command> [options]', '', 'Commands:', ...rows, '', 'model-edge <command> --help shows its options.'].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(await help());
    return name ? 0 : 1;
  }
  const load = COMMANDS[name];
  if (!load) {
    console.error(`model-edge: unknown command "${name}"\n\n${await help()}`);
    return 1;
  }
  const { command } = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`${command.summary}\n\nUsage: ${command.usage}`);
    return 0;
  }
  return command.run(rest);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      console.error(`model-edge: ${e instanceof Error ? e.message : String(e)}`);
      process.exitCode = 1;
    },
  );
}
