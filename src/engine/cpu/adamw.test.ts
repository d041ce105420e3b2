import { describe, it } from 'vitest';
import { adamw } from './adamw.ts';
import { expectClose } from './testing.ts';

describe('adamw', () => {
  it('first step (t=1, zero moments) by hand: param*(1 - lr*wd) - lr * g/(|g| + eps)', () => {
    const param = new Float64Array([1, -2, 0.5]);
    const grad = new Float64Array([0.1, -0.2, 0.3]);
    const m = new Float64Array(3);
    const v = new Float64Array(3);
    adamw(param, grad, m, v, 0.1, 0.9, 0.999, 1e-8, 0.01, 1);
    // mhat = g, vhat = g^2: 1*0.999 - 0.1*0.1/(0.1+1e-8), -2*0.999 + 0.1*0.2/(0.2+1e-8), 0.5*0.999 - 0.1*0.3/(0.3+1e-8)
    expectClose('param', param, [0.899000009999999, -1.898000004999999, 0.399500003333333], 1e-14);
    expectClose('m', m, [0.01, -0.02, 0.03], 1e-15);
    expectClose('v', v, [1e-5, 4e-5, 9e-5], 1e-15);
  });

  it('a later step (t=3, non-zero moments) by hand, in f64 and f32', () => {
    // lr 0.01, betas (0.9, 0.999), eps 1e-8, wd 0.1, t 3:
    //   m' = 0.9 m + 0.1 g = [0.055, -0.011, 0.012]; v' = 0.999 v + 0.001 g^2 = [0.001009, 0.002038, 0.0005895]
    //   param' = param*0.999 - (0.01/(1-0.9^3)) * m' / (sqrt(v')/sqrt(1-0.999^3) + 1e-8)
    //   e.g. param[0] = 0.999 - 0.0369004 * 0.055 / (sqrt(0.001009 / 0.002997003) + 1e-8) = 0.99550223
    const expected = [0.9955022299725393, -1.9975077737810816, 0.498501579511399];
    for (const Arr of [Float64Array, Float32Array]) {
      const param = new Arr([1, -2, 0.5]);
      const grad = new Arr([0.1, -0.2, 0.3]);
      const m = new Arr([0.05, 0.01, -0.02]);
      const v = new Arr([0.001, 0.002, 0.0005]);
      adamw(param, grad, m, v, 0.01, 0.9, 0.999, 1e-8, 0.1, 3);
      const tol = Arr === Float64Array ? 1e-13 : 1e-6;
      expectClose(`${Arr.name} m`, m, [0.055, -0.011, 0.012], tol);
      expectClose(`${Arr.name} v`, v, [0.001009, 0.002038, 0.0005895], tol);
      expectClose(`${Arr.name} param`, param, expected, tol);
    }
  });
});
