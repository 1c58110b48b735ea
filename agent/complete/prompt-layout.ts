// The order of a document's cross-file snippets from one keystroke to the next. They sit ahead of the cursor
// window in the prompt, so a snippet that moves or drops out costs a re-prefill of everything after it. Here a
// snippet that entered keeps its place until the budget needs its room; new ones join at the end, nearest the
// window. Knows snippets and their cost in characters; nothing of the model.
import { fitting, snippetCost, snippetKey, type ContextSnippet } from "./context";

/** Documents whose layout is remembered (the ones being typed in). */
const maxDocuments = 16;

export class PromptLayout {
  private readonly byDocument = new Map<string, ContextSnippet[]>();

  /** The snippets for this keystroke in prompt order: last keystroke's, in their order, then the candidates that
   *  enter now. When the entering ones do not fit, the oldest snippets that are no longer candidates leave first,
   *  then the oldest of the rest. */
  arrange(document: string, candidates: readonly ContextSnippet[], budgetChars: number): ContextSnippet[] {
    const wanted = fitting(candidates, budgetChars);
    const current = new Map(candidates.map((snippet) => [snippetKey(snippet), snippet]));
    let kept = (this.byDocument.get(document) ?? []).map((snippet) => current.get(snippetKey(snippet)) ?? snippet);
    const keptKeys = new Set(kept.map(snippetKey));
    const entering = wanted.filter((snippet) => !keptKeys.has(snippetKey(snippet)));
    const need = entering.reduce((sum, snippet) => sum + snippetCost(snippet), 0);
    let used = kept.reduce((sum, snippet) => sum + snippetCost(snippet), 0);
    const wantedKeys = new Set(wanted.map(snippetKey));
    for (const evictWanted of [false, true]) {
      const leaving = new Set<ContextSnippet>();
      for (const snippet of kept) {
        if (used + need <= budgetChars) break;
        if (wantedKeys.has(snippetKey(snippet)) !== evictWanted) continue;
        leaving.add(snippet);
        used -= snippetCost(snippet);
      }
      kept = kept.filter((snippet) => !leaving.has(snippet));
    }
    const arranged = [...kept, ...fitting(entering, budgetChars - used)];
    this.byDocument.delete(document);
    this.byDocument.set(document, arranged);
    if (this.byDocument.size > maxDocuments) this.byDocument.delete(this.byDocument.keys().next().value!);
    return arranged;
  }

  forget(document: string): void {
    this.byDocument.delete(document);
  }
}
