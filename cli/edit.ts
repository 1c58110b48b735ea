// `ghost edit FILE:START-END "instruction" [--apply] [--json]`: edit in place from the terminal. Prints the proposed
// change as a unified diff; with --apply, writes it atomically after a checkpoint (revertible byte for byte). When
// the file changed meanwhile and the edit could not be merged, the outcome is "conflict" (exit code 1).
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { parseArgs } from "node:util";
import { editInPlace } from "../agent/edit/edit";
import { linesTarget } from "../agent/edit/target";
import type { FileDiff } from "../diffing/change-set";
import { CheckpointStore } from "../diffing/checkpoint";
import { applyChangeSet } from "../diffing/fs-apply";
import { describeConflicts, unifiedDiff } from "../diffing/render";
import { ghostHome } from "../model/ghost-home";
import { loadModel } from "./load-model";
import { modelOptions, UsageError } from "./options";
import { chooseRoot } from "./root";
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
  const root = chooseRoot(values.root, dirname(resolve(file)));
  const path = relative(root, resolve(file)).split(sep).join("/");
  if (path.startsWith("..")) throw new UsageError(`${file} is outside the workspace root ${root} (--root)`);

  const start = offsetOf(text, { file, line: first, column: 1 });
  const end = last < lineCount ? offsetOf(text, { file, line: last + 1, column: 1 }) : text.length;
  const model = await loadModel(values);
  const outcome = await editInPlace(model, { path, original, text, target: linesTarget(text, start, end), instruction }, new AbortController().signal);
  await model.dispose();
  if (outcome.kind === "refused") throw new Error(`${file}: ${outcome.reason}`);
  if (outcome.kind !== "proposed") {
    console.log(values.json ? JSON.stringify({ outcome: outcome.kind }) : "the model proposed no change");
    return 0;
  }
  const diffText = unifiedDiff(outcome.diff);
  // On stderr, so stdout stays a diff that patch tools take as it is.
  if (!values.json && outcome.stats.constrained) console.error(`(constrained: one fenced block, ${outcome.stats.generatedTokens} tokens, ${outcome.stats.constrained.forcedTokens} of them taken to close it)`);
  if (!values.apply) {
    console.log(values.json ? JSON.stringify({ outcome: "proposed", diff: diffText, stats: outcome.stats }, null, 2) : diffText);
    return 0;
  }
  return apply(root, outcome.diff, `edit ${path}:${first}-${last}`, diffText, values.json);
}

/** Writes the edit after a checkpoint. The file may have changed while the model was rewriting it: what could not
 *  be merged is left as it is, and the outcome says "conflict" (exit code 1), never "applied". */
async function apply(root: string, diff: FileDiff, label: string, diffText: string, json: boolean): Promise<number> {
  const store = await CheckpointStore.open(join(ghostHome(), "checkpoints", createHash("sha256").update(root).digest("hex").slice(0, 16)));
  const applied = await applyChangeSet(root, { files: [diff], refused: [] }, { [diff.path]: "accept" }, store, label);
  if (applied.kind === "refused") throw new Error(applied.refused.map((refusal) => `${refusal.path}: ${refusal.reason}`).join("; "));
  const conflicts = applied.files.flatMap((report) => (report.result === "conflict" ? [describeConflicts(report.path, report.conflicts)] : []));
  const outcome = conflicts.length > 0 ? "conflict" : "applied";
  const where = applied.checkpoint ? `checkpoint ${applied.checkpoint.id}` : "nothing was written";
  const said = conflicts.length > 0 ? `conflict: ${diff.path} changed meanwhile, and not all of the edit was applied:\n${conflicts.join("\n")}` : "applied";
  console.log(json ? JSON.stringify({ outcome, diff: diffText, checkpoint: applied.checkpoint?.id ?? null, files: applied.files }, null, 2) : `${diffText}\n${said}; ${where}`);
  return conflicts.length > 0 ? 1 : 0;
}
