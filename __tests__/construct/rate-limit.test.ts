/**
 * `rateLimit`: one `cloudflare_ruleset` per zone in the `http_ratelimit` phase, one rule per model
 * scoped to its routes, checked against the zone plan, with Terraform expressions where Terraform can
 * supply the value.
 */
jest.mock('../../lib/model-build', () => require('./fixtures/fake-build').fakeModelBuild);

import { mkdtempSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing, TerraformStack, TerraformVariable } from 'cdktf';
import { Ruleset } from '@cdktf/provider-cloudflare/lib/ruleset';
import { ModelEdgeDeployment } from '../../lib/model-edge-deployment';
import type { ModelEdgeDeploymentConfig, RateLimitConfig } from '../../lib/deployment-config';
import { rateLimitExpression } from '../../lib/config/rate-limit';
import { ModelEdgeStack } from '../../lib/stack';
import { readModelFolder } from '../../lib/model-settings';
import { ACCOUNT, ZONE_ID, newStack, validConfig } from './fixtures/stacks';
import { writeTinyModel } from './fixtures/tiny-model';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const rulesets = (stack: TerraformStack): Json[] => Object.values(JSON.parse(Testing.synth(stack, true)).resource?.cloudflare_ruleset ?? {});

const deploy = (stack: TerraformStack, id: string, overrides: Partial<ModelEdgeDeploymentConfig>) =>
  new ModelEdgeDeployment(stack, id, validConfig({ modelName: id, routes: [`api.example.com/models/${id}/*`], ...overrides }));
const limited = (rateLimit: Partial<RateLimitConfig>, overrides: Partial<ModelEdgeDeploymentConfig> = {}) => {
  const stack = newStack();
  deploy(stack, 'iris', { rateLimit: { requestsPerPeriod: 100, ...rateLimit }, ...overrides });
  return stack;
};

describe('the synthesized ruleset', () => {
  it('is a zone entry-point ruleset of the http_ratelimit phase with the model\'s rule (Free: path only, IP, 10 s)', () => {
    const stack = limited({});
    expect(Testing.synth(stack)).toHaveResourceWithProperties(Ruleset, {
      zone_id: expect.stringMatching(/^\$\{data\.cloudflare_zone\.ModelEdgeShared_Zone_[0-9A-F]+\.id\}$/),
      kind: 'zone',
      phase: 'http_ratelimit',
      rules: [
        {
          ref: 'model_edge_test_iris',
          description: 'model-edge: iris (model-edge-iris-test)',
          expression: 'starts_with(http.request.uri.path, "/models/iris/")',
          action: 'block',
          enabled: true,
          ratelimit: { characteristics: ['cf.colo.id', 'ip.src'], period: 10, requests_per_period: 100, mitigation_timeout: 10 },
        },
      ],
    });
  });

  it('shares one ruleset per zone among the stack\'s models, one rule each, in order', () => {
    const stack = newStack();
    const plan = { requestsPerPeriod: 50, zonePlan: 'business', period: 60 };
    deploy(stack, 'iris', { rateLimit: plan });
    deploy(stack, 'digits', { rateLimit: plan });
    deploy(stack, 'open', {}); // no rate limit: no rule
    deploy(stack, 'other-zone', { zoneName: 'example.org', routes: ['api.example.org/m/*'], rateLimit: plan });
    const all = rulesets(stack);
    expect(all).toHaveLength(2);
    const exampleCom = all.find((r) => JSON.stringify(r.rules).includes('example.com')) as Json;
    const exampleOrg = all.find((r) => JSON.stringify(r.rules).includes('example.org')) as Json;
    expect(exampleCom.rules.map((r: Json) => r.expression)).toEqual([
      '(http.host eq "api.example.com" and starts_with(http.request.uri.path, "/models/iris/"))',
      '(http.host eq "api.example.com" and starts_with(http.request.uri.path, "/models/digits/"))',
    ]);
    expect(exampleOrg.rules.map((r: Json) => r.expression)).toEqual(['(http.host eq "api.example.org" and starts_with(http.request.uri.path, "/m/"))']);
    expect(exampleOrg.zone_id).not.toEqual(exampleCom.zone_id);
  });

  it('matches every route and the custom domain on paid plans, with a JSON 429 for block', () => {
    const stack = limited({ zonePlan: 'pro', period: 60, mitigationTimeout: 600 }, { routes: ['api.example.com/models/iris/*', '*.example.com/models/iris*'], customDomain: 'iris.example.com', zoneId: ZONE_ID });
    const [ruleset] = rulesets(stack);
    expect(ruleset.zone_id).toBe(ZONE_ID);
    const [rule] = ruleset.rules;
    expect(rule.expression).toBe(
      '(http.host eq "api.example.com" and starts_with(http.request.uri.path, "/models/iris/")) or (ends_with(http.host, ".example.com") and starts_with(http.request.uri.path, "/models/iris")) or http.host eq "iris.example.com"',
    );
    expect(rule.action_parameters.response).toEqual({ status_code: 429, content_type: 'application/json', content: '{"error":"rate limit exceeded: at most 100 requests per 60 s; retry later"}' });
    expect(rule.ratelimit).toEqual({ characteristics: ['cf.colo.id', 'ip.src'], period: 60, requests_per_period: 100, mitigation_timeout: 600 });
  });

  it('counts per API key on Enterprise with Advanced Rate Limiting, throttling a managed challenge', () => {
    const [rule] = rulesets(limited({ zonePlan: 'enterprise-advanced', per: 'apiKey', action: 'managed_challenge', period: 3600 }))[0].rules;
    expect(rule.ratelimit.characteristics).toEqual(['cf.colo.id', 'http.request.headers["authorization"]', 'http.request.headers["x-api-key"]']);
    expect(rule.action).toBe('managed_challenge');
    expect(rule.ratelimit.mitigation_timeout).toBe(0);
    expect(rule.action_parameters).toBeUndefined();
  });

  it('takes requests per period from a Terraform variable, checked at plan time', () => {
    const stack = newStack();
    const rpp = new TerraformVariable(stack, 'iris_requests_per_period', { type: 'number' });
    deploy(stack, 'iris', { rateLimit: { requestsPerPeriod: rpp.numberValue, zonePlan: 'pro' } });
    const json = JSON.parse(Testing.synth(stack, true));
    const [rule] = (Object.values(json.resource.cloudflare_ruleset)[0] as Json).rules;
    expect(rule.ratelimit.requests_per_period).toBe('${var.iris_requests_per_period}');
    expect(rule.action_parameters.response.content).toBe('{"error":"rate limit exceeded: at most ${var.iris_requests_per_period} requests per 10 s; retry later"}');
    const [version] = Object.values(json.resource.cloudflare_worker_version) as Json[];
    expect(version.lifecycle.precondition).toContainEqual({
      condition: '${((var.iris_requests_per_period >= 1) && (floor(var.iris_requests_per_period) == var.iris_requests_per_period))}',
      error_message: 'model "iris": rateLimit.requestsPerPeriod must be a whole number >= 1',
    });
  });

  it('is absent without rateLimit', () => {
    const stack = newStack();
    deploy(stack, 'iris', {});
    expect(rulesets(stack)).toEqual([]);
  });

  it('passes cdktf\'s synth validations', () => {
    expect(() => Testing.synth(limited({ zonePlan: 'business', period: 600 }), true)).not.toThrow();
  });
});

