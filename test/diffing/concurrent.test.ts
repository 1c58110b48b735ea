// The user keeps typing while Ghost works. An edit elsewhere survives apply and revert, byte for byte; an edit on
// what Ghost changes is a conflict on apply and on revert, and the user's text is still there.
// Files here have unique, non-empty lines, so where a diff puts each change is not a guess and the expected bytes
// are exact; the duplicate-heavy files of the other properties test everything else.
import { test } from "node:test";
import assert from "node:assert/strict";
import { applyFile } from "../../diffing/apply";
import { diffFile, type FileDiff, type Hunk } from "../../diffing/change-set";
import { revertFile } from "../../diffing/revert";
import type { FileChoice } from "../../diffing/selection";
import type { LineEnding } from "../../diffing/text-format";
import { assertBytes, dominant, expected, hunkSteps, parse, randomChoice, randomFile, reparse, steps, toBytes } from "./model";
import type { FileModel, Line, Step } from "./model";
import { forEachSeed, randomEdits, randomEnding, randomLine, type Random } from "./random";

interface Scenario {
  original: FileModel;
  diff: FileDiff;
  all: Step[];
  map: number[][];
  choice: FileChoice;
  accepted: Set<number>;
}

function scenario(random: Random, unique: { next: number }): Scenario {
  const original = randomFile(random, unique);
  const proposed = randomEdits(random, original.lines.map((line) => line.text), unique).join("\n") + (random.chance(0.8) ? "\n" : "");
  const diff = diffFile({ path: "f.txt", original: toBytes(original), proposed });
  assert.ok(!("reason" in diff));
  const all = steps(diff.oldText, diff.newText);
  const map = hunkSteps(all, diff.hunks);
  const { choice, accepted } = randomChoice(random, diff.hunks, map, random.pick(["accept", "hunks", "lines"] as const));
  return { original, diff, all, map, choice, accepted };
}

/** A line the user typed, with whatever ending the user's editor gave it. */
function typed(random: Random, unique: { next: number }): Line {
  return { text: `typed ${randomLine(random, unique)}`, ending: randomEnding(random, "mixed"), origin: "user" };
}

type UserEdit = { at: number; kind: "replace" | "delete" | "insert"; lines: Line[] };

function randomUserEdit(random: Random, unique: { next: number }, at: number): UserEdit {
  const kind = random.pick(["replace", "delete", "insert"] as const);
  return { at, kind, lines: kind === "delete" ? [] : Array.from({ length: 1 + random.int(2) }, () => typed(random, unique)) };
}

/** `lines` with the edit made: what stands for each line after it (a group per line, in order). */
function groups(lines: readonly Line[], edit: UserEdit | null): Line[][] {
  return lines.map((line, index) => {
    if (!edit || index !== edit.at) return [line];
    return edit.kind === "replace" ? edit.lines : edit.kind === "delete" ? [] : [...edit.lines, line];
  });
}

/** Bytes as the user's editor writes `lines` in the format of `like`; the model read back from those bytes. */
function written(like: FileModel, lines: Line[], eol?: LineEnding): FileModel {
  const file = reparse({ bom: like.bom, finalNewline: like.finalNewline, lines }, eol);
  assert.deepEqual(file.lines.map((line) => line.text), lines.map((line) => line.text), "the model must survive its own bytes");
  return file;
}

const inHunk = (hunks: readonly Hunk[], line: number) => hunks.some((hunk) => line >= hunk.oldStart - 1 && line < hunk.oldStart - 1 + hunk.oldLines);

