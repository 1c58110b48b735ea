// Characters per token of the model on a document, which turns the prompt's token budget into characters (context
// assembly estimates with it instead of tokenizing every candidate). Measured once per document and model, then
// kept: the budget decides where the cursor window starts, so a ratio that moved from keystroke to keystroke would
// move the window and re-prefill the whole prompt. A fixed guess does not do: code runs from about 2 characters
// per token (a small vocabulary) to 4, and a prompt estimated at 3.5 came out at 2,464 tokens for a 1,500 budget on
// the test model, over its 2,048-token context. Knows the Model's tokenizer, nothing of prompts.
import type { Model } from "../../model/model";

/** Documents (per model) whose ratio is kept. */
const maxDocuments = 64;
/** The first characters of the document are the sample. */
const sampleChars = 4000;

export class CharsPerToken {
  private readonly measured = new Map<string, number>();

  async of(model: Model, path: string, text: string): Promise<number> {
    const key = `${model.info.dir}\n${path}`;
    const known = this.measured.get(key);
    if (known !== undefined) return known;
    const ratio = await measureCharsPerToken(model, text);
    this.measured.set(key, ratio);
    if (this.measured.size > maxDocuments) this.measured.delete(this.measured.keys().next().value!);
    return ratio;
  }
}

/** The ratio on the document's first characters (3.5 for an empty document, which has nothing to measure); one
 *  request's worth, for the CLI, which runs one completion per process. */
export async function measureCharsPerToken(model: Model, text: string): Promise<number> {
  const sample = text.slice(0, sampleChars);
  return sample ? sample.length / Math.max(1, (await model.tokenize(sample)).length) : 3.5;
}
