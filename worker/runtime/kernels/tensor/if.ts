/**
 * If: runs the then_branch or else_branch subgraph (in the current scope, through the session) and
 * returns that branch's outputs.
 */
import { kernel, kernelFail, required } from '../../kernel';
import { readScalar } from './common';

export const ifKernel = kernel({
  op: 'If',
  attributes: (a) => ({ thenBranch: a.graph('then_branch'), elseBranch: a.graph('else_branch') }),
  run(inputs, attrs, ctx) {
    const cond = readScalar(required(inputs, 0, ctx), ctx, 'cond');
    const branch = cond ? attrs.thenBranch : attrs.elseBranch;
    const outputs = ctx.runSubgraph(branch);
    if (outputs.length !== ctx.node.outputs.length) {
      kernelFail(ctx, `the ${cond ? 'then' : 'else'} branch produced ${outputs.length} outputs; the node has ${ctx.node.outputs.length}`);
    }
    return outputs;
  },
});
