// A file's bytes-level format, detected on read and kept on write: UTF-8 BOM, each line's own ending (LF, CRLF or
// a lone CR, as VS Code reads them), and whether the last line ends in a newline. Everything else in diffing/
// works on the LF-normalized text that decode() returns. Knows nothing about diffs, proposals or the disk.

export type LineEnding = "\n" | "\r\n" | "\r";

export interface TextFormat {
  bom: boolean;
  /** The ending new lines get: the file's most common one (ties: LF, then CRLF, then CR; LF for no endings). */
  eol: LineEnding;
  /** False when the last line has no ending. An empty file counts as true: it has no last line to lack one. */
  finalNewline: boolean;
}

/** One ending per line of `text`; undefined for a line whose ending is not known (the file's last line when it
 *  has no final newline, a line Ghost added), which encode() writes with `format.eol`. */
export type Endings = readonly (LineEnding | undefined)[];

export type Decoded = { kind: "text"; text: string; format: TextFormat; lineEndings: (LineEnding | undefined)[] };
export type DecodeResult = Decoded | { kind: "unsupported"; reason: string };

const utf8Bom = [0xef, 0xbb, 0xbf];
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const lineBreak = /\r\n|\r|\n/g;

/** Bytes to LF-normalized text (every line ends in "\n"; "" for no lines) plus what it takes to write them back. */
export function decode(bytes: Uint8Array): DecodeResult {
  const unsupported = unsupportedReason(bytes);
  if (unsupported) return { kind: "unsupported", reason: `binary or unsupported encoding: ${unsupported}` };
  const bom = utf8Bom.every((byte, index) => bytes[index] === byte);
  let raw: string;
  try {
    raw = utf8.decode(bom ? bytes.subarray(3) : bytes);
  } catch {
    return { kind: "unsupported", reason: "binary or unsupported encoding: not valid UTF-8" };
  }
  const lines: string[] = [];
  const lineEndings: (LineEnding | undefined)[] = [];
  let start = 0;
  for (const match of raw.matchAll(lineBreak)) {
    lines.push(raw.slice(start, match.index));
    lineEndings.push(match[0] as LineEnding);
    start = match.index + match[0].length;
  }
  const finalNewline = start === raw.length;
  if (!finalNewline) {
    lines.push(raw.slice(start));
    lineEndings.push(undefined);
  }
  return { kind: "text", text: joinLines(lines), format: { bom, eol: dominant(lineEndings), finalNewline }, lineEndings };
}

/** Text (LF-normalized) to bytes in `format`. Line i ends with `lineEndings[i]` where given, else `format.eol`. */
export function encode(text: string, format: TextFormat, lineEndings: Endings = []): Uint8Array {
  return encodeLines(splitLines(text), format, lineEndings);
}

export function encodeLines(lines: readonly string[], format: TextFormat, lineEndings: Endings = []): Uint8Array {
  const parts: string[] = [];
  let previous: LineEnding | undefined;
  lines.forEach((line, index) => {
    let ending = lineEndings[index] ?? format.eol;
    // A lone CR followed by an empty line's LF would read back as one CRLF and lose the empty line.
    if (previous === "\r" && line === "" && ending === "\n") ending = "\r\n";
    const last = index === lines.length - 1;
    parts.push(last && !format.finalNewline ? line : line + ending);
    previous = ending;
  });
  const body = new TextEncoder().encode(parts.join(""));
  if (!format.bom) return body;
  const bytes = new Uint8Array(body.length + 3);
  bytes.set(utf8Bom);
  bytes.set(body, 3);
  return bytes;
}

/** "a\nb\n" -> ["a", "b"]; "" -> []. A text without its final "\n" splits the same way. */
export function splitLines(text: string): string[] {
  if (text === "") return [];
  return (text.endsWith("\n") ? text.slice(0, -1) : text).split("\n");
}

export function joinLines(lines: readonly string[]): string {
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

export function sameBytes(a: Uint8Array | null, b: Uint8Array | null): boolean {
  if (a === null || b === null) return a === b;
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/** Why these bytes are not text Ghost can edit, or null. A NUL byte means binary (or UTF-16/32 without a BOM). */
function unsupportedReason(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "UTF-16LE (or UTF-32LE) byte order mark";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "UTF-16BE byte order mark";
  if (bytes.includes(0)) return "contains NUL bytes";
  return null;
}

function dominant(lineEndings: Endings): LineEnding {
  const counts = new Map<LineEnding, number>([["\n", 0], ["\r\n", 0], ["\r", 0]]);
  for (const ending of lineEndings) if (ending) counts.set(ending, counts.get(ending)! + 1);
  let best: LineEnding = "\n";
  for (const [ending, count] of counts) if (count > counts.get(best)!) best = ending;
  return best;
}
