// Benchmark results: each benchmark returns rows of plain numbers; this prints them as a table and collects them
// as JSON. Knows nothing about what was measured.
export type Row = Record<string, string | number | null>;

export interface BenchmarkResult {
  name: string;
  /** What the numbers mean and the goal they are held to. */
  note: string;
  rows: Row[];
}

export function printTable(result: BenchmarkResult): void {
  console.log(`\n## ${result.name}\n${result.note}`);
  const columns = [...new Set(result.rows.flatMap((row) => Object.keys(row)))];
  const cells = result.rows.map((row) => columns.map((column) => format(row[column])));
  const widths = columns.map((column, index) => Math.max(column.length, ...cells.map((line) => line[index]!.length)));
  const line = (values: string[]) => `| ${values.map((value, index) => value.padEnd(widths[index]!)).join(" | ")} |`;
  console.log(line(columns));
  console.log(line(widths.map((width) => "-".repeat(width))));
  for (const values of cells) console.log(line(values));
}

function format(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  return Number.isInteger(value) ? String(value) : value.toFixed(Math.abs(value) >= 100 ? 1 : 3);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
