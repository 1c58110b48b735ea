// Runs `ghost agent` from source in a child process for the CLI tests (until cli/ghost.ts dispatches to it, and
// without a bundle build): the same one boundary as cli/ghost.ts, one line per failure.
import { agent } from "../../../cli/agent";
import { UsageError } from "../../../cli/options";

agent(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`ghost: ${error.message}`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
