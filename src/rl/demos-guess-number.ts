// A guess-number demonstration built to generalise to held-out secrets, with a deliberate flaw GRPO can fix.
//
// Plain binary search (demos.ts) is a fixed decision tree: the last guess for a secret at a leaf follows a
// history that only that secret produces, so a model that memorises the tree never writes a held-out leaf
// secret (README: held-out stayed at 0.40). This policy splits the number the way it is written:
//   1. the decade: binary search over the multiples of 10 (1-39: 20, then 10 or 30) until the open range lies
//      inside one decade (21-29, say);
//   2. the units: halve that range (25, then 22 or 27, ...), or, in a scanning episode (the flaw), guess its
//      lowest number, one by one (21, 22, 23, ...).
// Every held-out secret's path is then made of steps seen in training: the decade part is shared with the
// other secrets of its decade, the units part with the same units digit in the other decades. A scanning
// episode runs out of turns on high units digits, halving does not; the choice is made once, at the first
// units guess, so GRPO fixes it for every decade at once (README: Bundled models).

import type { DemoPolicy } from './demos.ts';
import { guessNumberRules } from './tasks/guess-number.ts';

/** The open range [lo, hi] left by the higher/lower replies so far. */
export function openRange(messages: readonly { role: string; content: string }[], maxNumber: number): [number, number] {
  const rules = guessNumberRules(maxNumber);
  let lo = 1;
  let hi = maxNumber;
  for (let i = 0; i + 1 < messages.length; i++) {
    if (messages[i].role !== 'assistant') continue;
    const guess = rules.readMove(messages[i].content);
    const feedback = messages[i + 1].content;
    if (guess === undefined) continue;
    if (feedback === 'higher') lo = Math.max(lo, guess + 1);
    else if (feedback === 'lower') hi = Math.min(hi, guess - 1);
  }
  return [lo, Math.max(lo, hi)];
}

/** Decade first, then the units: halved, or (scan) counted up from the lowest. */
export function decadeSearchPolicy(maxNumber: number, scan: boolean): DemoPolicy {
  return ({ messages }) => {
    const [lo, hi] = openRange(messages, maxNumber);
    const tens: number[] = [];
    for (let m = 10 * Math.ceil(lo / 10); m <= hi; m += 10) tens.push(m);
    // A multiple of 10 inside the range means it still spans more than one decade (or is one): search those.
    const guess = tens.length > 0 ? tens[Math.floor((tens.length - 1) / 2)] : scan ? lo : Math.floor((lo + hi) / 2);
    return `<guess>${guess}</guess>`;
  };
}
