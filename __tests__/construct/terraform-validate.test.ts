/**
 * `terraform validate` on a fully synthesized stack. It needs the terraform binary and the
 * Cloudflare provider 5.14 (downloaded by `terraform init`, or from a plugin mirror), which an
 * offline machine does not have, so it runs only when asked for:
 *
 *   MODEL_EDGE_TERRAFORM_VALIDATE=1 npx jest __tests__/construct/terraform-validate
 *
 * (set TF_CLI_CONFIG_FILE to a config with a filesystem mirror to run it without network).
 */
import { execFileSync } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdktf';
import { ModelEdgeDeployment } from '../../lib/model-edge-deployment';
import { newStack, validConfig } from './fixtures/stacks';
import { seededMlp } from '../../bench/lib/seeded-mlp';

const enabled = process.env.MODEL_EDGE_TERRAFORM_VALIDATE === '1';

(enabled ? describe : describe.skip)('terraform validate (opt-in: MODEL_EDGE_TERRAFORM_VALIDATE=1)', () => {
  it.each(['in the script', 'as static assets'])('accepts the synthesized stack with the weights %s', (where) => {
    const stack = newStack();
    const buildDir = mkdtempSync(path.join(os.tmpdir(), 'model-edge-validate-'));
    if (where === 'in the script') {
      new ModelEdgeDeployment(stack, 'iris', validConfig({ buildDir }));
    } else {
      const modelPath = path.join(buildDir, 'mlp.onnx');
      writeFileSync(modelPath, seededMlp({ weightBytes: 4_000_000 }).onnx);
      new ModelEdgeDeployment(stack, 'iris', validConfig({ buildDir, versions: [{ label: 'v1', modelPath }], limits: { maxTensorElements: 25_600 } }));
    }
    const stackDir = path.join(Testing.fullSynth(stack), 'stacks', 'test');
    const run = (...args: string[]) => execFileSync('terraform', args, { cwd: stackDir, encoding: 'utf8', stdio: 'pipe' });
    run('init', '-backend=false', '-input=false');
    expect(run('validate', '-json')).toMatch(/"valid":\s*true/);
  });

  it('accepts a rate limiting ruleset shared by two models and a metrics binding', () => {
    const stack = newStack();
    const buildDir = mkdtempSync(path.join(os.tmpdir(), 'model-edge-validate-'));
    const rateLimit = { requestsPerPeriod: 100, zonePlan: 'pro', period: 60 };
    new ModelEdgeDeployment(stack, 'iris', validConfig({ buildDir, rateLimit, metrics: { dataset: 'model_edge_requests' } }));
    new ModelEdgeDeployment(stack, 'digits', validConfig({ buildDir, modelName: 'digits', routes: ['api.example.com/models/digits/*'], rateLimit }));
    const stackDir = path.join(Testing.fullSynth(stack), 'stacks', 'test');
    const run = (...args: string[]) => execFileSync('terraform', args, { cwd: stackDir, encoding: 'utf8', stdio: 'pipe' });
    run('init', '-backend=false', '-input=false');
    expect(run('validate', '-json')).toMatch(/"valid":\s*true/);
  });
});
