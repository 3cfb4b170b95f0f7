/**
 * A Terraform variable for a canary's traffic share, so a rollout moves by changing a workspace
 * variable instead of code:
 *
 *   const canary = new RolloutPercentage(stack, 'iris_canary_percentage', { defaultPercentage: 10 });
 *   new ModelEdgeDeployment(stack, 'iris', { ..., versions: [
 *     { label: 'stable', modelPath: 'models/iris/v1.onnx' },
 *     { label: 'canary', modelPath: 'models/iris/v2.onnx', percentage: canary.numberValue },
 *   ] });
 *
 * The variable's validation block rejects values outside [0.01, 99.99] at plan time (the other
 * version keeps the rest, so it needs at least 0.01 too).
 */
import { Construct } from 'constructs';
import { Op, TerraformVariable } from 'cdktf';

export interface RolloutPercentageProps {
  /** The share while the workspace sets none. @default - none: the workspace must set it */
  readonly defaultPercentage?: number;
  /** @default 'Traffic share of the canary version, in percent' */
  readonly description?: string;
}

/** A `number` Terraform variable (named by its id) whose validation keeps it a valid canary share. */
export class RolloutPercentage extends TerraformVariable {
  constructor(scope: Construct, id: string, props: RolloutPercentageProps = {}) {
    super(scope, id, {
      type: 'number',
      default: props.defaultPercentage,
      description: props.description ?? 'Traffic share of the canary version, in percent',
    });
    this.addValidation({
      condition: Op.and(Op.gte(this.numberValue, 0.01), Op.lte(this.numberValue, 99.99)),
      errorMessage: 'The canary percentage must be between 0.01 and 99.99 (the other version receives the rest).',
    });
  }
}
