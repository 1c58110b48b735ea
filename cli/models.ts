// `ghost models list | download ID | verify DIR`: the model store from the terminal. Download asks before it
// fetches anything (or takes --yes), shows progress on stderr, and resumes when run again after an interruption.
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { downloadModel, type DownloadPlan, type DownloadProgress } from "../model/store/download";
import { listModels } from "../model/store/list";
import { parseModelRef } from "../model/store/model-ref";
import { isVariantChoice } from "../model/store/variants";
import { formatReport, verifyModelDir } from "../model/store/verify";
import { UsageError } from "./options";

export async function models(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: "boolean", default: false },
      yes: { type: "boolean", default: false },
      variant: { type: "string", default: "auto" },
      endpoint: { type: "string" },
    },
  });
  const [action, target, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(" ")}`);
  if (action === "list") return list(values.json);
  if (action === "verify" && target) return verify(target, values.json);
  if (action === "download" && target) return download(target, values);
  throw new UsageError("models takes: list | download ID | verify DIR");
}

async function list(json: boolean): Promise<number> {
  const stored = await listModels();
  if (json) console.log(JSON.stringify(stored, null, 2));
  else if (stored.length === 0) console.log("no models downloaded yet; try: ghost models download OWNER/NAME");
  else for (const model of stored) console.log(`${model.repo}@${model.revision}  ${model.variants.join(",")}  ${mb(model.bytes)}  ${model.dir}`);
  return 0;
}

async function verify(dir: string, json: boolean): Promise<number> {
  const report = await verifyModelDir(dir);
  console.log(json ? JSON.stringify(report, null, 2) : formatReport(report));
  return report.problems.length === 0 ? 0 : 1;
}

async function download(id: string, values: { json: boolean; yes: boolean; variant: string; endpoint?: string }): Promise<number> {
  const ref = parseModelRef(id);
  if (ref.kind !== "hub") throw new UsageError(`'${id}' is a folder; download takes a hub id like owner/name`);
  if (!isVariantChoice(values.variant)) throw new UsageError(`--variant ${values.variant} is not one of auto, fp32, int8, q4, q4f16, fp16`);
  const controller = new AbortController();
  process.once("SIGINT", () => controller.abort());
  const result = await downloadModel({
    repo: ref.repo,
    revision: ref.revision,
    variant: values.variant,
    endpoint: values.endpoint,
    confirm: (plan) => (values.yes ? Promise.resolve(true) : ask(plan)),
    onProgress: showProgress,
    signal: controller.signal,
  });
  process.stderr.write("\n");
  if (result.kind === "declined") {
    console.error("download declined; nothing was written");
    return 1;
  }
  console.log(values.json ? JSON.stringify({ dir: result.dir, manifest: result.manifest }, null, 2) : `downloaded to ${result.dir}`);
  return 0;
}

async function ask(plan: DownloadPlan): Promise<boolean> {
  if (!process.stdin.isTTY) throw new UsageError("download needs confirmation: run it in a terminal or pass --yes");
  console.error(`${plan.repo}@${plan.revision} (${plan.variant}): ${plan.files.length} files, ${mb(plan.totalBytes)}`);
  for (const file of plan.files) console.error(`  ${file.path}  ${mb(file.size)}`);
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await prompt.question("Download? [y/N] ");
  prompt.close();
  return /^y(es)?$/i.test(answer.trim());
}

function showProgress(progress: DownloadProgress): void {
  const percent = progress.bytesTotal === 0 ? 100 : Math.floor((progress.bytesDone / progress.bytesTotal) * 100);
  process.stderr.write(`\r${percent}%  ${mb(progress.bytesDone)} of ${mb(progress.bytesTotal)}  ${progress.file}\x1b[K`);
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
