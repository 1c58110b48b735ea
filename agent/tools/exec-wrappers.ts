// What a command really runs: programs such as `env`, `nice`, `timeout`, `xargs`, `sudo`, `busybox`, `sh -c` and
// `find -exec` run their arguments as another command, so a rule about `rm` must also see `env rm` and
// `find . -exec rm {} ;`. unwrap() peels those layers off an argv, outermost first. A wrapper whose options it can
// not read, or one that reads its command from elsewhere (`env -S`, `git -c`), makes the command unresolved, and
// an unresolved command is asked. Pure: the programs are not looked up here (resolve-command.ts does that).
import { parseCommandLine } from "./argv";

/** layers[0] is the argv as written; each next one is the command the previous layer runs. */
export type Unwrapped = { ok: true; layers: string[][] } | { ok: false; layers: string[][]; reason: string };

const shells = new Set(["sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "fish", "busybox-sh"]);
/** Options that take a value, per wrapper, so the value is not mistaken for the command. */
const valueOptions: Record<string, Set<string>> = {
  env: new Set(["-u", "--unset", "-C", "--chdir"]),
  nice: new Set(["-n", "--adjustment"]),
  timeout: new Set(["-s", "--signal", "-k", "--kill-after"]),
  stdbuf: new Set(["-i", "-o", "-e", "--input", "--output", "--error"]),
  time: new Set(["-f", "--format", "-o", "--output"]),
  xargs: new Set(["-a", "--arg-file", "-d", "--delimiter", "-E", "-e", "-I", "-i", "-L", "-l", "-n", "--max-args", "-P", "--max-procs", "-s", "--max-chars", "--process-slot-var"]),
  sudo: new Set(["-u", "--user", "-g", "--group", "-h", "--host", "-p", "--prompt", "-C", "--close-from", "-r", "--role", "-t", "--type", "-D", "--chdir", "-T", "--command-timeout"]),
  nohup: new Set(),
  command: new Set(),
  exec: new Set(["-a"]),
  setsid: new Set(),
  ionice: new Set(["-c", "--class", "-n", "--classdata", "-p", "--pid", "-P", "--pgid", "-u", "--uid"]),
  chrt: new Set(),
  taskset: new Set(),
  flock: new Set(["-w", "--wait", "--timeout", "-E", "--conflict-exit-code"]),
  doas: new Set(["-u", "-C"]),
};
/** Wrappers that take a leading positional before the command (timeout's duration, flock's lock file…). */
const leadingPositionals: Record<string, number> = { timeout: 1, flock: 1, chrt: 1, taskset: 1 };
/** Programs that run other programs in ways no rule can follow: always unresolved. */
const opaque: Record<string, string> = {
  eval: "eval runs a string as shell code",
  source: "source runs a file as shell code",
  ".": ". runs a file as shell code",
  su: "su runs a command as another user",
  runuser: "runuser runs a command as another user",
  setpriv: "setpriv changes privileges and runs a command",
  nsenter: "nsenter enters other namespaces",
  unshare: "unshare runs a command in new namespaces",
  chroot: "chroot runs a command under another root",
  strace: "strace runs a command under a tracer",
  ltrace: "ltrace runs a command under a tracer",
  gdb: "gdb runs programs and commands",
  watch: "watch runs a string through sh -c",
  parallel: "parallel builds commands from its input",
  script: "script runs a shell",
  "systemd-run": "systemd-run starts a command outside Ghost's control",
};
const maxDepth = 8;

export function unwrap(argv: readonly string[]): Unwrapped {
  const layers: string[][] = [[...argv]];
  for (let current = [...argv]; layers.length <= maxDepth; ) {
    const next = innerCommand(current);
    if (next === null) return { ok: true, layers };
    if (!next.ok) return { ok: false, layers, reason: next.reason };
    if (next.argv.length === 0) return { ok: true, layers };
    layers.push(next.argv);
    current = next.argv;
  }
  return { ok: false, layers, reason: `more than ${maxDepth} wrappers deep` };
}

type Inner = { ok: true; argv: string[] } | { ok: false; reason: string } | null;

/** The command `argv` runs as its arguments; null when it runs none (it is the program itself). */
function innerCommand(argv: string[]): Inner {
  const program = baseName(argv[0]!);
  if (program in opaque) return { ok: false, reason: opaque[program]! };
  if (shells.has(program)) return shellCommand(argv);
  if (program === "busybox") return { ok: true, argv: argv.slice(1) };
  if (program === "find") return findExec(argv);
  if (program === "git") return gitOptions(argv);
  if (program === "env") return envCommand(argv);
  if (program in valueOptions) return afterOptions(program, argv);
  return null;
}

function shellCommand(argv: string[]): Inner {
  const dashC = argv.findIndex((arg, index) => index > 0 && /^-[a-z]*c[a-z]*$/i.test(arg));
  if (dashC < 0) return argv.length > 1 ? { ok: false, reason: `${argv[0]} runs the script ${argv[1]}` } : { ok: false, reason: `${argv[0]} without -c reads commands from its input` };
  const script = argv[dashC + 1];
  if (script === undefined) return { ok: false, reason: `${argv[0]} -c without a command` };
  const parsed = parseCommandLine(script);
  if (!parsed.ok) return { ok: false, reason: `${argv[0]} -c: ${parsed.error}` };
  if (parsed.shell.length > 0) return { ok: false, reason: `${argv[0]} -c runs shell syntax (${parsed.shell.join(" ")})` };
  return { ok: true, argv: parsed.argv };
}

function findExec(argv: string[]): Inner {
  const at = argv.findIndex((arg) => /^-(exec|execdir|ok|okdir)$/.test(arg));
  if (at < 0) return null;
  const end = argv.findIndex((arg, index) => index > at && (arg === ";" || arg === "+"));
  const command = argv.slice(at + 1, end < 0 ? undefined : end);
  const more = end >= 0 && argv.slice(end + 1).some((arg) => /^-(exec|execdir|ok|okdir)$/.test(arg));
  if (more) return { ok: false, reason: "find runs more than one -exec command" };
  return command.length > 0 ? { ok: true, argv: command } : { ok: false, reason: "find -exec without a command" };
}

/** git's own options can point it at other config, programs or directories; a plain `git SUBCOMMAND` runs itself. */
function gitOptions(argv: string[]): Inner {
  const risky = argv.find((arg, index) => index > 0 && /^(-c|--config-env|--exec-path|--git-dir|--work-tree|-C|--namespace|--super-prefix)(=|$)/.test(arg));
  return risky ? { ok: false, reason: `git ${risky} changes which config, repository or programs git uses` } : null;
}

function envCommand(argv: string[]): Inner {
  let index = 1;
  for (; index < argv.length; index++) {
    const arg = argv[index]!;
    if (/^(-S|--split-string)/.test(arg)) return { ok: false, reason: "env -S splits a string into a command" };
    if (arg === "--") {
      index++;
      break;
    }
    if (valueOptions.env!.has(arg)) index++;
    else if (!arg.startsWith("-") && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(arg)) break;
  }
  const assigned = argv.slice(1, index).filter((arg) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(arg));
  const loader = assigned.find((arg) => /^(LD_|DYLD_|BASH_ENV=|ENV=|NODE_OPTIONS=|PYTHONSTARTUP=|PERL5OPT=|RUBYOPT=|GIT_)/.test(arg));
  if (loader) return { ok: false, reason: `env sets ${loader.split("=")[0]}, which loads other code` };
  return { ok: true, argv: argv.slice(index) };
}

function afterOptions(program: string, argv: string[]): Inner {
  const takesValue = valueOptions[program]!;
  let index = 1;
  for (; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === "--") {
      index++;
      break;
    }
    if (!arg.startsWith("-") || arg === "-") break;
    if (takesValue.has(arg)) index++;
  }
  index += leadingPositionals[program] ?? 0;
  return { ok: true, argv: argv.slice(index) };
}

export function baseName(program: string): string {
  return program.slice(program.lastIndexOf("/") + 1);
}
