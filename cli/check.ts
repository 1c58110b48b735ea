// `ghost check PATCH [--root DIR] [--json] [--disable ID]... [--cache FILE]`: check a unified diff against the
// conventions of the repository at --root (default: the enclosing git work tree, else the current folder). Prints each flag with the repository's
// evidence; exits 1 when something is flagged, 0 when the patch follows the conventions, 2 for a usage error.
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { checkPatch, type Flag } from "../agent/conventions/checker";
import { workspacePath } from "../diffing/change-set";
import { mineWorkspace } from "../agent/conventions/miner";
import { folder } from "./conventions";
import { UsageError } from "./options";
import { chooseRoot } from "./root";

export async function check(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { root: { type: "string" }, json: { type: "boolean", default: false }, disable: { type: "string", multiple: true }, cache: { type: "string" } },
  });
  if (positionals.length !== 1) throw new UsageError("check takes one PATCH file");
  const patchPath = positionals[0]!;
  if (!statSync(patchPath, { throwIfNoEntry: false })?.isFile()) throw new UsageError(`${patchPath} is not a file`);
  const root = folder(chooseRoot(values.root));
  const profile = await mineWorkspace(root, { cachePath: values.cache });
  const result = await checkPatch(profile, readFileSync(patchPath, "utf8"), {
    disabled: new Set(values.disable ?? []),
    readOriginal: (path) => readInside(root, path),
  });
  if ("error" in result) throw new UsageError(result.error);
  if (values.json) console.log(JSON.stringify(result, null, 2));
  else console.log(render(result.flags, result.notes));
  return result.flags.length > 0 ? 1 : 0;
}

/** A file the patch names, when it lies inside the root and exists. */
function readInside(root: string, path: string): string | null {
  if (workspacePath(path) !== path) return null;
  return statSync(join(root, path), { throwIfNoEntry: false })?.isFile() ? readFileSync(join(root, path), "utf8") : null;
}

function render(flags: Flag[], notes: Flag[]): string {
  const lines = flags.map((flag) => `${flag.path}:${flag.line}  ${flag.severity}  ${flag.message}  [${flag.ruleId}]${more(flag)}`);
  lines.push(...notes.map((note) => `${note.path}:${note.line}  note  ${note.message}`));
  lines.push(flags.length === 0 ? "follows the repository's conventions" : `${flags.length} ${flags.length === 1 ? "flag" : "flags"}`);
  return lines.join("\n");
}

const more = (flag: Flag) => (flag.lines.length > 1 ? ` (also lines ${flag.lines.slice(1).join(", ")})` : "");
