// Published code models in the Hugging Face ONNX layout that Ghost offers to download on first run, and which of
// them suit a machine's memory. Data, not logic: the sizes are the int8 weights the hub lists (what the store's
// "auto" variant picks), for the list only; the download asks the hub for the exact files and bytes before it starts.
// Knows nothing of VS Code or of how a download happens.

export interface CatalogModel {
  repo: string;
  /** Bytes of the int8 weights and tokenizer, as the hub lists them. */
  approxBytes: number;
  license: string;
  /** The licence allows any use, commercial included: only those are suggested. */
  permissive: boolean;
  goodFor: string;
}

const GB = 1e9;

export const CATALOG: readonly CatalogModel[] = [
  {
    repo: "onnx-community/Qwen2.5-Coder-0.5B-Instruct",
    approxBytes: 0.66 * GB,
    license: "Apache-2.0",
    permissive: true,
    goodFor: "fast autocomplete (fill-in-the-middle) and small edits on any machine",
  },
  {
    repo: "onnx-community/Qwen2.5-Coder-1.5B",
    approxBytes: 1.6 * GB,
    license: "Apache-2.0",
    permissive: true,
    goodFor: "the best autocomplete of these: the base model, trained for fill-in-the-middle",
  },
  {
    repo: "onnx-community/Qwen2.5-Coder-1.5B-Instruct",
    approxBytes: 1.8 * GB,
    license: "Apache-2.0",
    permissive: true,
    goodFor: "Edit Selection and the agent: follows instructions, still completes code",
  },
  {
    repo: "onnx-community/Qwen2.5-Coder-3B-Instruct",
    approxBytes: 3.4 * GB,
    license: "Qwen Research (non-commercial)",
    permissive: false,
    goodFor: "the strongest edits and agent steps here, at half the speed of 1.5B",
  },
];

/** A model needs its weights in memory plus the KV cache and onnxruntime's buffers: about twice its file size. The
 *  editor and the rest of the machine need the other half of what is free. */
export function fitsMemory(model: CatalogModel, totalMemoryBytes: number): boolean {
  return model.approxBytes * 2 <= totalMemoryBytes / 2;
}

/** The model to suggest for a machine: the largest with a permissive licence that fits, else the smallest. */
export function suggested(totalMemoryBytes: number, catalog: readonly CatalogModel[] = CATALOG): CatalogModel {
  const bySize = [...catalog].filter((model) => model.permissive).sort((a, b) => a.approxBytes - b.approxBytes);
  return bySize.filter((model) => fitsMemory(model, totalMemoryBytes)).at(-1) ?? bySize[0]!;
}
