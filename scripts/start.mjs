// `npm start`: a real VS Code (code-server, installed by scripts/vscode-tools.sh) with Ghost loaded from this
// checkout, on a sample workspace (or the folder given as the first argument). Prints the URL to open in a browser
// and runs until Ctrl+C. Ghost uses the model in ghost.model, else the small test model it ships.
import { cpSync, existsSync, mkdirSync, mkdtempSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startCodeServer } from "../test/vscode/harness/code-server.mjs";
import { workbenchUrl } from "../test/vscode/harness/workbench.mjs";

const root = resolve(import.meta.dirname, "..");
const requested = process.argv[2];
const folder = requested ? resolve(requested) : join(mkdtempSync(join(tmpdir(), "ghost-sample-")), "calc");
if (!requested) cpSync(join(root, "test/fixtures/workspaces/calc"), folder, { recursive: true });
if (!existsSync(folder)) throw new Error(`${folder} does not exist: pass a folder to open, or nothing for the sample workspace`);

// VS Code's own state (settings, Ghost's autonomy level) persists between runs, outside the repository.
const state = join(process.env.GHOST_HOME ?? join(homedir(), ".cache", "ghost"), "vscode");
const dirs = { userData: join(state, "user-data"), extensions: join(state, "extensions"), home: join(state, "home") };
for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
const server = await startCodeServer(root, dirs, () => {});
const url = workbenchUrl({ serverUrl: server.url, folder, extensionDevelopmentPath: root });
console.log(`Ghost is running in VS Code at:\n\n  ${url}\n\nworkspace: ${folder}\nPress Ctrl+C to stop.`);
for (const signal of ["SIGINT", "SIGTERM"]) process.once(signal, () => server.stop().then(() => process.exit(0)));
