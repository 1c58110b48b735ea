// The autonomy policy: one pure function, decide(action, level, rules) -> allow | ask | deny, with its reason; the
// rules it reads; the level actually in force (the caller's choice, capped by Workspace Trust and lowered, never
// raised, by a committed .ghost/policy.json); and the parser of that file. The level comes from the caller (VS Code
// workspace storage), never from the repository or the model. Knows nothing about the disk, processes or UI: the
// caller resolves paths (symlinks included) and probes the sandbox, and passes what it found in the action.
import { z } from "zod";
import { autonomyLevels, parseAutonomyLevel, type AutonomyLevel } from "./autonomy-levels";
import { protectedWhat } from "./protected-paths";
import { formatArgv, type ParsedCommand } from "./tools/argv";
import { baseName } from "./tools/exec-wrappers";
import type { ResolvedCommand, ResolvedLayer } from "./tools/resolve-command";
import type { SandboxStatus } from "./tools/sandbox";

export type Verdict = "allow" | "ask" | "deny";
export interface Decision {
  verdict: Verdict;
  reason: string;
}

export type Action =
  /** `outside`: why the path leads out of the workspace (`..`, absolute, a symlink), null when it stays inside. */
  | { kind: "read"; path: string; outside: string | null }
  | { kind: "write"; path: string; change: "create" | "modify" | "delete"; outside: string | null }
  /** resolved: every layer's real program (null when the line holds shell syntax or does not parse); sandbox:
   *  whether the sandbox works here; drivers: the fingerprint of the files that drive the program now. */
  | { kind: "command"; line: string; parsed: ParsedCommand; resolved: ResolvedCommand | null; sandbox: SandboxStatus; drivers: string | null };

/** An argv pattern: each word must equal the argument, except "*" (any one argument) and a final "**" (any
 *  arguments, allowed only in ask and deny rules: an allow rule never matches a prefix). */
export type ArgvRule = readonly string[];

/** Lets one exact argv run without a question, never without the sandbox. drivers: the fingerprint of the
 *  workspace files that decide what the program does (package.json for npm, a Makefile for make, git's config and
 *  hooks…) when the rule was approved, null when the program reads none; once they differ, it asks again. */
export interface AllowRule {
  argv: readonly string[];
  drivers: string | null;
}

export interface Rules {
  /** From the user only (the CLI's --allow, VS Code's "always allow" kept in workspace storage); a repository's
   *  policy file can not add any. */
  allow: readonly AllowRule[];
  ask: readonly ArgvRule[];
  deny: readonly ArgvRule[];
  /** Globs of files to ask about at every level ("*" within a path segment, "**" across them; a glob with no "/"
   *  matches the file name anywhere). */
  protectedPaths: readonly string[];
}

export const defaultProtectedPaths = [".env*", "*.pem", "*.key", "*.p12", "*.pfx", "id_rsa*", "id_ed25519*", "id_ecdsa*", "id_dsa*", ".npmrc", ".pypirc", ".netrc", "*.keystore"];
export const defaultRules: Rules = { allow: [], ask: [], deny: [], protectedPaths: defaultProtectedPaths };

export function decide(action: Action, level: AutonomyLevel, rules: Rules): Decision {
  if (level === 0) return deny("Ghost is off (level 0)");
  if (action.kind === "command") return decideCommand(action, level, rules);
  if (action.outside !== null) return deny(`outside the workspace: ${action.outside}`);
  const special = specialPath(action.path, rules);
  if (action.kind === "read") return special?.secret ? ask(`${action.path} is ${special.what}`) : allow("a read inside the workspace");
  if (special) return ask(`${action.path} is ${special.what}: asked at every level`);
  if (level === 1) return ask(`suggest (level 1): a proposal only, nothing is written until you accept it`);
  if (level === 2) return ask(`review (level 2): every change is reviewed before it is written`);
  return allow(`${autonomyLevels[level].label} (level ${level}): edits are applied at once and checkpointed`);
}

function decideCommand(action: Extract<Action, { kind: "command" }>, level: AutonomyLevel, rules: Rules): Decision {
  if (level === 1) return deny("suggest (level 1) runs no commands");
  if (!action.parsed.ok) return deny(`the command can not be read: ${action.parsed.error}`);
  const { argv, shell } = action.parsed;
  const layers: readonly Pick<ResolvedLayer, "argv" | "program">[] = action.resolved?.layers ?? [{ argv, program: null }];
  const denied = layers.find((layer) => rules.deny.some((rule) => matchesLayer(rule, layer)));
  if (denied) return deny(`a deny rule matches ${formatArgv(denied.argv)}`);
  if (rules.deny.some((rule) => argv.some((_, index) => index > 0 && matchesLayer(rule, { argv: argv.slice(index), program: null })))) {
    return ask("a command a deny rule names appears inside this one; always asked");
  }
  if (shell.length > 0) return ask(`shell syntax (${shell.join(" ")}) needs \`sh -c\`; always asked`);
  if (action.resolved?.unresolved) return ask(`what finally runs can not be known (${action.resolved.unresolved}); always asked`);
  const asked = layers.find((layer) => rules.ask.some((rule) => matchesLayer(rule, layer)));
  if (asked) return ask(`an ask rule matches ${formatArgv(asked.argv)}`);
  if (!action.sandbox.available) return ask(`no sandbox (${action.sandbox.reason}): every command is asked`);
  if (level === 2) return ask("review (level 2): every command is asked");
  if (level === 4) return allow("autopilot (level 4): runs in the sandbox (no network, writes only in the workspace, protected paths read-only)");
  const rule = layers.length === 1 ? rules.allow.find((candidate) => !candidate.argv.includes("**") && matches(candidate.argv, argv)) : undefined;
  if (!rule) return ask(layers.length > 1 ? `${argv[0]} runs another command (${formatArgv(layers.at(-1)!.argv)}); allow rules match only a direct command` : "no allow rule matches the whole argv");
  if (rule.drivers !== action.drivers) return ask(`the workspace files that decide what ${argv[0]} does changed since its allow rule was approved`);
  return allow("an allow rule matches the whole argv; runs in the sandbox");
}

