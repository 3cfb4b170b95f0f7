/**
 * The ONNX backend conformance data (onnx v1.22.0, Apache-2.0) ships in the repository as one
 * brotli-compressed tar archive, conformance/onnx-backend-test-data.tar.br, and is unpacked on
 * first use into a git-ignored cache folder named after the archive's hash (.cache/), so a fresh
 * clone needs nothing beside it and a changed archive never meets a stale folder.
 *
 *   ensureConformanceData()        -> the folder (ONNX_CONFORMANCE_DIR when set)
 *   ts-node scripts/conformance-data.ts pack <dir>   # rebuild the archive from an ONNX checkout's
 *                                                    # onnx/backend/test/data (+ manifest.tsv)
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { constants } from 'node:zlib';
import * as tar from 'tar';

const repoRoot = path.resolve(__dirname, '..');
export const conformanceArchive = path.join(repoRoot, 'conformance', 'onnx-backend-test-data.tar.br');
const cacheRoot = path.join(repoRoot, '.cache', 'onnx-conformance');
/** Written last by an unpack, so a folder without it is an interrupted unpack. */
const completeMarker = '.unpacked';
/** What the archive holds at its top level. */
const archiveEntries = ['LICENSE', 'README.md', 'manifest.tsv', 'light', 'node', 'simple'];

/**
 * The conformance data folder: $ONNX_CONFORMANCE_DIR when set, otherwise the repository's archive
 * unpacked into .cache/ (once; concurrent callers, such as jest workers, each unpack into a
 * private folder and the first rename wins). Throws with the way to get the data when it is missing.
 */
export function ensureConformanceData(options: { archive?: string; cacheRoot?: string; dir?: string } = {}): string {
  const archive = options.archive ?? conformanceArchive;
  const cache = options.cacheRoot ?? cacheRoot;
  const fromEnv = 'dir' in options ? options.dir : process.env.ONNX_CONFORMANCE_DIR;
  if (fromEnv) {
    if (!existsSync(path.join(fromEnv, 'node'))) {
      throw new Error(`ONNX_CONFORMANCE_DIR is ${fromEnv}, which holds no node/ test folder; unset it to use the repository's archive, or point it at an onnx/backend/test/data folder.`);
    }
    return fromEnv;
  }
  if (!existsSync(archive)) {
    throw new Error(
      `The ONNX conformance archive ${path.relative(process.cwd(), archive)} is missing. ` +
        'It is part of the repository: restore it with `git checkout -- conformance/`, or set ONNX_CONFORMANCE_DIR to an unpacked copy of the ONNX v1.22.0 backend test data.',
    );
  }
  const bytes = readFileSync(archive);
  const dir = path.join(cache, createHash('sha256').update(bytes).digest('hex').slice(0, 16));
  if (existsSync(path.join(dir, completeMarker))) return dir;

  mkdirSync(cache, { recursive: true });
  const staging = `${dir}.${process.pid}.${Date.now()}.partial`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging);
  try {
    tar.x({ file: archive, cwd: staging, sync: true, brotli: true, strict: true });
    writeFileSync(path.join(staging, completeMarker), `${path.basename(archive)}\n`);
    if (existsSync(dir) && !existsSync(path.join(dir, completeMarker))) rmSync(dir, { recursive: true, force: true });
    try {
      renameSync(staging, dir);
    } catch (error) {
      // Another process finished first: its folder is complete, ours is not needed.
      if (!existsSync(path.join(dir, completeMarker))) throw error;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  removeStaleUnpacks(cache, path.basename(dir));
  return dir;
}

/** Folders of earlier archives (and interrupted unpacks older than an hour). */
function removeStaleUnpacks(cache: string, keep: string): void {
  const hourAgo = Date.now() - 3_600_000;
  for (const name of readdirSync(cache)) {
    if (name === keep) continue;
    const full = path.join(cache, name);
    if (!name.endsWith('.partial') || statSync(full).mtimeMs < hourAgo) rmSync(full, { recursive: true, force: true });
  }
}

/**
 * Brotli at its highest quality with a 16 MiB window (2.2 MB instead of 2.5 MB at the default 4 MiB).
 * tar hands these to node:zlib as they are; its option type does not list `params`.
 */
const highestBrotli = { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24 } } as unknown as tar.TarOptionsWithAliases['brotli'];

/** Rebuilds the archive from an unpacked copy: sorted entries, no owners or times. */
export function packConformanceData(sourceDir: string): void {
  const missing = archiveEntries.filter((e) => !existsSync(path.join(sourceDir, e)));
  if (missing.length) throw new Error(`${sourceDir} lacks ${missing.join(', ')}`);
  tar.c(
    {
      file: conformanceArchive,
      cwd: sourceDir,
      sync: true,
      portable: true,
      noDirRecurse: true,
      mtime: new Date(0),
      brotli: highestBrotli,
    },
    sortedEntries(sourceDir, archiveEntries),
  );
}

function sortedEntries(root: string, top: string[]): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    out.push(rel);
    if (statSync(path.join(root, rel)).isDirectory()) {
      for (const child of readdirSync(path.join(root, rel)).sort()) walk(path.join(rel, child));
    }
  };
  for (const entry of [...top].sort()) walk(entry);
  return out;
}

if (require.main === module) {
  const [command, source] = process.argv.slice(2);
  if (command === 'pack' && source) {
    packConformanceData(path.resolve(source));
    console.log(`${path.relative(process.cwd(), conformanceArchive)}: ${(statSync(conformanceArchive).size / 1e6).toFixed(1)} MB`);
  } else if (command === 'unpack') {
    console.log(ensureConformanceData());
  } else {
    console.error('usage: ts-node scripts/conformance-data.ts pack <data dir> | unpack');
    process.exit(2);
  }
}
