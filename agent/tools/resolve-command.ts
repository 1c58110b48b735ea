// Finds the real program of every layer of a command (exec-wrappers.ts peels the layers): an absolute or relative
// path, or a PATH lookup, followed through symlinks, so `/bin/rm`, `rm` and a link named `del` pointing at rm are
// one program to the rules. Also says whether the program lives inside the workspace, where the agent can rewrite
// it. Reads the disk; knows nothing about the rules.
import { constants } from "node:fs";
import { access, realpath, stat } from "node:fs/promises";
import { delimiter, isAbsolute, join, relative, resolve } from "node:path";
import { unwrap } from "./exec-wrappers";

export interface ResolvedLayer {
  argv: string[];
  /** The program's real path; null when no executable file of that name was found (a shell builtin, a typo). */
  program: string | null;
  /** The program is a file inside the workspace. */
  inWorkspace: boolean;
}

export interface ResolvedCommand {
  /** Outermost first: layers[0] is the argv as written. */
  layers: ResolvedLayer[];
  /** Why what finally runs can not be known; null when it can. */
  unresolved: string | null;
}

export async function resolveCommand(argv: readonly string[], root: string, searchPath: string): Promise<ResolvedCommand> {
  const unwrapped = unwrap(argv);
  const realRoot = await realpath(root);
  const layers: ResolvedLayer[] = [];
  for (const layer of unwrapped.layers) {
    const program = await findProgram(layer[0]!, realRoot, searchPath);
    layers.push({ argv: layer, program, inWorkspace: program !== null && isInside(realRoot, program) });
  }
  const innermost = layers.at(-1)!;
  const unresolved = !unwrapped.ok ? unwrapped.reason : innermost.program === null ? `no program ${innermost.argv[0]} was found on PATH` : null;
  return { layers, unresolved };
}

/** The real path of the executable `name` runs: a path (relative to the workspace) as is, a bare name through PATH.
 *  Relative PATH entries are skipped: they would make the answer depend on the folder a command runs in. */
async function findProgram(name: string, root: string, searchPath: string): Promise<string | null> {
  const candidates = name.includes("/") ? [resolve(root, name)] : searchPath.split(delimiter).filter(isAbsolute).map((dir) => join(dir, name));
  for (const candidate of candidates) {
    if (await isExecutableFile(candidate)) return realpath(candidate);
  }
  return null;
}

async function isExecutableFile(path: string): Promise<boolean> {
  const stats = await stat(path).catch(() => null);
  if (!stats?.isFile()) return false;
  return access(path, constants.X_OK).then(
    () => true,
    () => false,
  );
}

function isInside(root: string, path: string): boolean {
  const inside = relative(root, path);
  return inside !== "" && !inside.startsWith("..") && !isAbsolute(inside);
}
