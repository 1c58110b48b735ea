// Parses the `ghost.model` setting: a local folder or a Hugging Face hub repo id (`owner/name[@revision]`).
// It only reads the string; it does not know whether the folder exists or the repo is downloaded (see resolve.ts).
import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";

export type ModelRef = { kind: "local"; dir: string } | { kind: "hub"; repo: string; revision: string };

export interface ParseOptions {
  /** Folder that `./x` is relative to (the workspace); defaults to the process's cwd. */
  baseDir?: string;
  home?: string;
}

export const DEFAULT_REVISION = "main";

// The hub's own rules: letters, digits, `-`, `_`, `.`; no leading/trailing `-`/`.`, no `--` or `..`, ≤ 96 chars.
const NAME = /^(?![-.])(?!.*(--|\.\.))[A-Za-z0-9._-]{1,96}(?<![-.])$/;
// Branches, tags and commit shas; `refs/pr/1` style refs contain slashes.
const REVISION = /^(?!.*\.\.)[A-Za-z0-9._\/-]{1,255}$/;

export function parseModelRef(value: string, options: ParseOptions = {}): ModelRef {
  const text = value.trim();
  if (isLocalPath(text)) return { kind: "local", dir: localDir(text, options) };
  const [id = "", revision = DEFAULT_REVISION, ...extra] = text.split("@");
  const [owner = "", name = "", ...rest] = id.split("/");
  if (extra.length > 0 || rest.length > 0 || !NAME.test(owner) || !NAME.test(name) || !REVISION.test(revision)) {
    throw new Error(invalidMessage(value));
  }
  return { kind: "hub", repo: `${owner}/${name}`, revision };
}

/** The setting's canonical spelling, e.g. `owner/name` or `owner/name@v2`. */
export function formatModelRef(ref: ModelRef): string {
  if (ref.kind === "local") return ref.dir;
  return ref.revision === DEFAULT_REVISION ? ref.repo : `${ref.repo}@${ref.revision}`;
}

function isLocalPath(text: string): boolean {
  return isAbsolute(text) || text.startsWith(".") || text === "~" || text.startsWith("~/");
}

function localDir(text: string, { baseDir = process.cwd(), home = homedir() }: ParseOptions): string {
  if (text.startsWith("~")) return join(home, text.slice(1));
  return resolve(baseDir, text);
}

function invalidMessage(value: string): string {
  return (
    `ghost.model: ${JSON.stringify(value)} is neither a folder nor a Hugging Face repo id. ` +
    `Use a folder path (absolute, or starting with ./ or ~) or a repo id like ` +
    `"onnx-community/Qwen2.5-Coder-0.5B-Instruct", optionally with a revision: "owner/name@main".`
  );
}
