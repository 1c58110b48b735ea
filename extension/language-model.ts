// Ghost's local model offered to the rest of VS Code through the Language Model API: VS Code's chat and any extension
// that calls vscode.lm.selectChatModels({ vendor: "ghost" }) can use it, offline. One model, the one ghost.model
// names; it loads on the first request like everywhere else in Ghost. Text in, streamed text out: no tools, no
// images. Knows the model host and the VS Code API, nothing of completions, edits or the agent.
import * as vscode from "vscode";
import type { ChatMessage, Model } from "../model/model";

export const vendor = "ghost";
const modelId = "ghost-local";
// Before the model has loaded its real context length is unknown; VS Code asks for the list before any request.
const assumedContext = 8192;

/** ready: the model, loaded on first use (ModelHost.ready(), through the activation shell when Ghost's code is not
 *  loaded yet); current: the model if loaded, else null. Knowing only these keeps this file light enough for the
 *  activation shell (extension/lazy-ghost.ts), which registers it. */
export function registerLanguageModel(ready: () => Promise<Model>, current: () => Model | null): vscode.Disposable {
  return vscode.lm.registerLanguageModelChatProvider(vendor, {
    provideLanguageModelChatInformation: () => [info(current())],
    provideLanguageModelChatResponse: async (_model, messages, _options, progress, token) => respond(await ready(), messages, progress, token),
    provideTokenCount: async (_model, text) => (await (await ready()).tokenize(typeof text === "string" ? text : textOf(text))).length,
  });
}

function info(loaded: Model | null): vscode.LanguageModelChatInformation {
  const context = loaded?.info.contextLength ?? assumedContext;
  return {
    id: modelId,
    name: loaded?.info.server ? "Ghost (server)" : "Ghost (local)",
    family: "ghost",
    version: "1",
    tooltip: loaded?.info.server ? `The code model in ghost.model: ${loaded.info.dir}` : "The code model in ghost.model, running on this machine",
    maxInputTokens: Math.floor(context * 0.75),
    maxOutputTokens: Math.ceil(context * 0.25),
    capabilities: {},
  };
}

async function respond(
  model: Model,
  messages: readonly vscode.LanguageModelChatRequestMessage[],
  progress: vscode.Progress<vscode.LanguageModelResponsePart>,
  token: vscode.CancellationToken,
): Promise<void> {
  const controller = new AbortController();
  token.onCancellationRequested(() => controller.abort());
  const chat: ChatMessage[] = messages.map((message) => ({ role: message.role === vscode.LanguageModelChatMessageRole.User ? "user" : "assistant", content: textOf(message) }));
  const room = model.info.contextLength - (await model.chatTokens(chat));
  if (room < 16) throw new Error(`the conversation leaves no room for a reply in the model's context of ${model.info.contextLength} tokens`);
  for await (const event of model.generate({ messages: chat, maxTokens: Math.min(1024, room) }, controller.signal)) {
    if (event.type === "token" && event.text) progress.report(new vscode.LanguageModelTextPart(event.text));
  }
}

/** A message's text parts; tool calls, tool results and images are not for this model. */
function textOf(message: vscode.LanguageModelChatRequestMessage): string {
  return message.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : "")).join("");
}
