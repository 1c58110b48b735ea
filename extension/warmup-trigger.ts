// When to warm the model's KV cache for autocomplete: once the cursor has rested for a moment at a place the cache
// does not hold yet (another document, another line), as llama.vim does. A completion request fills the cache for
// its own place, so a rest where the last request was needs no warm-up, and typing (which requests at every
// keystroke) never waits for one. A place is covered in one model's cache: after a restart, or once another model
// is loaded, the same line is warmed again. Plain timers and places; nothing of VS Code or the model.

export interface CursorPlace {
  /** The document's URI. */
  document: string;
  line: number;
}

export class WarmupTrigger {
  /** Where the cache was last filled, by a completion request or a warm-up, and whose cache that was. */
  private covered: { place: CursorPlace; cache: object | null } | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly restMs: number,
    private readonly warm: (place: CursorPlace) => void,
    /** What holds the cache now (the loaded model, or null): compared by identity. */
    private readonly cache: () => object | null,
  ) {}

  /** The cursor moved (or a document came to the front): warm there if it stays `restMs` and the cache is elsewhere. */
  cursorAt(place: CursorPlace): void {
    this.cancel();
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.covers(place)) return;
      this.covered = { place, cache: this.cache() };
      this.warm(place);
    }, this.restMs);
  }

  /** A completion was requested here: its prompt is in the cache, and a pending warm-up is stale. */
  requested(place: CursorPlace): void {
    this.cancel();
    this.covered = { place, cache: this.cache() };
  }

  private covers(place: CursorPlace): boolean {
    const covered = this.covered;
    return covered !== null && covered.cache === this.cache() && covered.place.document === place.document && covered.place.line === place.line;
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
