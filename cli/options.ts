// Options shared by the CLI's commands: which model, which variant, how many threads. Parsed once, with clear
// errors that name the option.
import { existsSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { isVariantChoice, type VariantChoice } from "../model/store/variants";
import { resolveModel } from "../model/store/resolve";

export class UsageError extends Error {}

/** The small model Ghost ships for its tests: it checks mechanics, not quality, but lets Ghost run anywhere. */
export const shippedTestModel = [join(__dirname, "..", "test", "fixtures", "models", "tiny-coder")].find(existsSync) ?? "";

export const modelOptions = {
  model: { type: "string" },
  variant: { type: "string", default: "auto" },
  threads: { type: "string" },
  json: { type: "boolean", default: false },
} as const;

export interface ModelChoice {
  dir: string;
  variant: VariantChoice;
  threads: number;
}

export async function chooseModel(values: { model?: string; variant?: string; threads?: string }): Promise<ModelChoice> {
  const setting = values.model ?? process.env.GHOST_MODEL ?? shippedTestModel;
  if (!setting) throw new UsageError("no model: pass --model DIR|ID or set GHOST_MODEL");
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
