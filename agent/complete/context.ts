// Assembles what the model sees for a completion: definitions of the symbols used near the cursor (from the tag
// index) and similar chunks of recent files, packed into a token budget, then the cursor window. Cross-file parts
// come first in a stable order so the KV-cache prefix survives from keystroke to keystroke; the text at the cursor
// comes last. Knows plain text and the index; nothing of VS Code or the model's runtime.
import type { FimFamily } from "../../model/fim";
import { buildFimPrompt } from "../../model/fim";
import type { PromptPart } from "../../model/prompt";
import type { RecentChunks } from "../context/similar-chunks";
import type { TagIndex } from "../context/tag-index";
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
    prefixChars: Math.floor(windowChars * 0.85),
    suffixChars: Math.floor(windowChars * 0.15),
  });
  const lines = input.text.split("\n");
  const candidates = [...definitionSnippets(input, lines, window, options.index), ...similarSnippets(input, lines, window, options.recent)];
  const snippets = packSnippets(candidates, budgetChars - window.prefix.length - window.suffix.length);
  const files = groupByFile(snippets);
  const parts = buildFimPrompt(options.family, { prefix: window.prefix, suffix: window.suffix, path: input.path, repoName: options.repoName, context: files });
  const characters = window.prefix.length + window.suffix.length + files.reduce((sum, file) => sum + file.path.length + file.text.length, 0);
  return { window, snippets, files, parts, estimatedTokens: Math.ceil(characters / options.charsPerToken) };
}

/** Identifiers near the cursor, nearest first (the current line, then outwards), each once. */
export function identifiersNearCursor(lines: readonly string[], window: CursorWindow): string[] {
  const order: number[] = [window.cursorLine];
  for (let distance = 1; distance <= nearCursorLines; distance++) order.push(window.cursorLine - distance, window.cursorLine + distance);
  const names = order.filter((line) => line >= 0 && line < lines.length).flatMap((line) => lines[line]!.match(identifier) ?? []);
  return [...new Set(names)];
}

/** Names defined in more files than this are too common to point at one definition. */
const maxDefiningFiles = 8;

function definitionSnippets(input: CompletionInput, lines: readonly string[], window: CursorWindow, index: TagIndex): ContextSnippet[] {
  const names = identifiersNearCursor(lines, window).filter((name) => index.filesDefining(name) > 0 && index.filesDefining(name) <= maxDefiningFiles);
  return names.flatMap((name) =>
    index
      .definitionsOf(name)
      .filter((definition) => definition.path !== input.path)
      .slice(0, 2)
      .map((definition) => ({ kind: "definition" as const, path: definition.path, line: definition.line, text: definition.signature, reason: name })),
  );
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
  const chosen: ContextSnippet[] = [];
  const seen = new Set<string>();
  let used = 0;
  for (const snippet of candidates) {
    const key = `${snippet.path}:${snippet.line}:${snippet.kind}`;
    const cost = snippet.text.length + snippet.path.length + 2;
    if (seen.has(key) || used + cost > budgetChars) continue;
    seen.add(key);
    chosen.push(snippet);
    used += cost;
  }
  return chosen.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line || a.kind.localeCompare(b.kind));
}

function groupByFile(snippets: ContextSnippet[]): { path: string; text: string }[] {
  const files = new Map<string, string[]>();
  for (const snippet of snippets) files.set(snippet.path, [...(files.get(snippet.path) ?? []), snippet.text]);
  return [...files].map(([path, texts]) => ({ path, text: texts.join("\n...\n") }));
}
