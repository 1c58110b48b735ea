// Applies the accepted parts of one file's proposal to the file as it is NOW, which may differ from the original
// the proposal was made against because the user kept typing. Accepted edits are rebased past the user's edits;
// one that a user edit touches is a conflict, never an overwrite. The output keeps the current file's BOM, line
// endings and final newline. Knows nothing about the disk, checkpoints or the editor: bytes in, bytes out.
import type { FileDiff } from "./change-set";
import { applyEdits, decodedLines, lineEdits, rebase, toLines, type Clash } from "./merge";
import { selectFile, type FileChoice } from "./selection";
import { decode, encodeLines, sameBytes, type Decoded } from "./text-format";

export interface Conflict {
  /** The proposal hunk that could not be applied; null when the whole file is in conflict. */
  hunkId: string | null;
  /** 1-based line in the current file where the user's change sits; null for the whole file. */
  line: number | null;
  reason: string;
}

/** bytes: what the file should become (null: deleted). `partial`: the current bytes with every hunk that does
 *  not conflict applied; absent when the conflict is the whole file. */
export type ApplyResult =
  | { kind: "applied"; bytes: Uint8Array | null; appliedHunks: string[] }
  | { kind: "conflict"; conflicts: Conflict[]; partial?: Uint8Array; appliedHunks: string[] };

export function applyFile(diff: FileDiff, choice: FileChoice, current: Uint8Array | null): ApplyResult {
  const selected = selectFile(diff, choice);
  const nothing = selected.acceptedHunks.length === 0 && choice !== "accept";
  if (nothing) return { kind: "applied", bytes: current, appliedHunks: [] };
  if (diff.kind === "create") {
    const bytes = encodeLines(applyEdits(toLines([], []), selected.edits).texts, diff.format);
    if (current === null || sameBytes(current, bytes)) return { kind: "applied", bytes, appliedHunks: selected.acceptedHunks };
    return fileConflict("the file was created since the proposal; Ghost will not overwrite it");
  }
  if (current === null) return fileConflict("the file was deleted since the proposal");
  if (!selected.exists) {
    if (sameBytes(current, diff.original)) return { kind: "applied", bytes: null, appliedHunks: selected.acceptedHunks };
    return fileConflict("the file changed since the proposal to delete it; Ghost will not delete your changes");
  }
  const now = decode(current);
  if (now.kind === "unsupported") return fileConflict(`the file is now ${now.reason}`);
  const mine = decodedLines(now);
  const userEdits = sameBytes(current, diff.original) ? [] : lineEdits(decodedLines(decodeOriginal(diff)), mine);
  const { rebased, clashes } = rebase(selected.edits, userEdits);
  const clashing = new Set(clashes.map((clash) => clash.edit.hunkId));
  // A hunk applies whole or not at all: drop every edit of a hunk that clashes anywhere.
  const clean = rebased.filter((edit) => !clashing.has(edit.hunkId));
  const result = applyEdits(mine, clean);
  const bytes = encodeLines(result.texts, now.format, result.endings);
  const appliedHunks = selected.acceptedHunks.filter((id) => !clashing.has(id));
  if (clashes.length === 0) return { kind: "applied", bytes, appliedHunks };
  return { kind: "conflict", conflicts: clashes.map(describe), partial: bytes, appliedHunks };
}

function describe(clash: Clash): Conflict {
  const { user } = clash;
  const what = user.texts.length === 0 ? "deleted" : user.end === user.start ? "inserted" : "changed";
  return {
    hunkId: clash.edit.hunkId ?? null,
    line: clash.line + 1,
    reason: `you ${what} lines here since the proposal, where (or next to where) this hunk changes the file`,
  };
}

function decodeOriginal(diff: FileDiff): Decoded {
  const decoded = decode(diff.original!);
  if (decoded.kind === "unsupported") throw new Error(`${diff.path}: a change set holds an original that is not text`);
  return decoded;
}

function fileConflict(reason: string): ApplyResult {
  return { kind: "conflict", conflicts: [{ hunkId: null, line: null, reason }], appliedHunks: [] };
}
