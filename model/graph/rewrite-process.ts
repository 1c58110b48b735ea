// A model's rewritten graph for the session: from the cache when it is there (no process started), else made by a
// short-lived child process (graph-rewrite.ts). Rewriting reads the whole .onnx into JavaScript (~240 MB more at the
// peak for the ~135M int8 export, and what V8 and malloc keep of it afterwards), memory the model worker would hold
// for as long as it lives; the child gives it all back when it exits. Knows processes and the cache, not graphs.
import { fork } from "node:child_process";
import { z } from "zod";
import { childEntry, childFlags } from "../child-flags";
import { cachedGraph, defaultGraphCacheDir, preparedGraphSchema, rewriteRequestSchema, type PreparedGraph, type RewriteRequest } from "./graph-cache";

export const rewriteJobSchema = z.object({ onnxPath: z.string(), request: rewriteRequestSchema, cacheDir: z.string() });
export type RewriteJob = z.infer<typeof rewriteJobSchema>;

const rewriteReplySchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("prepared"), graph: preparedGraphSchema }),
  z.object({ type: z.literal("failed"), message: z.string() }),
]);
export type RewriteReply = z.infer<typeof rewriteReplySchema>;

/** Beside this module: graph-rewrite.ts under tsx, dist/graph-rewrite.js in the bundle. */
const rewriteEntry = childEntry(__dirname, __filename, "graph-rewrite");

/** `entry`: the rewrite's script; tests pass a bundle of their own, or one that must never start. */
export async function preparedGraph(onnxPath: string, request: RewriteRequest, cacheDir = defaultGraphCacheDir(), entry = rewriteEntry): Promise<PreparedGraph> {
  return cachedGraph(onnxPath, request, cacheDir) ?? rewriteInChild({ onnxPath, request, cacheDir }, entry);
}

function rewriteInChild(job: RewriteJob, entry: string): Promise<PreparedGraph> {
  const failed = (why: string) => new Error(`Ghost could not rewrite the graph of ${job.onnxPath} for loading: ${why}`);
  return new Promise((resolve, reject) => {
    const child = fork(entry, [JSON.stringify(job)], { execArgv: childFlags(entry), stdio: ["ignore", "inherit", "inherit", "ipc"] });
    let replied = false;
    child.on("message", (raw) => {
      replied = true;
      const parsed = rewriteReplySchema.safeParse(raw);
      if (!parsed.success) reject(failed(`its process answered outside the protocol (${z.prettifyError(parsed.error)})`));
      else if (parsed.data.type === "failed") reject(failed(parsed.data.message));
      else resolve(parsed.data.graph);
    });
    child.on("error", (error) => reject(failed(`its process did not start (${error.message})`)));
    child.on("exit", (code, signal) => {
      if (replied) return;
      reject(failed(signal ? `its process was killed by ${signal}; the model may be too large for this machine` : `its process stopped (exit code ${code}) without an answer`));
    });
  });
}
