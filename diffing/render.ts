// Text renderings of a change set for tests, the CLI and the agent: hunks one line per line (" ctx", "-old",
// "+new"), a unified diff (jsdiff's createTwoFilesPatch), and short reports of what was rejected or conflicted.
// Knows nothing about applying; nothing here is parsed back.
import { createTwoFilesPatch } from "diff";
import type { Conflict } from "./apply";
import type { FileDiff, Hunk } from "./change-set";
import type { Rejection } from "./selection";

/** "@@ -2,3 +2,3 @@\n a\n-b\n+c\n d" */
export function renderHunk(hunk: Hunk): string {
  return [`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`, ...hunk.lines].join("\n");
}

export function renderHunks(diff: FileDiff): string {
  return diff.hunks.map(renderHunk).join("\n");
}

/** A unified diff of the LF-normalized texts; /dev/null stands for the missing side of a create or delete. */
export function unifiedDiff(diff: FileDiff): string {
  const oldName = diff.kind === "create" ? "/dev/null" : `a/${diff.path}`;
  const newName = diff.kind === "delete" ? "/dev/null" : `b/${diff.path}`;
  return createTwoFilesPatch(oldName, newName, diff.oldText, diff.newText, undefined, undefined, { context: 3 });
}

/** For the agent: which of its proposed lines the user did not take. */
export function describeRejections(rejections: readonly Rejection[]): string {
  return rejections
    .map((rejection) => {
      const head = rejection.wholeFile ? `${rejection.path}: the whole file was rejected` : `${rejection.path}: rejected`;
      const hunks = rejection.hunks.map((hunk) => `hunk ${hunk.id} at line ${hunk.oldStart}:\n${hunk.lines.join("\n")}`);
      return [head, ...hunks].join("\n");
    })
    .join("\n\n");
}

export function describeConflicts(path: string, conflicts: readonly Conflict[]): string {
  return conflicts
    .map((conflict) => {
      const where = conflict.line === null ? path : `${path}:${conflict.line}`;
      return `${where}: ${conflict.hunkId === null ? "" : `hunk ${conflict.hunkId}: `}${conflict.reason}`;
    })
    .join("\n");
}
