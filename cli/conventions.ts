// `ghost conventions [DIR] [--json] [--cache FILE]`: what a folder's code and written rules say about how it is
// written, as a readable summary or the JSON profile.
import { statSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { mineWorkspace } from "../agent/conventions/miner";
import { renderProfile } from "../agent/conventions/summary";
import { UsageError } from "./options";
import { chooseRoot } from "./root";

export const conventionsOptions = {
  json: { type: "boolean", default: false },
  /** Where to keep per-file counts between runs, so a second run reads only what changed. */
  cache: { type: "string" },
} as const;

export async function conventions(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: conventionsOptions });
  if (positionals.length > 1) throw new UsageError("conventions takes at most one DIR");
  const root = folder(positionals[0] ?? chooseRoot(undefined));
  const profile = await mineWorkspace(root, { cachePath: values.cache });
  console.log(values.json ? JSON.stringify(profile, null, 2) : renderProfile(profile));
  return 0;
}

export function folder(path: string): string {
  const root = resolve(path);
  if (!statSync(root, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`${path} is not a folder`);
  return root;
}
