// The one typed protocol between the agent panel's webview and the extension host: every message either way has a
// zod schema here, and both sides parse what they receive with it (a message that does not parse is dropped and
// logged, never acted on). Knows nothing about the DOM or about VS Code.
import { z } from "zod";

const level = z.number().int().min(0).max(4);
const requestId = z.number().int().nonnegative();
const choice = z.enum(["accept", "reject"]);

/** The webview to the host. */
export const toHostSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ready") }),
  z.object({ type: z.literal("start"), task: z.string().min(1).max(10_000) }),
  z.object({ type: z.literal("setLevel"), level }),
  z.object({ type: z.literal("decideHunk"), requestId, path: z.string(), hunkId: z.string(), choice }),
  z.object({ type: z.literal("decideFile"), requestId, path: z.string(), choice }),
  z.object({ type: z.literal("openDiff"), requestId, path: z.string() }),
  z.object({ type: z.literal("answerCommand"), requestId, answer: z.enum(["approve", "reject"]) }),
  z.object({ type: z.literal("stop") }),
  z.object({ type: z.literal("revert") }),
]);
export type ToHost = z.infer<typeof toHostSchema>;

const hunkView = z.object({ id: z.string(), header: z.string(), lines: z.array(z.string()), choice: choice.nullable() });
const fileView = z.object({ path: z.string(), kind: z.enum(["modify", "create", "delete"]), hunks: z.array(hunkView) });

/** The host to the webview. */
export const toWebviewSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("state"),
    level,
    levels: z.array(z.object({ level, label: z.string(), allows: z.string() })),
    running: z.boolean(),
    canRevert: z.boolean(),
    trusted: z.boolean(),
  }),
  z.object({ type: z.literal("transcript"), entries: z.array(z.object({ kind: z.enum(["task", "reply", "observation", "error", "end", "info"]), step: z.number().int().nullable(), text: z.string() })) }),
  z.object({ type: z.literal("entry"), kind: z.enum(["task", "reply", "observation", "error", "end", "info"]), step: z.number().int().nullable(), text: z.string() }),
  z.object({ type: z.literal("changeRequest"), requestId, reason: z.string(), proposal: z.boolean(), files: z.array(fileView), flags: z.array(z.string()) }),
  z.object({ type: z.literal("commandRequest"), requestId, reason: z.string(), line: z.string(), argv: z.array(z.string()), cwd: z.string(), sandboxed: z.boolean() }),
  z.object({ type: z.literal("requestDone"), requestId, answer: z.enum(["approve", "reject", "cancelled"]) }),
]);
export type ToWebview = z.infer<typeof toWebviewSchema>;
export type TranscriptEntry = Omit<Extract<ToWebview, { type: "entry" }>, "type">;
export type FileView = z.infer<typeof fileView>;
