// The code a change adds, per file: the new text to parse and which of its lines are new. A change set has the
// whole proposed text; so does a patch applied to the original when the original is at hand (or the file itself,
// when it already holds the patch's result: `git diff > change.patch`). A bare patch gives
// only its hunks: their new-side lines are placed at their line numbers with blank lines between, and parsed as a
// best-effort fragment. Knows diffs, not conventions.
import { applyPatch, parsePatch, reversePatch, type StructuredPatch } from "diff";
import type { ChangeSet } from "../../diffing/change-set";

export interface AddedCode {
  path: string;
  text: string;
  /** 1-based lines of `text` that the change adds. */
  added: Set<number>;
  created: boolean;
  /** false when `text` is pieced together from hunks. */
  whole: boolean;
}

type Hunk = StructuredPatch["hunks"][number];

export function addedFromChangeSet(changeSet: ChangeSet): AddedCode[] {
  return changeSet.files
    .filter((file) => file.kind !== "delete")
    .map((file) => ({ path: file.path, text: file.newText, added: addedLines(file.hunks), created: file.kind === "create", whole: true }));
}

export type PatchResult = { ok: true; files: AddedCode[] } | { ok: false; error: string };

/** `readOriginal` gives a file's current text (null when it is not at hand): the patch is applied to it, or, when
 *  the patch undoes cleanly from it, the text already is the patched one. */
export function addedFromPatch(patch: string, readOriginal: (path: string) => string | null = () => null): PatchResult {
  const parsed = parse(patch);
  if (!parsed.ok) return parsed;
  if (parsed.patches.every((filePatch) => filePatch.hunks.length === 0)) return { ok: false, error: "not a unified diff: no hunks in it" };
  const files: AddedCode[] = [];
  for (const filePatch of parsed.patches) {
    const path = stripPrefix(filePatch.newFileName ?? filePatch.oldFileName);
    if (!path || path === "/dev/null" || filePatch.hunks.length === 0) continue;
    const created = stripPrefix(filePatch.oldFileName) === "/dev/null";
    const current = created ? "" : readOriginal(path);
    const whole = current === null ? false : patched(current, filePatch);
    files.push({ path, text: whole === false ? fragment(filePatch.hunks) : whole, added: addedLines(filePatch.hunks), created, whole: whole !== false });
  }
  return { ok: true, files };
}

function patched(current: string, filePatch: StructuredPatch): string | false {
  const applied = applyPatch(current, filePatch);
  if (applied !== false) return applied;
  return applyPatch(current, reversePatch(filePatch)) === false ? false : current;
}

/** A patch comes from outside Ghost: one jsdiff cannot read is reported, not thrown. */
function parse(patch: string): { ok: true; patches: StructuredPatch[] } | { ok: false; error: string } {
  try {
    return { ok: true, patches: parsePatch(patch) };
  } catch (error) {
    return { ok: false, error: `not a unified diff: ${(error as Error).message}` };
  }
}

const stripPrefix = (name: string | undefined) => name?.replace(/^[ab]\//, "").replace(/\t.*$/, "");

/** The new lines a change writes. A line the same change removes elsewhere in the file, the same but for its
 *  indentation, is moved or re-indented, not written: it is the repository's own code, and not checked again. */
export function addedLines(hunks: readonly Hunk[]): Set<number> {
  const removed = new Set(hunks.flatMap((hunk) => hunk.lines.filter((text) => text.startsWith("-")).map((text) => text.slice(1).trim())));
  const added = new Set<number>();
  for (const hunk of hunks) {
    let line = hunk.newStart;
    for (const text of hunk.lines) {
      if (text.startsWith("+") && !removed.has(text.slice(1).trim())) added.add(line);
      if (text.startsWith("+") || text.startsWith(" ")) line++;
    }
  }
  return added;
}

/** The hunks' new side, each line at its own line number, blank lines where the patch says nothing. */
function fragment(hunks: readonly Hunk[]): string {
  const lines: string[] = [];
  for (const hunk of hunks) {
    let line = hunk.newStart;
    for (const text of hunk.lines) {
      if (!text.startsWith("+") && !text.startsWith(" ")) continue;
      while (lines.length < line - 1) lines.push("");
      lines[line - 1] = text.slice(1);
      line++;
    }
  }
  return lines.join("\n") + "\n";
}
