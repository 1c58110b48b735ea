// One file's convention features: parse with tree-sitter, run the language's conventions query, hand the captures
// to the language's extractor, then add what every language shares (comment lines, indentation, line length, the
// file's name and test pattern). Knows one file's text; nothing about the workspace or the profile.
import type { QueryCapture } from "web-tree-sitter";
import { languageOf } from "../context/languages";
import { loadLanguage } from "../context/parser";
import { extractGo } from "./extract/go";
import { extractJava } from "./extract/java";
import { extractJavaScript } from "./extract/javascript";
import { extractPython } from "./extract/python";
import { extractRust } from "./extract/rust";
import { recordCommentLines, type Captures, type SourceFile } from "./extract/shared";
import type { Family, Recorder } from "./features";
import { fileNameStyle } from "./naming";
import { conventionsQuery, familyOfLanguage } from "./query";
import { testFilePattern, testLocation } from "./test-files";
import { recordLines } from "./text-features";

const extractors: Record<Family, (file: SourceFile, captures: Captures) => void> = {
  javascript: extractJavaScript,
  python: extractPython,
  go: extractGo,
  rust: extractRust,
  java: extractJava,
};

export function familyOf(path: string): Family | null {
  const spec = languageOf(path);
  return spec ? familyOfLanguage[spec.id]! : null;
}

/** Records `text`'s features (as the file at `path`) and returns its family; null for a language Ghost does not parse. */
export async function extractFeatures(path: string, text: string, recorder: Recorder): Promise<Family | null> {
  const spec = languageOf(path);
  if (!spec) return null;
  const loaded = await loadLanguage(spec);
  const query = conventionsQuery(loaded);
  const tree = loaded.parser.parse(text);
  if (!tree) return null;
  const family = familyOfLanguage[spec.id]!;
  const lines = text.split("\n");
  const file: SourceFile = { path, languageId: spec.id, family, isTest: testFilePattern(path, family) !== null, recorder };
  try {
    const captures = groupByName(query.captures(tree.rootNode));
    extractors[family](file, captures);
    recordCommentLines(file, captures.get("comment") ?? [], lines);
  } finally {
    tree.delete(); // the wasm heap never shrinks: free the tree as soon as its captures are read
  }
  recordLines(text, recorder, lines);
  recordFileName(file);
  return family;
}

function groupByName(captures: QueryCapture[]): Captures {
  const grouped: Captures = new Map();
  for (const { name, node } of captures) {
    const list = grouped.get(name);
    if (list) list.push(node);
    else grouped.set(name, [node]);
  }
  return grouped;
}

function recordFileName(file: SourceFile): void {
  const name = file.path.split("/").pop()!;
  const style = fileNameStyle(file.path);
  if (style) file.recorder.add("naming:file", style, 1, name);
  const pattern = testFilePattern(file.path, file.family);
  if (!pattern) return;
  file.recorder.add("test-file", pattern, 1, name);
  file.recorder.add("test-location", testLocation(file.path), 1, file.path);
}
