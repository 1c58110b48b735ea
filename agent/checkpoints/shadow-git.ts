// A shadow git repository in Ghost's storage folder whose work tree is the workspace: a snapshot before and after a
// command shows every file and symlink the command created, changed or deleted, which then becomes an ordinary
// checkpoint (diffing/checkpoint.ts) so revert treats it like any edit. Files .gitignore ignores are not in
// snapshots; ignored() lists them for ignored-files.ts. The workspace's own .git is never read or written
// (git never tracks a .git folder), its .gitignore is respected, and no user or system git config, hook,
// attribute conversion or filter applies: blobs hold the exact bytes on disk. Snapshots are trees, not commits.
// Knows nothing about commands or the policy.
import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { FileSnapshot, Unrecorded } from "../../diffing/checkpoint";

/** One side of a changed path in a snapshot: absent (null), or a blob with git's mode. */
type Side = { sha: string; mode: number | "link" } | null;

/** Git's modes for what Ghost restores: files (644, 755) and symlinks (120000, whose blob is the link's target).
 *  Git keeps only the exec bit, so a 600 file comes back as 644 (ignored-files.ts keeps exact modes). */
const modes: Record<string, number | "link"> = { "100644": 0o644, "100755": 0o755, "120000": "link" };

export class ShadowGit {
  private constructor(
    private readonly gitDir: string,
    private readonly workTree: string,
  ) {}

  static async open(gitDir: string, workTree: string): Promise<ShadowGit> {
    const shadow = new ShadowGit(gitDir, workTree);
    await mkdir(gitDir, { recursive: true });
    await shadow.git(["init", "--quiet", "--bare", gitDir], false);
    // info/attributes outranks the workspace's .gitattributes: no eol conversion, filter or encoding, ever.
    await mkdir(join(gitDir, "info"), { recursive: true });
    await writeFile(join(gitDir, "info", "attributes"), "* -text -eol -filter -ident -working-tree-encoding\n");
    return shadow;
  }

  /** Nested repositories with no commit yet: git refuses to add them (one with a commit becomes a gitlink, 160000,
   *  reported as unrecorded), so they are left out of every snapshot, like a gitlink's contents. */
  readonly uncommittedRepositories = new Set<string>();

  /** Records the work tree as it is now; returns the tree's id. */
  async snapshot(): Promise<string> {
    for (;;) {
      // git refuses to store a path through a folder named .git in any case (x/.GIT/config): a command may make
      // one, and it is a protected path, checked by the sandbox's own scan, not a file to checkpoint.
      const excluded = [":(exclude,icase,glob)**/.git/**", ":(exclude,icase,glob)**/.git", ...[...this.uncommittedRepositories].map((path) => `:(exclude,literal)${path}`)];
      const added = await this.git(["add", "--all", "--", ".", ...excluded]).then(
        () => null,
        (error: Error) => error,
      );
      if (added === null) break;
      const found = [...added.message.matchAll(/error: '(.+?)\/?' does not have a commit checked out/g)].map((match) => match[1]!);
      if (found.length === 0 || found.every((path) => this.uncommittedRepositories.has(path))) throw added;
      for (const path of found) this.uncommittedRepositories.add(path);
    }
    return (await this.git(["write-tree"])).toString("utf8").trim();
  }

  /** The files the last snapshot holds, relative, POSIX. */
  async tracked(): Promise<string[]> {
    const out = (await this.git(["ls-files", "-z"])).toString("utf8");
    return out.split("\0").filter((path) => path !== "");
  }

  /** The work tree's files that .gitignore ignores (which snapshots do not hold), relative, POSIX. */
  async ignored(): Promise<string[]> {
    const out = (await this.git(["ls-files", "-z", "--others", "--ignored", "--exclude-standard"])).toString("utf8");
    return out.split("\0").filter((path) => path !== "" && !path.endsWith("/"));
  }

