// A file's format survives decode -> encode byte for byte, and bytes Ghost can not edit as text are refused, not
// mangled.
import { test } from "node:test";
import assert from "node:assert/strict";
import { decode, encode, encodeLines, type DecodeResult } from "../../diffing/text-format";
import { assertBytes, randomFile, toBytes } from "./model";
import { forEachSeed } from "./random";

const bytes = (text: string) => new TextEncoder().encode(text);
const eolName = { "\n": "LF", "\r\n": "CRLF", "\r": "CR" } as const;

/** One line: the normalized text, then the format. */
function summary(result: DecodeResult): string {
  if (result.kind === "unsupported") return result.reason;
  const { bom, eol, finalNewline } = result.format;
  return `${JSON.stringify(result.text)} ${bom ? "bom " : ""}${eolName[eol]}${finalNewline ? "" : " no-final-newline"}`;
}

test("decode: line endings, BOM and final newline become the format; the text is LF-only", () => {
  assert.equal(summary(decode(bytes("a\nb\n"))), `"a\\nb\\n" LF`);
  assert.equal(summary(decode(bytes("a\r\nb\r\n"))), `"a\\nb\\n" CRLF`);
  assert.equal(summary(decode(bytes("a\rb"))), `"a\\nb\\n" CR no-final-newline`);
  assert.equal(summary(decode(bytes("\uFEFFa\r\nb\nc\r\n"))), `"a\\nb\\nc\\n" bom CRLF`);
  assert.equal(summary(decode(bytes("a\r\r\n\n"))), `"a\\n\\n\\n" LF`); // CR, CRLF, LF: a tie goes to LF
  assert.equal(summary(decode(bytes(""))), `"" LF`);
  assert.equal(summary(decode(bytes("\uFEFF"))), `"" bom LF`);
  assert.equal(summary(decode(bytes("\n"))), `"\\n" LF`);
  assert.equal(summary(decode(bytes("😀 e\u0301 漢字"))), `"😀 e\u0301 漢字\\n" LF no-final-newline`);
});

test("decode refuses what is not UTF-8 text, saying so", () => {
  assert.equal(summary(decode(new Uint8Array([0xff, 0xfe, 0x61, 0x00]))), "binary or unsupported encoding: UTF-16LE (or UTF-32LE) byte order mark");
  assert.equal(summary(decode(new Uint8Array([0xfe, 0xff, 0x00, 0x61]))), "binary or unsupported encoding: UTF-16BE byte order mark");
  assert.equal(summary(decode(new Uint8Array([0x61, 0x00, 0x62, 0x00]))), "binary or unsupported encoding: contains NUL bytes");
  assert.equal(summary(decode(new Uint8Array([0x63, 0x61, 0x66, 0xe9]))), "binary or unsupported encoding: not valid UTF-8"); // latin-1 "café"
  assert.equal(summary(decode(new Uint8Array([0xed, 0xa0, 0x80]))), "binary or unsupported encoding: not valid UTF-8"); // a surrogate
});

test("encode: new lines get the dominant ending, given endings are kept, the final newline follows the format", () => {
  const mixed = decode(bytes("a\r\nb\nc\r\n"));
  assert.equal(mixed.kind, "text");
  if (mixed.kind !== "text") return;
  const show = (out: Uint8Array) => JSON.stringify(Buffer.from(out).toString());
  assert.equal(show(encode("a\nb\nc\n", mixed.format, mixed.lineEndings)), `"a\\r\\nb\\nc\\r\\n"`);
  assert.equal(show(encode("a\nb\nc\nd\n", mixed.format, mixed.lineEndings)), `"a\\r\\nb\\nc\\r\\nd\\r\\n"`);
  assert.equal(show(encode("x\ny\n", { bom: true, eol: "\n", finalNewline: false })), `"\uFEFFx\\ny"`);
  // A lone CR then an empty line's LF would read back as one CRLF: the empty line gets CRLF instead.
  assert.equal(show(encodeLines(["x", "", "y"], { bom: false, eol: "\r", finalNewline: true }, ["\r", "\n", "\r"])), `"x\\r\\r\\ny\\r"`);
});

test("property: decode -> encode gives back every text file byte for byte", () => {
  let files = 0;
  forEachSeed(600, (random) => {
    const file = toBytes(randomFile(random));
    const decoded = decode(file);
    assert.equal(decoded.kind, "text");
    if (decoded.kind === "text") assertBytes(encode(decoded.text, decoded.format, decoded.lineEndings), file);
    files++;
  });
  assert.ok(files >= 1);
});

test("property: random bytes either round-trip exactly or are refused", () => {
  // Whole characters (a BOM among them) and, now and then, a byte that breaks UTF-8 or means binary.
  const good = [[0x61], [0x20], [0x0d], [0x0a], [0x0d, 0x0a], [0xef, 0xbb, 0xbf], [0xc3, 0xa9], [0xf0, 0x9f, 0x98, 0x80], [0xe6, 0xbc, 0xa2]];
  const bad = [[0xff], [0xfe], [0x00], [0xc3], [0x80], [0xed, 0xa0, 0x80]];
  let text = 0;
  let refused = 0;
  forEachSeed(3000, (random) => {
    const file = new Uint8Array(Array.from({ length: random.int(16) }, () => random.pick(random.chance(0.04) ? bad : good)).flat());
    const decoded = decode(file);
    if (decoded.kind === "unsupported") return void refused++;
    text++;
    assertBytes(encode(decoded.text, decoded.format, decoded.lineEndings), file);
  });
  if (!process.env.GHOST_SEED) assert.ok(text > 300 && refused > 300, `${text} text, ${refused} refused: both kinds must be tried`);
});
