// Sampling: pick the next token id from one row of logits. Pure functions; randomness comes from a seeded RNG,
// so a seed reproduces a run exactly. Knows nothing about models, tokenizers or text.

export type Sampling = { kind: "greedy" } | { kind: "sample"; temperature: number; topP: number; seed: number };

/** mulberry32: a tiny, fast, well-distributed 32-bit PRNG; enough for sampling and fully reproducible. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `allowed` restricts the choice (token healing); null means every id is allowed. */
export function argmax(logits: Float32Array, allowed: ReadonlySet<number> | null = null): number {
  let best = -1;
  let bestValue = -Infinity;
  if (allowed) {
    for (const id of allowed) if (logits[id]! > bestValue) [best, bestValue] = [id, logits[id]!];
  } else {
    for (let id = 0; id < logits.length; id++) if (logits[id]! > bestValue) [best, bestValue] = [id, logits[id]!];
  }
  if (best < 0) throw new Error("argmax over an empty or all -Infinity logits row");
  return best;
}

/** Temperature then nucleus (top-p) sampling over the allowed ids. */
export function sampleTopP(
  logits: Float32Array,
  temperature: number,
  topP: number,
  random: () => number,
  allowed: ReadonlySet<number> | null = null,
): number {
  const ids = allowed ? [...allowed] : Array.from(logits.keys());
  let max = -Infinity;
  for (const id of ids) max = Math.max(max, logits[id]!);
  // Tokens below e^-20 of the best carry no mass that top-p could reach; dropping them keeps the sort short
  // on 150k-token vocabularies.
  const weighted = ids
    .map((id) => ({ id, weight: Math.exp((logits[id]! - max) / temperature) }))
    .filter((entry) => entry.weight > 2e-9)
    .sort((a, b) => b.weight - a.weight);
  const total = weighted.reduce((sum, entry) => sum + entry.weight, 0);
  // Keep the smallest prefix whose probability mass reaches topP (always at least one token).
  const nucleus = [];
  let mass = 0;
  for (const entry of weighted) {
    nucleus.push(entry);
    mass += entry.weight / total;
    if (mass >= topP) break;
  }
  let threshold = random() * nucleus.reduce((sum, entry) => sum + entry.weight, 0);
  for (const entry of nucleus) {
    threshold -= entry.weight;
    if (threshold <= 0) return entry.id;
  }
  return nucleus[nucleus.length - 1]!.id;
}

export function makeSampler(sampling: Sampling): (logits: Float32Array, allowed: ReadonlySet<number> | null) => number {
  if (sampling.kind === "greedy") return argmax;
  const random = seededRandom(sampling.seed);
  return (logits, allowed) => sampleTopP(logits, sampling.temperature, sampling.topP, random, allowed);
}
