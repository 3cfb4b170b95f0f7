/**
 * The runtime boundary: worker/ runs at the edge and never imports Node built-ins or lib/ (the
 * synth-time side). esbuild would bundle such an import or fail late; this catches it at once.
 */
import { readdirSync, readFileSync, statSync } from 'fs';
import { builtinModules } from 'module';
import * as path from 'path';

const workerDir = path.join(__dirname, '..', '..', 'worker');
const sources = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sources(full);
    return /\.ts$/.test(name) && !/\.as\.ts$/.test(name) ? [full] : [];
  });
const importsOf = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (m) => m[1] ?? m[2] ?? m[3],
  );

describe('worker/ runtime boundary', () => {
  const files = sources(workerDir);
  const node = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

  it('finds the Worker sources', () => expect(files.length).toBeGreaterThan(20));

  it('imports no Node built-in module', () => {
    const offending = files.flatMap((f) => importsOf(f).filter((i) => node.has(i)).map((i) => `${path.relative(workerDir, f)}: ${i}`));
    expect(offending).toEqual([]);
  });

  it('imports nothing from lib/ (the synth-time side)', () => {
    const offending = files.flatMap((f) =>
      importsOf(f)
        .filter((i) => i.startsWith('.') && !path.resolve(path.dirname(f), i).startsWith(workerDir + path.sep))
        .map((i) => `${path.relative(workerDir, f)}: ${i}`),
    );
    expect(offending).toEqual([]);
  });

  it('uses no Node globals', () => {
    const offending = files.filter((f) => /\b(Buffer\.|process\.|__dirname|__filename)/.test(readFileSync(f, 'utf8').replace(/\/\/.*|\/\*[\s\S]*?\*\//g, '')));
    expect(offending.map((f) => path.relative(workerDir, f))).toEqual([]);
  });
});
