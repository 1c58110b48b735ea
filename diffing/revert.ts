// Reverts one file of a checkpoint against the file as it is NOW: if nobody touched it since, the exact bytes from
// before come back; if the user edited it since, Ghost's edits are undone and the user's are kept (a three-way
// rebase on the bytes Ghost wrote); where the user changed what Ghost changed, a conflict. A file is reverted whole
// or not at all: half a revert is a state nobody asked for. Knows nothing about the disk or the checkpoint store.
import type { Conflict } from "./apply";
import type { FileSnapshot } from "./checkpoint";
import { applyEdits, decodedLines, lineEdits, rebase } from "./merge";
import { decode, encodeLines, sameBytes, type Decoded } from "./text-format";

/** bytes: what the file should become (null: removed). */
export type RevertResult = { kind: "reverted"; bytes: Uint8Array | null } | { kind: "conflict"; conflicts: Conflict[] };

export function revertFile(snapshot: FileSnapshot, current: Uint8Array | null): RevertResult {
  const { before, after } = snapshot;
  if (sameBytes(current, after)) return { kind: "reverted", bytes: before };
  if (after === null) return fileConflict("Ghost deleted this file and it has been created again since; Ghost will not overwrite it");
  if (current === null) return fileConflict("the file was deleted since Ghost changed it");
  if (before === null) return fileConflict("Ghost created this file and it was edited since; delete it yourself if you want it gone");
  const now = decode(current);
  if (now.kind === "unsupported") return fileConflict(`the file is now ${now.reason}`);
  const base = decodedLines(known(after, snapshot.path));
  const mine = decodedLines(now);
  const undo = lineEdits(base, decodedLines(known(before, snapshot.path)));
  const { rebased, clashes } = rebase(undo, lineEdits(base, mine));
  if (clashes.length > 0) {
    return {
      kind: "conflict",
      conflicts: clashes.map((clash) => ({
        hunkId: null,
        line: clash.line + 1,
        reason: "you changed lines here since Ghost's edit, where (or next to where) the revert would change them back",
      })),
    };
  }
  const result = applyEdits(mine, rebased);
  return { kind: "reverted", bytes: encodeLines(result.texts, now.format, result.endings) };
}

/** Bytes Ghost wrote or read as text once: failing to decode them now is a bug, not an outcome. */
function known(bytes: Uint8Array, path: string): Decoded {
  const decoded = decode(bytes);
  if (decoded.kind === "unsupported") throw new Error(`${path}: a checkpoint holds bytes that are not text`);
  return decoded;
}

function fileConflict(reason: string): RevertResult {
  return { kind: "conflict", conflicts: [{ hunkId: null, line: null, reason }] };
}
