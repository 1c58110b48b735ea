// The edit-in-place prompt: the instruction, the code to rewrite with some context around it, and the repository's
// conventions (a summary supplied by the caller). Data in, chat messages out; the model's own chat template renders
// them. Knows nothing about the model's runtime.
import type { ChatMessage } from "../../model/model";
import type { EditTarget } from "./target";

export interface EditPromptInput {
  path: string;
  text: string;
  target: EditTarget;
  instruction: string;
  /** A short summary of the repository's strongest conventions for this file, when known. */
  conventions?: string;
  contextLines?: number;
}

export function editMessages(input: EditPromptInput): ChatMessage[] {
  const lines = input.text.split("\n");
  const around = input.contextLines ?? 20;
  const before = lines.slice(Math.max(0, input.target.startLine - around), input.target.startLine).join("\n");
  const after = lines.slice(input.target.endLine + 1, input.target.endLine + 1 + around).join("\n");
  const system = [
    "You rewrite one region of a source file as instructed. Reply with the rewritten region only, in one fenced code block, nothing else.",
    "Keep everything the instruction does not ask to change exactly as it is: names, comments, formatting and indentation.",
    ...(input.conventions ? [`This repository's conventions:\n${input.conventions}`] : []),
  ].join("\n");
  const user = [
    `File: ${input.path}`,
    before ? `Code before the region:\n\`\`\`\n${before}\n\`\`\`` : "",
    `Region to rewrite:\n\`\`\`\n${input.target.text.replace(/\n$/, "")}\n\`\`\``,
    after ? `Code after the region:\n\`\`\`\n${after}\n\`\`\`` : "",
    `Instruction: ${input.instruction}`,
  ].filter(Boolean);
  return [
    { role: "system", content: system },
    { role: "user", content: user.join("\n\n") },
  ];
}

/** The rewritten region from the model's reply: the first fenced block's body (up to a fence at a line start, or
 *  the end), or the whole reply when it has no fence. Keeps the region's trailing newline convention. */
export function extractRewrite(reply: string, target: EditTarget): string {
  const fenced = /```[\w+-]*\n([\s\S]*?)(?:^```|(?![\s\S]))/m.exec(reply);
  const body = (fenced ? fenced[1]! : reply).replace(/\n+$/, "");
  return target.text.endsWith("\n") ? `${body}\n` : body;
}
