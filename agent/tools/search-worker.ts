// The text search's worker thread (files.ts starts it, one per search): walks `dir`, and matches `pattern` line by
// line in each text file, posting a heartbeat per folder and file and the hits as it finds them, so the thread
// that waits can tell a slow search from a pattern stuck backtracking, and stop it. Knows nothing about the policy.
import { parentPort, workerData } from "node:worker_threads";
import { decode } from "../../diffing/text-format";
import { searchable, walkFiles, type SearchHit, type WorkerMessage } from "./files";

const { root, dir, pattern, limit } = workerData as { root: string; dir: string; pattern: RegExp; limit: number };
const post = (message: WorkerMessage) => parentPort!.postMessage(message);

async function search(): Promise<string[]> {
  const walked = await walkFiles(root, dir, 50_000, () => post({ type: "progress" }));
  const skipped = [...(walked?.skipped ?? [])];
  let found = 0;
  for (const path of walked?.paths ?? []) {
    post({ type: "progress" });
    const bytes = await searchable(root, path, skipped);
    const decoded = bytes === null ? null : decode(bytes);
    if (decoded?.kind !== "text") continue;
    const hits: SearchHit[] = [];
    for (const [index, text] of decoded.text.split("\n").entries()) {
      if (!pattern.test(text)) continue;
      hits.push({ path, line: index + 1, text: text.length > 200 ? `${text.slice(0, 200)}…` : text });
      if (found + hits.length >= limit) break;
    }
    found += hits.length;
    if (hits.length > 0) post({ type: "hits", hits });
    if (found >= limit) break;
  }
  return skipped;
}

void search().then((skipped) => post({ type: "done", skipped }));
