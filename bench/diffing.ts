// Diffing: how long review, apply and revert take on a big file: 10,000 lines with 100 scattered hunks, median of
// several runs after a warm-up. Rebased and merged rows add 100 user edits between the hunks, so apply and revert
// take their three-way path instead of the fast one.
import { performance } from "node:perf_hooks";
import { applyFile } from "../diffing/apply";
import { diffFiles, type FileDiff } from "../diffing/change-set";
import { revertFile } from "../diffing/revert";
import { median, type BenchmarkResult } from "./report";

const lineCount = 10_000;
const hunkCount = 100;
const runs = 9;

/** Line i of the original, CRLF like a Windows checkout. Every 100th line (from 0) is changed by Ghost; the user
 *  types at every 100th line from 50, far from the hunks. */
function files() {
  const lines = Array.from({ length: lineCount }, (_, i) => `  const value${i} = compute(${i}, "${"x".repeat(i % 40)}");`);
  const original = new TextEncoder().encode(lines.map((line) => `${line}\r\n`).join(""));
  const gap = lineCount / hunkCount;
  const proposed = lines.flatMap((line, i) => {
    if (i % gap !== 0) return [line];
    const kind = (i / gap) % 3;
    return kind === 0 ? [line.replace("compute", "computeFast")] : kind === 1 ? [line, "  // Ghost was here"] : [];
  });
  const typed = (from: string[]) => from.flatMap((line, i) => (i % gap === gap / 2 ? [line, "  // the user typed this"] : [line]));
  const crlf = (from: string[]) => new TextEncoder().encode(from.map((line) => `${line}\r\n`).join(""));
  return { original, proposed: proposed.join("\n") + "\n", current: crlf(typed(lines)), lines };
}

function time(run: () => unknown): number {
  run(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return median(times);
}

function expectApplied(result: ReturnType<typeof applyFile>): Uint8Array {
  if (result.kind !== "applied" || result.bytes === null) throw new Error(`bench: expected a clean apply, got ${JSON.stringify(result)}`);
  return result.bytes;
}

export async function diffingBench(): Promise<BenchmarkResult> {
  const { original, proposed, current } = files();
  const diff = diffFiles([{ path: "big.ts", original, proposed }]).files[0] as FileDiff;
  const applied = expectApplied(applyFile(diff, "accept", original));
  const rebased = expectApplied(applyFile(diff, "accept", current));
  // After a rebased apply, the user's 100 lines are there; reverting undoes Ghost's hunks and keeps them.
  const reverted = revertFile({ path: "big.ts", before: current, after: rebased }, rebased);
  if (reverted.kind !== "reverted") throw new Error("bench: the revert conflicted");
  const editedAfter = new TextEncoder().encode(Buffer.from(rebased).toString().replace("value5050 ", "value5050edited "));
  const merged = revertFile({ path: "big.ts", before: current, after: rebased }, editedAfter);
  if (merged.kind !== "reverted") throw new Error("bench: the merged revert conflicted");
  const rows = [
    { step: "compute the change set", ms: time(() => diffFiles([{ path: "big.ts", original, proposed }])) },
    { step: "apply all (file unchanged)", ms: time(() => applyFile(diff, "accept", original)) },
    { step: "apply all, rebased past 100 user edits", ms: time(() => applyFile(diff, "accept", current)) },
    { step: "revert (file untouched since)", ms: time(() => revertFile({ path: "big.ts", before: original, after: applied }, applied)) },
    { step: "revert, merged with a user edit since", ms: time(() => revertFile({ path: "big.ts", before: current, after: rebased }, editedAfter)) },
  ];
  return {
    name: "diffing",
    note: `${lineCount} CRLF lines (${Math.round(original.length / 1024)} KiB), ${diff.hunks.length} hunks: median ms of ${runs} runs.`,
    rows: rows.map((row) => ({ ...row, ms: Number(row.ms.toFixed(3)), lines: lineCount, hunks: diff.hunks.length })),
  };
}
