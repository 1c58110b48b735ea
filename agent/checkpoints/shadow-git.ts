// A shadow git repository in Ghost's storage folder whose work tree is the workspace: a snapshot before and after a
// command shows every file the command created, changed or deleted, which then becomes an ordinary checkpoint
// (diffing/checkpoint.ts) so revert treats it like any edit. The workspace's own .git is never read or written
// (git never tracks a .git folder), its .gitignore is respected, and no user or system git config, hook,
// attribute conversion or filter applies: blobs hold the exact bytes on disk. Snapshots are trees, not commits.
// Knows nothing about commands or the policy.
import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { FileSnapshot } from "../../diffing/checkpoint";

/** Entries of these modes are not files Ghost can restore: symlinks (120000) and nested repositories (160000). */
const regularFile = /^100(644|755)$/;

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

  /** Records the work tree as it is now; returns the tree's id. */
  async snapshot(): Promise<string> {
    await this.git(["add", "--all"]);
    return (await this.git(["write-tree"])).toString("utf8").trim();
  }

  /** Every file that differs between two snapshots, with its bytes in each (null: absent). Symlinks and nested
   *  repositories are skipped: their "content" is not file bytes. */
  async changes(from: string, to: string): Promise<FileSnapshot[]> {
    const raw = (await this.git(["diff-tree", "-r", "-z", "--no-renames", "--raw", from, to])).toString("utf8");
    const fields = raw.split("\0");
    const entries: { path: string; oldSha: string | null; newSha: string | null }[] = [];
    // -z --raw: ":oldmode newmode oldsha newsha STATUS" NUL path NUL, repeated.
    for (let i = 0; i + 1 < fields.length; i += 2) {
      const [oldMode, newMode, oldSha, newSha] = fields[i]!.slice(1).split(" ");
      const keep = (mode: string) => mode === "000000" || regularFile.test(mode);
      if (!keep(oldMode!) || !keep(newMode!)) continue;
      entries.push({ path: fields[i + 1]!, oldSha: oldMode === "000000" ? null : oldSha!, newSha: newMode === "000000" ? null : newSha! });
    }
    const blobs = await this.blobs(entries.flatMap((entry) => [entry.oldSha, entry.newSha].filter((sha) => sha !== null)));
    const bytes = (sha: string | null) => (sha === null ? null : blobs.get(sha)!);
    return entries.map((entry) => ({ path: entry.path, before: bytes(entry.oldSha), after: bytes(entry.newSha) }));
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
