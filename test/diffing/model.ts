// The tests' own model of a text file, written apart from diffing/ so that expected results never come from the
// code under test: lines with their endings, built into bytes and parsed back by the plainest code that can, and
// the expected result of a selection, walked over jsdiff's diffLines output (not over Ghost's hunks or edits).
import assert from "node:assert/strict";
import { diffLines } from "diff";
import type { FileChoice } from "../../diffing/selection";
import type { Hunk } from "../../diffing/change-set";
import type { LineEnding } from "../../diffing/text-format";
import { randomCount, randomEnding, randomLine, type EndingStyle, type Random } from "./random";

/** Where a line came from: a line of the file the test started from (its index), the user, or Ghost. */
export type Origin = number | "user" | "ghost";

export interface Line {
  text: string;
  /** undefined: the last line of a file without final newline, or a line Ghost added (gets the usual ending). */
  ending: LineEnding | undefined;
  origin: Origin;
}

export interface FileModel {
  bom: boolean;
  finalNewline: boolean;
  lines: Line[];
}

export function randomFile(random: Random, unique?: { next: number }): FileModel {
  const style = random.pick<EndingStyle>(["lf", "crlf", "cr", "mixed", "mixed"]);
  const lines = Array.from({ length: randomCount(random) }, (_, index) => ({
    text: randomLine(random, unique),
    ending: randomEnding(random, style),
    origin: index,
  }));
  return reparse({ bom: random.chance(0.25), finalNewline: random.chance(0.7), lines });
}

/** The model as the bytes it writes read it back: the bytes are the truth, origins carry over by index. */
export function reparse(file: FileModel, eol?: LineEnding): FileModel {
  const back = parse(toBytes(file, eol));
  if (back.lines.length === file.lines.length) back.lines.forEach((line, index) => (line.origin = file.lines[index]!.origin));
  return back;
}

/** Most common ending (ties: LF, CRLF, CR; none: LF). */
export function dominant(file: FileModel): LineEnding {
  const count = (ending: LineEnding) => file.lines.filter((line) => line.ending === ending).length;
  return (["\r\n", "\r"] as const).reduce<LineEnding>((best, ending) => (count(ending) > count(best) ? ending : best), "\n");
}

/** Lines without an ending get `eol` (default: the file's dominant one). */
export function toBytes(file: FileModel, eol: LineEnding = dominant(file)): Uint8Array {
  let text = file.bom ? "\uFEFF" : "";
  let previous = "";
  file.lines.forEach((line, index) => {
    let ending = line.ending ?? eol;
    if (previous === "\r" && line.text === "" && ending === "\n") ending = "\r\n"; // "\r" + "\n" would read as one CRLF
    text += index === file.lines.length - 1 && !file.finalNewline ? line.text : line.text + ending;
    previous = ending;
  });
  return new TextEncoder().encode(text);
}

export function parse(bytes: Uint8Array): FileModel {
  let text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
  const bom = text.startsWith("\uFEFF");
  if (bom) text = text.slice(1);
  const parts = text.split(/(\r\n|\r|\n)/); // [text, ending, text, ending, ..., rest]
  const lines: Line[] = [];
  for (let index = 0; index + 1 < parts.length; index += 2) {
    lines.push({ text: parts[index]!, ending: parts[index + 1] as LineEnding, origin: lines.length });
  }
  const rest = parts[parts.length - 1]!;
  if (rest !== "") lines.push({ text: rest, ending: undefined, origin: lines.length });
  return { bom, finalNewline: rest === "", lines };
}

export function textOf(lines: readonly { text: string }[]): string {
  return lines.map((line) => `${line.text}\n`).join("");
}

/** jsdiff's diffLines, one step per line; `old` is the line's index in the old text. */
export interface Step {
  kind: "keep" | "remove" | "add";
  text: string;
  old: number;
}

