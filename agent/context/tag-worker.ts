// The tag index's parsing thread (tag-parser-thread.ts starts it): parses the files it is sent and posts back their
// tags, so building the index of a large workspace never holds the thread that serves the editor. Knows one
// message at a time; the index itself lives in the thread that asked.
import { parentPort } from "node:worker_threads";
import { parseTags } from "./tag-index";
import type { TagRequest, TagResponse } from "./tag-parser-thread";

parentPort!.on("message", (request: TagRequest) => {
  void parseTags(request.path, request.text).then(
    (tags) => parentPort!.postMessage({ id: request.id, tags } satisfies TagResponse),
    (error: unknown) => parentPort!.postMessage({ id: request.id, error: `${request.path}: ${error instanceof Error ? error.message : String(error)}` } satisfies TagResponse),
  );
});
