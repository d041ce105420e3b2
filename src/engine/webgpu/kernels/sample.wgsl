// Token sampling on the GPU, the twin of sampleToken in ../../sampling.ts with u = randomUniform(seed, stream,
// step) of ../../rng.ts (lowbias32 ported exactly; u has 24 bits, exact in f32).
//   logits[R, V], seeds[R] (u32) -> tokens[R] (i32).
//   mode 0: greedy (argmax, lowest index on ties).
//   mode 1: no filtering: inverse CDF in index order over p_v = exp(logit_v / T - max).
//   mode 2: top-k and/or top-p: candidates in the order (p desc, index asc); keep the first k, then the
//           shortest prefix of those whose mass reaches topP * their total; inverse CDF in that order.
// One workgroup per row. Mode 2 never sorts: the order is that of a 32-bit key (the logit's bits made
// monotonic) with the index breaking ties, and every cut in it (the k-th candidate, the top-p boundary, the
// sampled token) is found by bisection on the key, each step one pass over the row counting and summing the
// candidates at or above three trial keys (two bits), then one pass picking the j-th of the tied candidates by
// index: 18 passes per cut, independent of k, for any V. Sums are f32 in a fixed order (deterministic);
// the CPU sums in f64, so a token can differ where u lands within rounding of a probability boundary.

