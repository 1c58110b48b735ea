// Options shared by the CLI's commands: which model, which variant, how many threads. Parsed once, with clear
// errors that name the option.
import { existsSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { isVariantChoice, type VariantChoice } from "../model/store/variants";
import type { RemoteModelOptions } from "../model/remote/open-remote-model";
import { isServerUrl } from "../model/remote/server-url";
import { resolveModel } from "../model/store/resolve";

export class UsageError extends Error {}

/** The small model Ghost ships for its tests: it checks mechanics, not quality, but lets Ghost run anywhere. */
export const shippedTestModel = [join(__dirname, "..", "test", "fixtures", "models", "tiny-coder")].find(existsSync) ?? "";

export const modelOptions = {
  model: { type: "string" },
  "remote-model-name": { type: "string" },
  tokenizer: { type: "string" },
  "context-length": { type: "string" },
  variant: { type: "string", default: "auto" },
  threads: { type: "string" },
  json: { type: "boolean", default: false },
} as const;

export interface ModelChoice {
  dir: string;
  variant: VariantChoice;
  threads: number;
}

/** --model, else $GHOST_MODEL, else the shipped test model. */
export function modelSetting(values: { model?: string }): string {
  const setting = values.model ?? process.env.GHOST_MODEL ?? shippedTestModel;
  if (!setting) throw new UsageError("no model: pass --model DIR|ID|URL or set GHOST_MODEL");
  return setting;
}

export async function chooseModel(values: { model?: string; variant?: string; threads?: string }): Promise<ModelChoice> {
  const setting = modelSetting(values);
  const variant = values.variant ?? "auto";
  if (!isVariantChoice(variant)) throw new UsageError(`--variant ${variant} is not one of auto, fp32, int8, q4, q4f16, fp16`);
  return { dir: (await resolveModel(setting)).dir, variant, threads: parseThreads(values.threads) };
}

function parseThreads(value: string | undefined): number {
  if (value === undefined) return Math.max(1, Math.min(4, cpus().length));
  const threads = Number(value);
  if (!Number.isInteger(threads) || threads < 1) throw new UsageError(`--threads ${value} must be a positive whole number`);
  return threads;
}

/** A model on a server: the URL from --model or $GHOST_MODEL, the key only from $GHOST_API_KEY (a flag would show it in
 *  the process list and the shell's history). Null when the setting is not a URL; server options without one are an
 *  error rather than silently ignored. */
export async function chooseServer(values: { model?: string; "remote-model-name"?: string; tokenizer?: string; "context-length"?: string }): Promise<RemoteModelOptions | null> {
  const setting = modelSetting(values);
  if (!isServerUrl(setting)) {
    const stray = (["remote-model-name", "tokenizer", "context-length"] as const).find((name) => values[name] !== undefined);
    if (stray) throw new UsageError(`--${stray} is for a model server: pass --model http(s)://HOST[:PORT]/v1 with it`);
    return null;
  }
  const contextLength = values["context-length"];
  if (contextLength !== undefined && !(Number.isInteger(Number(contextLength)) && Number(contextLength) > 0)) throw new UsageError(`--context-length ${contextLength} must be a positive whole number of tokens`);
  return {
    baseUrl: setting.trim(),
    modelName: values["remote-model-name"],
    apiKey: process.env.GHOST_API_KEY || undefined,
    tokenizer: values.tokenizer === undefined ? undefined : (await resolveModel(values.tokenizer)).dir,
    contextLength: contextLength === undefined ? undefined : Number(contextLength),
  };
}
