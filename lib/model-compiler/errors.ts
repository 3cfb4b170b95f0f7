import { ModelError } from '../../worker/runtime/errors';

/** The model cannot be compiled; `problems` lists every problem found, each naming its fix. */
export class ModelCompileError extends ModelError {
  constructor(
    readonly problems: readonly string[],
    source?: string,
  ) {
    super(
      `${source ? `${source}: ` : ''}the model cannot be compiled (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
    );
  }
}
