// The Workspace the agent loop works through: locate a path (inside or why not), read, list, search, write (a
// change set, through diffing/, checkpointed) and run a command (checkpointed too: a shadow git snapshot before and
// after catches every file it touched). NodeWorkspace implements it over a folder for the CLI and tests; the VS
// Code one lives in extension/. Knows nothing about the policy: the loop decides before it calls anything here.
import { readFile, realpath } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import type { ChangeSet } from "../diffing/change-set";
import { CheckpointStore } from "../diffing/checkpoint";
import { applyChangeSet, readCurrent, resolveInside, type ApplyOutcome } from "../diffing/fs-apply";
import type { Selection } from "../diffing/selection";
import { parsePolicy, policyFileName, type Policy } from "./autonomy";
import { ShadowGit } from "./checkpoints/shadow-git";
import { TagIndex } from "./context/tag-index";
import { searchSymbol, searchText, walkFiles, type SearchHit } from "./tools/files";
import { runProcess, type CommandResult } from "./tools/run-command";
import { probeSandbox, sandboxArgv, type SandboxStatus } from "./tools/sandbox";

/** path: workspace-relative, POSIX, symlinks resolved ("." for the root). */
export type Located = { ok: true; path: string } | { ok: false; reason: string };

export interface CommandRequest {
  argv: string[];
  /** Run inside the sandbox; the caller has checked sandbox() first. */
  sandboxed: boolean;
  timeoutMs: number;
  outputLimit: number;
  /** The checkpoint's label. */
  label: string;
}

/** checkpoint: the id of the files the command changed, null when it changed none. */
export type CommandOutcome = (CommandResult & { kind: "failed-to-start" }) | (Extract<CommandResult, { kind: "exited" }> & { checkpoint: string | null; changed: string[] });

export interface SearchQuery {
  kind: "text" | "symbol";
  /** A regular expression for text; a name for symbol. */
  query: string;
  dir: string;
}

/** What reading a located path found: a file's bytes, nothing, or something that is not a readable file. */
export type ReadResult = { kind: "file"; bytes: Uint8Array } | { kind: "missing" } | { kind: "unreadable"; reason: string };

export interface Workspace {
  locate(path: string): Promise<Located>;
  read(path: string): Promise<ReadResult>;
  /** null: no such folder. */
  list(dir: string, limit: number): Promise<{ paths: string[]; truncated: boolean } | null>;
  search(query: SearchQuery, limit: number): Promise<SearchHit[]>;
  write(changeSet: ChangeSet, selection: Selection, label: string): Promise<ApplyOutcome>;
  run(request: CommandRequest, signal: AbortSignal): Promise<CommandOutcome>;
  sandbox(): Promise<SandboxStatus>;
}

export class NodeWorkspace implements Workspace {
  private shadow: Promise<ShadowGit> | null = null;
  private readonly tags = new TagIndex();

  private constructor(
    readonly root: string,
    /** Ghost's storage for this workspace (checkpoints, shadow.git, audit log): never inside the workspace. */
    readonly storageDir: string,
    readonly store: CheckpointStore,
  ) {}

  static async open(root: string, storageDir: string): Promise<NodeWorkspace> {
    const realRoot = await realpath(root);
    const inside = relative(realRoot, storageDir);
    if (!inside.startsWith("..") && !/^[/\\]/.test(inside)) {
      throw new Error(`Ghost's storage ${storageDir} is inside the workspace ${realRoot}; a command could rewrite its checkpoints and audit log. Choose another (GHOST_HOME).`);
    }
    return new NodeWorkspace(realRoot, storageDir, await CheckpointStore.open(join(storageDir, "checkpoints")));
  }

  /** The path the file really has, symlinks resolved: a link inside the workspace to .git/config is .git/config to
   *  the policy, and in the review. */
  async locate(path: string): Promise<Located> {
    if (path === "." || path === "./" || path === "") return { ok: true, path: "." };
    const resolved = await resolveInside(this.root, path);
    return resolved.ok ? { ok: true, path: relative(this.root, resolved.path).split(sep).join("/") } : resolved;
  }

  async read(path: string): Promise<ReadResult> {
    const resolved = await resolveInside(this.root, path);
    if (!resolved.ok) throw new Error(`read of ${path} was not located first: ${resolved.reason}`);
    return readFile(resolved.path).then(
      (bytes): ReadResult => ({ kind: "file", bytes: new Uint8Array(bytes) }),
      (error: NodeJS.ErrnoException): ReadResult => (error.code === "ENOENT" ? { kind: "missing" } : { kind: "unreadable", reason: error.code ?? error.message }),
    );
  }

  list(dir: string, limit: number): Promise<{ paths: string[]; truncated: boolean } | null> {
    return walkFiles(this.root, dir, limit);
  }

  search(query: SearchQuery, limit: number): Promise<SearchHit[]> {
    if (query.kind === "symbol") return searchSymbol(this.root, query.dir, query.query, this.tags, limit);
    return searchText(this.root, query.dir, new RegExp(query.query), limit);
  }

  write(changeSet: ChangeSet, selection: Selection, label: string): Promise<ApplyOutcome> {
    for (const file of changeSet.files) this.tags.remove(file.path);
    return applyChangeSet(this.root, changeSet, selection, this.store, label);
  }

  async run(request: CommandRequest, signal: AbortSignal): Promise<CommandOutcome> {
    this.shadow ??= ShadowGit.open(join(this.storageDir, "shadow.git"), this.root);
    let before: string;
    try {
      before = await (await this.shadow).snapshot();
    } catch (error) {
      return { kind: "failed-to-start", reason: `no checkpoint could be taken, so the command was not run: ${(error as Error).message}` };
    }
    const argv = request.sandboxed ? sandboxArgv(this.root, request.argv) : request.argv;
    const result = await runProcess({ argv, cwd: this.root, timeoutMs: request.timeoutMs, outputLimit: request.outputLimit, signal });
    if (result.kind === "failed-to-start") return result;
    const files = await (await this.shadow).changes(before, await (await this.shadow).snapshot());
    for (const file of files) this.tags.remove(file.path);
    const checkpoint = files.length === 0 ? null : await this.store.record(request.label, files);
    return { ...result, checkpoint: checkpoint?.id ?? null, changed: files.map((file) => file.path) };
  }

  sandbox(): Promise<SandboxStatus> {
    return probeSandbox();
  }
}

/** The repository's `.ghost/policy.json`, null when there is none; an invalid one is an error naming the file
 *  (Ghost does not guess what a policy that fails to parse meant to forbid). */
export async function readPolicyFile(root: string): Promise<Policy | null> {
  const resolved = await resolveInside(root, policyFileName);
  const bytes = resolved.ok ? await readCurrent(resolved.path) : null;
  if (bytes === null) return null;
  const parsed = parsePolicy(Buffer.from(bytes).toString("utf8"), join(root, policyFileName));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.policy;
}
