// The one typed protocol between the agent panel's webview and the extension host: every message either way has a
// zod schema here, and both sides parse what they receive with it (a message that does not parse is dropped and
// logged, never acted on). Knows nothing about the DOM or about VS Code.
import { z } from "zod";

const level = z.number().int().min(0).max(4);
const requestId = z.number().int().nonnegative();
const choice = z.enum(["accept", "reject"]);
/** How a command may run (agent/tools/context.ts's Answer): "approve" in the sandbox without network, "network" in
 *  the sandbox with network, "always" in the sandbox and from now on without asking in this project, "unsandboxed"
 *  outside the sandbox. */
const commandAnswer = z.enum(["approve", "reject", "always", "network", "unsandboxed"]);
/** Whether the command sandbox (bubblewrap) works here, and if not, why. */
const sandbox = z.discriminatedUnion("available", [z.object({ available: z.literal(true) }), z.object({ available: z.literal(false), reason: z.string() })]);
const entryKind = z.enum(["task", "reply", "observation", "error", "end", "info", "violation"]);
const transcriptEntry = z.object({
  kind: entryKind,
  step: z.number().int().nullable(),
  text: z.string(),
  /** On a reply: the model wrote it under the tool-call grammar (constrained decoding), so its format can not be wrong. */
  constrained: z.boolean().optional(),
});

/** The webview to the host. */
export const toHostSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ready") }),
  z.object({ type: z.literal("start"), task: z.string().min(1).max(10_000) }),
  z.object({ type: z.literal("setLevel"), level }),
  z.object({ type: z.literal("decideHunk"), requestId, path: z.string(), hunkId: z.string(), choice }),
  z.object({ type: z.literal("decideFile"), requestId, path: z.string(), choice }),
  z.object({ type: z.literal("openDiff"), requestId, path: z.string() }),
  z.object({ type: z.literal("answerCommand"), requestId, answer: commandAnswer }),
  z.object({ type: z.literal("stop") }),
  /** step: revert that step alone (its checkpoint); absent: the whole task. */
  z.object({ type: z.literal("revert"), step: z.number().int().positive().optional() }),
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
    /** The steps of the last task that changed files and are not reverted yet: each can be reverted alone. */
    revertableSteps: z.array(z.number().int()),
    trusted: z.boolean(),
    /** null until it was probed. */
    sandbox: sandbox.nullable(),
  }),
  z.object({ type: z.literal("transcript"), entries: z.array(transcriptEntry) }),
  transcriptEntry.extend({ type: z.literal("entry") }),
  z.object({ type: z.literal("changeRequest"), requestId, reason: z.string(), proposal: z.boolean(), files: z.array(fileView), flags: z.array(z.string()) }),
  z.object({ type: z.literal("commandRequest"), requestId, reason: z.string(), line: z.string(), argv: z.array(z.string()), cwd: z.string(), sandbox, canAlways: z.boolean() }),
  z.object({ type: z.literal("requestDone"), requestId, answer: z.union([commandAnswer, z.literal("cancelled")]) }),
]);
export type ToWebview = z.infer<typeof toWebviewSchema>;
export type TranscriptEntry = Omit<Extract<ToWebview, { type: "entry" }>, "type">;
export type FileView = z.infer<typeof fileView>;
