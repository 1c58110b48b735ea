// The configuration files that say how a repository's imports resolve: tsconfig/jsconfig (`baseUrl`, `paths`,
// `extends`), package.json (a workspace package's name and `exports`) and go.mod (the module path). Parsed with
// zod; the fields Ghost does not use are ignored. Knows one file's text, not the file system.
import { parse as parseJsonc, type ParseError } from "jsonc-parser";
import { posix } from "node:path";
import { z } from "zod";

export type ProjectFile =
  | { kind: "tsconfig"; dir: string; baseUrl: string | null; paths: Record<string, string[]>; extends: string | null }
  | { kind: "package"; dir: string; name: string; exports: unknown; entry: string[] }
  | { kind: "gomod"; dir: string; module: string };

const tsconfigSchema = z.object({
  extends: z.union([z.string(), z.array(z.string())]).optional(),
  compilerOptions: z.object({ baseUrl: z.string().optional(), paths: z.record(z.string(), z.array(z.string())).optional() }).loose().optional(),
}).loose();

const packageSchema = z.object({
  name: z.string().optional(),
  exports: z.unknown().optional(),
  main: z.string().optional(),
  module: z.string().optional(),
  types: z.string().optional(),
  typings: z.string().optional(),
}).loose();

export function isProjectFile(path: string): boolean {
  const name = posix.basename(path);
  return name === "package.json" || name === "go.mod" || /^(tsconfig|jsconfig)(\.[\w.-]+)?\.json$/.test(name);
}

/** The file's settings, or an error that names the file and what is wrong with it. */
export function parseProjectFile(path: string, text: string): { ok: true; file: ProjectFile } | { ok: false; error: string } {
  const dir = posix.dirname(path);
  const name = posix.basename(path);
  if (name === "go.mod") {
    const module = /^module\s+(\S+)/m.exec(text)?.[1];
    return module ? { ok: true, file: { kind: "gomod", dir, module: module.replace(/^"|"$/g, "") } } : { ok: false, error: `${path} has no module line` };
  }
  const errors: ParseError[] = [];
  const json: unknown = parseJsonc(text, errors, { allowTrailingComma: true });
  if (errors.length > 0) return { ok: false, error: `${path} is not valid JSON (at offset ${errors[0]!.offset}); its import settings are ignored` };
  if (name === "package.json") {
    const parsed = packageSchema.safeParse(json);
    if (!parsed.success) return { ok: false, error: `${path}: ${z.prettifyError(parsed.error)}` };
    const { name: packageName, exports, main, module, types, typings } = parsed.data;
    const entry = [module, main, types, typings].filter((value): value is string => value !== undefined);
    return { ok: true, file: { kind: "package", dir, name: packageName ?? "", exports, entry } };
  }
  const parsed = tsconfigSchema.safeParse(json);
  if (!parsed.success) return { ok: false, error: `${path}: ${z.prettifyError(parsed.error)}` };
  const options = parsed.data.compilerOptions ?? {};
  const extended = [parsed.data.extends ?? []].flat().find((target) => target.startsWith("."));
  return {
    ok: true,
    file: { kind: "tsconfig", dir, baseUrl: options.baseUrl ?? null, paths: options.paths ?? {}, extends: extended ? posix.join(dir, extended.endsWith(".json") ? extended : `${extended}.json`) : null },
  };
}
