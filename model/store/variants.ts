// Weight variants of the Hugging Face ONNX layout, and which files a variant needs.
// It works on relative paths only (from a folder listing or the hub's file list); it reads no files.

export const VARIANTS = ["fp32", "int8", "q4", "q4f16", "fp16"] as const;
export type Variant = (typeof VARIANTS)[number];
export type VariantChoice = Variant | "auto";

/** The weight file of each variant; the first name present wins. */
const WEIGHTS: Record<Variant, readonly string[]> = {
  fp32: ["onnx/model.onnx"],
  int8: ["onnx/model_quantized.onnx", "onnx/model_int8.onnx"],
  q4: ["onnx/model_q4.onnx"],
  q4f16: ["onnx/model_q4f16.onnx"],
  fp16: ["onnx/model_fp16.onnx"],
};

/** Smallest first among the variants that run well on CPU. */
const AUTO_ORDER: readonly Variant[] = ["int8", "q4", "fp32"];

export const REQUIRED_JSON = ["config.json", "tokenizer.json"] as const;
export const OPTIONAL_JSON = ["generation_config.json", "tokenizer_config.json", "special_tokens_map.json"] as const;

export function isVariantChoice(value: string): value is VariantChoice {
  return value === "auto" || (VARIANTS as readonly string[]).includes(value);
}

/** The weight file of `variant` among `paths`, if there is one. */
export function weightFile(paths: readonly string[], variant: Variant): string | undefined {
  return WEIGHTS[variant].find((name) => paths.includes(name));
}

export function availableVariants(paths: readonly string[]): Variant[] {
  return VARIANTS.filter((variant) => weightFile(paths, variant) !== undefined);
}

/**
 * External data of an ONNX file, by the exporters' naming convention: `<file>_data`, `<file>_data_1`, …
 * and `<file>.data`. Sorted by number: `.data` and `_data`, then `_data_1`, `_data_2`, … `_data_10`.
 */
export function externalDataFiles(paths: readonly string[], onnxFile: string): string[] {
  const pattern = new RegExp(`^${escapeRegExp(onnxFile)}(_data(_(\\d+))?|\\.data)$`);
  const index = (path: string) => Number(pattern.exec(path)?.[3] ?? 0);
  return paths.filter((path) => pattern.test(path)).sort((a, b) => index(a) - index(b) || (a < b ? -1 : 1));
}

export interface Selection {
  variant: Variant;
  /** Relative paths: the json files, then the weight file, then its external data. */
  files: string[];
}

/**
 * The files a model folder needs to run `choice`; throws when the layout lacks them. `source` (a repo id or a
 * folder) starts the error message when given.
 */
export function selectFiles(paths: readonly string[], choice: VariantChoice, source?: string): Selection {
  const prefix = source === undefined ? "" : `${source}: `;
  const missing = REQUIRED_JSON.filter((name) => !paths.includes(name));
  if (missing.length > 0) throw new Error(`${prefix}the model has no ${missing.join(" or ")}: not the Hugging Face ONNX layout`);
  const variant = pickVariant(paths, choice, prefix);
  const weights = weightFile(paths, variant)!;
  const json = [...REQUIRED_JSON, ...OPTIONAL_JSON.filter((name) => paths.includes(name))];
  return { variant, files: [...json, weights, ...externalDataFiles(paths, weights)] };
}

function pickVariant(paths: readonly string[], choice: VariantChoice, prefix: string): Variant {
  const available = availableVariants(paths);
  const wanted = choice === "auto" ? AUTO_ORDER : [choice];
  const variant = wanted.find((candidate) => available.includes(candidate));
  if (variant !== undefined) return variant;
  const what =
    choice === "auto"
      ? `none of the variants auto picks from (${AUTO_ORDER.join(", ")})`
      : `no ${choice} weights (${WEIGHTS[choice].join(" or ")})`;
  const has = available.length > 0 ? `available: ${available.join(", ")}` : "no ONNX weights under onnx/ at all";
  throw new Error(`${prefix}the model has ${what}; ${has}`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
