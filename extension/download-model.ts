// "Ghost: Download Model…": the first run's way to a real model. Lists the published code models of
// model/store/catalog.ts (size, licence, what each is good for, whether it fits this machine's memory), asks before
// anything is written (with the hub's exact files and bytes), shows progress in a notification with Cancel (what
// arrived is kept, and the next download of that model resumes from it), verifies every file, then sets ghost.model
// in the user's settings. The hub is HF_ENDPOINT's, else huggingface.co; the store is $GHOST_HOME/models.
import { totalmem } from "node:os";
import * as vscode from "vscode";
import { CATALOG, fitsMemory, suggested } from "../model/store/catalog";
import { downloadModel, type DownloadPlan } from "../model/store/download";
import { parseModelRef } from "../model/store/model-ref";

const mb = (bytes: number) => (bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${(bytes / 1e6).toFixed(0)} MB`);

/** Downloads `repo` (an `owner/name[@revision]` id), or the model the user picks, and returns its folder; null when
 *  the user backed out. */
export async function downloadModelCommand(output: vscode.LogOutputChannel, repo?: string): Promise<string | null> {
  const id = repo ?? (await pickModel());
  if (!id) return null;
  const ref = parseModelRef(id);
  if (ref.kind !== "hub") throw new Error(`'${id}' is not a hub id like owner/name`);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Ghost: ${ref.repo}`, cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      progress.report({ message: "listing its files on the hub…" });
      let reported = 0;
      return downloadModel({
        repo: ref.repo,
        revision: ref.revision,
        signal: controller.signal,
        confirm: (plan) => confirm(plan),
        onProgress: ({ bytesDone, bytesTotal, file }) => {
          const percent = bytesTotal === 0 ? 100 : (bytesDone / bytesTotal) * 100;
          progress.report({ increment: percent - reported, message: `${mb(bytesDone)} of ${mb(bytesTotal)} · ${file}` });
          reported = percent;
        },
      }).catch((error: Error) => {
        if (!controller.signal.aborted) throw error;
        throw new Error(`the download of ${ref.repo} was cancelled; what arrived is kept, and downloading it again resumes`);
      });
    },
  );
  if (result.kind === "declined") return null;
  output.info(`downloaded and verified ${ref.repo} (${result.manifest.variant}) into ${result.dir}`);
  await vscode.workspace.getConfiguration("ghost").update("model", result.dir, vscode.ConfigurationTarget.Global);
  void vscode.window.showInformationMessage(`Ghost: ${ref.repo} is downloaded and verified; ghost.model is now ${result.dir}`);
  return result.dir;
}

async function pickModel(): Promise<string | undefined> {
  const memory = totalmem();
  const best = suggested(memory);
  const items = CATALOG.map((model) => ({
    label: model.repo,
    description: `${mb(model.approxBytes)} · ${model.license}${model === best ? " · suggested for this machine" : ""}`,
    detail: `${model.goodFor}. ${fitsMemory(model, memory) ? "Fits" : "Too big for"} this machine's ${mb(memory)} of memory.`,
  }));
  const other = { label: "Another model…", description: "any hub id in the ONNX layout", detail: "owner/name or owner/name@revision" };
  const choice = await vscode.window.showQuickPick([...items, other], {
    title: "Ghost: download a code model",
    placeHolder: "Sizes are the int8 weights; Ghost shows the exact download and asks before it starts",
    matchOnDetail: true,
  });
  if (choice !== other) return choice?.label;
  return vscode.window.showInputBox({ title: "Ghost: download a model", prompt: "A Hugging Face repo id in the ONNX layout", placeHolder: "onnx-community/Qwen2.5-Coder-0.5B-Instruct" });
}

async function confirm(plan: DownloadPlan): Promise<boolean> {
  const license = CATALOG.find((model) => model.repo === plan.repo)?.license;
  const detail = [
    `${plan.files.length} files, ${mb(plan.totalBytes)} (${plan.variant} weights), from ${plan.repo}@${plan.revision}.`,
    license ? `Licence: ${license}.` : "Check the model's licence on its hub page.",
    "Every file is verified by size and hash; a cancelled download resumes next time.",
  ].join("\n");
  const answer = await vscode.window.showInformationMessage(`Download ${plan.repo} (${mb(plan.totalBytes)})?`, { modal: true, detail }, "Download");
  return answer === "Download";
}