export function steps(oldText: string, newText: string): Step[] {
  const out: Step[] = [];
  let old = 0;
  for (const change of diffLines(oldText, newText)) {
    const kind = change.added ? "add" : change.removed ? "remove" : "keep";
    for (const text of change.value.slice(0, -1).split("\n")) {
      out.push({ kind, text, old });
      if (kind !== "add") old++;
    }
  }
  return out;
}

/** For each hunk, for each of its lines, the step it shows (-1 for context). Checks that the hunks show every
 *  change of diffLines, in order, and nothing else. */
export function hunkSteps(allSteps: readonly Step[], hunks: readonly Hunk[]): number[][] {
  const changes = allSteps.flatMap((step, index) => (step.kind === "keep" ? [] : [index]));
  let next = 0;
  const map = hunks.map((hunk) =>
    hunk.lines.map((line) => {
      if (line[0] === " ") return -1;
      const index = changes[next++]!;
      const step = allSteps[index]!;
      assert.equal(line, `${step.kind === "add" ? "+" : "-"}${step.text}`);
      return index;
    }),
  );
  assert.equal(next, changes.length, "the hunks miss some changes");
  return map;
}

export type SelectionMode = "accept" | "reject" | "hunks" | "lines";

/** A random choice for one file and the steps it accepts. */
export function randomChoice(
  random: Random,
  hunks: readonly Hunk[],
  map: number[][],
  mode: SelectionMode,
): { choice: FileChoice; accepted: Set<number> } {
  const accepted = new Set<number>();
  const all = map.flat().filter((step) => step >= 0);
  if (mode === "accept") return { choice: "accept", accepted: new Set(all) };
  if (mode === "reject") return { choice: "reject", accepted };
  const choice: FileChoice = { hunks: {} };
  hunks.forEach((hunk, h) => {
    if (mode === "hunks") {
      const take = random.chance(0.5);
      if (take) map[h]!.filter((step) => step >= 0).forEach((step) => accepted.add(step));
      if (take || random.chance(0.5)) choice.hunks[hunk.id] = take ? "accept" : "reject"; // unnamed: rejected
      return;
    }
    const lines = map[h]!.flatMap((step, index) => (step >= 0 && random.chance(0.5) ? [index] : []));
    lines.forEach((index) => accepted.add(map[h]![index]!));
    choice.hunks[hunk.id] = { lines };
  });
  return { choice, accepted };
}

/** The lines a selection makes of the old file: walks the steps, keeping what is not removed and adding what is
 *  accepted. `keep(old)` gives the lines that stand for old line `old` (itself, or what the user made of it).
 *  Also says where Ghost's lines and cuts (removed lines) land in the result. */
export function expected(allSteps: readonly Step[], accepted: ReadonlySet<number>, keep: (old: number) => Line[]) {
  const lines: Line[] = [];
  const cuts: number[] = [];
  allSteps.forEach((step, index) => {
    if (step.kind === "add") {
      if (accepted.has(index)) lines.push({ text: step.text, ending: undefined, origin: "ghost" });
    } else if (step.kind === "remove" && accepted.has(index)) cuts.push(lines.length);
    else lines.push(...keep(step.old));
  });
  return { lines, cuts };
}

/** Equal bytes, or a failure that shows where they first differ (files may hold 100k-char lines). */
export function assertBytes(actual: Uint8Array | null, wanted: Uint8Array | null, what = "bytes"): void {
  if (actual === null || wanted === null) return assert.equal(actual === null ? null : "bytes", wanted === null ? null : "bytes", what);
  if (Buffer.compare(actual, wanted) === 0) return;
  let at = 0;
  while (at < actual.length && actual[at] === wanted[at]) at++;
  const around = (bytes: Uint8Array) => JSON.stringify(Buffer.from(bytes.subarray(Math.max(0, at - 60), at + 60)).toString("latin1"));
  assert.fail(`${what} differ at byte ${at} (lengths ${actual.length}, ${wanted.length}):\n  actual ${around(actual)}\n  wanted ${around(wanted)}`);
}
