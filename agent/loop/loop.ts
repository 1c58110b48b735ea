// The agent loop, after mini-swe-agent: a linear message history, one tool call per step, the observation appended.
// A step ends in one named outcome; the loop either continues (observation, format error) or returns. Knows the
// Model and the tools' entry point; the policy, the workspace and the UI are injected through the tools' context.
import type { ChatMessage, Model } from "../../model/model";
import type { AutonomyLevel } from "../autonomy-levels";
import type { AllowRule, Rules } from "../autonomy";
import type { Workspace } from "../workspace";
import type { Audit } from "./audit-log";
import { observationMessage, systemPrompt, taskMessage } from "./prompts";
import { toolCallGrammar } from "./reply-format";
import { formatErrorMessage, parseToolCall } from "./tool-call";
import { runTool } from "../tools/run-tool";
import type { Approve, AskUser, CheckChange, OnAllowAlways } from "../tools/context";

export interface Limits {
  steps: number;
  /** Tokens the model may generate over the whole task. */
  tokens: number;
  wallMs: number;
  /** Replies in a row without a valid tool call. */
  formatErrors: number;
  stepTokens: number;
  commandMs: number;
  outputBytes: number;
}
export const defaultLimits: Limits = { steps: 40, tokens: 50_000, wallMs: 30 * 60_000, formatErrors: 3, stepTokens: 1024, commandMs: 120_000, outputBytes: 16_384 };

/** A reply shorter than this can not hold a tool call worth reading. */
const minReplyTokens = 64;

export type LimitName = "steps" | "tokens" | "time" | "context" | "format-errors";
/** `constrained`: the model wrote the reply under the tool-call grammar (reply-format.ts), so its format could
 *  not go wrong; absent for outcomes without a reply. */
export type StepOutcome =
  | { kind: "observation"; reply: string; constrained: boolean; text: string; checkpoint?: string | null }
  | { kind: "format-error"; reply: string; constrained: boolean; error: string }
  | { kind: "limit-exceeded"; limit: LimitName; message: string; reply?: string; constrained?: boolean }
  | { kind: "finished"; reply: string; constrained: boolean; summary: string }
  | { kind: "stopped"; message: string; reply?: string; constrained?: boolean; checkpoint?: string | null };

export interface AgentDeps {
  model: Model;
  workspace: Workspace;
  approve: Approve;
  askUser?: AskUser;
  /** An "always" answer to a command: keep the rule for later tasks (it applies for the rest of this one anyway). */
  onAllowAlways?: OnAllowAlways;
  checkChange?: CheckChange;
  audit: Audit;
  onText?: (delta: string) => void;
  /** Awaited before the next step: a UI can render, a test can play the user editing between steps. */
  onStep?: (outcome: StepOutcome, step: number) => void | Promise<void>;
}

export interface AgentOptions {
  /** The level in force (effectivePolicy): from the caller, never from the repository or the model. */
  level: AutonomyLevel;
  rules: Rules;
  limits?: Partial<Limits>;
  signal?: AbortSignal;
  conventions?: string;
  /** Why the level is lower than the user's choice (effectivePolicy), for the audit log. */
  notes?: string[];
  /** Let the model write replies freely, read afterwards by parseToolCall (for comparison); by default every reply
   *  is decoded under the tool-call grammar. */
  unconstrained?: boolean;
}

export type AgentResult = Extract<StepOutcome, { kind: "finished" | "limit-exceeded" | "stopped" }> & {
  steps: number;
  tokens: number;
  messages: ChatMessage[];
  /** The checkpoints of this task's writes and commands, oldest first: revertSteps() undoes them. */
  checkpoints: string[];
};

interface TaskState {
  messages: ChatMessage[];
  steps: number;
  tokens: number;
  formatErrors: number;
  started: number;
  checkpoints: string[];
  /** The rules in force, with the commands the user said "always" to during this task added. */
  rules: Rules & { allow: AllowRule[] };
}

export async function runAgent(task: string, deps: AgentDeps, options: AgentOptions): Promise<AgentResult> {
  const limits = { ...defaultLimits, ...options.limits };
  const system: ChatMessage = { role: "system", content: systemPrompt(options.conventions) };
  const state: TaskState = { messages: [system, { role: "user", content: taskMessage(task) }], steps: 0, tokens: 0, formatErrors: 0, started: Date.now(), checkpoints: [], rules: { ...options.rules, allow: [...options.rules.allow] } };
  await deps.audit({ event: "task", task, level: options.level, notes: options.notes ?? [] });
  if (options.level === 0) return end(state, deps, { kind: "stopped", message: "Ghost is off (level 0): the agent does nothing" });
  try {
    return await loop(state, deps, options, limits);
  } catch (error) {
    // A bug, or a failure no tool turns into an observation (the model worker died, the disk is full): the task is
    // over, and the audit log says so before the error goes on to the caller.
    await deps.audit({ event: "end", outcome: "crashed", message: error instanceof Error ? error.message : String(error) });
    throw error;
  }
}

