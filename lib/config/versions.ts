/**
 * Model versions and their traffic shares. Shares may be Terraform expressions, so a rollout moves
 * with a variable change: their range and their sum are then Terraform preconditions on the Workers
 * deployment instead of synth-time checks.
 */
import { Op, Token } from 'cdktf';
import { VERSION_LABEL_PATTERN } from '../../worker/env';
import { ModelVersionConfig, ResolvedModelVersion } from './types';
import { ProblemSink, TerraformChecks, isToken, rangeCondition, requireLiteral } from './tokens';

export const MAX_VERSIONS = 2;
const MIN_SHARE = 0.01;

export function resolveVersions(model: string, versions: ModelVersionConfig[] | undefined, problem: ProblemSink, checks: TerraformChecks): ResolvedModelVersion[] {
  if (!requireLiteral(versions, 'versions', 'each version is built into its own Worker version at synth time', problem)) return [];
  if (!Array.isArray(versions) || versions.length === 0) {
    problem('versions', 'no model version is listed', 'list one version ({label, modelPath}) or two (a stable and a canary)');
    return [];
  }
  if (versions.length > MAX_VERSIONS) {
    problem('versions', `${versions.length} versions are listed, but a Workers deployment splits traffic between at most ${MAX_VERSIONS}`, 'keep one stable and one canary version');
  }
  const labels = new Set<string>();
  versions.forEach((v, i) => {
    const field = `versions[${i}]`;
    if (requireLiteral(v.label, `${field}.label`, 'it names the Worker version and its construct', problem)) {
      if (typeof v.label !== 'string' || !VERSION_LABEL_PATTERN.test(v.label)) {
        problem(`${field}.label`, `"${String(v.label)}" is not a valid version label`, 'use 1-25 letters, digits, ".", "_" or "-", e.g. "v1"');
      } else if (labels.has(v.label)) {
        problem(`${field}.label`, `the label "${v.label}" is used twice`, 'give every version its own label');
      }
      labels.add(v.label);
    }
    if (requireLiteral(v.modelPath, `${field}.modelPath`, 'the model is compiled at synth time', problem) && (typeof v.modelPath !== 'string' || v.modelPath === '')) {
      problem(`${field}.modelPath`, 'no model file is given', 'set modelPath to the .onnx file of this version');
    }
    if (v.percentage !== undefined && !isToken(v.percentage) && !(typeof v.percentage === 'number' && v.percentage >= MIN_SHARE && v.percentage <= 100)) {
      problem(`${field}.percentage`, `${v.percentage} is outside (0, 100]`, 'use a share between 0.01 and 100 percent');
    }
  });
  return sharesOf(model, versions, problem, checks);
}

/** Fills in the omitted share and checks the sum, at synth time for literals and at plan time for expressions. */
function sharesOf(model: string, versions: ModelVersionConfig[], problem: ProblemSink, checks: TerraformChecks): ResolvedModelVersion[] {
  const missing = versions.filter((v) => v.percentage === undefined).length;
  if (missing > 1) {
    problem('versions', 'more than one version leaves its percentage out', 'give every version but one a percentage; the one left out receives the rest');
  }
  const given = versions.filter((v) => v.percentage !== undefined).map((v) => v.percentage as number);
  const expressions = given.filter((p) => isToken(p));
  for (const p of expressions) {
    checks.deployment.push(rangeCondition(p, MIN_SHARE, 100, false, `model "${model}": a version's traffic percentage must be between 0.01 and 100`));
  }
  let rest: number;
  if (expressions.length === 0) {
    rest = round2(100 - given.reduce((a, b) => a + b, 0));
    const percentages = versions.map((v) => v.percentage ?? rest);
    const sum = round2(percentages.reduce((a, b) => a + b, 0));
    if (missing <= 1 && (sum !== 100 || (missing === 1 && !(rest >= MIN_SHARE)))) {
      problem('versions', `the percentages add up to ${missing === 1 ? round2(100 - rest) : sum}, not 100`, 'make the shares sum to exactly 100, e.g. 90 and 10');
    }
  } else {
    const total = given.reduce((a, b) => Op.add(a, b));
    rest = Token.asNumber(Op.sub(100, total));
    if (missing === 0) {
      checks.deployment.push({ condition: Op.eq(total, 100), errorMessage: `model "${model}": the versions' traffic percentages must add up to 100` });
    } else {
      checks.deployment.push(rangeCondition(rest, MIN_SHARE, 100, false, `model "${model}": the canary's percentage must leave the other version between 0.01 and 100 percent`));
    }
  }
  return versions.map((v) => ({ label: v.label, modelPath: v.modelPath, percentage: v.percentage ?? rest }));
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
