// The CLI's help: one text per command (`ghost COMMAND --help`) and the overview (`ghost --help`) built from their
// first lines. Text only; ghost.ts decides when to print it.

const commonModel = `  --model DIR|ID|URL a model folder (an existing folder wins), a downloaded hub id, or an OpenAI-compatible
                     server: http(s)://HOST[:PORT]/v1 (vLLM, llama.cpp's llama-server, Ollama)
                     (default: $GHOST_MODEL, else the shipped test model)
  --variant V        auto | fp32 | int8 | q4 | q4f16 | fp16 (default auto)
  --threads N        threads for the model (default: up to 4)
  --remote-model-name NAME   (server) the model's name in the server's /v1/models (default: its only model);
                     the API key is read from $GHOST_API_KEY, never from a flag
  --tokenizer DIR|ID (server) a folder or hub id with the model's tokenizer.json: exact token counts here
                     (else the server's /tokenize, else an estimate of 3.5 characters per token, said so)
  --context-length N (server) the model's context, for servers that do not report it (Ollama, TGI)`;
const rootOption = `  --root DIR         the workspace (default: the enclosing git work tree, else the current folder)`;

export const commandHelp: Record<string, string> = {
  complete: `ghost complete FILE:LINE:COL   a fill-in-the-middle completion at that position (1-based line and column)

options:
${rootOption}
  --budget N         prompt budget in tokens (default 1500)
  --max-tokens N     longest completion (default 48)
  --json             the completion with prompt tokens, KV-cache reuse and timings
${commonModel}`,
  context: `ghost context FILE:LINE:COL    exactly what the model would see there, and where each part came from

options:
${rootOption}
  --budget N         prompt budget in tokens (default 1500)
  --json             the parts as JSON
${commonModel}`,
  edit: `ghost edit FILE:START-END "instruction"   rewrite those lines as instructed; prints the unified diff

options:
  --apply            write the rewrite (checkpointed); a file saved meanwhile is merged, or is a conflict (exit 1)
${rootOption}
  --json             the outcome as JSON
${commonModel}`,
  agent: `ghost agent "TASK"             work through a task step by step, with approvals in the terminal
ghost agent log                the agent's past tasks and steps, each change with its checkpoint and files
ghost agent revert [TASK|TASK:STEP]   undo a task (default: the last one) or one step, keeping later edits

options:
  --autonomy 0-4|NAME   off, suggest, review (default), auto-edit, autopilot
  --trust            trust the folder (else it is capped at suggest unless listed in ~/.config/ghost/trusted-folders.json)
  --allow "CMD"      run that exact command without asking, still in the sandbox (repeatable)
  --steps N          most steps for the task
  --model scripted:FILE   replay a JSON list of raw model replies instead of a model
  --unconstrained    let the model write replies freely (no tool-call grammar), for comparison
${rootOption}
  --storage DIR      (log) read another audit log, e.g. VS Code's workspace storage
  --yes              (revert) revert without asking about files changed since the step
  --json             (log) the history as JSON
${commonModel}`,
  conventions: `ghost conventions [DIR]        how the code and its rule files say it is written, with strength and evidence

DIR defaults to the enclosing git work tree, else the current folder.

options:
  --json             the profile as JSON
  --cache FILE       reuse and refresh a cache of per-file results`,
  check: `ghost check PATCH              flag what a unified diff does against the conventions (exit 1 when flagged)

options:
${rootOption}
  --disable ID       ignore one convention (repeatable)
  --cache FILE       reuse and refresh a cache of per-file results
  --json             the flags as JSON`,
  models: `ghost models list              the downloaded models
ghost models download ID       download a hub model (owner/name[@revision]): asks first, shows progress, resumes, verifies
ghost models verify DIR        check a model folder's layout and hashes

options:
  --variant V        (download) auto | fp32 | int8 | q4 | q4f16 | fp16 (default auto)
  --yes              (download) do not ask first
  --endpoint URL     (download) the hub (default: $HF_ENDPOINT, else huggingface.co)
  --json             machine-readable output`,
};

export const overview = `usage: ghost <command> [options]      ghost <command> --help for its options

commands:
${Object.values(commandHelp)
  .flatMap((text) => text.split("\n\n")[0]!.split("\n"))
  .map((line) => `  ${line.replace(/^ghost /, "")}`)
  .join("\n")}`;
