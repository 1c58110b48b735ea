// Seeded randomness for the diffing property tests: a small PRNG, random lines and files in every format Ghost must
// keep (LF, CRLF, lone CR, mixed, BOM, no final newline, emoji, CJK, combining marks, 100k-char lines, empty
// files), random line edits, and the loop that runs a property over many seeds and names the seed that failed.
import type { LineEnding } from "../../diffing/text-format";

/** mulberry32: 32 bits of state, good enough to shuffle test inputs, and the same sequence for the same seed. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

/** Runs `check` for `runs` seeds; a failure names its seed. GHOST_SEED=n runs that one seed alone. */
export function forEachSeed(runs: number, check: (random: Random, seed: number) => void): void {
  const only = process.env.GHOST_SEED;
  const seeds = only ? [Number(only)] : Array.from({ length: runs }, (_, index) => 1000 + index);
  for (const seed of seeds) {
    try {
      check(new Random(seed), seed);
    } catch (error) {
      if (error instanceof Error) {
        const note = `seed ${seed} (rerun alone: GHOST_SEED=${seed} node scripts/test.mjs diffing)`;
        error.message = `${note}\n${error.message}`;
        error.stack = `${note}\n${error.stack}`; // the test reporter prints the stack, made when the message was shorter
      }
      throw error;
    }
  }
}

const pieces = ["const", "x", "=", "1;", "  ", "\t", "return", "(", ")", "//", "'", '"', "\\", " ", "a", "b"]
  .concat(["😀", "👩‍💻", "漢字", "日本語", "e\u0301", "Å", "ß", "→"]); // emoji (one with joiners), CJK, a combining mark

const longLines = ["x".repeat(100_000), "漢".repeat(100_000), "😀".repeat(50_000)]; // 100k UTF-16 units each

/** A line of text (no line break in it). `unique` lines carry a counter, so no two are equal and none is empty. */
export function randomLine(random: Random, unique?: { next: number }): string {
  const words = Array.from({ length: 1 + random.int(6) }, () => random.pick(pieces)).join("");
  if (unique) return `${unique.next++}:${words}`;
  if (random.chance(0.12)) return "";
  if (random.chance(0.06)) return random.pick(["}", "{", "  }", "end"]);
  if (random.chance(0.003)) return random.pick(longLines);
  return words;
}

export function randomCount(random: Random): number {
  const roll = random.next();
  if (roll < 0.2) return random.int(4); // 0-3 lines: empty files and the edges of the first and last line
  if (roll < 0.8) return random.int(61);
  return random.int(301);
}

export type EndingStyle = "lf" | "crlf" | "cr" | "mixed";

export function randomEnding(random: Random, style: EndingStyle): LineEnding {
  if (style === "lf") return "\n";
  if (style === "crlf") return "\r\n";
  if (style === "cr") return "\r";
  return random.pick(["\n", "\n", "\r\n", "\r"] as const);
}

/** Applies 0-6 random line edits (insert, delete, replace a range, change inside a line) to a copy of `lines`. */
export function randomEdits(random: Random, lines: readonly string[], unique?: { next: number }): string[] {
  const out = [...lines];
  const edits = random.chance(0.1) ? 0 : 1 + random.int(6);
  for (let n = 0; n < edits; n++) {
    const at = random.int(out.length + 1);
    const kind = out.length === 0 ? "insert" : random.pick(["insert", "delete", "replace", "inline"] as const);
    const fresh = () => Array.from({ length: 1 + random.int(3) }, () => randomLine(random, unique));
    if (kind === "insert") out.splice(at, 0, ...fresh());
    else if (kind === "delete") out.splice(Math.min(at, out.length - 1), 1 + random.int(3));
    else if (kind === "replace") out.splice(Math.min(at, out.length - 1), 1 + random.int(3), ...fresh());
    else out[Math.min(at, out.length - 1)] = changeInside(random, out[Math.min(at, out.length - 1)]!, unique);
  }
  return out;
}

/** Inserts a piece at a random code point boundary (never between the halves of a surrogate pair). */
function changeInside(random: Random, line: string, unique?: { next: number }): string {
  const points = Array.from(line);
  points.splice(random.int(points.length + 1), 0, random.pick(pieces));
  return unique ? `${unique.next++}~${points.join("")}` : points.join("");
}

/** forEachSeed for checks on disk, which are async. */
export async function forEachSeedAsync(runs: number, check: (random: Random, seed: number) => Promise<void>): Promise<void> {
  const only = process.env.GHOST_SEED;
  const seeds = only ? [Number(only)] : Array.from({ length: runs }, (_, index) => 1000 + index);
  for (const seed of seeds) {
    try {
      await check(new Random(seed), seed);
    } catch (error) {
      if (error instanceof Error) error.message = `seed ${seed} (rerun alone: GHOST_SEED=${seed})\n${error.message}`;
      throw error;
    }
  }
}
