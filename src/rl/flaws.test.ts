import { describe, expect, it } from 'vitest';
import { dropCarry, needsCarry } from './flaws.ts';
import { createTask } from './tasks/index.ts';

describe('dropCarry', () => {
  const row = (a: number, b: number, op = '+') => ({ prompt: `${a}${op}${b}`, answer: String(op === '+' ? a + b : a - b), info: { a, b, op } });

  it('drops the carry below p and only on carrying additions', () => {
    expect(dropCarry(row(8, 6), 0.6, 0.59)).toBe('4');
    expect(dropCarry(row(15, 7), 0.6, 0.1)).toBe('12');
    expect(dropCarry(row(8, 6), 0.6, 0.6)).toBe('14');
    expect(dropCarry(row(15, 14), 0.6, 0)).toBe('29'); // no carry
    expect(dropCarry(row(8, 6, '-'), 1, 0)).toBe('2'); // not an addition
    expect(dropCarry({ prompt: 'x', answer: 'y' }, 1, 0)).toBe('y');
  });

  it('about 45% of 0..19 additions carry', () => {
    const task = createTask('arithmetic', { maxOperand: 19 });
    const rows = Array.from({ length: 2000 }, (_, i) => task.trainRow(1, i));
    const share = rows.filter((r) => needsCarry((r.info as { a: number }).a, (r.info as { b: number }).b)).length / rows.length;
    expect(share).toBeGreaterThan(0.4);
    expect(share).toBeLessThan(0.5);
  });
});
