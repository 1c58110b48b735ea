// `ghost edit FILE:START-END "instruction" [--apply] [--json]`: edit in place from the terminal. Prints the proposed
// change as a unified diff; with --apply, writes it atomically after a checkpoint (revertible byte for byte).
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { parseArgs } from "node:util";
import { editInPlace } from "../agent/edit/edit";
import { linesTarget } from "../agent/edit/target";
import { CheckpointStore } from "../diffing/checkpoint";
import { applyChangeSet } from "../diffing/fs-apply";
import { unifiedDiff } from "../diffing/render";
import { LocalEngine } from "../model/engine";
import { defaultStoreDir } from "../model/store/store-dir";
import { chooseModel, modelOptions, UsageError } from "./options";
import { offsetOf } from "./position";

export async function edit(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...modelOptions, apply: { type: "boolean", default: false }, root: { type: "string" } } });
  const [range, instruction, ...extra] = positionals;
  const match = /^(.+):(\d+)-(\d+)$/.exec(range ?? "");
  if (!match || !instruction || extra.length > 0) throw new UsageError('edit takes FILE:START-END "instruction" (1-based lines, inclusive)');
  const [file, first, last] = [match[1]!, Number(match[2]), Number(match[3])];
  const original = readFileSync(file);
  const text = original.toString("utf8");
  const lineCount = text.split("\n").length;
  if (first < 1 || last < first || last > lineCount) throw new UsageError(`${file} has ${lineCount} lines; ${first}-${last} is not a range of them`);
  const root = resolve(values.root ?? ".");
  const path = relative(root, resolve(file)).split(sep).join("/");
  if (path.startsWith("..")) throw new UsageError(`${file} is outside the workspace root ${root} (--root)`);

  const start = offsetOf(text, { file, line: first, column: 1 });
  const end = last < lineCount ? offsetOf(text, { file, line: last + 1, column: 1 }) : text.length;
  const choice = await chooseModel(values);
  const model = await LocalEngine.load(choice.dir, { variant: choice.variant, threads: choice.threads });
  const outcome = await editInPlace(model, { path, original, text, target: linesTarget(text, start, end), instruction }, new AbortController().signal);
  await model.dispose();
  if (outcome.kind === "refused") throw new Error(`${file}: ${outcome.reason}`);
  if (outcome.kind !== "proposed") {
    console.log(values.json ? JSON.stringify({ outcome: outcome.kind }) : "the model proposed no change");
    return 0;
  }
  const diffText = unifiedDiff(outcome.diff);
  if (!values.apply) {
    console.log(values.json ? JSON.stringify({ outcome: "proposed", diff: diffText, stats: outcome.stats }, null, 2) : diffText);
    return 0;
  }
  const store = await CheckpointStore.open(join(defaultStoreDir(), "..", "checkpoints", createHash("sha256").update(root).digest("hex").slice(0, 16)));
  const applied = await applyChangeSet(root, { files: [outcome.diff], refused: [] }, { [path]: "accept" }, store, `edit ${path}:${first}-${last}`);
  if (applied.kind === "refused") throw new Error(applied.refused.map((refusal) => `${refusal.path}: ${refusal.reason}`).join("; "));
  const conflicted = applied.files.filter((report) => report.result === "conflict");
  console.log(values.json ? JSON.stringify({ outcome: "applied", diff: diffText, checkpoint: applied.checkpoint?.id, files: applied.files }, null, 2) : `${diffText}\napplied; checkpoint ${applied.checkpoint?.id}`);
  return conflicted.length > 0 ? 1 : 0;
}
