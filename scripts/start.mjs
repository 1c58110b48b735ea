// `npm start`: a real VS Code (code-server, installed by scripts/vscode-tools.sh) with Ghost loaded from this
// checkout, on a sample workspace (or the folder given as the first argument). Prints the URL to open in a browser,
// then code-server's own output, and runs until Ctrl+C. Ghost uses the model in ghost.model, else the small test
// model it ships.
import { cpSync, existsSync, mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { startCodeServer } from "../test/vscode/harness/code-server.mjs";
import { workbenchUrl } from "../test/vscode/harness/workbench.mjs";

const root = resolve(import.meta.dirname, "..");
// VS Code's own state (settings, Ghost's autonomy level) and the sample workspace persist between runs, outside the
// repository: the sample is copied once, so edits made to it are there at the next start.
const state = join(process.env.GHOST_HOME ?? join(homedir(), ".cache", "ghost"), "vscode");
const requested = process.argv[2];
const folder = requested ? resolve(requested) : join(state, "sample", "calc");
if (!requested && !existsSync(folder)) cpSync(join(root, "test/fixtures/workspaces/calc"), folder, { recursive: true });
if (!existsSync(folder)) throw new Error(`${folder} does not exist: pass a folder to open, or nothing for the sample workspace`);

const dirs = { userData: join(state, "user-data"), extensions: join(state, "extensions"), home: join(state, "home") };
for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
// A closed or reloaded browser tab leaves its extension host (and Ghost's model worker) waiting for the tab to come
// back; code-server's default wait is 3 hours. A minute is plenty on one machine.
const server = await startCodeServer(root, dirs, (line) => console.log(`code-server: ${line}`), {}, { args: ["--reconnection-grace-time", "60"] });
const url = workbenchUrl({ serverUrl: server.url, folder, extensionDevelopmentPath: root });
console.log(`Ghost is running in VS Code at:\n\n  ${url}\n\nworkspace: ${folder}\nsettings: ${join(dirs.userData, "User/settings.json")}\nPress Ctrl+C to stop. code-server's output follows.\n`);
for (const signal of ["SIGINT", "SIGTERM"]) process.once(signal, () => server.stop().then(() => process.exit(0)));