struct Params { R: u32, V: u32, step: u32, stream: u32, mode: u32, invTemp: f32, topK: u32, topP: f32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> tokens: array<i32>;
@group(0) @binding(2) var<storage, read> logits: array<f32>;
@group(0) @binding(3) var<storage, read> seeds: array<u32>;

override WG: u32 = 256;
const NONE = 0xffffffffu;

// Per-invocation partials of a reduction; invocation 0 folds them in order and publishes the result.
var<workgroup> partCount: array<vec3<u32>, WG>;
var<workgroup> partMass: array<vec3<f32>, WG>;
var<workgroup> result: Reduced;

var<private> lid: u32;
var<private> rowOff: u32;
var<private> xmax: f32; // max of logit * invTemp over the row

struct Reduced { count: vec3<u32>, mass: vec3<f32> }

// ---- the RNG of ../../rng.ts ----
fn hash32(x0: u32) -> u32 {
  var x = x0;
  x ^= x >> 16u;
  x *= 0x7feb352du;
  x ^= x >> 15u;
  x *= 0x846ca68bu;
  x ^= x >> 16u;
  return x;
}

fn randomUniform(seed: u32, stream: u32, counter: u32) -> f32 {
  let r = hash32((hash32(hash32(seed ^ 0x9e3779b9u) ^ stream) + counter * 0x85ebca6bu) ^ counter);
  return f32(r >> 8u) / 16777216.0;
}

// ---- keys: larger float <=> larger u32 ----
fn keyOf(x: f32) -> u32 {
  let b = bitcast<u32>(x);
  return select(b | 0x80000000u, ~b, (b & 0x80000000u) != 0u);
}

fn valueOfKey(k: u32) -> f32 {
  return bitcast<f32>(select(~k, k & 0x7fffffffu, (k & 0x80000000u) != 0u));
}

fn prob(logit: f32) -> f32 {
  return exp(logit * p.invTemp - xmax);
}

/** Is (key k, index v) at or before the bound (bk, bi) in the order (key desc, index asc)? */
fn inBound(k: u32, v: u32, bk: u32, bi: u32) -> bool {
  return k > bk || (k == bk && v <= bi);
}

// ---- workgroup reductions (call from uniform control flow; the result is uniform) ----
// Two barriers each: the partials become visible, invocation 0 folds them serially (fixed order, so the
// result is deterministic), and workgroupUniformLoad publishes it. The next reduction cannot overwrite the
// partials or the result before everyone has loaded it: invocation 0 only writes after the next barrier.

fn reduce(c: vec3<u32>, m: vec3<f32>, kind: u32) -> Reduced {
  partCount[lid] = c;
  partMass[lid] = m;
  workgroupBarrier();
  if (lid == 0u) {
    var r = Reduced(partCount[0], partMass[0]);
    for (var t = 1u; t < WG; t++) {
      let oc = partCount[t];
      let om = partMass[t];
      if (kind == 0u) { // sums
        r.count += oc;
        r.mass += om;
      } else if (kind == 1u) { // min of count.x
        r.count.x = min(r.count.x, oc.x);
      } else if (om.x > r.mass.x || (om.x == r.mass.x && oc.x < r.count.x)) { // argmax: (mass.x, count.x)
        r.count.x = oc.x;
        r.mass.x = om.x;
      }
    }
    result = r;
  }
  return workgroupUniformLoad(&result);
}

fn reduceMin(x: u32) -> u32 {
  return reduce(vec3<u32>(x, 0u, 0u), vec3<f32>(), 1u).count.x;
}

// ---- mode 1: inverse CDF in index order ----
fn sampleIndexOrder(u: f32) -> u32 {
  let seg = (p.V + WG - 1u) / WG; // contiguous segments, so running sums follow the index order
  let s0 = min(lid * seg, p.V);
  let s1 = min(s0 + seg, p.V);
  var sum = 0.0;
  var last = NONE;
  for (var v = s0; v < s1; v++) {
    let pv = prob(logits[rowOff + v]);
    sum += pv;
    if (pv > 0.0) { last = v; }
  }
  partMass[lid] = vec3<f32>(sum, 0.0, 0.0);
  partCount[lid] = vec3<u32>(last, 0u, 0u);
  workgroupBarrier();
  if (lid == 0u) {
    var acc = 0.0;
    var lp = NONE;
    for (var t = 0u; t < WG; t++) {
      let s = partMass[t].x;
      partMass[t].y = acc; // exclusive prefix
      acc += s;
      if (partCount[t].x != NONE) { lp = partCount[t].x; }
    }
    result = Reduced(vec3<u32>(lp, 0u, 0u), vec3<f32>(acc, 0.0, 0.0));
  }
  let r = workgroupUniformLoad(&result);
  let tot = r.mass.x;
  var goal = u * tot;
  if (goal >= tot) { goal = bitcast<f32>(bitcast<u32>(tot) - 1u); } // rounding: stay below the total
  var cum = partMass[lid].y;
  var found = NONE;
  for (var v = s0; v < s1; v++) {
    cum += prob(logits[rowOff + v]);
    if (goal < cum) {
      found = v;
      break;
    }
  }
  workgroupBarrier(); // everyone has read its prefix before reduceMin reuses the partials
  let first = reduceMin(found);
  return select(first, r.count.x, first == NONE);
}

// ---- mode 2: cuts in the (p desc, index asc) order by bisection ----

/** Count and mass of the candidates inside the bound whose key is >= each of three trial keys. */
fn stats(trial: vec3<u32>, bk: u32, bi: u32) -> Reduced {
  var c = vec3<u32>();
  var m = vec3<f32>();
  let lowest = min(trial.x, min(trial.y, trial.z));
  for (var v = lid; v < p.V; v += WG) {
    let z = logits[rowOff + v];
    let k = keyOf(z);
    if (k >= lowest && inBound(k, v, bk, bi)) {
      let pv = prob(z);
      let ge = vec3<bool>(k >= trial.x, k >= trial.y, k >= trial.z);
      c += select(vec3<u32>(), vec3<u32>(1u), ge);
      m += select(vec3<f32>(), vec3<f32>(pv), ge);
    }
  }
  return reduce(c, m, 0u);
}

/** kind 0: count >= kVal; 1: mass >= thr; 2: mass > thr. */
fn holds(kind: u32, count: u32, mass: f32, kVal: u32, thr: f32) -> bool {
  if (kind == 0u) { return count >= kVal; }
  if (kind == 1u) { return mass >= thr; }
  return mass > thr;
}

/** The index of the j-th (1-based, by index) candidate inside the bound whose key equals kappa. */
fn nthTie(kappa: u32, j: u32, bk: u32, bi: u32) -> u32 {
  let seg = (p.V + WG - 1u) / WG;
  let s0 = min(lid * seg, p.V);
  let s1 = min(s0 + seg, p.V);
  var c = 0u;
  for (var v = s0; v < s1; v++) {
    if (keyOf(logits[rowOff + v]) == kappa && inBound(kappa, v, bk, bi)) { c += 1u; }
  }
  partCount[lid] = vec3<u32>(c, 0u, 0u);
  workgroupBarrier();
  if (lid == 0u) {
    var acc = 0u;
    for (var t = 0u; t < WG; t++) {
      let x = partCount[t].x;
      partCount[t].y = acc; // exclusive prefix
      acc += x;
    }
  }
  workgroupBarrier();
  var cnt = partCount[lid].y;
  var found = NONE;
  for (var v = s0; v < s1; v++) {
    if (keyOf(logits[rowOff + v]) == kappa && inBound(kappa, v, bk, bi)) {
      cnt += 1u;
      if (cnt == j) {
        found = v;
        break;
      }
    }
  }
  workgroupBarrier();
  return reduceMin(found);
}

struct Bound { key: u32, index: u32 }

/**
 * The first candidate (inside the bound) in the (key desc, index asc) order at which the predicate holds for
 * the prefix ending there; the predicate must hold for the whole bound. Bisection on the key, two bits (three
 * trial keys) per pass, then the ties at the key found are resolved by index.
 */
fn cut(kind: u32, kVal: u32, thr: f32, bk: u32, bi: u32) -> Bound {
  var kappa = 0u;
  for (var shift = 30i; shift >= 0i; shift -= 2i) {
    let step = 1u << u32(shift);
    let trial = vec3<u32>(kappa + step, kappa + 2u * step, kappa + 3u * step);
    let r = stats(trial, bk, bi);
    if (holds(kind, r.count.z, r.mass.z, kVal, thr)) {
      kappa = trial.z;
    } else if (holds(kind, r.count.y, r.mass.y, kVal, thr)) {
      kappa = trial.y;
    } else if (holds(kind, r.count.x, r.mass.x, kVal, thr)) {
      kappa = trial.x;
    }
  }
  // kappa: the largest key whose candidates satisfy the predicate (x: key >= kappa, y: key > kappa).
  let r = stats(vec3<u32>(kappa, select(kappa + 1u, NONE, kappa == NONE), NONE), bk, bi);
  var gtCount = r.count.y;
  var gtMass = r.mass.y;
  if (kappa == NONE) {
    gtCount = 0u;
    gtMass = 0.0;
  }
  let nEq = max(r.count.x - gtCount, 1u);
  var j = 1u;
  if (kind == 0u) {
    j = kVal - gtCount;
  } else {
    let y = prob(valueOfKey(kappa)); // every tie has this probability
    if (y > 0.0) {
      let need = clamp((thr - gtMass) / y, 0.0, f32(nEq));
      j = select(u32(floor(need)) + 1u, u32(ceil(need)), kind == 1u);
    }
  }
  return Bound(kappa, nthTie(kappa, clamp(j, 1u, nEq), bk, bi));
}

fn sampleFiltered(u: f32) -> u32 {
  var bk = 0u; // the bound: everything
  var bi = p.V;
  if (p.topK > 0u && p.topK < p.V) {
    let b = cut(0u, p.topK, 0.0, bk, bi);
    bk = b.key;
    bi = b.index;
  }
  if (p.topP < 1.0) {
    let b = cut(1u, 0u, p.topP * stats(vec3<u32>(), bk, bi).mass.x, bk, bi);
    bk = b.key;
    bi = b.index;
  }
  let tot = stats(vec3<u32>(), bk, bi).mass.x;
  var goal = u * tot;
  if (goal >= tot) { goal = bitcast<f32>(bitcast<u32>(tot) - 1u); }
  return cut(2u, 0u, goal, bk, bi).index;
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) local: u32) {
  lid = local;
  let row = wid.x + wid.y * nwg.x;
  if (row >= p.R) { return; }
  rowOff = row * p.V;
  var bestValue = -3.4e38;
  var bestIndex = NONE;
  for (var v = lid; v < p.V; v += WG) {
    let z = logits[rowOff + v];
    if (z > bestValue) {
      bestValue = z;
      bestIndex = v;
    }
  }
  let best = reduce(vec3<u32>(bestIndex, 0u, 0u), vec3<f32>(bestValue, 0.0, 0.0), 2u);
  var token = select(best.count.x, 0u, best.count.x == NONE);
  if (p.mode != 0u) {
    xmax = best.mass.x * p.invTemp;
    let u = randomUniform(seeds[row], p.stream, p.step);
    if (p.mode == 1u) {
      token = sampleIndexOrder(u);
    } else {
      token = sampleFiltered(u);
    }
  }
  if (lid == 0u) { tokens[row] = i32(token); }
}
