/** Finding the .onnx files behind `serve` and `run` arguments, and the names they serve under. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { MODEL_NAME_PATTERN } from '../../worker/env';

export interface ModelFile {
  readonly name: string;
  readonly file: string;
}

/** `model.onnx` is named after its folder; any other file after itself. */
export function modelNameOf(file: string): string {
  const base = path.basename(file, '.onnx');
  return base === 'model' ? path.basename(path.dirname(path.resolve(file))) : base;
}

/**
 * Each argument is an .onnx file or a folder; a folder contributes every .onnx file in it (and in
 * its immediate subfolders, like models/<name>/model.onnx).
 */
export function findModelFiles(args: readonly string[]): ModelFile[] {
  const files: string[] = [];
  for (const arg of args) {
    if (!existsSync(arg)) throw new Error(`${arg} does not exist; pass an .onnx file or a folder of them`);
    if (statSync(arg).isFile()) {
      if (!arg.endsWith('.onnx')) throw new Error(`${arg} is not an .onnx file`);
      files.push(arg);
      continue;
    }
    const found: string[] = [];
    for (const entry of readdirSync(arg, { withFileTypes: true })) {
      const full = path.join(arg, entry.name);
      if (entry.isFile() && entry.name.endsWith('.onnx')) found.push(full);
      else if (entry.isDirectory()) {
        for (const inner of readdirSync(full)) if (inner.endsWith('.onnx')) found.push(path.join(full, inner));
      }
    }
    if (found.length === 0) throw new Error(`${arg} holds no .onnx files (run \`npm run models\` to produce the examples)`);
    files.push(...found.sort());
  }
  const models = files.map((file) => ({ name: modelNameOf(file), file }));
  const names = new Set<string>();
  for (const m of models) {
    if (!MODEL_NAME_PATTERN.test(m.name)) throw new Error(`${m.file} would serve as "${m.name}", which is not a valid model name (${MODEL_NAME_PATTERN.source}); rename it`);
    if (names.has(m.name)) throw new Error(`two models would serve as "${m.name}"; rename one of the files`);
    names.add(m.name);
  }
  return models;
}
