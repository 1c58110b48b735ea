// The workspace files that decide what a command does: npm runs package.json's scripts, make runs the Makefile,
// pytest loads every conftest.py, git obeys .git/config and its hooks, cargo runs build.rs. An allow rule covers
// the command as those files were when it was approved: driversFingerprint() hashes them, and a rule whose
// fingerprint differs asks again. Files named on the command line (`node build.js`, `sh ./deploy.sh`) and a program
// that lives in the workspace count too. Reads the disk; knows nothing about the rules.
import { createHash } from "node:crypto";
import { readdir, readFile, realpath } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { globMatches } from "../autonomy";
import { baseName } from "./exec-wrappers";
import { walkFiles } from "./files";
import type { ResolvedCommand } from "./resolve-command";

const npm = ["package.json", "**/package.json", ".npmrc", ".yarnrc", ".yarnrc.yml", ".pnpmfile.cjs", "pnpm-workspace.yaml", "bunfig.toml", "deno.json", "deno.jsonc", "lerna.json", "nx.json", "turbo.json"];
const python = ["pyproject.toml", "setup.py", "setup.cfg", "tox.ini", "pytest.ini", "noxfile.py", "**/conftest.py", "**/sitecustomize.py", "**/usercustomize.py"];
const git = [".git/config", ".git/hooks/**", ".gitattributes", "**/.gitattributes", ".gitmodules", ".git/info/attributes"];

/** Program name -> globs of the files that drive it (workspace-relative; "**" crosses folders). */
const driverGlobs: Record<string, readonly string[]> = {
  npm, npx: npm, yarn: npm, pnpm: npm, bun: npm, bunx: npm, deno: npm, node: npm,
  make: ["Makefile", "makefile", "GNUmakefile", "**/*.mk"], gmake: ["Makefile", "makefile", "GNUmakefile", "**/*.mk"],
  just: ["justfile", "Justfile", ".justfile"], task: ["Taskfile.yml", "Taskfile.yaml"],
  python, python3: python, pytest: python, "py.test": python, tox: python, nox: python, pip: python, pip3: python, uv: python, poetry: python,
  git,
  cargo: ["Cargo.toml", "**/Cargo.toml", "**/build.rs", ".cargo/config.toml", ".cargo/config", "rust-toolchain", "rust-toolchain.toml"],
  go: ["go.mod", "go.work"],
  gradle: ["build.gradle", "build.gradle.kts", "settings.gradle", "settings.gradle.kts", "gradle/**"], gradlew: ["gradlew", "build.gradle", "build.gradle.kts", "settings.gradle", "settings.gradle.kts", "gradle/**"],
  mvn: ["pom.xml", "**/pom.xml", ".mvn/**"], mvnw: ["mvnw", "pom.xml", "**/pom.xml", ".mvn/**"],
  rake: ["Rakefile", "rakelib/**"], bundle: ["Gemfile", "Gemfile.lock"], ruby: ["Gemfile"],
  cmake: ["CMakeLists.txt", "**/CMakeLists.txt"], ctest: ["CMakeLists.txt", "**/CMakeLists.txt"],
};

/** A hash of every driving file's path and bytes (absent ones included, so creating one changes it); null when the
 *  command's program reads no workspace files Ghost knows of. */
export async function driversFingerprint(command: ResolvedCommand, root: string): Promise<string | null> {
  const files = await driverFiles(command, root);
  if (files.length === 0) return null;
  const hash = createHash("sha256");
  for (const path of files) {
    const bytes = await readFile(join(root, path)).catch(() => null);
    hash.update(`${path}\0${bytes === null ? "absent" : createHash("sha256").update(bytes).digest("hex")}\0`);
  }
  return hash.digest("hex").slice(0, 32);
}

/** The driving files' workspace-relative paths, sorted: the program's own globs (globs without "**" counted even
 *  while absent), the program itself when it lives in the workspace, and arguments that name workspace files. */
export async function driverFiles(command: ResolvedCommand, root: string): Promise<string[]> {
  const realRoot = await realpath(root);
  const innermost = command.layers.at(-1)!;
  const globs = driverGlobs[baseName(innermost.argv[0]!)] ?? [];
  const found = new Set(globs.filter((glob) => !glob.includes("*")));
  if (globs.some((glob) => glob.includes("*"))) {
    const walked = (await walkFiles(realRoot, ".", 50_000))?.paths ?? [];
    for (const path of walked) if (globs.some((glob) => glob.includes("*") && globMatches(glob, path))) found.add(path);
  }
  // walkFiles never enters .git; its hooks are listed here.
  if (globs.includes(".git/hooks/**")) for (const name of await readdir(join(realRoot, ".git", "hooks")).catch(() => [])) found.add(`.git/hooks/${name}`);
  for (const layer of command.layers) if (layer.inWorkspace && layer.program) found.add(relative(realRoot, layer.program).split(sep).join("/"));
  for (const arg of innermost.argv.slice(1)) {
    const path = arg.replace(/^\.\//, "");
    if (path && !path.startsWith("-") && !path.startsWith("/") && !path.split("/").includes("..") && (await readFile(join(realRoot, path)).then(() => true, () => false))) found.add(path);
  }
  return [...found].filter((path) => !path.includes("*")).sort();
}