describe('settings the zone plan does not allow fail the synth, naming field and fix', () => {
  it.each<[string, Partial<RateLimitConfig>, Partial<ModelEdgeDeploymentConfig>, RegExp]>([
    ['a period Free does not have', { period: 60 }, {}, /field rateLimit\.period: 60 s is longer than the "free" plan allows\. Fix: use one of 10 \(seconds\), or set rateLimit\.zonePlan/],
    ['a period that is no Cloudflare value', { zonePlan: 'pro', period: 25 }, {}, /field rateLimit\.period: 25 is not one of Cloudflare's period values\. Fix: use one of 10, 15, 20, 30, 40, 45, 60 \(seconds\)/],
    ['a timeout beyond Pro', { zonePlan: 'pro', mitigationTimeout: 86400 }, {}, /field rateLimit\.mitigationTimeout: 86400 s is longer than the "pro" plan allows/],
    ['per API key below Advanced Rate Limiting', { zonePlan: 'enterprise', per: 'apiKey' }, {}, /field rateLimit\.per: counting per API key \(a header value\) needs Enterprise with Advanced Rate Limiting, and zonePlan is "enterprise"\. Fix: use "ip"/],
    ['an unknown action', { action: 'ban' }, {}, /field rateLimit\.action: "ban" is not a rate limit action\. Fix: use "block" \(answers 429\), "managed_challenge" or "log"/],
    ['an unknown plan', { zonePlan: 'gold' }, {}, /field rateLimit\.zonePlan: "gold" is not a Cloudflare plan\. Fix: use one of "free", "pro"/],
    ['log below Enterprise', { zonePlan: 'business', action: 'log' }, {}, /field rateLimit\.action: "log" is only available on Enterprise plans, and zonePlan is "business"\. Fix: use "block" or "managed_challenge"/],
    ['a timeout on a challenge below Enterprise', { action: 'managed_challenge', mitigationTimeout: 10 }, {}, /field rateLimit\.mitigationTimeout: below Enterprise a managed_challenge rule only throttles, so its timeout must be 0, not 10/],
    ['throttling block below Enterprise', { zonePlan: 'pro', mitigationTimeout: 0 }, {}, /field rateLimit\.mitigationTimeout: 0 \(throttling\) with action block needs Enterprise/],
    ['no requests per period', { requestsPerPeriod: 0 }, {}, /field rateLimit\.requestsPerPeriod: 0 is not a whole number >= 1\. Fix: give the number of requests/],
    ['a whole-host route on Free', {}, { routes: ['iris.example.com/*'] }, /field routes\[0\]: on the "free" plan a rate limiting rule can only match paths, and "iris\.example\.com\/\*" covers every path of its host, so the rule would limit the whole zone\. Fix: serve the model under a path/],
    ['a custom domain on Free', {}, { customDomain: 'iris.example.com' }, /field customDomain: on the "free" plan a rate limiting rule cannot match a hostname/],
    ['workers.dev only', {}, { routes: [], workersDev: true, zoneName: undefined }, /field rateLimit: the model has no routes or custom domain in a zone, and workers\.dev traffic cannot be rate limited by zone rules/],
  ])('%s', (_, rateLimit, overrides, message) => {
    expect(() => limited(rateLimit, overrides)).toThrow(message);
  });

  it('a period from Terraform', () => {
    const stack = newStack();
    const v = new TerraformVariable(stack, 'p', { type: 'number' });
    expect(() => deploy(stack, 'iris', { rateLimit: { requestsPerPeriod: 1, period: v.numberValue } })).toThrow(
      /field rateLimit\.period: rateLimit\.period cannot be a Terraform expression: it is checked against the zone plan at synth time/,
    );
  });

  it('more rules in one zone than its plan allows', () => {
    const stack = newStack();
    deploy(stack, 'iris', { rateLimit: { requestsPerPeriod: 10 } });
    expect(() => deploy(stack, 'digits', { rateLimit: { requestsPerPeriod: 10 } })).toThrow(
      /model "digits", field rateLimit: the "free" plan allows 1 rate limiting rule per zone, and "iris" already has it\. Fix: rate limit fewer models in this zone/,
    );
  });

  it('two plans for one zone', () => {
    const stack = newStack();
    deploy(stack, 'iris', { rateLimit: { requestsPerPeriod: 10, zonePlan: 'pro' } });
    expect(() => deploy(stack, 'digits', { rateLimit: { requestsPerPeriod: 10, zonePlan: 'business' } })).toThrow(/field rateLimit\.zonePlan: "business" differs from "pro", which "iris" gave for the same zone/);
  });
});

describe('the rule expression', () => {
  const expr = (routes: string[], hostField = true, customDomain?: string) => rateLimitExpression({ routes, customDomain }, hostField, 'pro', () => undefined);
  it.each([
    [['api.example.com/*'], 'http.host eq "api.example.com"'],
    [['api.example.com/v2/models/iris/infer'], '(http.host eq "api.example.com" and http.request.uri.path eq "/v2/models/iris/infer")'],
    [['*example.com/m/*'], '((http.host eq "example.com" or ends_with(http.host, ".example.com")) and starts_with(http.request.uri.path, "/m/"))'],
  ])('%j -> %s', (routes, expected) => expect(expr(routes)).toBe(expected));
  it('escapes quotes and backslashes in Rules language strings', () => expect(expr(['a.example.com/x"\\*'], false)).toBe('starts_with(http.request.uri.path, "/x\\"\\\\")'));
  it('lists a path once when two hosts share it on Free', () => expect(expr(['a.example.com/m/*', 'b.example.com/m/*'], false)).toBe('starts_with(http.request.uri.path, "/m/")'));
});

describe('in deployment.json', () => {
  const modelsDir = mkdtempSync(path.join(os.tmpdir(), 'model-edge-rate-limit-models-'));
  const folder = (name: string, settings: object) => {
    const dir = path.join(modelsDir, name);
    writeTinyModel(dir, 'model.onnx', 1);
    writeFileSync(path.join(dir, 'deployment.json'), JSON.stringify(settings));
    return dir;
  };

  it('reaches the stack: the zone name from a variable in the expression, the dataset binding', () => {
    folder('iris', { routes: ['api.{zone}/models/iris/*'], rateLimit: { requestsPerPeriod: 20, zonePlan: 'enterprise', period: 60, action: 'log' }, metrics: { dataset: 'model_edge_requests' } });
    const stack = new ModelEdgeStack(Testing.app(), 'model-edge', { modelsDir, env: { CLOUDFLARE_ACCOUNT_ID: ACCOUNT } });
    const json = JSON.parse(Testing.synth(stack, true));
    const [rule] = (Object.values(json.resource.cloudflare_ruleset)[0] as Json).rules;
    expect(rule).toMatchObject({ action: 'log', expression: '(http.host eq "api.${var.cloudflare_zone_name}" and starts_with(http.request.uri.path, "/models/iris/"))', ratelimit: { period: 60, requests_per_period: 20 } });
    expect((Object.values(json.resource.cloudflare_worker_version)[0] as Json).bindings).toContainEqual({ name: 'MODEL_METRICS', type: 'analytics_engine', dataset: 'model_edge_requests' });
  });

  it('refuses values of the wrong type and unknown fields, naming them', () => {
    const dir = folder('digits', { rateLimit: { requestsPerPeriod: '20', window: 10 } });
    expect(() => readModelFolder(dir)).toThrow(/field rateLimit\.requestsPerPeriod: must be a number, not "20"[\s\S]*field rateLimit\.window: is not a known setting/);
  });
});
