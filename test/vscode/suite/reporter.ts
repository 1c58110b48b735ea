// A mocha reporter for the extension host: one console line per test, each starting with "vscode-suite: ", the
// prefix test/vscode/run.mjs picks out of the workbench's log stream (which also carries VS Code's own chatter).
import Mocha from "mocha";

export const say = (line: string) => console.log(`vscode-suite: ${line}`);

export class SuiteReporter extends Mocha.reporters.Base {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    runner.on("pass", (test) => say(`✔ ${test.fullTitle()} (${test.duration} ms)`));
    runner.on("pending", (test) => say(`- ${test.fullTitle()} (skipped)`));
    runner.on("fail", (test, error: Error) => say(`✖ ${test.fullTitle()}\n${error.stack ?? error.message}`));
  }
}
