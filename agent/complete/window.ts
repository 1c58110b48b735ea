// The text window around the cursor: prefix and suffix cut at line boundaries, within a character budget. The
// prefix's first line snaps to a multiple of `anchorLines`, so while the user types inside the window its start
// does not move and the KV cache keeps the whole prompt head.

export interface CursorWindow {
  prefix: string;
  suffix: string;
  /** 0-based line where the prefix starts, and the cursor's line and column. */
  prefixStartLine: number;
  cursorLine: number;
  cursorColumn: number;
}

export interface WindowLimits {
  prefixChars: number;
  suffixChars: number;
  suffixLines: number;
  anchorLines: number;
}

/** The suffix follows the cursor in the prompt (prefix-suffix-middle, the order Qwen and DeepSeek coders were
 *  trained on), so every keystroke prefills it again, and the cursor's rest can not warm it ahead: its tokens are
 *  the floor of what a keystroke costs. 3 lines: the rest of the cursor's line (what the completion must not
 *  repeat), the lines that use or close what is being written. Measured on the typing sessions (`npm run bench --
 *  prefix-reuse`, warm-up at rest): tiny-coder 3 lines 47 tail tokens at the median, 3.9% of prompt tokens
 *  prefilled per keystroke, 1 line 24 tokens, 2.9%; the ~135M model (a larger vocabulary) 25 against 22 tokens.
 *  One line would save little on a real vocabulary and hide from the model the code right below the cursor, which
 *  the random-weight benchmark models can not say the worth of; 8 lines cost about 9%. */
export const defaultWindowLimits: WindowLimits = { prefixChars: 6000, suffixChars: 300, suffixLines: 3, anchorLines: 32 };

export function cursorWindow(text: string, offset: number, limits: WindowLimits = defaultWindowLimits): CursorWindow {
  const before = text.slice(0, offset);
  const beforeLines = before.split("\n");
  const cursorLine = beforeLines.length - 1;
  const cursorColumn = beforeLines[cursorLine]!.length;
  // Walk back from the cursor's line while the prefix fits, then snap the start up to the anchor grid (up, so the
  // budget still holds).
  let start = cursorLine;
  let size = beforeLines[cursorLine]!.length;
  while (start > 0 && size + beforeLines[start - 1]!.length + 1 <= limits.prefixChars) size += beforeLines[--start]!.length + 1;
  const snapped = start === 0 ? 0 : Math.ceil(start / limits.anchorLines) * limits.anchorLines;
  const prefixStartLine = Math.min(snapped, cursorLine);
  const afterLines = text.slice(offset).split("\n").slice(0, limits.suffixLines + 1);
  let suffix = afterLines.join("\n");
  if (suffix.length > limits.suffixChars) suffix = suffix.slice(0, suffix.lastIndexOf("\n", limits.suffixChars) + 1 || limits.suffixChars);
  return { prefix: beforeLines.slice(prefixStartLine).join("\n"), suffix, prefixStartLine, cursorLine, cursorColumn };
}
