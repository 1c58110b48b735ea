// The in-host suite's entry: VS Code loads this file in the extension host (extensionTestsPath) and calls run(),
// which runs every *.test.js bundled beside it with mocha. A rejection makes the host exit with code 1.
// Its last line, "vscode-suite: N passed, M failed", is what test/vscode/run.mjs counts.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import Mocha from "mocha";
import { say, SuiteReporter } from "./reporter";

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: "bdd", color: false, timeout: 60_000, reporter: SuiteReporter });
  for (const file of readdirSync(__dirname).filter((name) => name.endsWith(".test.js")).sort()) {
    mocha.addFile(join(__dirname, file));
  }
  const stats = await new Promise<Mocha.Stats>((resolve) => {
    const runner = mocha.run(() => resolve(runner.stats!));
  });
  say(`${stats.passes} passed, ${stats.failures} failed`);
  if (stats.failures > 0) throw new Error(`${stats.failures} of ${stats.tests} VS Code tests failed`);
}
