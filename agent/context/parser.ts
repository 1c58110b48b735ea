// web-tree-sitter, initialised once, with each language's grammar and tags query loaded on first use.
// Knows how to get a parser and a query for a language; not what the tags mean.
import { readFileSync } from "node:fs";
import { Language, Parser, Query } from "web-tree-sitter";
import { definitionQueryFile, grammarFile, type LanguageSpec } from "./languages";

export interface LoadedLanguage {
  spec: LanguageSpec;
  language: Language;
  parser: Parser;
  tagsQuery: Query;
}

let initialized: Promise<void> | null = null;
const loaded = new Map<string, Promise<LoadedLanguage>>();

export function loadLanguage(spec: LanguageSpec): Promise<LoadedLanguage> {
  let entry = loaded.get(spec.id);
  if (!entry) {
    entry = load(spec);
    loaded.set(spec.id, entry);
  }
  return entry;
}

async function load(spec: LanguageSpec): Promise<LoadedLanguage> {
  initialized ??= Parser.init({ locateFile: () => grammarFile("web-tree-sitter", "web-tree-sitter.wasm") });
  await initialized;
  const language = await Language.load(grammarFile(...spec.wasm));
  const parser = new Parser();
  parser.setLanguage(language);
  const files = [...spec.tagQueries.map(([pkg, file]) => grammarFile(pkg, file)), ...(spec.definitionQueries ?? []).map(definitionQueryFile)];
  const source = files.map((file) => readFileSync(file, "utf8")).join("\n");
  return { spec, language, parser, tagsQuery: new Query(language, source) };
}
