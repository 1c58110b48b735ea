// The small models the project ships for its tests (test/fixtures/models, made by scripts/make-test-models.py).
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { availableVariants, type Variant } from "../../model/store/variants";

export const modelsDir = join(__dirname, "..", "fixtures", "models");
export const tinyCoder = join(modelsDir, "tiny-coder");
export const tinyCoderNoPositions = join(modelsDir, "tiny-coder-nopos");

/** Every shipped model folder with each weight variant it holds: the tests run on all of them. */
export function shippedModels(): { dir: string; variant: Variant; name: string }[] {
  return readdirSync(modelsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => {
      const dir = join(modelsDir, entry.name);
      const files = readdirSync(join(dir, "onnx")).map((name) => `onnx/${name}`);
      return availableVariants(files).map((variant) => ({ dir, variant, name: `${entry.name} ${variant}` }));
    });
}
