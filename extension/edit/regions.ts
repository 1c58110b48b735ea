// The regions one edit rewrites, one per selection (VS Code allows several): whole lines, sorted, with regions that
// overlap or touch merged; and the file with every region replaced by its rewrite, as one proposal. Plain text and
// offsets (LF text); knows nothing about the editor or the model.
import { diffFile, type FileDiff } from "../../diffing/change-set";
import { linesTarget, type EditTarget } from "../../agent/edit/target";

/** Whole-line targets for [start, end) character ranges; an empty range stands for its line. */
export function regionTargets(text: string, ranges: readonly { start: number; end: number }[]): EditTarget[] {
  const targets = ranges.map((range) => linesTarget(text, range.start, range.end)).sort((a, b) => a.start - b.start);
  const merged: EditTarget[] = [];
  for (const target of targets) {
    const last = merged[merged.length - 1];
    if (last && target.start <= last.end) merged[merged.length - 1] = linesTarget(text, last.start, Math.max(last.end, target.end));
    else merged.push(target);
  }
  return merged;
}

export interface Rewrite {
  target: EditTarget;
  text: string;
}

/** The proposal: `text` with each region replaced by its rewrite (regions sorted and apart, as regionTargets gives
 *  them), diffed against the document's exact original bytes. */
export function proposeRewrites(path: string, original: Uint8Array, text: string, rewrites: readonly Rewrite[]): FileDiff | { reason: string } {
  let proposed = "";
  let position = 0;
  for (const { target, text: rewrite } of rewrites) {
    proposed += text.slice(position, target.start) + rewrite;
    position = target.end;
  }
  return diffFile({ path, original, proposed: proposed + text.slice(position) });
}

/** "src/a.ts:3-5, 17" — 1-based lines, for titles and the log. */
export function describeRegions(path: string, targets: readonly EditTarget[]): string {
  const lines = targets.map((target) => (target.startLine === target.endLine ? `${target.startLine + 1}` : `${target.startLine + 1}-${target.endLine + 1}`));
  return `${path}:${lines.join(", ")}`;
}
