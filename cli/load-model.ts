// The model a CLI command runs: a model folder or hub id (chooseModel), an OpenAI-compatible server's URL
// (chooseServer), or `scripted:FILE`, a JSON list of raw replies a ScriptedModel plays back in order, for scripts and
// tests that need no model.
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { ScriptedModel } from "../agent/loop/scripted-model";
import { LocalEngine } from "../model/engine";
import type { Model } from "../model/model";
import { openRemoteModel } from "../model/remote/open-remote-model";
import { chooseModel, chooseServer, UsageError } from "./options";

export async function loadModel(values: { model?: string; variant?: string; threads?: string; "remote-model-name"?: string; tokenizer?: string; "context-length"?: string }): Promise<Model> {
  if (values.model?.startsWith("scripted:")) {
    const file = values.model.slice("scripted:".length);
    const outputs = z.array(z.string()).safeParse(JSON.parse(await readFile(file, "utf8")));
    if (!outputs.success) throw new UsageError(`${file} must hold a JSON list of strings (raw model replies)`);
    return new ScriptedModel(outputs.data);
  }
  const server = await chooseServer(values);
  if (server) return openRemoteModel(server);
  const choice = await chooseModel(values);
  return LocalEngine.load(choice.dir, { variant: choice.variant, threads: choice.threads });
}
