// Features read from the raw lines of a file, the same for every language: indentation steps and line length.
// Knows text only; strings and comments are not told apart here.
import type { Recorder } from "./features";

/** Line-length buckets: the smallest common limit a line fits within. */
export const lineLimits = [80, 100, 120] as const;
const tabColumns = 4;

export function recordLines(text: string, recorder: Recorder, lines = text.split("\n")): void {
  let previous = "";
  lines.forEach((line, index) => {
    if (line.trim() === "") return;
    const indent = /^[ \t]*/.exec(line)![0];
    const step = indentStep(previous, indent);
    if (step) recorder.add("indent", step, index + 1);
    recorder.add("line-length", lengthBucket(line), index + 1, String(displayLength(line)));
    previous = indent;
  });
}

/** How a line indents deeper than the one before: "tabs", "2 spaces", "4 spaces", or null (no step, a mix, or an odd
 *  width such as a JSDoc " * " continuation or an aligned argument). */
export function indentStep(previous: string, indent: string): string | null {
  if (indent.length <= previous.length || !indent.startsWith(previous)) return null;
  const added = indent.slice(previous.length);
  if (/^\t+$/.test(added)) return "tabs";
  if (added.length === 2 || added.length === 4) return /^ +$/.test(added) ? `${added.length} spaces` : null;
  return null;
}

export function lengthBucket(line: string): string {
  const length = displayLength(line);
  return String(lineLimits.find((limit) => length <= limit) ?? "longer");
}

function displayLength(line: string): number {
  const tabs = line.length - line.replaceAll("\t", "").length;
  return line.trimEnd().length + tabs * (tabColumns - 1);
}