test("property: a user edit elsewhere survives apply (before it) and revert (after it), byte for byte", () => {
  let both = 0;
  forEachSeed(400, (random) => {
    const unique = { next: 0 };
    const { original, diff, all, accepted, choice } = scenario(random, unique);

    // 1. Between proposal and apply, the user edits a line no hunk (with its context) touches.
    const free = original.lines.map((_, index) => index).filter((index) => !inHunk(diff.hunks, index));
    const first = free.length > 0 && random.chance(0.9) ? randomUserEdit(random, unique, random.pick(free)) : null;
    const byOld = groups(original.lines, first);
    const current = written(original, byOld.flat());
    let next = 0; // the lines of `current` stand for the groups, in order; they carry their index in current
    current.lines.forEach((line, index) => (line.origin = index));
    const groupsNow = byOld.map((group) => current.lines.slice(next, (next += group.length)));

    const want = expected(all, accepted, (old) => groupsNow[old]!);
    const applied = applyFile(diff, choice, toBytes(current));
    assert.equal(applied.kind, "applied");
    const afterBytes = applied.kind === "applied" ? applied.bytes : null;
    assertBytes(afterBytes, toBytes({ ...current, lines: want.lines }, dominant(current)), "applied bytes");
    const after = written(current, want.lines, dominant(current));

    // 2. Between apply and revert, the user edits a line at least 3 lines from anything Ghost wrote or removed.
    const dirty = new Set<number>();
    after.lines.forEach((line, index) => line.origin === "ghost" && [-2, -1, 0, 1, 2].forEach((d) => dirty.add(index + d)));
    want.cuts.forEach((cut) => [-3, -2, -1, 0, 1, 2].forEach((d) => dirty.add(cut + d)));
    const safe = after.lines.map((_, index) => index).filter((index) => !dirty.has(index));
    const second = safe.length > 0 ? randomUserEdit(random, unique, random.pick(safe)) : null;
    const edited = written(after, groups(after.lines, second).flat());
    const reverted = revertFile({ path: "f.txt", before: toBytes(current), after: afterBytes }, toBytes(edited));
    assert.equal(reverted.kind, "reverted", JSON.stringify(reverted));

    // Expected: the file as it was before apply, exactly; with a second edit, that edit made on the same line, in
    // the format the file has now.
    const wantBack = second && groups(current.lines, { ...second, at: after.lines[second.at]!.origin as number }).flat();
    const wantBytes = wantBack ? toBytes({ ...edited, lines: wantBack }, dominant(edited)) : toBytes(current);
    assertBytes(reverted.kind === "reverted" ? reverted.bytes : null, wantBytes, "reverted bytes");
    if (first && second) both++;
  });
  if (!process.env.GHOST_SEED) assert.ok(both > 150, `only ${both} cases edited both before apply and before revert`);
});

test("property: a user edit on what Ghost changes is a conflict on apply and on revert, never an overwrite", () => {
  let applyConflicts = 0;
  let revertConflicts = 0;
  forEachSeed(400, (random) => {
    const unique = { next: 0 };
    const { original, diff, all, map, choice, accepted } = scenario(random, unique);
    if (accepted.size === 0) return;

    // Apply: the user changed the line an accepted "-" removes, or typed a line where an accepted "+" goes.
    const step = random.pick([...accepted]);
    const line = typed(random, unique);
    const lines = [...original.lines];
    if (all[step]!.kind === "remove") lines[all[step]!.old] = line;
    else lines.splice(all[step]!.old, 0, line);
    const current = written(original, lines);
    const applied = applyFile(diff, choice, toBytes(current));
    assert.equal(applied.kind, "conflict");
    if (applied.kind !== "conflict") return;
    const hunk = diff.hunks[map.findIndex((steps) => steps.includes(step))]!;
    assert.ok(applied.conflicts.some((conflict) => conflict.hunkId === hunk.id), "the conflict names the hunk");
    assert.ok(!applied.appliedHunks.includes(hunk.id));
    const partial = new Set(parse(applied.partial!).lines.map((kept) => kept.text));
    assert.ok(partial.has(line.text), "the user's line is still there");
    // A hunk applies whole or not at all: none of its accepted lines went in, none of its removals happened.
    for (const index of map[diff.hunks.indexOf(hunk)]!.filter((index) => accepted.has(index))) {
      const { kind, text, old } = all[index]!;
      if (kind === "add") assert.ok(!partial.has(text), `added line ${text} of the conflicting hunk`);
      else if (old !== all[step]!.old || all[step]!.kind !== "remove") assert.ok(partial.has(text), `removed line ${text} of the conflicting hunk`);
    }
    applyConflicts++;

    // Revert: after a clean apply, the user changed a line Ghost wrote, or typed where Ghost removed lines.
    const clean = applyFile(diff, choice, toBytes(original));
    assert.equal(clean.kind, "applied");
    if (clean.kind !== "applied" || clean.bytes === null) return;
    const want = expected(all, accepted, (old) => [original.lines[old]!]);
    const after = written(original, want.lines, dominant(original));
    const ghostLines = after.lines.flatMap((kept, index) => (kept.origin === "ghost" ? [index] : []));
    const edited = [...after.lines];
    if (ghostLines.length > 0) edited[random.pick(ghostLines)] = typed(random, unique);
    else if (want.cuts.length > 0) edited.splice(random.pick(want.cuts), 0, typed(random, unique));
    else return;
    const reverted = revertFile({ path: "f.txt", before: toBytes(original), after: clean.bytes }, toBytes(written(after, edited)));
    assert.equal(reverted.kind, "conflict");
    revertConflicts++;
  });
  const tried = `${applyConflicts} apply, ${revertConflicts} revert conflicts`;
  if (!process.env.GHOST_SEED) assert.ok(applyConflicts > 150 && revertConflicts > 150, tried);
});
