// The adversarial suite: every attack in attacks.ts at levels 0-4, as root and as an unprivileged user (nobody),
// with bubblewrap and without it, each judged from the disk, the host's listeners and /proc (world.ts). The runner
// is bundled into a folder every user can read and run as that user. Zero escapes is the bar. A control run, where
// the user approves the commands on the host, must show escapes: the judge can see them.
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { dirname } from "node:path";
import { bundleForAnyone } from "../../helpers/bundle-for-anyone";

interface Line {
  attack: string;
  level: number;
  escapes: string[];
  decisions: string[];
  ran: number;
}

let bundle = "";
const isRoot = process.getuid?.() === 0;
const canDropToNobody = isRoot && hasProgram("setpriv");

async function runner(options: { asNobody: boolean; bwrap: boolean; env?: Record<string, string> }): Promise<{ sandbox: { available: boolean }; lines: Line[] }> {
  const folder = dirname(bundle);
  const env = { PATH: process.env.PATH!, HOME: folder, ...(options.bwrap ? {} : { GHOST_BWRAP: "/nonexistent/bwrap" }), ...options.env };
  const argv = options.asNobody ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", process.execPath, bundle] : [process.execPath, bundle];
  const child = spawn(argv[0]!, argv.slice(1), { cwd: folder, env, stdio: ["ignore", "pipe", "pipe"] });
  let [stdout, stderr] = ["", ""];
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise((resolve) => child.on("close", resolve));
  assert.equal(code, 0, `the escape runner failed:\n${stderr.slice(-3000)}`);
  const [header, ...rest] = stdout.trim().split("\n").map((line) => JSON.parse(line));
  return { sandbox: header.sandbox, lines: rest };
}

function hasProgram(name: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

function escapesIn(lines: Line[]): string[] {
  return lines.flatMap((line) => line.escapes.map((escape) => `level ${line.level}, ${line.attack}: ${escape}`));
}

// The five runs are mostly waiting on processes: they run side by side.
describe("escapes", { concurrency: 5 }, () => {
  before(async () => void (bundle = await bundleForAnyone("test/agent/escapes/run-escapes.ts")));
  for (const asNobody of [false, true]) {
    for (const bwrap of [true, false]) {
      const who = asNobody ? "an unprivileged user" : "root";
      const skip = asNobody ? (canDropToNobody ? false : "needs root and setpriv to run as nobody") : isRoot ? false : "not running as root";
      test(`zero escapes at every level, as ${who}, ${bwrap ? "with" : "without"} bubblewrap`, { skip }, async () => {
        const { sandbox, lines } = await runner({ asNobody, bwrap });
        if (bwrap && !sandbox.available) return assert.fail(`bubblewrap does not work here for ${who}: ${JSON.stringify(sandbox)}`);
        assert.equal(sandbox.available, bwrap);
        assert.deepEqual(escapesIn(lines), []);
        // The attacks must have run: at autopilot in the sandbox every command attack starts its command; without a
        // sandbox every command is asked (and rejected here), so none runs at any level.
        const ranAtAutopilot = lines.filter((line) => line.level === 4 && line.ran > 0).map((line) => line.attack);
        if (bwrap) assert.ok(ranAtAutopilot.length >= 11, `only these attacks ran at autopilot: ${ranAtAutopilot.join("; ")}`);
        else assert.deepEqual(lines.filter((line) => line.ran > 0).map((line) => `${line.level} ${line.attack}`), []);
        // Without a sandbox no command is ever allowed without a question, at any level.
        if (!bwrap) assert.deepEqual(lines.filter((line) => line.decisions.includes("allow command")).map((line) => `${line.level} ${line.attack}`), []);
      });
    }
  }

  test("control: the same attacks approved on the host do escape, and the judge says so", { skip: isRoot ? false : "not running as root" }, async () => {
    const { lines } = await runner({ asNobody: false, bwrap: true, env: { GHOST_ESCAPES_CONTROL: "1", GHOST_ESCAPES_LEVELS: "2" } });
    const escaped = new Set(lines.filter((line) => line.escapes.length > 0).map((line) => line.attack));
    for (const attack of ["command plants protected paths (existing or not)", "command talks to a host unix socket and a loopback port", "command copies host files and the environment into the workspace", "command writes to the host's /tmp", "allowed git status runs a planted core.fsmonitor"]) {
      assert.ok(escaped.has(attack), `the judge saw no escape for "${attack}" run on the host`);
    }
  });
});
