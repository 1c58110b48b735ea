import * as ort from "onnxruntime-node";
const f = process.argv[2], lvl = process.argv[3] ?? "all";
const s = await ort.InferenceSession.create(f, { graphOptimizationLevel: lvl });
const i64 = (a, d) => new ort.Tensor("int64", BigInt64Array.from(a.map(BigInt)), d);
async function run(rows, masks, pos) {
  const b = rows.length, n = rows[0].length;
  const feeds = { input_ids: i64(rows.flat(), [b, n]), attention_mask: i64(masks.flat(), [b, n]), position_ids: i64(pos.flat(), [b, n]) };
  for (let i = 0; i < 4; i++) for (const kv of ["key", "value"]) feeds[`past_key_values.${i}.${kv}`] = new ort.Tensor("float32", new Float32Array(0), [b, 2, 0, 32]);
  return (await s.run(feeds)).logits;
}
const ids = Array.from({ length: 12 }, (_, i) => 100 + i * 7);
const one = await run([ids], [ids.map(() => 1)], [ids.map((_, i) => i)]);
const V = one.dims[2];
for (const padTok of [1520, 100, 0]) for (const padPos of [1, 0]) {
const pad = [...Array(4).fill(padTok), ...ids];
const p = await run([pad], [[0,0,0,0, ...ids.map(() => 1)]], [[padPos,padPos,padPos,padPos, ...ids.map((_, i) => i)]]);
let d = 0;
for (let t = 0; t < 12; t++) for (let k = 0; k < V; k++) d = Math.max(d, Math.abs(one.data[t*V+k] - p.data[(t+4)*V+k]));
console.log(lvl, "padTok", padTok, "padPos", padPos, d);
}
