/**
 * API key hashes. Literal lists are checked now and never echoed (an entry may be a raw key pasted by
 * mistake); a Terraform list is checked at plan time: every entry a lower-case SHA-256, and at least
 * one entry unless the deployment opts into an open API with `allowNoKeys`.
 */
import { Fn, Op } from 'cdktf';
import { ProblemSink, TerraformChecks, everyEntry, isToken } from './tokens';

const ANY_CASE_HEX = /^[0-9a-f]{64}$/i;

export function resolveApiKeys(keys: string[] | undefined, allowNoKeys: boolean, model: string, problem: ProblemSink, checks: TerraformChecks): string[] {
  if (keys === undefined) return [];
  if (isToken(keys)) {
    checks.version.push({
      condition: Fn.can(Fn.regex(everyEntry('[0-9a-f]{64}'), Fn.join(',', keys))),
      errorMessage: `model "${model}": every API key hash must be 64 lower-case hex digits (a SHA-256 from \`npx model-edge keygen\`), never a raw key`,
    });
    if (!allowNoKeys) {
      checks.version.push({
        condition: Op.gte(Fn.lengthOf(keys), 1),
        errorMessage: `model "${model}": the list of API key hashes is empty, which would leave the model open to everyone. Set at least one hash (npx model-edge keygen), or set allowNoKeys to serve without keys`,
      });
    }
    return keys;
  }
  if (!Array.isArray(keys)) {
    problem('apiKeySha256', 'is not a list', 'write a list of SHA-256 hex hashes, e.g. ["<64 hex digits>"]');
    return [];
  }
  keys.forEach((key, i) => {
    // Never echo the value: it may be a raw key pasted by mistake.
    if (!isToken(key) && (typeof key !== 'string' || !ANY_CASE_HEX.test(key))) {
      problem(`apiKeySha256[${i}]`, 'the entry is not a SHA-256 hash (64 hex digits); raw API keys must never be put in settings', 'run `npx model-edge keygen` and put the printed SHA-256 here; hand the key itself to the client');
    }
  });
  // Hashes written in upper case are the same hashes; the Worker compares lower-case hex.
  return keys.map((key) => (isToken(key) || typeof key !== 'string' ? key : key.toLowerCase()));
}
