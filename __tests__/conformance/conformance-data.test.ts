/**
 * The conformance data ships in the repository as an archive and is unpacked on demand; a clone
 * with nothing beside it has everything the suite needs, and missing data fails with the way to get it.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { conformanceArchive, ensureConformanceData } from '../../scripts/conformance-data';

describe('conformance data', () => {
  it('unpacks the repository archive: the ONNX v1.22.0 node, simple and light cases with their license', () => {
    const dir = ensureConformanceData({ dir: undefined });
    expect(readFileSync(path.join(dir, 'LICENSE'), 'utf8')).toMatch(/Apache License\s+Version 2\.0/);
    expect(readFileSync(path.join(dir, 'README.md'), 'utf8')).toMatch(/v1\.22\.0/);
    expect(readdirSync(path.join(dir, 'node')).length).toBeGreaterThan(1700);
    expect(existsSync(path.join(dir, 'node', 'test_abs', 'test_data_set_0', 'output_0.pb'))).toBe(true);
    expect(readdirSync(path.join(dir, 'light')).filter((f) => f.endsWith('.onnx')).length).toBeGreaterThanOrEqual(9);
    expect(ensureConformanceData({ dir: undefined })).toBe(dir);
  });

  it('unpacks into a fresh cache folder and says how to get a missing archive', () => {
    const cacheRoot = mkdtempSync(path.join(os.tmpdir(), 'model-edge-conformance-cache-'));
    const dir = ensureConformanceData({ dir: undefined, cacheRoot });
    expect(path.dirname(dir)).toBe(cacheRoot);
    expect(readdirSync(cacheRoot)).toEqual([path.basename(dir)]);
    expect(() => ensureConformanceData({ dir: undefined, cacheRoot, archive: path.join(cacheRoot, 'none.tar.br') })).toThrow(
      /conformance archive .*none\.tar\.br is missing\. It is part of the repository: restore it with `git checkout -- conformance\/`/,
    );
  });

  it('takes ONNX_CONFORMANCE_DIR when it holds the data, and names the variable when it does not', () => {
    const unpacked = ensureConformanceData({ dir: undefined });
    expect(ensureConformanceData({ dir: unpacked })).toBe(unpacked);
    expect(() => ensureConformanceData({ dir: os.tmpdir() })).toThrow(/ONNX_CONFORMANCE_DIR is .*, which holds no node\/ test folder/);
  });

  it('ships the archive and its license in the repository', () => {
    expect(existsSync(conformanceArchive)).toBe(true);
    expect(readFileSync(path.join(path.dirname(conformanceArchive), 'LICENSE'), 'utf8')).toMatch(/Apache License/);
  });
});
