/**
 * Errors raised while a deployment is configured or synthesized. Every problem names the model,
 * the setting (field) at fault, what is wrong, and how to fix it, so that a bad setting fails at
 * synth time with a message the user can act on instead of a broken Terraform plan.
 */

/** One thing wrong with a model's deployment settings. */
export interface ConfigProblem {
  /** The model (or construct) the setting belongs to. */
  readonly model: string;
  /** The stack the deployment is in, when known. */
  readonly stack?: string;
  /** The setting at fault, in the settings' own spelling, e.g. `versions[1].percentage`. */
  readonly field: string;
  /** What is wrong. */
  readonly problem: string;
  /** What to do about it. */
  readonly fix: string;
}

/** Builds a problem record; the single place that decides how problems are worded. */
export function configProblem(model: string, field: string, problem: string, fix: string): ConfigProblem {
  return { model, field, problem, fix };
}

/** Renders one problem as a single line: `model "iris", field versions[0].percentage: ... Fix: ...`. */
export function formatProblem(p: ConfigProblem): string {
  const where = p.stack ? `stack "${p.stack}", ` : '';
  return `${where}model "${p.model}", field ${p.field}: ${p.problem}. Fix: ${p.fix}`;
}

/** The same problems, located in a stack. */
export function inStack(problems: readonly ConfigProblem[], stack: string): ConfigProblem[] {
  return problems.map((p) => ({ ...p, stack }));
}

/**
 * Thrown when a deployment's settings are invalid; carries every problem found, not just the first.
 * @jsii ignore JavaScript errors are not a jsii type; other languages see the message.
 */
export class ModelEdgeConfigError extends Error {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    const lines = problems.map((p) => `  - ${formatProblem(p)}`);
    super(`Invalid model-edge deployment settings (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`);
    this.name = 'ModelEdgeConfigError';
    this.problems = problems;
  }
}

/** Throws a ModelEdgeConfigError when there is at least one problem. */
export function throwIfProblems(problems: readonly ConfigProblem[]): void {
  if (problems.length > 0) throw new ModelEdgeConfigError(problems);
}
