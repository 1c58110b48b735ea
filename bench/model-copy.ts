// A fresh copy of one variant of a model folder (its .json and .txt files, its .onnx and external data), in a
// temporary folder: no rewritten graph is cached there yet, so loading it runs the first-load rewrite.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative } from "node:path";
import { openModelFolder } from "../model/model-folder";
import { externalDataFiles, type Variant } from "../model/store/variants";

export function freshModelCopy(dir: string, variant: Variant): string {
  const copy = mkdtempSync(join(tmpdir(), "ghost-model-copy-"));
  for (const name of readdirSync(dir)) if (name.endsWith(".json") || name.endsWith(".txt")) copyFileSync(join(dir, name), join(copy, name));
  const onnxPath = openModelFolder(dir, variant).onnxPath;
  const folder = dirname(relative(dir, onnxPath));
  mkdirSync(join(copy, folder), { recursive: true });
  for (const name of [basename(onnxPath), ...externalDataFiles(readdirSync(dirname(onnxPath)), basename(onnxPath))]) {
    copyFileSync(join(dir, folder, name), join(copy, folder, name));
  }
  return copy;
}
