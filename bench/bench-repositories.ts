// The real repositories the autocomplete benchmarks type in, and their call sites labelled independently of Ghost:
// three packages from node_modules (TypeScript, ES-module JavaScript, CommonJS JavaScript), each with its own
// package folder as the root, labelled by the TypeScript compiler's go-to-definition; and one Python package
// (jedi, from the Python installation) copied into a folder of its own as a repository would hold it, labelled by the
// Python runtime (label_python.py). Knows where the files are, nothing of Ghost's index.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { listIndexedFiles } from "../agent/context/workspace-files";
import { labelTypeScriptSites, type LabelledSite } from "./label-typescript";

export interface BenchRepository {
  name: string;
  root: string;
  labeller: string;
  sites: LabelledSite[];
}

const scriptPackages = ["zod", "markdown-it", "undici"];
const pythonPackage = "jedi";
const perFile = 3;

export async function benchRepositories(sitesPerRepository: number): Promise<BenchRepository[]> {
  const repositories: BenchRepository[] = [];
  for (const name of scriptPackages) {
    const root = resolve("node_modules", name);
    if (!existsSync(root)) throw new Error(`node_modules/${name} is missing: run npm ci (the autocomplete benchmarks type in it)`);
    const sites = labelTypeScriptSites(root, await listIndexedFiles(root), perFile, sitesPerRepository);
    repositories.push({ name, root, labeller: "TypeScript go-to-definition", sites });
  }
  repositories.push(pythonRepository(sitesPerRepository));
  return repositories;
}

/** The repositories' roots, unlabelled: the typing sessions need no labels. */
export function benchRoots(): { name: string; root: string }[] {
  return [...scriptPackages.map((name) => ({ name, root: resolve("node_modules", name) })), { name: pythonPackage, root: pythonRoot() }];
}

/** jedi as installed for `python3`, copied to a temporary repository (root/jedi/...), and labelled there. */
function pythonRepository(limit: number): BenchRepository {
  const root = pythonRoot();
  const output = execFileSync("python3", [join(__dirname, "label_python.py"), root, pythonPackage, String(perFile), String(limit)], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  const sites = output.trim().split("\n").filter(Boolean).map((line) => JSON.parse(line) as LabelledSite);
  return { name: pythonPackage, root, labeller: "Python import + inspect", sites };
}

function pythonRoot(): string {
  const found = spawnSync("python3", ["-c", `import ${pythonPackage}, os; print(os.path.dirname(${pythonPackage}.__file__))`], { encoding: "utf8" });
  const located = found.status === 0 ? found.stdout.trim() : "";
  if (!located) throw new Error(`python3 cannot import ${pythonPackage}: install it (pip install ${pythonPackage}, or apt install python3-${pythonPackage}) for the Python benchmark`);
  const root = mkdtempSync(join(tmpdir(), "ghost-bench-python-"));
  cpSync(located, join(root, pythonPackage), { recursive: true, filter: (source) => !source.includes("__pycache__") });
  return root;
}
