// A search/replace block applied to a file's LF-normalized text: the search text must occur exactly once. When it
// does not occur as written, lines are compared with trailing whitespace ignored, since small models often drop
// or add it; still exactly once. Pure text in, text or a reason out; knows nothing about files or diffs.

export type Replaced = { ok: true; text: string } | { ok: false; reason: string };

export function searchReplace(text: string, search: string, replace: string): Replaced {
  const [needle, replacement] = [search.replaceAll("\r\n", "\n"), replace.replaceAll("\r\n", "\n")];
  const exact = occurrences(text, needle);
  if (exact.length === 1) return { ok: true, text: text.slice(0, exact[0]) + replacement + text.slice(exact[0]! + needle.length) };
  if (exact.length > 1) return { ok: false, reason: `the search text occurs ${times(exact.length)}; include more lines so it occurs once` };
  const loose = looseLineMatches(text, needle);
  if (loose.length === 1) {
    const { start, end } = loose[0]!;
    // The span is whole lines with their "\n"; the replacement takes their place as whole lines too.
    const ending = replacement === "" || replacement.endsWith("\n") ? "" : "\n";
    return { ok: true, text: text.slice(0, start) + replacement + ending + text.slice(end) };
  }
  if (loose.length > 1) return { ok: false, reason: `the search text occurs ${times(loose.length)}; include more lines so it occurs once` };
  return { ok: false, reason: "the search text does not occur in the file; read the file and copy the lines exactly" };
}

/** Counting stops here: "more than once" is all the model needs, and counting every overlapping occurrence of a
 *  long search text in a long repetitive file would take time quadratic in their sizes. */
const maxCounted = 10;

const times = (count: number) => (count >= maxCounted ? `${maxCounted} or more times` : `${count} times`);

function occurrences(text: string, needle: string): number[] {
  const found: number[] = [];
  for (let at = text.indexOf(needle); at >= 0 && found.length < maxCounted; at = text.indexOf(needle, at + 1)) found.push(at);
  return found;
}

/** Spans of whole lines whose trimmed-right texts equal the search's lines (the span includes its final "\n").
 *  Found with indexOf over the trimmed text, not by comparing at every line: a search text of thousands of lines
 *  against a file of millions would otherwise never finish. */
function looseLineMatches(text: string, needle: string): { start: number; end: number }[] {
  const wanted = needle.replace(/\n$/, "").split("\n").map((line) => line.trimEnd()).join("\n");
  const lines = text.split("\n");
  const [starts, trimmedStarts] = [[] as number[], [] as number[]];
  const trimmed = lines.map((line) => line.trimEnd());
  for (let i = 0, offset = 0, trimmedOffset = 0; i < lines.length; i++) {
    starts.push(offset);
    trimmedStarts.push(trimmedOffset);
    offset += lines[i]!.length + 1;
    trimmedOffset += trimmed[i]!.length + 1;
  }
  const joined = trimmed.join("\n");
  const found: { start: number; end: number }[] = [];
  for (let at = joined.indexOf(wanted); at >= 0 && found.length < maxCounted; at = joined.indexOf(wanted, at + 1)) {
    const first = lineAt(trimmedStarts, at);
    const endsLine = at + wanted.length === joined.length || joined[at + wanted.length] === "\n";
    if (trimmedStarts[first] !== at || !endsLine) continue;
    const last = first + wanted.split("\n").length - 1;
    found.push({ start: starts[first]!, end: Math.min(text.length, starts[last]! + lines[last]!.length + 1) });
  }
  return found;
}

/** The index of the line holding `offset`: the last start at or before it (binary search). */
function lineAt(starts: readonly number[], offset: number): number {
  let [low, high] = [0, starts.length - 1];
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}
