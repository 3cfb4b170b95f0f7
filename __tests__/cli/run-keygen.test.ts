/** `model-edge run` answers through the Worker app; `model-edge keygen` prints a key and its hash. */
import { createHash } from 'crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runRequest } from '../../lib/cli/run';
import { generateApiKey } from '../../lib/cli/keygen';
import { findModelFiles, modelNameOf } from '../../lib/cli/model-files';
import { main } from '../../lib/cli/main';
import { classifierOnnx } from '../worker/support/models';

let dir: string;
let onnxPath: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'model-edge-run-test-'));
  onnxPath = path.join(dir, 'clf.onnx');
  writeFileSync(onnxPath, classifierOnnx());
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('model-edge run', () => {
  it('answers a V2 request as the Worker would', async () => {
    const body = JSON.stringify({ id: 'x', inputs: [{ name: 'x', shape: [1, 2], datatype: 'FP32', data: [0, 3] }] });
    const result = await runRequest(onnxPath, body);
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ model_name: 'clf', model_version: 'local', id: 'x', outputs: [{ name: 'label', data: ['b'] }, { name: 'probabilities' }] });
  });

  it('sends instances to V1 and reports bad input as the Worker does', async () => {
    expect((await runRequest(onnxPath, '{"instances": [[1, 0]]}')).body).toMatchObject({ predictions: [{ label: 'a' }] });
    const bad = await runRequest(onnxPath, '{"inputs": [{"name": "x", "shape": [1, 2], "datatype": "FP32", "data": [1]}]}');
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ error: expect.stringMatching(/needs 2 elements/) });
  });

  it('runs from the command line with --request', async () => {
    const requestFile = path.join(dir, 'req.json');
    writeFileSync(requestFile, '{"instances": [[0, 1]]}');
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(await main(['run', onnxPath, '--request', requestFile])).toBe(0);
      expect(JSON.parse(log.mock.calls[0][0] as string).predictions[0].label).toBe('b');
    } finally {
      log.mockRestore();
    }
  });
});

describe('model-edge keygen', () => {
  it('prints a fresh key whose SHA-256 is the printed hash', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a.key).not.toBe(b.key);
    expect(a.key.length).toBeGreaterThanOrEqual(40);
    expect(a.sha256).toBe(createHash('sha256').update(a.key).digest('hex'));
  });

  it('prints JSON with --json', async () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(await main(['keygen', '--json'])).toBe(0);
      const printed = JSON.parse(log.mock.calls[0][0] as string);
      expect(printed.sha256).toBe(createHash('sha256').update(printed.key).digest('hex'));
    } finally {
      log.mockRestore();
    }
  });
});

describe('model files', () => {
  it('names model.onnx after its folder and others after themselves', () => {
    expect(modelNameOf('/m/iris/model.onnx')).toBe('iris');
    expect(modelNameOf('/m/digits.onnx')).toBe('digits');
    expect(findModelFiles([dir]).map((m) => m.name)).toEqual(['clf']);
    expect(() => findModelFiles([path.join(dir, 'missing.onnx')])).toThrow(/does not exist/);
  });
});
