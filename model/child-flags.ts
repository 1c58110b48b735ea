// The Node flags for a child process Ghost forks from its own code (the model worker, the graph rewrite): the
// parent's, so a .ts child under tsx in development gets tsx's loader, less what must not reach the child.
import { extname, join } from "node:path";

/** The parent's flags that load modules before the entry (tsx's loader in development): a bundled child needs none,
 *  and tsx costs it 20-35 MB of resident memory. */
const loaderFlags = new Set(["--import", "--require", "-r", "--loader", "--experimental-loader"]);

/** `name`'s entry beside the module at `dir`/`file`: `name`.ts under tsx, `name`.js in the bundle (dist/). */
export function childEntry(dir: string, file: string, name: string): string {
  return join(dir, `${name}${extname(file)}`);
}

/** The parent's flags less an inline script (`node -e`), which would make the child run the parent's script again
 *  (Node's fork drops it itself only when execArgv is left to its default), and less loaders for a bundled child. */
export function childFlags(entry: string): string[] {
  const bundled = entry.endsWith(".js");
  const flags: string[] = [];
  for (let index = 0; index < process.execArgv.length; index++) {
    const flag = process.execArgv[index]!;
    const name = flag.split("=")[0]!;
    if (["-e", "--eval", "-p", "--print"].includes(flag) || (bundled && loaderFlags.has(flag))) index++;
    else if (!/^--(eval|print)=/.test(flag) && !(bundled && loaderFlags.has(name))) flags.push(flag);
  }
  return flags;
}
