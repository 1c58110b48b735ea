// Tag parsing in a worker thread (tag-worker.ts): the same parseTags, off the calling thread, for the tag index's
// `parse` option. Knows where its worker is; the protocol is parse-thread.ts's.
import { extname, join } from "node:path";
import { ParseThread } from "../parse-thread";
import type { FileTags } from "./tags";

export class TagParserThread extends ParseThread<FileTags> {
  constructor() {
    // tag-worker.js beside the bundle, or tag-worker.ts beside this file under tsx.
    super(join(__dirname, `tag-worker${extname(__filename)}`), "tag parsing");
  }
}
