// A change set: what an agent proposes, file by file (exact original bytes, new text), with the hunks jsdiff finds
// between the two LF-normalized texts, and the zod schema of its serializable form. Knows nothing about which
// parts the user accepts, about the file on disk now, or about applying anything.
import { createHash } from "node:crypto";
import { posix } from "node:path";
import { structuredPatch, type StructuredPatchHunk } from "diff";
import { z } from "zod";
import { commonEnds, maxEditLength } from "./merge";
import { decode, splitLines, type TextFormat } from "./text-format";

export interface FileChange {
  /** Relative to the workspace root, POSIX separators. */
  path: string;
  /** The exact bytes the proposal was made against; null for a file that does not exist yet. */
  original: Uint8Array | null;
  /** The proposed text; null to delete the file. Line endings and final newline follow the original file. */
  proposed: string | null;
}

/** A jsdiff hunk (oldStart/newStart 1-based; lines " ctx", "-old", "+new") with an id that depends only on the
 *  path, where the hunk starts in the original and what it changes: recomputing the same proposal, or a revised
 *  proposal that leaves this hunk alone, gives the same id. */
export interface Hunk {
  id: string;
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: string[];
}

export interface FileDiff extends FileChange {
  kind: "modify" | "create" | "delete";
  /** LF-normalized texts, "" for a side that does not exist. */
  oldText: string;
  newText: string;
  /** The original's format; for a new file, the format the proposal was written in. */
  format: TextFormat;
  hunks: Hunk[];
}

export interface Refusal {
  path: string;
  reason: string;
}

export interface ChangeSet {
  files: FileDiff[];
  /** Proposed changes Ghost will not touch (a binary file, a path outside the workspace), with why. */
  refused: Refusal[];
}

const context = 3;

export function diffFiles(changes: readonly FileChange[]): ChangeSet {
  const changeSet: ChangeSet = { files: [], refused: [] };
  const seen = new Set<string>();
  for (const change of changes) {
    const result = diffFile(change);
    if ("reason" in result) changeSet.refused.push(result);
    else if (seen.has(result.path)) changeSet.refused.push({ path: result.path, reason: "proposed twice in one change set" });
    else {
      seen.add(result.path);
      changeSet.files.push(result);
    }
  }
  return changeSet;
}

export function diffFile(change: FileChange): FileDiff | Refusal {
  const path = workspacePath(change.path);
  if (path === null) return { path: change.path, reason: "not a relative path inside the workspace" };
  if (change.original === null && change.proposed === null) return { path, reason: "neither an original nor a proposal" };
  const before = change.original === null ? null : decode(change.original);
  const after = change.proposed === null ? null : decode(new TextEncoder().encode(change.proposed));
  if (before?.kind === "unsupported") return { path, reason: before.reason };
  if (after?.kind === "unsupported") return { path, reason: `the proposal: ${after.reason}` };
  const oldText = before?.text ?? "";
  const newText = after?.text ?? "";
  const patch = structuredPatch(path, path, oldText, newText, undefined, undefined, { context, maxEditLength });
  const hunks = patch ? patch.hunks : [oneHunk(oldText, newText)];
  return {
    path,
    original: change.original,
    proposed: change.proposed,
    kind: before === null ? "create" : after === null ? "delete" : "modify",
    oldText,
    newText,
    format: (before ?? after)!.format,
    hunks: hunks.map((hunk) => ({ id: hunkId(path, hunk.oldStart, hunk.lines), ...hunk })),
  };
}

/** The canonical form of a workspace-relative path ("./src/../a.ts" -> "a.ts"), or null for one that is absolute,
 *  leaves the workspace, uses backslashes or a drive letter. Symlinks are the file system's business (fs-apply). */
export function workspacePath(path: string): string | null {
  if (path === "" || path.includes("\\") || path.includes("\0") || /^[A-Za-z]:/.test(path)) return null;
  const normal = posix.normalize(path);
  if (posix.isAbsolute(normal) || normal === "." || normal === ".." || normal.startsWith("../")) return null;
  return normal.replace(/\/$/, "");
}

/** The hunk for a change too big for jsdiff to align (see maxEditLength): the lines between the common start and
 *  end, all removed, then all added, with context, in jsdiff's shape. */
function oneHunk(oldText: string, newText: string): StructuredPatchHunk {
  const [a, b] = [splitLines(oldText), splitLines(newText)];
  const { start, end } = commonEnds(a, b);
  const before = a.slice(Math.max(0, start - context), start);
  const after = a.slice(a.length - end, a.length - end + context);
  const [removed, added] = [a.slice(start, a.length - end), b.slice(start, b.length - end)];
  const mark = (prefix: string, texts: string[]) => texts.map((text) => prefix + text);
  const lines = [...mark(" ", before), ...mark("-", removed), ...mark("+", added), ...mark(" ", after)];
  const oldStart = start - before.length + 1;
  const around = before.length + after.length;
  return { oldStart, oldLines: around + removed.length, newStart: oldStart, newLines: around + added.length, lines };
}

function hunkId(path: string, oldStart: number, lines: readonly string[]): string {
  return createHash("sha256").update(`${path}\0${oldStart}\0${lines.join("\n")}`).digest("hex").slice(0, 10);
}

// The serializable form. Hunks go out for display; coming in, they are recomputed from original and proposed,
// never trusted, so a tampered or stale hunk can not make Ghost write anything that is not in the proposal.
const pathSchema = z.string().refine((path) => workspacePath(path) === path, "a canonical relative POSIX path");
const hunkSchema = z.object({
  id: z.string(),
  oldStart: z.number().int().nonnegative(),
  oldLines: z.number().int().nonnegative(),
  newStart: z.number().int().nonnegative(),
  newLines: z.number().int().nonnegative(),
  lines: z.array(z.string()),
});
const fileSchema = z.object({
  path: pathSchema,
  original: z.base64().nullable(),
  proposed: z.string().nullable(),
  hunks: z.array(hunkSchema),
});
export const changeSetSchema = z.object({
  files: z.array(fileSchema),
  refused: z.array(z.object({ path: z.string(), reason: z.string() })),
});
export type ChangeSetJson = z.infer<typeof changeSetSchema>;

export function toJson(changeSet: ChangeSet): ChangeSetJson {
  return {
    files: changeSet.files.map(({ path, original, proposed, hunks }) => ({
      path,
      original: original === null ? null : Buffer.from(original).toString("base64"),
      proposed,
      hunks,
    })),
    refused: changeSet.refused,
  };
}

export function fromJson(json: unknown): { ok: true; changeSet: ChangeSet } | { ok: false; error: string } {
  const parsed = changeSetSchema.safeParse(json);
  if (!parsed.success) return { ok: false, error: z.prettifyError(parsed.error) };
  const files = parsed.data.files.map(({ path, original, proposed }) => ({
    path,
    original: original === null ? null : new Uint8Array(Buffer.from(original, "base64")),
    proposed,
  }));
  const changeSet = diffFiles(files);
  changeSet.refused.push(...parsed.data.refused);
  return { ok: true, changeSet };
}
