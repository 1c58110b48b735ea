#!/usr/bin/env node
// The `ghost` command: the same core as the extension, over the real filesystem. This file only dispatches;
// each subcommand lives in its own file.
import { agent } from "./agent";
import { check } from "./check";
import { complete } from "./complete";
import { context } from "./context";
import { conventions } from "./conventions";
import { edit } from "./edit";
import { models } from "./models";
import { UsageError } from "./options";

const usage = `usage: ghost <command> [options]

commands:
  complete FILE:LINE:COL   print a fill-in-the-middle completion at that position (1-based line and column)
  context FILE:LINE:COL    print exactly what the model would see there, and where each part came from
  edit FILE:START-END "instruction" [--apply]
                           rewrite those lines as instructed; prints the diff, writes it with --apply
  agent "TASK" [--autonomy 0-4|NAME] [--model DIR|ID|scripted:FILE] [--root DIR] [--allow "CMD"]... [--steps N]
                           work through a task step by step; what it may do without asking follows --autonomy
  agent log [--root DIR] [--storage DIR]
                           the agent's past tasks and steps, each change with its checkpoint and files
  agent revert [TASK|TASK:STEP] [--root DIR] [--yes]
                           undo a task (default: the last one) or one step; asks before rewriting files changed since
  conventions [DIR]        what the code and rule files say about how it is written (--json, --cache FILE)
  check PATCH              check a unified diff against the conventions of --root (--json, --disable ID, --cache FILE)
  models list              list downloaded models
  models download ID       download a hub model (asks first; --yes to skip the question)
  models verify DIR        check a model folder's layout and hashes

common options:
  --model DIR|ID           model folder or hub id (default: $GHOST_MODEL, else the shipped test model)
  --variant V              auto | fp32 | int8 | q4 | q4f16 | fp16 (default auto)
  --root DIR               workspace root for cross-file context (default: the file's folder)
  --budget N               prompt budget in tokens (default 1500)
  --json                   machine-readable output`;

const commands: Record<string, (args: string[]) => Promise<number>> = { agent, check, complete, context, conventions, edit, models };

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === "--help" || name === "-h") {
    console.log(usage);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) throw new UsageError(`unknown command '${name}'`);
  return command(args);
}

// The CLI's one boundary: every failure is printed as one clear line, usage errors with the usage.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`ghost: ${error.message}`);
    if (error instanceof UsageError) console.error(`\n${usage}`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