async function loop(state: TaskState, deps: AgentDeps, options: AgentOptions, limits: Limits): Promise<AgentResult> {
  for (;;) {
    const outcome = await step(state, deps, options, limits);
    await deps.onStep?.(outcome, state.steps);
    if (outcome.reply !== undefined) state.messages.push({ role: "assistant", content: outcome.reply });
    if ("checkpoint" in outcome && outcome.checkpoint) state.checkpoints.push(outcome.checkpoint);
    if (outcome.kind === "observation") {
      state.formatErrors = 0;
      state.messages.push({ role: "user", content: observationMessage(outcome.text) });
    } else if (outcome.kind === "format-error") {
      await deps.audit({ event: "format-error", step: state.steps, error: outcome.error, reply: bounded(outcome.reply) });
      if (++state.formatErrors >= limits.formatErrors) {
        return end(state, deps, { kind: "limit-exceeded", limit: "format-errors", message: `${state.formatErrors} replies in a row held no valid tool call (the last: ${outcome.error})` });
      }
      state.messages.push({ role: "user", content: formatErrorMessage(outcome.error) });
    } else return end(state, deps, outcome);
  }
}

async function step(state: TaskState, deps: AgentDeps, options: AgentOptions, limits: Limits): Promise<StepOutcome> {
  const signal = options.signal ?? new AbortController().signal;
  const exceeded = checkLimits(state, limits);
  if (signal.aborted) return { kind: "stopped", message: "stopped by the user" };
  if (exceeded) return exceeded;
  state.steps++;
  const promptTokens = await deps.model.chatTokens(state.messages);
  const room = deps.model.info.contextLength - promptTokens;
  if (room < minReplyTokens) {
    return { kind: "limit-exceeded", limit: "context", message: `the conversation (${promptTokens} tokens) leaves no room for a reply in the model's context of ${deps.model.info.contextLength}` };
  }
  const maxTokens = Math.min(limits.stepTokens, limits.tokens - state.tokens, room);
  if (!options.unconstrained && maxTokens < minReplyTokens) {
    // A constrained reply must reach the grammar's end; with fewer tokens left the shortest call may not fit.
    return { kind: "limit-exceeded", limit: "tokens", message: `only ${maxTokens} of the task's ${limits.tokens} tokens are left, too few for a tool call` };
  }
  const reply = await generate(deps, state.messages, maxTokens, limits.wallMs - (Date.now() - state.started), signal, !options.unconstrained);
  state.tokens += reply.tokens;
  const said = { reply: reply.text, constrained: reply.constrained };
  if (reply.stop === "cancelled") return { kind: "stopped", message: "stopped by the user", ...said };
  if (reply.stop === "deadline") return { kind: "limit-exceeded", limit: "time", message: `the task ran past its ${limits.wallMs / 1000} s`, ...said };
  const parsed = parseToolCall(reply.text);
  if (!parsed.ok) return { kind: "format-error", ...said, error: parsed.error };
  const commandTimeoutMs = Math.max(1, Math.min(limits.commandMs, limits.wallMs - (Date.now() - state.started)));
  const onAllowAlways = async (rule: AllowRule) => {
    state.rules.allow.push(rule);
    await deps.onAllowAlways?.(rule);
  };
  const context = { ...deps, level: options.level, rules: state.rules, onAllowAlways, step: state.steps, signal, commandTimeoutMs, outputLimit: limits.outputBytes };
  const result = await runTool(parsed.call, context);
  if (result.kind === "finished") return { kind: "finished", ...said, summary: result.summary };
  if (signal.aborted) return { kind: "stopped", message: "stopped by the user", ...said, checkpoint: result.checkpoint };
  return { kind: "observation", ...said, text: result.text, checkpoint: result.checkpoint };
}

function checkLimits(state: TaskState, limits: Limits): StepOutcome | null {
  const exceeded = (limit: LimitName, message: string): StepOutcome => ({ kind: "limit-exceeded", limit, message });
  if (state.steps >= limits.steps) return exceeded("steps", `the task used all ${limits.steps} steps`);
  if (state.tokens >= limits.tokens) return exceeded("tokens", `the model generated ${state.tokens} tokens, the task's limit is ${limits.tokens}`);
  if (Date.now() - state.started >= limits.wallMs) return exceeded("time", `the task ran past its ${limits.wallMs / 1000} s`);
  return null;
}

/** A constrained reply ends where the tool-call grammar does; a free one at a stop string. */
async function generate(deps: AgentDeps, messages: ChatMessage[], maxTokens: number, deadlineMs: number, signal: AbortSignal, constrained: boolean) {
  let text = "";
  let stats = null;
  const ending = constrained ? { grammar: toolCallGrammar } : { stopStrings: ["<|im_end|>", "<|endoftext|>", "\nObservation:"] };
  // A copy: the history grows after the step, and a backend may still hold the request.
  const request = { messages: [...messages], maxTokens, ...ending, deadlineMs: Math.max(1, deadlineMs) };
  for await (const event of deps.model.generate(request, signal)) {
    if (event.type === "token") deps.onText?.(event.text);
    else [text, stats] = [event.text, event.stats];
  }
  if (!stats) throw new Error("the model's generate() ended without a done event");
  return { text, tokens: stats.generatedTokens, stop: stats.stopReason, constrained: stats.constrained !== undefined };
}

/** A reply as the audit log keeps it: a runaway one would bloat the log, and its start says what went wrong. */
function bounded(reply: string, max = 4000): string {
  return reply.length <= max ? reply : `${reply.slice(0, max)}… (${reply.length - max} more characters)`;
}

async function end(state: TaskState, deps: AgentDeps, outcome: Extract<StepOutcome, { kind: "finished" | "limit-exceeded" | "stopped" }>): Promise<AgentResult> {
  const message = outcome.kind === "finished" ? outcome.summary : outcome.message;
  await deps.audit({ event: "end", outcome: outcome.kind, message });
  return { ...outcome, steps: state.steps, tokens: state.tokens, messages: state.messages, checkpoints: state.checkpoints };
}
