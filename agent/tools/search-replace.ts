// A search/replace block applied to a file's LF-normalized text: the search text must occur exactly once. When it
// does not occur as written, lines are compared with trailing whitespace ignored, since small models often drop
// or add it; still exactly once. Pure text in, text or a reason out; knows nothing about files or diffs.

export type Replaced = { ok: true; text: string } | { ok: false; reason: string };

export function searchReplace(text: string, search: string, replace: string): Replaced {
  const [needle, replacement] = [search.replaceAll("\r\n", "\n"), replace.replaceAll("\r\n", "\n")];
  const exact = occurrences(text, needle);
  if (exact.length === 1) return { ok: true, text: text.slice(0, exact[0]) + replacement + text.slice(exact[0]! + needle.length) };
  if (exact.length > 1) return { ok: false, reason: `the search text occurs ${exact.length} times; include more lines so it occurs once` };
  const loose = looseLineMatches(text, needle);
  if (loose.length === 1) {
    const { start, end } = loose[0]!;
    // The span is whole lines with their "\n"; the replacement takes their place as whole lines too.
    const ending = replacement === "" || replacement.endsWith("\n") ? "" : "\n";
    return { ok: true, text: text.slice(0, start) + replacement + ending + text.slice(end) };
  }
  if (loose.length > 1) return { ok: false, reason: `the search text occurs ${loose.length} times; include more lines so it occurs once` };
  return { ok: false, reason: "the search text does not occur in the file; read the file and copy the lines exactly" };
}

function occurrences(text: string, needle: string): number[] {
  const found: number[] = [];
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) found.push(at);
  return found;
}

/** Spans of whole lines whose trimmed-right texts equal the search's lines (the span includes its final "\n"). */
function looseLineMatches(text: string, needle: string): { start: number; end: number }[] {
  const wanted = needle.replace(/\n$/, "").split("\n").map((line) => line.trimEnd());
  const lines = text.split("\n");
  const starts: number[] = [];
  for (let offset = 0, i = 0; i < lines.length; offset += lines[i]!.length + 1, i++) starts.push(offset);
  const found: { start: number; end: number }[] = [];
  for (let i = 0; i + wanted.length <= lines.length; i++) {
    if (wanted.every((line, k) => lines[i + k]!.trimEnd() === line)) {
      const last = i + wanted.length - 1;
      found.push({ start: starts[i]!, end: Math.min(text.length, starts[last]! + lines[last]!.length + 1) });
    }
  }
  return found;
}
