// A command line as the model writes it ("npm test -- --grep 'a b'") turned into argv, with every piece of shell
// syntax it holds named: pipes, redirections, `;`, `&&`, `||`, `$`, backticks, globs, `~`, comments, NAME=value.
// Quotes and backslashes are read the way POSIX sh reads them. No shell is invoked here; a line without shell
// syntax runs as its argv directly, and one with it needs the user to approve `sh -c LINE` (see autonomy.ts).
// Knows nothing about policy or processes.

export type ParsedCommand =
  | { ok: true; argv: string[]; /** Shell syntax found outside quotes, in order of appearance, deduplicated. */ shell: string[] }
  | { ok: false; error: string };

const operators = ["&&", "||", ">>", "<<", "&>", ">&", "<&", "|", "&", ";", "<", ">", "(", ")", "\n"];
const globs = new Set(["*", "?", "["]);

export function parseCommandLine(line: string): ParsedCommand {
  const argv: string[] = [];
  const shell = new Set<string>();
  let word: string | null = null; // null: between words; "" is an (empty, quoted) word
  const end = () => {
    if (word !== null) argv.push(word);
    word = null;
  };
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (char === " " || char === "\t") end();
    else if (char === "'") {
      const close = line.indexOf("'", i + 1);
      if (close < 0) return { ok: false, error: "an unterminated single quote" };
      word = (word ?? "") + line.slice(i + 1, close);
      i = close;
    } else if (char === '"') {
      const quoted = readDoubleQuoted(line, i + 1, shell);
      if (quoted === null) return { ok: false, error: "an unterminated double quote" };
      word = (word ?? "") + quoted.text;
      i = quoted.end;
    } else if (char === "\\") {
      if (i + 1 >= line.length) return { ok: false, error: "a backslash at the end of the line" };
      word = (word ?? "") + line[++i];
    } else {
      const operator = operators.find((candidate) => line.startsWith(candidate, i));
      if (operator) {
        shell.add(operator === "\n" ? "newline" : operator);
        end();
        i += operator.length - 1;
        continue;
      }
      if (char === "$") shell.add(line[i + 1] === "(" ? "$(" : "$");
      else if (char === "`") shell.add("`");
      else if (globs.has(char)) shell.add(char);
      else if (word === null && char === "~") shell.add("~");
      else if (word === null && char === "#") shell.add("#");
      else if (char === "=" && argv.length === 0 && word !== null && /^[A-Za-z_][A-Za-z0-9_]*$/.test(word)) shell.add("NAME=value");
      word = (word ?? "") + char;
    }
  }
  end();
  if (argv.length === 0) return { ok: false, error: "an empty command" };
  return { ok: true, argv, shell: [...shell] };
}

/** From just after an opening `"` to its closing `"`: inside, a backslash escapes only $ ` " \ and newline, and
 *  $ and ` still expand in a shell, so they count as shell syntax. */
function readDoubleQuoted(line: string, start: number, shell: Set<string>): { text: string; end: number } | null {
  let text = "";
  for (let i = start; i < line.length; i++) {
    const char = line[i]!;
    if (char === '"') return { text, end: i };
    if (char === "\\" && i + 1 < line.length && '$`"\\\n'.includes(line[i + 1]!)) text += line[++i];
    else {
      if (char === "$") shell.add(line[i + 1] === "(" ? "$(" : "$");
      if (char === "`") shell.add("`");
      text += char;
    }
  }
  return null;
}

/** The argv as one line a person can read and paste: words quoted only where needed. */
export function formatArgv(argv: readonly string[]): string {
  return argv.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`)).join(" ");
}
