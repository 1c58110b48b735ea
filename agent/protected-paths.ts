// The one list of protected paths: what an editor, git or another tool runs or obeys on its own (on open, on
// commit, on cd, in CI), and Ghost's own settings. A write there can raise what runs without the user, so the file
// tools ask at every level and the sandbox keeps them read-only whether or not they exist yet. Matched at any depth
// and in any case (macOS and Windows file systems fold case). Data and matching only: no disk, no policy.

export interface ProtectedEntry {
  /** Matches one path segment (a folder or file name); the whole subtree under a matching folder is protected. */
  name: RegExp;
  /** When set, the segment must sit under a folder of this name (".github/workflows"). */
  parent?: RegExp;
  what: string;
  /** A folder the sandbox masks read-only at the workspace root even while it does not exist, so a command can
   *  not create it (the path relative to the root). */
  maskAtRoot?: string;
}

export const protectedEntries: readonly ProtectedEntry[] = [
  { name: /^\.git$/i, what: "a git folder (config, hooks)", maskAtRoot: ".git" },
  { name: /^\.ghost$/i, what: "Ghost's own settings", maskAtRoot: ".ghost" },
  { name: /^\.vscode$/i, what: "the editor's settings, tasks, launch configurations, MCP servers and extension list", maskAtRoot: ".vscode" },
  { name: /\.code-workspace$/i, what: "the editor's settings for this workspace" },
  { name: /^\.husky$/i, what: "the repository's git hooks (husky)", maskAtRoot: ".husky" },
  { name: /^\.githooks$/i, what: "the repository's git hooks", maskAtRoot: ".githooks" },
  { name: /^\.devcontainer(\.json)?$/i, what: "the dev container definition (runs commands when the folder opens)", maskAtRoot: ".devcontainer" },
  { name: /^workflows$/i, parent: /^\.github$/i, what: "CI workflows (run with the repository's secrets)", maskAtRoot: ".github/workflows" },
  { name: /^\.gitlab-ci\.yml$/i, what: "CI configuration" },
  { name: /^\.circleci$/i, what: "CI configuration" },
  { name: /^\.git(modules|attributes)$/i, what: "git configuration read from the work tree" },
  { name: /^\.pre-commit-config\.yaml$/i, what: "a pre-commit hook configuration" },
  { name: /^\.?lefthook(-local)?\.(yml|yaml|json|toml)$/i, what: "a git hook configuration (lefthook)" },
  { name: /^\.lintstagedrc/i, what: "commands run on commit (lint-staged)" },
  { name: /^\.envrc$/i, what: "a direnv script (runs on cd)" },
  { name: /^\.idea$/i, what: "the JetBrains IDE's project settings" },
];

/** What `path` (workspace-relative, POSIX) is, when it is protected or lies under a protected folder; null
 *  otherwise. */
export function protectedWhat(path: string): string | null {
  const segments = path.split("/");
  for (const [index, segment] of segments.entries()) {
    const entry = protectedEntries.find(({ name, parent }) => name.test(segment) && (!parent || (index > 0 && parent.test(segments[index - 1]!))));
    if (entry) return `${segments.slice(0, index + 1).join("/")}: ${entry.what}`;
  }
  return null;
}

/** True when this one name, in a folder named `parentName`, starts a protected subtree (for walks that stop there). */
export function isProtectedName(name: string, parentName: string): boolean {
  return protectedEntries.some((entry) => entry.name.test(name) && (!entry.parent || entry.parent.test(parentName)));
}

/** The root-level folders the sandbox masks read-only whether or not they exist. */
export const rootMasks: readonly string[] = protectedEntries.flatMap((entry) => (entry.maskAtRoot ? [entry.maskAtRoot] : []));
