// Assembles what the model sees for a completion: definitions of the symbols used near the cursor (from the tag
// index, through the file's imports and the receivers' declared types) and similar chunks of recent files, packed into a token budget, then the cursor window. Cross-file parts
// come first in a stable order so the KV-cache prefix survives from keystroke to keystroke; the text at the cursor
// comes last. Knows plain text and the index; nothing of VS Code or the model's runtime.
import type { FimFamily } from "../../model/fim";
import { buildFimPrompt } from "../../model/fim";
import type { PromptPart } from "../../model/prompt";
import type { RecentChunks } from "../context/similar-chunks";
import { importClosure, importedDefinitions, namesOfResolvedImports } from "../context/imported-definitions";
import { languageOf } from "../context/languages";
import { memberDefinitions, receiverOf, type Segment } from "../context/member-types";
import { typedLanguages } from "../context/type-facts";
import type { LocatedDefinition, TagIndex } from "../context/tag-index";
import type { PromptLayout } from "./prompt-layout";
import { cursorWindow, defaultWindowLimits, type CursorWindow } from "./window";

export interface CompletionInput {
  /** Workspace-relative path, POSIX separators. */
  path: string;
  text: string;
  offset: number;
}

export interface ContextSnippet {
  kind: "definition" | "similar";
  path: string;
  /** 0-based first line in its file. */
  line: number;
  text: string;
  /** Why it is here: the symbol it defines, or its similarity score. */
  reason: string;
}

export interface AssembledContext {
  window: CursorWindow;
  snippets: ContextSnippet[];
  /** Per file, the snippets' text as the prompt carries it (stable order). */
  files: { path: string; text: string }[];
  parts: PromptPart[];
  estimatedTokens: number;
}

export interface ContextOptions {
  family: FimFamily;
  budgetTokens: number;
  /** Characters per token of this model on code; the budget is estimated with it (tokenizing every candidate
   *  snippet would cost more than the rest of context assembly). */
  charsPerToken: number;
  index: TagIndex;
  recent: RecentChunks;
  repoName?: string;
  /** The document's layout of cross-file snippets, kept between keystrokes: snippets that entered keep their place
   *  so the prompt's head (and its KV cache) survives. Without it, snippets are ordered by path and line. */
  layout?: PromptLayout;
  /** Lines of suffix after the rest of the cursor's line; omitted, defaultWindowLimits' (window.ts). */
  suffixLines?: number;
}

/** Share of the budget that cross-file context may take; the cursor window gets the rest. */
const contextShare = 0.4;
const nearCursorLines = 30;
const identifier = /[A-Za-z_$][\w$]*/g;

export function assembleContext(input: CompletionInput, options: ContextOptions): AssembledContext {
  const budgetChars = options.budgetTokens * options.charsPerToken;
  const windowChars = budgetChars * (1 - contextShare);
  const window = cursorWindow(input.text, input.offset, {
    ...defaultWindowLimits,
    suffixLines: options.suffixLines ?? defaultWindowLimits.suffixLines,
    prefixChars: Math.floor(windowChars * 0.92),
    suffixChars: Math.min(defaultWindowLimits.suffixChars, Math.floor(windowChars * 0.08)),
  });
  const lines = input.text.split("\n");
  const candidates = [...definitionSnippets(input, lines, window, options.index), ...similarSnippets(input, lines, window, options.recent)];
  const contextChars = budgetChars - window.prefix.length - window.suffix.length;
  const snippets = options.layout ? options.layout.arrange(input.path, candidates, contextChars) : packSnippets(candidates, contextChars);
  const files = groupByFile(snippets);
  const parts = buildFimPrompt(options.family, { prefix: window.prefix, suffix: window.suffix, path: input.path, repoName: options.repoName, context: files });
  const characters = window.prefix.length + window.suffix.length + files.reduce((sum, file) => sum + file.path.length + file.text.length, 0);
  return { window, snippets, files, parts, estimatedTokens: Math.ceil(characters / options.charsPerToken) };
}

export interface NameUse {
  name: string;
  /** `ns` in `ns.name(` or `pkg::name`: the namespace it is looked up in. */
  qualifier: string | null;
  /** The whole value it is a member of (`this.#client` in `this.#client.request(`, across lines), for JavaScript
   *  and TypeScript, whose member calls are resolved through the receiver's type (member-types.ts). */
  receiver: Segment[] | null;
  /** 0-based line of the use. */
  line: number;
  /** Written as a call (`name(`, `name?.(`). */
  called: boolean;
  /** Lines between its use and the cursor's line. */
  distance: number;
}

