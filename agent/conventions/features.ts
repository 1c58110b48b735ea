// Feature observations: what code shows about one convention, as (key, value, line) triples such as
// ("quotes", "double", 12). Mining keeps a tally per file (a count and a few sample lines per value); checking keeps
// every observation with its line, so it can be matched to the lines a change adds. Knows nothing about parsing.

/** Languages are grouped by ecosystem: TypeScript, TSX and JavaScript share conventions, modules and APIs. */
export type Family = "javascript" | "python" | "go" | "rust" | "java";

export const familyNames: Record<Family, string> = {
  javascript: "JavaScript/TypeScript",
  python: "Python",
  go: "Go",
  rust: "Rust",
  java: "Java",
};

/** value → [count, ...sample lines (1-based)] */
export type Tally = Record<string, number[]>;
/** feature key → tally */
export type Tallies = Record<string, Tally>;

export interface FileFeatures {
  family: Family;
  tallies: Tallies;
}

export interface Recorder {
  /** One observation: `detail` is what a flag names (the identifier, the thrown class, the module). */
  add(key: string, value: string, line: number, detail?: string): void;
}

/** Sample lines kept per value and file: enough for evidence, small enough for a 5,000-file cache. */
export const samplesPerValue = 3;

export class TallyRecorder implements Recorder {
  readonly tallies: Tallies = Object.create(null);

  add(key: string, value: string, line: number): void {
    if (value === "__proto__") return;
    const tally: Tally = (this.tallies[key] ??= Object.create(null));
    const entry = tally[value];
    if (!entry) tally[value] = [1, line];
    else {
      entry[0]! += 1;
      if (entry.length <= samplesPerValue && entry[entry.length - 1] !== line) entry.push(line);
    }
  }
}

export interface Observation {
  key: string;
  value: string;
  line: number;
  detail?: string;
}

export class ObservationRecorder implements Recorder {
  readonly observations: Observation[] = [];

  add(key: string, value: string, line: number, detail?: string): void {
    this.observations.push(detail === undefined ? { key, value, line } : { key, value, line, detail });
  }
}
