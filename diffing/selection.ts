// Which parts of a proposal the user accepts: per file, per hunk or per line. Turns a choice into line edits on the
// original text, plus a record of what was rejected, for the agent. Knows nothing about the file as it is now
// (apply.ts rebases the edits onto it) nor about bytes.
import { z } from "zod";
import type { FileDiff, Hunk } from "./change-set";
import { applyEdits, toLines, type Edit } from "./merge";
import { joinLines, splitLines } from "./text-format";

/** "accept" | "reject", or the indices into hunk.lines of the "+" and "-" lines accepted. */
export type HunkChoice = "accept" | "reject" | { lines: number[] };
/** Hunks a choice does not name are rejected. */
export type FileChoice = "accept" | "reject" | { hunks: Record<string, HunkChoice> };
/** By path; files a selection does not name are rejected. */
export type Selection = Record<string, FileChoice>;

const hunkChoiceSchema = z.union([z.enum(["accept", "reject"]), z.object({ lines: z.array(z.number().int().nonnegative()) })]);
const fileChoiceSchema = z.union([z.enum(["accept", "reject"]), z.object({ hunks: z.record(z.string(), hunkChoiceSchema) })]);
export const selectionSchema = z.record(z.string(), fileChoiceSchema);

/** What a file's choice rejected: per hunk, its "-" lines kept and its "+" lines not added. */
export interface Rejection {
  path: string;
  /** The user rejected the file as a whole. */
  wholeFile: boolean;
  hunks: { id: string; oldStart: number; lines: string[] }[];
}

export interface Selected {
  /** Edits on the original's lines, sorted, each tagged with its hunk. */
  edits: Edit[];
  /** Whether the file exists once the accepted parts are applied (false: not created, or deleted). */
  exists: boolean;
  /** Hunks with at least one accepted line. */
  acceptedHunks: string[];
  rejection: Rejection | null;
}

export function selectFile(diff: FileDiff, choice: FileChoice): Selected {
  const known = new Set(diff.hunks.map((hunk) => hunk.id));
  if (typeof choice === "object") {
    const unknown = Object.keys(choice.hunks).filter((id) => !known.has(id));
    if (unknown.length > 0) throw new Error(`${diff.path}: the selection names hunks not in the proposal: ${unknown.join(", ")}`);
  }
  const hunkChoice = (hunk: Hunk): HunkChoice => (typeof choice === "string" ? choice : (choice.hunks[hunk.id] ?? "reject"));
  const edits: Edit[] = [];
  const rejected: Rejection["hunks"] = [];
  const acceptedHunks: string[] = [];
  for (const hunk of diff.hunks) {
    const accepted = acceptedLines(diff.path, hunk, hunkChoice(hunk));
    edits.push(...hunkEdits(hunk, accepted));
    const lost = hunk.lines.filter((line, index) => line[0] !== " " && !accepted.has(index));
    if (lost.length > 0) rejected.push({ id: hunk.id, oldStart: hunk.oldStart, lines: lost });
    if (accepted.size > 0) acceptedHunks.push(hunk.id);
  }
  // A new file comes into being if any of it was accepted; a file goes away only if all of its deletion was.
  const anything = choice === "accept" || acceptedHunks.length > 0;
  const exists = diff.kind === "modify" || (diff.kind === "create" ? anything : !anything || rejected.length > 0);
  const wholeFile = choice === "reject";
  const rejection = rejected.length > 0 || wholeFile ? { path: diff.path, wholeFile, hunks: rejected } : null;
  return { edits, exists, acceptedHunks, rejection };
}

/** The text the accepted parts make of the original; null when the file does not exist then. */
export function selectedText(diff: FileDiff, choice: FileChoice): string | null {
  const selected = selectFile(diff, choice);
  if (!selected.exists) return null;
  return joinLines(applyEdits(toLines(splitLines(diff.oldText), []), selected.edits).texts);
}

function acceptedLines(path: string, hunk: Hunk, choice: HunkChoice): Set<number> {
  const changed = hunk.lines.flatMap((line, index) => (line[0] === "+" || line[0] === "-" ? [index] : []));
  if (choice === "accept") return new Set(changed);
  if (choice === "reject") return new Set();
  const bad = choice.lines.filter((index) => !changed.includes(index));
  if (bad.length > 0) throw new Error(`${path}: hunk ${hunk.id} has no "+" or "-" line at ${bad.join(", ")}`);
  return new Set(choice.lines);
}

/** A hunk's accepted lines as edits on the original. A rejected "-" line stays, so it splits the hunk's change
 *  like a context line; a rejected "+" line is left out. jsdiff lists a change's "-" lines before its "+" lines,
 *  so what is kept of the old comes before what is added. */
function hunkEdits(hunk: Hunk, accepted: ReadonlySet<number>): Edit[] {
  const edits: Edit[] = [];
  let position = hunk.oldStart - 1; // 0-based line of the original the walk is at
  let open: Edit | null = null;
  const close = () => {
    if (open && (open.end > open.start || open.texts.length > 0)) edits.push(open);
    open = null;
  };
  hunk.lines.forEach((line, index) => {
    const kind = line[0];
    if (kind === " " || (kind === "-" && !accepted.has(index))) {
      close();
      position++;
      return;
    }
    open ??= { start: position, end: position, texts: [], endings: [], hunkId: hunk.id };
    if (kind === "-") {
      open.end++;
      position++;
    } else if (kind === "+" && accepted.has(index)) {
      open.texts.push(line.slice(1));
      open.endings.push(undefined);
    }
  });
  close();
  return edits;
}