/** Names used near the cursor, nearest first (the current line, then outwards), each once, with the namespace they
 *  are looked up in when written `a.name` or `a::name`, and in JavaScript/TypeScript the receiver they are a member
 *  of. The word the cursor touches is left out: it is being typed, and each of its beginnings (`s`, `sc`, `sca`)
 *  would bring and drop other definitions, and with them re-prefill the whole window after the cross-file part at
 *  every keystroke. It counts once the user has moved past it (`scale(`). */
export function namesNearCursor(lines: readonly string[], window: CursorWindow, typed = false): NameUse[] {
  const order: number[] = [window.cursorLine];
  for (let distance = 1; distance <= nearCursorLines; distance++) order.push(window.cursorLine - distance, window.cursorLine + distance);
  const visible = order.filter((at) => at >= 0 && at < lines.length);
  // Receivers are read backwards across lines (`z\n  .object(`), in the text of these lines and a few above.
  const [first, last] = [Math.max(0, window.cursorLine - nearCursorLines - 4), Math.min(lines.length - 1, window.cursorLine + nearCursorLines)];
  const text = typed ? lines.slice(first, last + 1).join("\n") : "";
  const starts: number[] = [];
  if (typed) for (let line = first, at = 0; line <= last; at += lines[line]!.length + 1, line++) starts[line] = at;
  const uses = new Map<string, NameUse>();
  const call = /\s*(?:\?\.)?\s*\(/y;
  for (const line of visible) {
    let previous: { name: string; end: number } | null = null;
    const lineText = lines[line]!;
    for (const match of lineText.matchAll(identifier)) {
      if (line === window.cursorLine && match.index < window.cursorColumn && match.index + match[0].length >= window.cursorColumn) continue;
      const between = previous ? lineText.slice(previous.end, match.index) : "";
      const qualifier = previous && /^\s*(\?\.|\.|::)\s*$/.test(between) ? previous.name : null;
      // Only a name after a dot (on this line, or at its start: `\n  .object(`) has a receiver to read.
      let before = match.index - 1;
      while (before >= 0 && (lineText[before] === " " || lineText[before] === "\t")) before--;
      const receiver = typed && (before < 0 || lineText[before] === ".") ? receiverOf(text, starts[line]! + match.index) : null;
      call.lastIndex = match.index + match[0].length;
      const key = `${receiver ? receiver.map((segment) => segment.name).join(".") : qualifier ?? ""}.${match[0]}`;
      if (!uses.has(key)) uses.set(key, { name: match[0], qualifier: qualifier ?? plainName(receiver?.at(-1)), receiver, line, called: call.test(lineText), distance: Math.abs(line - window.cursorLine) });
      previous = { name: match[0], end: match.index + match[0].length };
    }
  }
  return [...uses.values()];
}

/** A receiver's last step when it is a plain name (`z` of `z\n  .object(`), the namespace it may be. */
function plainName(segment: Segment | undefined): string | null {
  return segment && !segment.call && /^[\w$]+$/.test(segment.name) ? segment.name : null;
}

/** Identifiers near the cursor, nearest first, each once. */
export function identifiersNearCursor(lines: readonly string[], window: CursorWindow): string[] {
  return [...new Set(namesNearCursor(lines, window).map((use) => use.name))];
}

/** Names defined in more files than this are too common to point at one definition. */
const maxDefiningFiles = 8;
/** A guess by name alone is worth its tokens only for a name close to the cursor. */
const maxGuessDistance = 6;

/** For each name near the cursor, nearest first, its best evidence: for a member (`value.name`), the definition
 *  its receiver's declared type leads to (member-types.ts); the definition its import leads to (the code really
 *  calls that one), else one in a module this file imports or those re-export (a method called on an imported
 *  value), else, close to the cursor only, the index's same-named definitions. Names this file defines, and names
 *  its resolved imports spell, are settled by the file itself. */
function definitionSnippets(input: CompletionInput, lines: readonly string[], window: CursorWindow, index: TagIndex): ContextSnippet[] {
  const own = new Set([...(index.tagsOf(input.path)?.definitions ?? []).map((definition) => definition.name), ...namesOfResolvedImports(index, input.path)]);
  const reachable = importClosure(index, input.path);
  const snippets: ContextSnippet[] = [];
  const typed = typedLanguages.has(languageOf(input.path)?.id ?? "");
  const guessed = new Set<string>();
  for (const use of namesNearCursor(lines, window, typed)) {
    const member = use.receiver ? memberDefinitions(index, input.path, use.line, use.receiver, use.name) : null;
    if (member) {
      const reason = `${use.receiver!.map((segment) => `${segment.name}${segment.call ? "()" : ""}`).join(".")}.${use.name} (by its type)`;
      // A plain field is worth its tokens only where it is called (`webidl.is.Blob(`); a property read is not.
      const useful = member.filter((definition) => (definition.kind !== "field" || use.called) && (definition.path !== input.path || !inWindow(definition, window)));
      snippets.push(...useful.slice(0, 2).map((definition) => snippetOf(definition, reason)));
      continue;
    }
    const resolved = importedDefinitions(index, input.path, use.name, use.qualifier);
    if (resolved) {
      const reason = `${use.qualifier ? `${use.qualifier}.` : ""}${use.name} (imported)`;
      snippets.push(...resolved.filter((definition) => definition.path !== input.path).slice(0, 2).map((definition) => snippetOf(definition, reason)));
      continue;
    }
    // `this.name(` and a bare `name(` mean this file's own `name`; `super.name(` or `value.name(` may not.
    if (own.has(use.name) && (use.qualifier === null || use.qualifier === "this" || use.qualifier === "self")) continue;
    // A name used on several receivers is guessed once.
    if (guessed.has(use.name)) continue;
    guessed.add(use.name);
    // Name-only guesses skip plain fields (a property's declaration says little about a call), also when counting
    // the files that define the name.
    const named = index.definitionsOf(use.name).filter((definition) => definition.kind !== "field");
    const definitions = named.filter((definition) => definition.path !== input.path);
    const reached = definitions.filter((definition) => reachable.has(definition.path));
    if (reached.length > 0) snippets.push(...reached.slice(0, 2).map((definition) => snippetOf(definition, `${use.name} (in an imported module)`)));
    else if (use.distance <= maxGuessDistance && new Set(named.map((definition) => definition.path)).size <= maxDefiningFiles) snippets.push(...definitions.slice(0, 2).map((definition) => snippetOf(definition, use.name)));
  }
  return snippets;
}

/** A definition the cursor window already shows needs no snippet. */
function inWindow(definition: LocatedDefinition, window: CursorWindow): boolean {
  return definition.line >= window.prefixStartLine && definition.line <= window.cursorLine;
}

function snippetOf(definition: LocatedDefinition, reason: string): ContextSnippet {
  return { kind: "definition", path: definition.path, line: definition.line, text: definition.signature, reason };
}

function similarSnippets(input: CompletionInput, lines: readonly string[], window: CursorWindow, recent: RecentChunks): ContextSnippet[] {
  // The query is the lines above the cursor's line, not the line being typed, so the choice holds while typing.
  const query = lines.slice(Math.max(0, window.cursorLine - 12), window.cursorLine).join("\n");
  return recent
    .mostSimilar(query, 4, input.path)
    .map((chunk) => ({ kind: "similar" as const, path: chunk.path, line: chunk.line, text: chunk.text, reason: `jaccard ${chunk.score.toFixed(2)}` }));
}

/** Takes candidates in priority order while they fit; returns them in prompt order (path, then line). */
function packSnippets(candidates: ContextSnippet[], budgetChars: number): ContextSnippet[] {
  return fitting(candidates, budgetChars).sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line || a.kind.localeCompare(b.kind));
}

/** Candidates in priority order, each once, while they fit in `budgetChars`. */
export function fitting(candidates: readonly ContextSnippet[], budgetChars: number): ContextSnippet[] {
  const chosen: ContextSnippet[] = [];
  const seen = new Set<string>();
  let used = 0;
  for (const snippet of candidates) {
    const key = snippetKey(snippet);
    const cost = snippetCost(snippet);
    if (seen.has(key) || used + cost > budgetChars) continue;
    seen.add(key);
    chosen.push(snippet);
    used += cost;
  }
  return chosen;
}

export const snippetKey = (snippet: ContextSnippet): string => `${snippet.path}:${snippet.line}:${snippet.kind}`;
export const snippetCost = (snippet: ContextSnippet): number => snippet.text.length + snippet.path.length + 2;

function groupByFile(snippets: ContextSnippet[]): { path: string; text: string }[] {
  const files = new Map<string, string[]>();
  for (const snippet of snippets) files.set(snippet.path, [...(files.get(snippet.path) ?? []), snippet.text]);
  return [...files].map(([path, texts]) => ({ path, text: texts.join("\n...\n") }));
}
