// Where the undecided hunks of an edit proposal sit in the document as it is now, after the user kept typing (and
// after Ghost applied the hunks already accepted): each hunk's edits are rebased onto the current text with
// diffing's three-way rebase, so the review draws them on the right lines. Plain text in, line numbers out; knows
// nothing about VS Code (the review draws what this returns).
import type { FileDiff } from "../../diffing/change-set";
import { decodedLines, lineEdits, rebase, type Edit } from "../../diffing/merge";
import { selectFile } from "../../diffing/selection";
import { decode, sameBytes, type Decoded } from "../../diffing/text-format";

/** Lines [start, end) of the current text (0-based) that the hunk replaces with `added`; start === end inserts. */
export interface LineChange {
  start: number;
  end: number;
  added: string[];
}

/** `number`: the hunk's 1-based position in the proposal, for labels ("hunk 2 of 3").
 *  clean: it applies at `changes`. conflict: a user edit touches it at `line`. done: the user made this very change. */
export type HunkPlace =
  | { kind: "clean"; id: string; number: number; changes: LineChange[] }
  | { kind: "conflict"; id: string; number: number; line: number }
  | { kind: "done"; id: string; number: number };

export function placeHunks(diff: FileDiff, pending: readonly string[], currentText: string): HunkPlace[] {
  const current = new TextEncoder().encode(currentText);
  const userEdits = sameBytes(current, diff.original) ? [] : lineEdits(decodedLines(textOf(diff.original!)), decodedLines(textOf(current)));
  return diff.hunks.flatMap((hunk, index): HunkPlace[] => {
    if (!pending.includes(hunk.id)) return [];
    const number = index + 1;
    const { edits } = selectFile(diff, { hunks: { [hunk.id]: "accept" } });
    const { rebased, clashes } = rebase(edits, userEdits);
    if (clashes.length > 0) return [{ kind: "conflict", id: hunk.id, number, line: clashes[0]!.line }];
    if (rebased.length === 0) return [{ kind: "done", id: hunk.id, number }];
    return [{ kind: "clean", id: hunk.id, number, changes: rebased.map(toChange) }];
  });
}

function toChange(edit: Edit): LineChange {
  return { start: edit.start, end: edit.end, added: edit.texts };
}

function textOf(bytes: Uint8Array): Decoded {
  const decoded = decode(bytes);
  // The review only holds proposals made on a document's text, which is always valid text.
  if (decoded.kind === "unsupported") throw new Error(`an edit proposal holds text that does not decode: ${decoded.reason}`);
  return decoded;
}
