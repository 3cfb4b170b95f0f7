/** BiasAdd (com.microsoft): Y = X + bias + skip, X and skip [N, S, C], bias [C]. */
import { kernel } from '../../kernel';
import { expectRowBias } from './bias';
import { expectSameFloat, expectShape, expectRank, floatInput } from '../common/inputs';
import { MICROSOFT_DOMAIN } from '../common/microsoft-domain';

export const biasAddKernel = kernel({
  op: 'BiasAdd',
  domain: MICROSOFT_DOMAIN,
  run(inputs, _attrs, ctx) {
    const x = floatInput(inputs, 0, 'X', ctx);
    const bias = floatInput(inputs, 1, 'bias', ctx);
    const skip = floatInput(inputs, 2, 'skip', ctx);
    expectRank(x, [3], 'X', ctx);
    expectSameFloat(bias, x, 'bias', 'X', ctx);
    expectSameFloat(skip, x, 'skip', 'X', ctx);
    expectRowBias(bias, x, 'bias', ctx);
    expectShape(skip, x.shape, 'skip', ctx);
    const y = ctx.output(0, x.dtype, x.shape);
    const xd = x.data;
    const sd = skip.data;
    const bd = bias.data;
    const yd = y.data;
    const width = bd.length;
    for (let i = 0, j = 0; i < xd.length; i++) {
      yd[i] = xd[i] + bd[j] + sd[i];
      if (++j === width) j = 0;
    }
    return y;
  },
});
