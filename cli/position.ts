// FILE:LINE:COL positions (1-based, as editors and compilers print them) and the text window around them.
import { UsageError } from "./options";

export interface Position {
  file: string;
  line: number;
  column: number;
}

export function parsePosition(spec: string): Position {
  const match = /^(.+):(\d+):(\d+)$/.exec(spec);
  if (!match || Number(match[2]) < 1 || Number(match[3]) < 1) {
    throw new UsageError(`'${spec}' is not FILE:LINE:COL with 1-based line and column`);
  }
  return { file: match[1]!, line: Number(match[2]), column: Number(match[3]) };
}

/** The character offset of a 1-based position, checked against the file's lines. */
export function offsetOf(text: string, position: Position): number {
  const lines = text.split("\n");
  const lineText = lines[position.line - 1];
  if (lineText === undefined) throw new UsageError(`${position.file} has ${lines.length} lines; line ${position.line} does not exist`);
  if (position.column - 1 > lineText.length) {
    throw new UsageError(`${position.file}:${position.line} has ${lineText.length} characters; column ${position.column} is past its end`);
  }
  return lines.slice(0, position.line - 1).reduce((sum, line) => sum + line.length + 1, 0) + position.column - 1;
}
