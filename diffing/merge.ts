// Line edits and the three-way rebase that apply and revert share: Ghost's edits and the user's edits are both
// made against one base text; Ghost's are moved onto the user's text where no user edit touches them, and
// reported as clashes where one does. Knows nothing about hunks, selections, bytes or files.
import { diffArrays } from "diff";
import { splitLines, type Decoded, type Endings, type LineEnding } from "./text-format";

/** A text as lines, each with its own ending (undefined: the file's usual one, see text-format.ts). */
export interface Lines {
  texts: string[];
  endings: (LineEnding | undefined)[];
}

/** Replace base lines [start, end) with `texts`. An insertion has start === end. */
export interface Edit {
  start: number;
  end: number;
  texts: string[];
  endings: (LineEnding | undefined)[];
  /** The proposal hunk this edit came from, for reports. */
  hunkId?: string;
}

/** A Ghost edit that a user edit overlaps or touches; `line` is where the user's edit sits in the user's text. */
export interface Clash {
  edit: Edit;
  user: Edit;
  line: number;
}

export function toLines(texts: string[], endings: Endings): Lines {
  return { texts, endings: texts.map((_, index) => endings[index]) };
}

export function decodedLines(decoded: Decoded): Lines {
  return { texts: splitLines(decoded.text), endings: decoded.lineEndings };
}

/** jsdiff's Myers diff costs about (lines × changed lines): on 10,000 lines, 1,000 changed lines take ~0.15 s and
 *  two files with nothing in common ~40 s. Past this many changed lines (added + removed) a diff gives up, and the
 *  lines between the common start and end become one edit (or one hunk): exact, only coarser. */
export const maxEditLength = 1000;

/** The edits that turn `a` into `b` (jsdiff's diffArrays). A line is the same only if its text and its ending are:
 *  a changed ending is a change the user made, to be kept, or one Ghost's revert must undo. */
export function lineEdits(a: Lines, b: Lines): Edit[] {
  const key = (lines: Lines) => lines.texts.map((text, index) => text + (lines.endings[index] ?? ""));
  const [keysA, keysB] = [key(a), key(b)];
  const changes = diffArrays(keysA, keysB, { maxEditLength });
  if (!changes) {
    const { start, end } = commonEnds(keysA, keysB);
    const edit: Edit = { start, end: a.texts.length - end, texts: [], endings: [] };
    append(edit, b, start, b.texts.length - end);
    return [edit];
  }
  const edits: Edit[] = [];
  let i = 0; // position in a
  let j = 0; // position in b
  let open: Edit | null = null;
  for (const change of changes) {
    if (!change.added && !change.removed) {
      if (open) edits.push(open);
      open = null;
      i += change.count;
      j += change.count;
      continue;
    }
    open ??= { start: i, end: i, texts: [], endings: [] };
    if (change.removed) {
      open.end += change.count;
      i += change.count;
    } else {
      append(open, b, j, j + change.count);
      j += change.count;
    }
  }
  if (open) edits.push(open);
  return edits;
}

/** Moves `edits` (sorted, on the base) onto the text `userEdits` (sorted, on the same base) lead to. An edit
 *  clashes with a user edit that overlaps it or touches it with no unchanged line between (as in git: the order
 *  of two adjacent changes is a guess), unless the user made exactly the same edit, which then counts as done. */
export function rebase(edits: readonly Edit[], userEdits: readonly Edit[]): { rebased: Edit[]; clashes: Clash[] } {
  const rebased: Edit[] = [];
  const clashes: Clash[] = [];
  let j = 0;
  let shift = 0; // lines the user edits before position j added (or, negative, removed)
  for (const edit of edits) {
    while (j < userEdits.length && userEdits[j]!.end < edit.start) {
      shift += userEdits[j]!.texts.length - (userEdits[j]!.end - userEdits[j]!.start);
      j++;
    }
    const touching: Edit[] = [];
    for (let k = j; k < userEdits.length && userEdits[k]!.start <= edit.end; k++) touching.push(userEdits[k]!);
    if (touching.length === 0) rebased.push({ ...edit, start: edit.start + shift, end: edit.end + shift });
    else if (touching.length > 1 || !sameEdit(touching[0]!, edit)) {
      clashes.push({ edit, user: touching[0]!, line: touching[0]!.start + shift });
    }
  }
  return { rebased, clashes };
}

/** The base with the edits (sorted, not overlapping) applied. */
export function applyEdits(base: Lines, edits: readonly Edit[]): Lines {
  const out: Lines = { texts: [], endings: [] };
  let position = 0;
  for (const edit of edits) {
    append(out, base, position, edit.start);
    append(out, edit, 0, edit.texts.length);
    position = edit.end;
  }
  append(out, base, position, base.texts.length);
  return out;
}

/** Copies lines [from, to) of `source` onto `target` (a loop: spreading 100k lines into push() overflows the stack). */
function append(target: Lines, source: Lines, from: number, to: number): void {
  for (let index = from; index < to; index++) {
    target.texts.push(source.texts[index]!);
    target.endings.push(source.endings[index]);
  }
}

/** How many lines `a` and `b` share at their start, and then at their end. */
export function commonEnds(a: readonly string[], b: readonly string[]): { start: number; end: number } {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  return { start, end };
}

function sameEdit(a: Edit, b: Edit): boolean {
  return a.start === b.start && a.end === b.end && a.texts.join("\n") === b.texts.join("\n");
}
