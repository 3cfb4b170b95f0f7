/**
 * Terraform expressions (cdktf tokens) in settings. Where Terraform can supply a value at plan time,
 * the synth-time check is skipped and, where the value has rules, a Terraform precondition checks it
 * instead; where a value is needed at synth time, the problem says so in plain words and never
 * prints a token's internal form.
 */
import { Fn, Op, Token } from 'cdktf';
import type { Precondition } from 'cdktf';

/** The one wording used for every setting that needs a literal value. */
export const NOT_AN_EXPRESSION = 'cannot be a Terraform expression';

/** True when a value is only known when Terraform runs (a token), so synth-time checks must skip it. */
export function isToken(value: unknown): boolean {
  return value !== undefined && value !== null && Token.isUnresolved(value);
}

/** Where problems go: field, what is wrong, how to fix it. */
export type ProblemSink = (field: string, what: string, fix: string) => void;

/** Reports a token in a setting that must be known at synth time; returns true when the value is a literal. */
export function requireLiteral(value: unknown, field: string, why: string, problem: ProblemSink): boolean {
  if (!isToken(value)) return true;
  problem(field, `${field} ${NOT_AN_EXPRESSION}: ${why}`, `write the value itself in the settings (a literal), not a variable or another resource's attribute`);
  return false;
}

/** A text fit for messages: the value itself for literals, "a Terraform expression" for tokens. */
export function shown(value: unknown): string {
  if (isToken(value)) return 'a Terraform expression';
  return typeof value === 'string' ? `"${value}"` : String(value);
}

/** Terraform preconditions collected while resolving, attached to the resources they guard. */
export interface TerraformChecks {
  /** Conditions on the Workers deployment (traffic shares). */
  readonly deployment: Precondition[];
  /** Conditions on every Worker version (MODEL_CONFIG values, API keys). */
  readonly version: Precondition[];
}

export function newChecks(): TerraformChecks {
  return { deployment: [], version: [] };
}

/** A precondition that a number expression lies within [min, max] (and is whole, when asked). */
export function rangeCondition(value: number, min: number, max: number | undefined, whole: boolean, errorMessage: string): Precondition {
  // cdktf 0.21's operators drop a literal 0 operand (it renders "undefined"), so ">= 0" is written "+ 1 >= 1".
  let condition: unknown = min === 0 ? Op.gte(Op.add(value, 1), 1) : Op.gte(value, min);
  if (max !== undefined) condition = Op.and(condition, Op.lte(value, max));
  if (whole) condition = Op.and(condition, Op.eq(Fn.floor(value), value));
  return { condition, errorMessage };
}

/**
 * A regular expression written into a Terraform expression: HCL strings know only a few escapes
 * (`\n`, `\"`, `\\`...), so every backslash of the pattern is doubled for Terraform's `regex()` to see it.
 */
export function terraformRegex(pattern: string): string {
  return pattern.replace(/\\/g, '\\\\');
}

/** A pattern for a list joined with "," whose every entry (none empty) matches `entry`; the empty list matches. */
export function everyEntry(entry: string): string {
  return `^(?:${entry}(?:,${entry})*)?$`;
}
