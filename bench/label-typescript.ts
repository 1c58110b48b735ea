// Call sites of a TypeScript/JavaScript repository labelled by the TypeScript compiler's own go-to-definition,
// independently of Ghost's index: each call whose callee TypeScript resolves to a definition in another file of the
// same repository, with that file and line. Sites are taken in file order, at most a few per file, so no file
// dominates; nothing about Ghost decides which.
import { readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import ts from "typescript";

export interface LabelledSite {
  /** Repository-relative POSIX path of the calling file. */
  path: string;
  /** Offset just after the call's `(`: the keystroke that asks for the callee's signature. */
  offset: number;
  callee: string;
  /** Where the callee is defined: repository-relative path and 0-based line of its name. */
  definitionPath: string;
  definitionLine: number;
}

const scriptFile = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

/** Go-to-definition, repeated while it lands on another name for the value (CommonJS's `module.exports = { parse }`
 *  shorthand, an export alias) rather than its declaration. */
function declarationOf(service: ts.LanguageService, file: string, position: number): ts.DefinitionInfo | undefined {
  let [definition] = service.getDefinitionAtPosition(file, position) ?? [];
  for (let hop = 0; definition && hop < 4; hop++) {
    const [next] = service.getDefinitionAtPosition(definition.fileName, definition.textSpan.start) ?? [];
    if (!next || (next.fileName === definition.fileName && next.textSpan.start === definition.textSpan.start)) break;
    definition = next;
  }
  return definition;
}

export function labelTypeScriptSites(root: string, paths: readonly string[], perFile: number, limit: number): LabelledSite[] {
  const files = paths.filter((path) => scriptFile.test(path)).map((path) => join(root, path));
  const options: ts.CompilerOptions = { allowJs: true, checkJs: false, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.Preserve, moduleResolution: ts.ModuleResolutionKind.Bundler, skipLibCheck: true, types: [] };
  const host: ts.LanguageServiceHost = {
    getScriptFileNames: () => files,
    getScriptVersion: () => "1",
    getScriptSnapshot: (file) => (ts.sys.fileExists(file) ? ts.ScriptSnapshot.fromString(readFileSync(file, "utf8")) : undefined),
    getCurrentDirectory: () => root,
    getCompilationSettings: () => options,
    getDefaultLibFileName: ts.getDefaultLibFilePath,
    fileExists: ts.sys.fileExists,
    readFile: ts.sys.readFile,
    readDirectory: ts.sys.readDirectory,
  };
  const service = ts.createLanguageService(host);
  const program = service.getProgram()!;
  const sites: LabelledSite[] = [];
  const inRepository = (file: string) => !relative(root, file).startsWith("..") && !relative(root, file).split(sep).includes("node_modules");
  for (const file of files.filter((file) => !/\.d\.[mc]?ts$/.test(file))) {
    const source = program.getSourceFile(file);
    if (!source) continue;
    let taken = 0;
    const visit = (node: ts.Node): void => {
      if (taken >= perFile || sites.length >= limit) return;
      if (ts.isCallExpression(node)) {
        const callee = ts.isIdentifier(node.expression) ? node.expression : ts.isPropertyAccessExpression(node.expression) ? node.expression.name : null;
        const definition = callee ? declarationOf(service, file, callee.getStart(source)) : undefined;
        if (callee && definition && definition.fileName !== file && inRepository(definition.fileName)) {
          const target = program.getSourceFile(definition.fileName)!;
          sites.push({
            path: relative(root, file).split(sep).join("/"),
            offset: node.arguments.pos,
            callee: callee.text,
            definitionPath: relative(root, definition.fileName).split(sep).join("/"),
            definitionLine: target.getLineAndCharacterOfPosition(definition.textSpan.start).line,
          });
          taken++;
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
    if (sites.length >= limit) break;
  }
  return sites;
}
