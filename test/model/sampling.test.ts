import { test } from "node:test";
import assert from "node:assert/strict";
import { argmax, makeSampler, sampleTopP, seededRandom } from "../../model/sampling";

const logits = Float32Array.from([0.1, 2.5, -1, 2.4, 0]);

test("greedy picks the largest logit, within the allowed ids when given", () => {
  assert.equal(argmax(logits), 1);
  assert.equal(argmax(logits, new Set([0, 3, 4])), 3);
});

test("a seed reproduces a sampled sequence exactly; another seed gives another", () => {
  const draw = (seed: number) => {
    const sample = makeSampler({ kind: "sample", temperature: 1.5, topP: 1, seed });
    return Array.from({ length: 40 }, () => sample(logits, null)).join("");
  };
  assert.equal(draw(7), draw(7));
  assert.notEqual(draw(7), draw(8));
});

test("top-p keeps only the nucleus: with p small, sampling is greedy", () => {
  const random = seededRandom(1);
  const picks = new Set(Array.from({ length: 50 }, () => sampleTopP(logits, 1, 0.01, random)));
  assert.deepEqual([...picks], [1]);
});

test("top-p 0.9 never picks the tail token that lies outside the nucleus", () => {
  // Probabilities ~ [0.07, 0.44, 0.01, 0.40, 0.07]: the 90% nucleus is {1, 3, 0 or 4}; id 2 is never chosen.
  const random = seededRandom(3);
  const picks = Array.from({ length: 500 }, () => sampleTopP(logits, 1, 0.9, random));
  assert.ok(!picks.includes(2));
  assert.ok(picks.includes(1) && picks.includes(3));
});

test("the seeded generator is uniform enough to sample with", () => {
  const random = seededRandom(42);
  const values = Array.from({ length: 10000 }, random);
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  assert.ok(Math.abs(mean - 0.5) < 0.02, `mean ${mean}`);
  assert.ok(values.every((value) => value >= 0 && value < 1));
});
