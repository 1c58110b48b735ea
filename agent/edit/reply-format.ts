// The edit-in-place reply as a grammar: exactly one fenced code block and nothing after it. The opening fence may
// carry a language tag; no line of the body can start with three backticks, so the body can not close the block
// early, and the reply ends at the closing fence (generation stops there, no stop string needed). extractRewrite
// then always finds the whole rewrite. Data only; knows the reply's text format, not the model.
import type { Grammar } from "../../model/grammar/grammar";

/** A body line is empty, or starts with anything but a backtick, or with one or two backticks and then anything but
 *  a third: "```" at a line start is only ever the closing fence. The tag's characters are those extractRewrite
 *  reads after the opening fence. */
const fence = "```";

export const rewriteGrammar: Grammar = {
  kind: "ebnf",
  text: [
    `root ::= "${fence}" [a-zA-Z0-9_+\\-]* "\\n" line* "${fence}"`,
    'line ::= (rest | "`" rest? | "``" rest?)? "\\n"',
    "rest ::= [^`\\n] [^\\n]*",
  ].join("\n"),
};
