// The commands the user allowed "always" in this project: exact argvs (with the fingerprint of the workspace files
// that drive them), kept in VS Code's workspace storage, never in settings.json or the repository, so neither the
// repository nor the model can add one. Every agent task gets them as its allow rules; "Ghost: Manage Allowed
// Commands" lists them and removes the ones picked. An allow rule removes the question, never the sandbox.
import * as vscode from "vscode";
import { z } from "zod";
import type { AllowRule } from "../../agent/autonomy";

const storageKey = "ghost.allowedCommands";
const storedSchema = z.array(z.object({ argv: z.array(z.string()).min(1), drivers: z.string().nullable() }));

export class AllowedCommands {
  constructor(
    private readonly state: vscode.Memento,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  /** The rules kept for this project. What does not parse (written by another version) is dropped and logged:
   *  a rule that is not understood allows nothing. */
  get rules(): readonly AllowRule[] {
    const parsed = storedSchema.safeParse(this.state.get(storageKey, []));
    if (parsed.success) return parsed.data;
    this.output.warn(`allowed commands: ignoring what workspace storage holds: ${parsed.error.message}`);
    return [];
  }

  /** Keeps an "always" answer. The same argv approved again replaces the old rule: its drivers are the newer. */
  async add(rule: AllowRule): Promise<void> {
    const others = this.rules.filter((kept) => !sameArgv(kept.argv, rule.argv));
    await this.state.update(storageKey, [...others, { argv: [...rule.argv], drivers: rule.drivers }]);
    this.output.info(`allowed commands: always allow ${JSON.stringify(rule.argv)} in this project`);
  }

  async remove(argvs: readonly (readonly string[])[]): Promise<void> {
    await this.state.update(storageKey, this.rules.filter((kept) => !argvs.some((argv) => sameArgv(kept.argv, argv))));
    for (const argv of argvs) this.output.info(`allowed commands: removed ${JSON.stringify(argv)}`);
  }

  /** "Ghost: Manage Allowed Commands": every kept argv, the ones picked are removed. */
  async manage(): Promise<void> {
    const rules = this.rules;
    if (rules.length === 0) {
      void vscode.window.showInformationMessage("Ghost: no commands are always allowed in this project.");
      return;
    }
    const items = rules.map((rule) => ({ label: rule.argv.join(" "), detail: JSON.stringify(rule.argv), argv: rule.argv }));
    const picked = await vscode.window.showQuickPick(items, {
      title: "Ghost: commands always allowed in this project",
      placeHolder: "Check the ones to remove: they will be asked again",
      canPickMany: true,
    });
    if (picked?.length) await this.remove(picked.map((item) => item.argv));
  }
}

function sameArgv(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((word, index) => word === b[index]);
}
