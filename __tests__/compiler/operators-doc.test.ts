import { readFileSync } from 'fs';
import * as path from 'path';
import { operatorsDoc } from '../../scripts/operators-doc';

describe('docs/operators.md', () => {
  it('lists exactly the ops of the kernel registry (run `npm run docs:operators` after adding a kernel)', () => {
    expect(readFileSync(path.join(__dirname, '..', '..', 'docs', 'operators.md'), 'utf8')).toBe(operatorsDoc());
  });
});
