// The Workspace the agent loop works through: locate a path (inside or why not), read, list, search, write (a
// change set, through diffing/, checkpointed) and run a command (checkpointed too: a shadow git snapshot before and
// after catches every file it touched). NodeWorkspace implements it over a folder for the CLI and tests; the VS
// Code one lives in extension/. Knows nothing about the policy: the loop decides before it calls anything here.
import { realpath } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import type { ChangeSet } from "../diffing/change-set";
import { CheckpointStore, type Unrecorded } from "../diffing/checkpoint";
import { applyChangeSet, readCurrent, resolveInside, type ApplyOutcome } from "../diffing/fs-apply";
import type { Selection } from "../diffing/selection";
import { parsePolicy, policyFileName, type Policy } from "./autonomy";
import { CommandCheckpoint } from "./checkpoints/command-checkpoint";
import { ShadowGit } from "./checkpoints/shadow-git";
import { UserEdits } from "./checkpoints/user-edits";
import { TagIndex } from "./context/tag-index";
import { searchSymbol, searchText, walkFiles, type SearchResult, type Walked } from "./tools/files";
import { readBounded } from "./tools/read-bounded";
import { probeSandbox, type SandboxStatus } from "./tools/sandbox";
import { driversFingerprint } from "./tools/drivers";
import { resolveCommand, type ResolvedCommand } from "./tools/resolve-command";
import { runContained, type ContainedResult, type Isolation } from "./tools/contained-run";

/** path: workspace-relative, POSIX, symlinks resolved ("." for the root). */
export type Located = { ok: true; path: string } | { ok: false; reason: string };

export interface CommandRequest {
  argv: string[];
  /** In the sandbox (the caller has checked sandbox() first), or on the host after its own explicit approval. */
  isolation: Isolation;
  timeoutMs: number;
  outputLimit: number;
  /** The checkpoint's label. */
  label: string;
}

/** checkpoint: the id of the files the command changed, null when it changed none; unrecorded: changes it could
 *  not checkpoint (over the size budget for ignored files, a nested repository), which a revert will not undo. */
/** violations: protected paths the command created, replaced or moved (undone when it ran in the sandbox). */
export type CommandOutcome = Extract<ContainedResult, { kind: "failed-to-start" }> | (Extract<ContainedResult, { kind: "exited" }> & { checkpoint: string | null; changed: string[]; unrecorded: Unrecorded[] });

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
  /** At most maxReadBytes (read-bounded.ts): a bigger file, a folder or a pipe is "unreadable", with the reason. */
  read(path: string): Promise<ReadResult>;
  /** null: no such folder. */
  list(dir: string, limit: number): Promise<Walked | null>;
  search(query: SearchQuery, limit: number): Promise<SearchResult>;
  write(changeSet: ChangeSet, selection: Selection, label: string): Promise<ApplyOutcome>;
  run(request: CommandRequest, signal: AbortSignal): Promise<CommandOutcome>;
  sandbox(): Promise<SandboxStatus>;
  /** What the argv really runs: every wrapper's program, through PATH and symlinks. */
  resolveCommand(argv: readonly string[]): Promise<ResolvedCommand>;
  /** The fingerprint of the workspace files that drive that command now (drivers.ts). */
  commandDrivers(command: ResolvedCommand): Promise<string | null>;
}

export class NodeWorkspace implements Workspace {
  private shadow: Promise<ShadowGit> | null = null;
  private readonly tags = new TagIndex();
  /** The editor reports here what the user edits and saves while a command runs (extension/agent/user-edit-feed.ts):
   *  the command's checkpoint leaves those changes out, so reverting the command keeps them. */
  readonly userEdits = new UserEdits();

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
    return readBounded(resolved.path);
  }

  list(dir: string, limit: number): Promise<Walked | null> {
    return walkFiles(this.root, dir, limit);
  }

  search(query: SearchQuery, limit: number): Promise<SearchResult> {
    if (query.kind === "symbol") return searchSymbol(this.root, query.dir, query.query, this.tags, limit);
    return searchText(this.root, query.dir, new RegExp(query.query), limit);
  }

  write(changeSet: ChangeSet, selection: Selection, label: string): Promise<ApplyOutcome> {
    for (const file of changeSet.files) this.tags.remove(file.path);
    return applyChangeSet(this.root, changeSet, selection, this.store, label);
  }

  async run(request: CommandRequest, signal: AbortSignal): Promise<CommandOutcome> {
    this.shadow ??= ShadowGit.open(join(this.storageDir, "shadow.git"), this.root);
    let checkpoint: CommandCheckpoint;
    try {
      checkpoint = await CommandCheckpoint.begin(await this.shadow, this.root, this.userEdits);
    } catch (error) {
      return { kind: "failed-to-start", reason: `no checkpoint could be taken, so the command was not run: ${(error as Error).message}` };
    }
    const quarantine = join(this.storageDir, "quarantine");
    const result = await runContained({ argv: request.argv, isolation: request.isolation, root: this.root, quarantine, timeoutMs: request.timeoutMs, outputLimit: request.outputLimit, signal });
    if (result.kind === "failed-to-start") return (await checkpoint.cancel(), result);
    const recorded = await checkpoint.end(this.store, request.label);
    for (const path of recorded.changed) this.tags.remove(path);
    return { ...result, ...recorded };
  }

  sandbox(): Promise<SandboxStatus> {
    return probeSandbox();
  }

  resolveCommand(argv: readonly string[]): Promise<ResolvedCommand> {
    return resolveCommand(argv, this.root, process.env.PATH ?? "");
  }

  commandDrivers(command: ResolvedCommand): Promise<string | null> {
    return driversFingerprint(command, this.root);
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
