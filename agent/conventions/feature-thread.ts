// Feature extraction in a worker thread (conventions-worker.ts): the same featuresOf, off the calling thread, for
// the miner's `parse` option. Knows where its worker is; the protocol is parse-thread.ts's.
import { extname, join } from "node:path";
import { ParseThread } from "../parse-thread";
import type { FileFeatures } from "./features";

export class FeatureThread extends ParseThread<FileFeatures> {
  constructor() {
    // conventions-worker.js beside the bundle, or conventions-worker.ts beside this file under tsx.
    super(join(__dirname, `conventions-worker${extname(__filename)}`), "conventions parsing");
  }
}
