// Each language's statement keywords. A grammar's error recovery can turn a statement into a "method" named after
// its keyword (`if (x) {` inside code the grammar cannot parse, Flow annotations in a .js file); such a tag is not a
// definition. Data only.

const javascript = ["break", "case", "catch", "const", "continue", "debugger", "do", "else", "export", "finally", "for", "if", "import", "let", "return", "switch", "throw", "try", "var", "while", "with"];

export const statementKeywords: Record<string, ReadonlySet<string>> = {
  typescript: new Set(javascript),
  tsx: new Set(javascript),
  javascript: new Set(javascript),
  python: new Set(["assert", "break", "class", "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "nonlocal", "pass", "raise", "return", "try", "while", "with", "yield"]),
  go: new Set(["break", "case", "const", "continue", "defer", "else", "fallthrough", "for", "func", "go", "goto", "if", "import", "package", "return", "select", "switch", "type", "var"]),
  rust: new Set(["break", "const", "continue", "else", "enum", "fn", "for", "if", "impl", "let", "loop", "match", "mod", "return", "static", "struct", "trait", "type", "use", "while"]),
  java: new Set(["break", "case", "catch", "continue", "do", "else", "finally", "for", "if", "import", "package", "return", "switch", "throw", "try", "while"]),
};