/** Whole-argv match: same length, word for word, "*" standing for one argument and a last "**" for the rest. */
export function matches(rule: ArgvRule, argv: readonly string[]): boolean {
  const rest = rule.at(-1) === "**";
  const words = rest ? rule.slice(0, -1) : rule;
  if (rest ? argv.length < words.length : argv.length !== words.length) return false;
  return words.every((word, index) => word === "*" || word === argv[index]);
}

/** A deny or ask rule against one layer: its program word matches the name as written, its base name, or the real
 *  program's path or base name (`/bin/rm`, a link named `del` to rm); the other words as in matches(). */
function matchesLayer(rule: ArgvRule, layer: Pick<ResolvedLayer, "argv" | "program">): boolean {
  const [written, ...args] = layer.argv;
  const names = [written!, baseName(written!), ...(layer.program ? [layer.program, baseName(layer.program)] : [])];
  return (rule[0] === "*" || names.includes(rule[0]!)) && matches(["*", ...rule.slice(1)], ["*", ...args]);
}

function specialPath(path: string, rules: Rules): { what: string; secret: boolean } | null {
  const found = protectedWhat(path);
  if (found) return { what: `protected (${found})`, secret: false };
  const glob = rules.protectedPaths.find((pattern) => globMatches(pattern, path));
  return glob ? { what: `a protected file (${glob})`, secret: true } : null;
}

const globParts: Record<string, string> = { "**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]" };

/** "*" and "?" stay within a path segment, "**" crosses them; a pattern without "/" is matched against the name. */
export function globMatches(pattern: string, path: string): boolean {
  const subject = pattern.includes("/") ? path : path.slice(path.lastIndexOf("/") + 1);
  return globRegExp(pattern).test(subject);
}

const compiled = new Map<string, RegExp>();
function globRegExp(pattern: string): RegExp {
  let regExp = compiled.get(pattern);
  if (!regExp) {
    const source = pattern
      .split(/(\*\*\/|\*\*|\*|\?)/)
      .map((part) => globParts[part] ?? part.replace(/[.+^${}()|[\]\\]/g, "\\$&"))
      .join("");
    compiled.set(pattern, (regExp = new RegExp(`^${source}$`, "i")));
  }
  return regExp;
}

const allow = (reason: string): Decision => ({ verdict: "allow", reason });
const ask = (reason: string): Decision => ({ verdict: "ask", reason });
const deny = (reason: string): Decision => ({ verdict: "deny", reason });

// --- The level in force, and the repository's policy file ---

export const policyFileName = ".ghost/policy.json";

/** A committed policy may only make Ghost more careful: a lower level, more ask and deny rules, more protected
 *  files. There is no field that allows anything; an unknown field (such as "allow") makes the file invalid. */
const argvRuleSchema = z.array(z.string().min(1)).min(1);
const policySchema = z.strictObject({
  level: z.union([z.number(), z.string()]).transform((value, context) => {
    const level = parseAutonomyLevel(String(value));
    if (level === null) context.addIssue({ code: "custom", message: `"${value}" is not a level (0-4 or ${autonomyLevels.map((entry) => entry.name).join(", ")})` });
    return level ?? 0;
  }).optional(),
  ask: z.array(argvRuleSchema).default([]),
  deny: z.array(argvRuleSchema).default([]),
  protect: z.array(z.string().min(1)).default([]),
});
export type Policy = z.output<typeof policySchema>;

export type PolicyResult = { ok: true; policy: Policy } | { ok: false; error: string };

/** Parses the text of a policy file; the error names the file and says what a policy may hold. */
export function parsePolicy(text: string, file: string): PolicyResult {
  const fail = (why: string): PolicyResult => ({
    ok: false,
    error: `${file} is not a valid Ghost policy (${why}). A policy may only lower the level ("level") or add "ask", "deny" and "protect" rules; it can never allow anything.`,
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return fail(`not JSON: ${(error as Error).message}`);
  }
  const parsed = policySchema.safeParse(json);
  return parsed.success ? { ok: true, policy: parsed.data } : fail(z.prettifyError(parsed.error).replaceAll("\n", " "));
}

export interface Effective {
  level: AutonomyLevel;
  rules: Rules;
  /** Why the level is lower than the one chosen; empty when it is not. */
  notes: string[];
}

/** The caller's level, capped at suggest in an untrusted workspace and at the policy's level; the policy's rules
 *  added to the user's. Nothing here can raise the level or add an allow rule. */
export function effectivePolicy(chosen: AutonomyLevel, userRules: Rules, options: { trusted: boolean; policy: Policy | null }): Effective {
  let level = chosen;
  const notes: string[] = [];
  if (!options.trusted && level > 1) {
    level = 1;
    notes.push("the workspace is not trusted: capped at suggest (level 1)");
  }
  const capped = options.policy?.level;
  if (capped !== undefined && capped < level) {
    level = capped;
    notes.push(`${policyFileName} lowers the level to ${autonomyLevels[capped].name} (${capped})`);
  }
  const policy = options.policy;
  const rules: Rules = policy
    ? { allow: userRules.allow, ask: [...userRules.ask, ...policy.ask], deny: [...userRules.deny, ...policy.deny], protectedPaths: [...userRules.protectedPaths, ...policy.protect] }
    : userRules;
  return { level, rules, notes };
}
