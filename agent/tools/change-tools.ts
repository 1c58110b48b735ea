// edit_file, create_file and delete_file: each turns the call into a one-file change set (diffing/), passes the
// gate, shows conventions flags, and writes through the workspace, which checkpoints. A rejected or conflicting
// hunk comes back to the model as an observation. Knows nothing about the disk.
import { diffFiles, type ChangeSet } from "../../diffing/change-set";
import type { ApplyOutcome } from "../../diffing/fs-apply";
import { describeConflicts, describeRejections, unifiedDiff } from "../../diffing/render";
import { decode } from "../../diffing/text-format";
import { gate, observe, type ChangeFlag, type ToolContext, type ToolResult } from "./context";
import type { ToolCall } from "./schemas";
import { searchReplace } from "./search-replace";

type ChangeCall = Extract<ToolCall, { tool: "edit_file" | "create_file" | "delete_file" }>;
type Proposed = { ok: true; proposed: string | null } | { ok: false; reason: string };

export async function runChangeTool(call: ChangeCall, context: ToolContext): Promise<ToolResult> {
  const change = call.tool === "edit_file" ? "modify" : call.tool === "create_file" ? "create" : "delete";
  const located = await context.workspace.locate(call.args.path);
  if (!located.ok) {
    const denied = await gate({ kind: "write", path: call.args.path, change, outside: located.reason }, context, bug);
    if (denied === "go") bug();
    return denied;
  }
  const path = located.path;
  if (path === ".") return observe(`${call.tool} ${call.args.path}: that is the workspace folder, not a file. Nothing was written.`);
  const read = await context.workspace.read(path);
  if (read.kind === "unreadable") return observe(`${call.tool} ${path}: can not be read (${read.reason}). Nothing was written.`);
  const original = read.kind === "file" ? read.bytes : null;
  const proposal = propose(call, original);
  if (!proposal.ok) return observe(`${call.tool} ${path}: ${proposal.reason}. Nothing was written.`);
  const changeSet = diffFiles([{ path, original, proposed: proposal.proposed }]);
  if (changeSet.refused.length > 0) return observe(`${call.tool} ${path}: ${changeSet.refused.map((refusal) => refusal.reason).join("; ")}. Nothing was written.`);
  if (changeSet.files[0]!.hunks.length === 0) return observe(`${path} already holds that text; nothing to change.`);
  const flags = (await context.checkChange?.(changeSet)) ?? [];
  const diff = changeSet.files.map(unifiedDiff).join("\n");
  const gated = await gate({ kind: "write", path, change, outside: null }, context, (reason) => ({ kind: "change", reason, proposal: context.level === 1, changeSet, diff, flags }));
  if (gated !== "go") return gated;
  const outcome = await context.workspace.write(changeSet, { [path]: "accept" }, `${call.tool} ${path}`);
  const where = (flag: ChangeFlag) => (flag.path ? `${flag.path}${flag.line ? `:${flag.line}` : ""}: ` : "");
  const flagged = context.level >= 3 && flags.length > 0 ? `\nConventions this change breaks (fix them):\n${flags.map((flag) => `- ${where(flag)}${flag.message}`).join("\n")}` : "";
  return observe(describeOutcome(changeSet, outcome) + flagged, outcome.kind === "done" ? (outcome.checkpoint?.id ?? null) : null);
}

function propose(call: ChangeCall, original: Uint8Array | null): Proposed {
  if (call.tool === "create_file") return original === null ? { ok: true, proposed: call.args.content } : { ok: false, reason: "the file exists already; use edit_file" };
  if (original === null) return { ok: false, reason: "no such file" };
  if (call.tool === "delete_file") return { ok: true, proposed: null };
  const decoded = decode(original);
  if (decoded.kind === "unsupported") return { ok: false, reason: decoded.reason };
  const replaced = searchReplace(decoded.text, call.args.search, call.args.replace);
  return replaced.ok ? { ok: true, proposed: replaced.text } : replaced;
}

function describeOutcome(changeSet: ChangeSet, outcome: ApplyOutcome): string {
  if (outcome.kind === "refused") return `Refused: ${outcome.refused.map((refusal) => `${refusal.path}: ${refusal.reason}`).join("; ")}. Nothing was written.`;
  const lines = outcome.files.map((file) => {
    const kind = changeSet.files.find((diff) => diff.path === file.path)?.kind ?? "modify";
    if (file.result === "conflict") return `Conflict, some hunks were not applied:\n${describeConflicts(file.path, file.conflicts)}`;
    return file.result === "applied" ? `${kind === "create" ? "Created" : kind === "delete" ? "Deleted" : "Edited"} ${file.path}.` : `${file.path}: nothing changed.`;
  });
  if (outcome.rejections.length > 0) lines.push(`The user rejected parts:\n${describeRejections(outcome.rejections)}`);
  return lines.join("\n");
}

function bug(): never {
  throw new Error("a write outside the workspace must be denied, never asked or allowed");
}
