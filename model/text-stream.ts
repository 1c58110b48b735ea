// Turns generated ids into text deltas: holds back incomplete UTF-8 sequences, hides the healed prefix that the
// user already typed, and cuts at the first stop string. Knows a decode function, nothing else.

export class TextStream {
  private readonly ids: number[] = [];
  private shown = "";
  /** Text of every id up to and including the anchor, fixed: later tokens cannot change how those decode. */
  private settled = "";
  private anchor = 0;
  /** Length of the anchor token's own text, decoded alone. */
  private anchorTextLength = 0;
  stopped = false;

  constructor(
    private readonly decode: (ids: readonly number[]) => string,
    private readonly healedText: string,
    private readonly stopStrings: readonly string[],
    /** For concatenative (byte-level) tokenizers: a token's text when it can simply be appended (see
     *  TextTokenizer.piece), null when it must be decoded with its neighbours. Absent for other tokenizers. */
    private readonly piece?: (id: number) => string | null,
  ) {}

  /** Adds one id and returns the newly visible text ("" while a character or the healed prefix is incomplete). */
  push(id: number): string {
    this.ids.push(id);
    const decoded = this.decodeIncrementally();
    if (decoded.endsWith("\uFFFD") || decoded.length < this.healedText.length) return "";
    let visible = decoded.slice(this.healedText.length);
    const stopAt = this.firstStop(visible);
    if (stopAt >= 0) {
      visible = visible.slice(0, stopAt);
      this.stopped = true;
    } else visible = visible.slice(0, visible.length - this.possibleStopStart(visible));
    const delta = visible.slice(this.shown.length);
    this.shown = visible;
    return delta;
  }

  /** Everything visible so far; at the end of generation, the held-back tail is not a stop string after all. */
  get text(): string {
    return this.shown;
  }

  /** Releases what was held back as a possible stop string's start (call once generation has ended). */
  flush(): string {
    if (this.stopped) return "";
    const decoded = this.decodeIncrementally();
    const visible = decoded.length >= this.healedText.length ? decoded.slice(this.healedText.length) : "";
    const delta = visible.slice(this.shown.length);
    this.shown = visible;
    return delta;
  }

  /** The whole output's text, decoding only the ids since the anchor. The anchor token is decoded with them and its
   *  own text cut off, because tokenizers such as SentencePiece drop a leading space when a token stands first;
   *  vLLM's incremental detokenizer works the same way. */
  private decodeIncrementally(): string {
    if (this.anchor === this.ids.length) return this.settled;
    // Fast path: nothing undecoded is pending and the new token's text stands on its own.
    const last = this.ids.length - 1;
    const piece = this.piece && this.anchor === last && this.anchorTextLength === 0 ? this.piece(this.ids[last]!) : null;
    if (piece !== null) {
      this.settled += piece;
      this.anchor = this.ids.length;
      return this.settled;
    }
    const windowText = this.decode(this.ids.slice(this.anchor)).slice(this.anchorTextLength);
    const decoded = this.settled + windowText;
    if (this.piece && !windowText.includes("\uFFFD")) {
      // Byte-level: once the run decodes to whole characters, nothing after it can change it.
      this.settled = decoded;
      this.anchor = this.ids.length;
      this.anchorTextLength = 0;
    } else if (last - this.anchor >= 16 && !windowText.endsWith("\uFFFD")) {
      // Only a token that decodes to whole characters on its own can anchor: its text then ends the output exactly.
      const anchorText = this.decode([this.ids[last]!]);
      if (!anchorText.includes("\uFFFD") && decoded.endsWith(anchorText)) {
        // The anchor's own text is settled; later windows decode it again and cut it off.
        this.anchor = last;
        this.anchorTextLength = anchorText.length;
        this.settled = decoded;
      }
    }
    return decoded;
  }

  /** Length of the longest tail of `text` that could still grow into a stop string: not shown yet. */
  private possibleStopStart(text: string): number {
    let longest = 0;
    for (const stop of this.stopStrings) {
      for (let length = Math.min(stop.length - 1, text.length); length > longest; length--) {
        if (text.endsWith(stop.slice(0, length))) longest = length;
      }
    }
    return longest;
  }

  private firstStop(text: string): number {
    const found = this.stopStrings.map((stop) => text.indexOf(stop)).filter((index) => index >= 0);
    return found.length ? Math.min(...found) : -1;
  }
}
