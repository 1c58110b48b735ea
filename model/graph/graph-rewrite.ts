// The graph rewrite's own process (bundled as dist/graph-rewrite.js), forked by rewrite-process.ts on a model's first
// load: reads the .onnx, writes the rewritten graph to the cache, replies with where it is, and exits, so that the
// bytes of the whole graph never live in the model worker. Its one argument is the job, as JSON.
import { prepareGraph } from "./prepare";
import { rewriteJobSchema, type RewriteReply } from "./rewrite-process";

function reply(message: RewriteReply): void {
  process.send!(message, () => process.disconnect());
}

// The process boundary: a failure becomes the reply, so that the parent can say which model it was.
try {
  const job = rewriteJobSchema.parse(JSON.parse(process.argv[2]!));
  reply({ type: "prepared", graph: prepareGraph(job.onnxPath, job.request, job.cacheDir) });
} catch (error) {
  reply({ type: "failed", message: (error as Error).message });
}
