// Checks a model folder on disk. With a manifest (downloaded models) it re-hashes every listed file; without one
// (a folder the user made) only the layout can be checked: the required files, some ONNX weights, and the external
// data each ONNX file names. It changes nothing and knows nothing of the hub.
import { createReadStream } from "node:fs";
import { basename, join } from "node:path";
import { hashFile } from "./hash";
import { listRelativeFiles, MANIFEST_FILE, type Manifest, readManifest } from "./store-dir";
import { availableVariants, REQUIRED_JSON, VARIANTS, weightFile } from "./variants";

export type Problem =
  | { kind: "missing"; path: string }
  | { kind: "size"; path: string; expected: number; actual: number }
  | { kind: "hash"; path: string; expected: string; actual: string }
  | { kind: "layout"; message: string };

export interface VerifyReport {
  dir: string;
  /** "hashes" when a manifest listed the files, "layout" when the folder has none. */
  checked: "hashes" | "layout";
  files: number;
  problems: Problem[];
}

export async function verifyModelDir(dir: string, signal?: AbortSignal): Promise<VerifyReport> {
  const manifest = await readManifest(dir);
  return manifest === undefined ? verifyLayout(dir, signal) : verifyHashes(dir, manifest, signal);
}

async function verifyHashes(dir: string, manifest: Manifest, signal?: AbortSignal): Promise<VerifyReport> {
  const present = new Set(await listRelativeFiles(dir));
  const problems: Problem[] = [];
  for (const { path, size, sha256 } of manifest.files) {
    if (!present.has(path)) {
      problems.push({ kind: "missing", path });
      continue;
    }
    const actual = await hashFile(join(dir, path), signal);
    if (actual.size !== size) problems.push({ kind: "size", path, expected: size, actual: actual.size });
    else if (actual.sha256 !== sha256) problems.push({ kind: "hash", path, expected: sha256, actual: actual.sha256 });
  }
  return { dir, checked: "hashes", files: manifest.files.length, problems };
}

async function verifyLayout(dir: string, signal?: AbortSignal): Promise<VerifyReport> {
  const paths = await listRelativeFiles(dir);
  const problems: Problem[] = REQUIRED_JSON.filter((path) => !paths.includes(path)).map((path) => ({ kind: "missing", path }));
  if (availableVariants(paths).length === 0) {
    problems.push({ kind: "layout", message: "no ONNX weights: expected onnx/model.onnx, onnx/model_quantized.onnx, onnx/model_q4.onnx or another variant" });
  }
  const onnxFiles = VARIANTS.map((variant) => weightFile(paths, variant)).filter((file) => file !== undefined);
  for (const onnxFile of onnxFiles) {
    const referenced = await externalDataNames(join(dir, onnxFile), signal);
    const folder = onnxFile.slice(0, onnxFile.lastIndexOf("/") + 1);
    for (const name of referenced) if (!paths.includes(folder + name)) problems.push({ kind: "missing", path: folder + name });
  }
  return { dir, checked: "layout", files: paths.length, problems };
}

/**
 * The external data files an ONNX file names, by the exporters' convention (`model.onnx_data`,
 * `model.onnx_data_1`, `model.onnx.data`). ONNX stores each tensor's data location as a plain string in the
 * protobuf, so a byte scan finds them without parsing the graph.
 */
async function externalDataNames(onnxPath: string, signal?: AbortSignal): Promise<Set<string>> {
  const name = basename(onnxPath).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = new RegExp(`${name}(_data(_\\d+)?|\\.data)`, "g");
  const names = new Set<string>();
  const collect = (text: string, end: number) => {
    for (const match of text.matchAll(pattern)) if (match.index + match[0].length <= end) names.add(match[0]);
  };
  // A name near a chunk's end may go on in the next chunk (`_data` then `_1`): such names are taken from the
  // next round, which starts with this chunk's tail.
  let tail = "";
  for await (const chunk of createReadStream(onnxPath, { highWaterMark: 1 << 20, signal })) {
    const text = tail + (chunk as Buffer).toString("latin1");
    collect(text, text.length - 256);
    tail = text.slice(-512);
  }
  collect(tail, tail.length);
  return names;
}

/** One line per problem, under a headline that says what could be checked. */
export function formatReport(report: VerifyReport): string {
  const how = report.checked === "hashes" ? `${report.files} files hashed against ${MANIFEST_FILE}` : `no ${MANIFEST_FILE}, so only the layout was checked`;
  const verdict = report.problems.length === 0 ? "ok" : `${report.problems.length} problem(s)`;
  return [`${report.dir}: ${how}: ${verdict}`, ...report.problems.map((problem) => `  ${describe(problem)}`)].join("\n");
}

function describe(problem: Problem): string {
  switch (problem.kind) {
    case "missing":
      return `missing ${problem.path}`;
    case "size":
      return `${problem.path}: ${problem.actual} bytes, expected ${problem.expected}`;
    case "hash":
      return `${problem.path}: sha256 ${problem.actual}, expected ${problem.expected}`;
    case "layout":
      return problem.message;
  }
}
