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
import { commandHelp, overview } from "./help";
import { UsageError } from "./options";

const commands: Record<string, (args: string[]) => Promise<number>> = { agent, check, complete, context, conventions, edit, models };

const isHelp = (arg: string) => arg === "--help" || arg === "-h";

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || isHelp(name)) {
    console.log(overview);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) throw new UsageError(`unknown command '${name}'`);
  if (args.some(isHelp)) {
    console.log(commandHelp[name]);
    return 0;
  }
  return command(args);
}

// The CLI's one boundary: every failure is printed as its message and one line on where the help is.
const argv = process.argv.slice(2);
main(argv).then(
  (code) => process.exit(code),
  (error: Error & { code?: string }) => {
    // node:util's parseArgs reports an unknown or malformed option as a TypeError with an ERR_PARSE_ARGS_* code.
    const badOption = error.code?.startsWith("ERR_PARSE_ARGS") === true;
    const usage = error instanceof UsageError || badOption;
    // Its first sentence names the option; the rest is advice about '--' that the help line replaces.
    console.error(`ghost: ${badOption ? error.message.split(". ")[0] : error.message}`);
    const name = argv[0] && argv[0] in commands ? argv[0] : null;
    if (usage) console.error(name ? `Run 'ghost ${name} --help' for its options.` : "Run 'ghost --help' for the commands.");
    process.exit(usage ? 2 : 1);
  },
);