  /** Every file and symlink that differs between two snapshots, with its bytes (a link: its target) and mode in
   *  each; what else differs (a nested repository, 160000) is returned as unrecorded. */
  async changes(from: string, to: string): Promise<{ files: FileSnapshot[]; unrecorded: Unrecorded[] }> {
    const raw = (await this.git(["diff-tree", "-r", "-z", "--no-renames", "--raw", from, to])).toString("utf8");
    const fields = raw.split("\0");
    const entries: { path: string; old: Side; new: Side }[] = [];
    const unrecorded: Unrecorded[] = [];
    // -z --raw: ":oldmode newmode oldsha newsha STATUS" NUL path NUL, repeated.
    for (let i = 0; i + 1 < fields.length; i += 2) {
      const [oldMode, newMode, oldSha, newSha] = fields[i]!.slice(1).split(" ");
      const path = fields[i + 1]!;
      const side = (mode: string, sha: string): Side | undefined => (mode === "000000" ? null : modes[mode] === undefined ? undefined : { sha, mode: modes[mode]! });
      const [before, after] = [side(oldMode!, oldSha!), side(newMode!, newSha!)];
      if (before === undefined || after === undefined) unrecorded.push({ path, reason: "a nested repository (or another entry git does not hold as a file) changed; Ghost does not checkpoint inside it" });
      else entries.push({ path, old: before, new: after });
    }
    const blobs = await this.blobs(entries.flatMap((entry) => [entry.old, entry.new].flatMap((side) => (side === null ? [] : [side.sha]))));
    return { files: entries.map((entry) => snapshotOf(entry.path, entry.old, entry.new, blobs)), unrecorded };
  }

  /** Blobs by id, read through one `git cat-file --batch` (one process, not one per file). */
  private async blobs(shas: string[]): Promise<Map<string, Uint8Array>> {
    const found = new Map<string, Uint8Array>();
    if (shas.length === 0) return found;
    const out = await this.git(["cat-file", "--batch"], true, `${shas.join("\n")}\n`);
    // Each: "<sha> blob <size>\n" <size bytes> "\n".
    for (let at = 0; at < out.length; ) {
      const headerEnd = out.indexOf(0x0a, at);
      const [sha, type, size] = out.subarray(at, headerEnd).toString("utf8").split(" ");
      if (type !== "blob") throw new Error(`shadow git: ${sha} is ${type ?? "missing"}, not a blob`);
      found.set(sha!, new Uint8Array(out.subarray(headerEnd + 1, headerEnd + 1 + Number(size))));
      at = headerEnd + 1 + Number(size) + 1;
    }
    return found;
  }

  private git(args: string[], inWorkTree = true, input?: string): Promise<Buffer> {
    const isolated = ["-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false", "-c", "core.autocrlf=false", "-c", "core.safecrlf=false", "-c", "gc.auto=0", "-c", "core.quotePath=false"];
    const where = inWorkTree ? [`--git-dir=${this.gitDir}`, `--work-tree=${this.workTree}`] : [];
    const argv = [...isolated, ...where, ...args];
    // GIT_* variables of the caller (GIT_INDEX_FILE, GIT_DIR inside a hook) would point git elsewhere.
    const inherited = Object.entries(process.env).filter(([name]) => !name.startsWith("GIT_"));
    const env = { ...Object.fromEntries(inherited), GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1", GIT_TERMINAL_PROMPT: "0" };
    return new Promise((resolve, reject) => {
      const child = execFile("git", argv, { cwd: this.workTree, env, encoding: "buffer", maxBuffer: 1 << 30 }, (error, stdout, stderr) => {
        if (error) reject(new Error(`shadow git ${args[0]} failed: ${stderr.toString().trim() || error.message}`));
        else resolve(stdout);
      });
      // A git that exits without reading its stdin closes the pipe (EPIPE); its exit status is what counts.
      child.stdin?.on("error", () => {});
      child.stdin?.end(input);
    });
  }
}

function snapshotOf(path: string, before: Side, after: Side, blobs: Map<string, Uint8Array>): FileSnapshot {
  const bytes = (side: Side) => (side === null || side.mode === "link" ? null : blobs.get(side.sha)!);
  const link = (side: Side) => (side?.mode === "link" ? Buffer.from(blobs.get(side.sha)!).toString("utf8") : undefined);
  const mode = (side: Side) => (side === null || side.mode === "link" ? undefined : side.mode);
  const snapshot: FileSnapshot = { path, before: bytes(before), after: bytes(after) };
  const links = { before: link(before), after: link(after) };
  if (links.before !== undefined || links.after !== undefined) snapshot.links = links;
  const fileModes = { before: mode(before), after: mode(after) };
  if (fileModes.before !== undefined || fileModes.after !== undefined) snapshot.modes = fileModes;
  return snapshot;
}
