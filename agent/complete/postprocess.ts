// Cleans a raw completion before it is shown: drops what only repeats the text after the cursor, closing
// brackets the completion never opened, and results that are only whitespace. Pure; knows text only.

const closers: Record<string, string> = { ")": "(", "]": "[", "}": "{" };
const openers = new Set(Object.values(closers));

export function postprocess(completion: string, suffix: string): string {
  let text = trimSuffixOverlap(completion, suffix);
  text = trimUnbalancedClosers(text);
  return text.trim() === "" ? "" : text.replace(/\s+$/, (tail) => (tail.includes("\n") ? "" : tail));
}

/** The longest tail of the completion that the text after the cursor already starts with (on the cursor's line,
 *  ignoring leading whitespace) is cut: `foo(a, b)` before `)` becomes `foo(a, b`. */
export function trimSuffixOverlap(completion: string, suffix: string): string {
  const rest = suffix.split("\n")[0]!.trimStart();
  for (let length = Math.min(completion.length, rest.length); length > 0; length--) {
    if (rest.startsWith(completion.slice(completion.length - length))) return completion.slice(0, completion.length - length);
  }
  return completion;
}

/** Cuts the completion at the first closing bracket it did not open: that bracket belongs to code already there. */
export function trimUnbalancedClosers(completion: string): string {
  const stack: string[] = [];
  for (let index = 0; index < completion.length; index++) {
    const char = completion[index]!;
    if (openers.has(char)) stack.push(char);
    else if (char in closers) {
      if (stack.at(-1) !== closers[char]) return completion.slice(0, index);
      stack.pop();
    }
  }
  return completion;
}
