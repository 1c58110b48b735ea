// The agent panel's page: the task box, the autonomy slider, pending approvals (a change set with per-file and per-hunk
// Accept/Reject and "Open in diff editor"; a command with its exact argv, working directory and whether the sandbox
// works, answered Run / Run with network / Always allow / Reject, or, behind a second confirming click, Run outside the
// sandbox), "no sandbox" when it does not work, Stop, Revert, and the transcript. Plain DOM; every message in is parsed
// with the protocol's schema, every message out is typed by it. Colours come from VS Code's theme variables
// (agent.css).
import { toWebviewSchema, type ToHost, type ToWebview, type TranscriptEntry } from "./protocol";

declare function acquireVsCodeApi(): { postMessage(message: unknown): void };
const vscode = acquireVsCodeApi();
const send = (message: ToHost) => vscode.postMessage(message);

type State = Extract<ToWebview, { type: "state" }>;
type Request = Extract<ToWebview, { type: "changeRequest" | "commandRequest" }>;
type CommandAnswer = Extract<ToHost, { type: "answerCommand" }>["answer"];

let state: State | null = null;
const requests = new Map<number, Request>();

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> & { className?: string } = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}
function button(label: string, onClick: () => void, props: Partial<HTMLButtonElement> = {}): HTMLButtonElement {
  const node = el("button", { type: "button", textContent: label, ...props });
  node.addEventListener("click", onClick);
  return node;
}

const app = document.getElementById("app")!;
const taskInput = el("textarea", { id: "task", rows: 3, placeholder: "Describe the task, e.g. fix the failing test" });
const startButton = button("Start", () => {
  const task = taskInput.value.trim();
  if (task) send({ type: "start", task });
});
const stopButton = button("Stop", () => send({ type: "stop" }), { className: "secondary" });
const revertButton = button("Revert task", () => send({ type: "revert" }), { className: "secondary" });
const slider = el("input", { type: "range", id: "autonomy", min: "0", max: "4", step: "1" });
const stops = el("ol", { className: "stops" });
const allows = el("p", { className: "allows", id: "autonomy-allows" });
const noSandbox = el("p", { className: "no-sandbox", id: "no-sandbox", hidden: true });
const approvals = el("section", { className: "approvals", ariaLabel: "Pending approvals" });
const transcript = el("ol", { className: "transcript", ariaLabel: "Transcript" });
slider.setAttribute("aria-describedby", "autonomy-allows");
slider.addEventListener("change", () => send({ type: "setLevel", level: Number(slider.value) }));
taskInput.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) startButton.click();
});

app.append(
  el("section", { className: "task" }, el("label", { htmlFor: "task", textContent: "Task" }), taskInput, el("div", { className: "row" }, startButton, stopButton, revertButton)),
  el("section", { className: "autonomy" }, el("label", { htmlFor: "autonomy", textContent: "Autonomy" }), slider, stops, allows, noSandbox),
  approvals,
  el("h2", { textContent: "Transcript" }),
  transcript,
);

function renderState(): void {
  if (!state) return;
  const current = state.levels.find((entry) => entry.level === state!.level);
  slider.value = String(state.level);
  slider.setAttribute("aria-valuetext", `${state.level} ${current?.label ?? ""}`);
  stops.replaceChildren(
    ...state.levels.map((entry) => el("li", { className: entry.level === state!.level ? "current" : "", title: entry.allows }, `${entry.level} ${entry.label}`)),
  );
  allows.textContent = `${current?.label ?? ""}: ${current?.allows ?? ""}${state.trusted ? "" : " (capped: this workspace is not trusted)"}`;
  const sandbox = state.sandbox;
  noSandbox.hidden = sandbox?.available !== false;
  noSandbox.textContent = sandbox?.available === false ? `⚠ no sandbox: ${sandbox.reason}. Commands run with your own permissions; autopilot asks before each one.` : "";
  startButton.disabled = state.running;
  stopButton.disabled = !state.running;
  revertButton.disabled = !state.canRevert;
  for (const node of transcript.querySelectorAll<HTMLButtonElement>("button.revert-step")) node.hidden = !state.revertableSteps.includes(Number(node.dataset.step));
}

function renderEntry(entry: TranscriptEntry): HTMLLIElement {
  const label = entry.kind === "task" ? "Task" : entry.kind === "reply" ? `Step ${entry.step}` : entry.kind === "observation" ? `Result ${entry.step}` : entry.kind === "end" ? "End" : entry.kind === "error" ? "Error" : entry.kind === "violation" ? "Violation" : "Note";
  const badge = entry.constrained ? [el("span", { className: "badge constrained", textContent: "constrained", title: "Written under the tool-call grammar: its format can not be wrong" })] : [];
  const item = el("li", { className: `entry ${entry.kind}` }, el("span", { className: "label", textContent: label }), ...badge, el("pre", { textContent: entry.text }));
  const step = entry.step;
  if (entry.kind === "observation" && step !== null) {
    // Shown while the step's change can be reverted alone (renderState keeps it current).
    const revertStep = button(`Revert step ${step}`, () => send({ type: "revert", step }), { className: "revert-step secondary", hidden: !state?.revertableSteps.includes(step) });
    revertStep.dataset.step = String(step);
    item.append(revertStep);
  }
  return item;
}

function renderRequests(): void {
  approvals.replaceChildren(...[...requests.values()].map(renderRequest));
  approvals.hidden = requests.size === 0;
}

function renderRequest(request: Request): HTMLElement {
  const box = el("article", { className: `request ${request.type}` });
  box.dataset.requestId = String(request.requestId);
  if (request.type === "commandRequest") {
    box.append(...renderCommand(request));
    return box;
  }
  box.append(el("h3", { textContent: request.proposal ? "Proposed change" : "Review this change" }), el("p", { className: "reason", textContent: request.reason }));
  for (const flag of request.flags) box.append(el("p", { className: "flag", textContent: `! ${flag}` }));
  for (const file of request.files) {
    const id = request.requestId;
    const fileBox = el("div", { className: "file" });
    fileBox.dataset.path = file.path;
    fileBox.append(
      el(
        "div",
        { className: "row file-header" },
        el("strong", { textContent: `${file.kind === "create" ? "New " : file.kind === "delete" ? "Delete " : ""}${file.path}` }),
        button("Accept file", () => send({ type: "decideFile", requestId: id, path: file.path, choice: "accept" }), { className: "accept-file", ariaLabel: `Accept all of ${file.path}` }),
        button("Reject file", () => send({ type: "decideFile", requestId: id, path: file.path, choice: "reject" }), { className: "reject-file secondary", ariaLabel: `Reject all of ${file.path}` }),
        button("Open in diff editor", () => send({ type: "openDiff", requestId: id, path: file.path }), { className: "open-diff secondary" }),
      ),
    );
    file.hunks.forEach((hunk, index) => {
      const name = `hunk ${index + 1} of ${file.hunks.length} in ${file.path}`;
      const hunkBox = el("div", { className: `hunk${hunk.choice ? ` ${hunk.choice}ed` : ""}` });
      hunkBox.dataset.hunkId = hunk.id;
      const lines = el("pre", { className: "diff" }, ...hunk.lines.map((line) => el("span", { className: line[0] === "+" ? "add" : line[0] === "-" ? "del" : "ctx", textContent: `${line}\n` })));
      hunkBox.append(
        el(
          "div",
          { className: "row" },
          el("span", { className: "hunk-header", textContent: hunk.header }),
          button("Accept", () => send({ type: "decideHunk", requestId: id, path: file.path, hunkId: hunk.id, choice: "accept" }), { className: "accept", ariaLabel: `Accept ${name}`, disabled: hunk.choice !== null }),
          button("Reject", () => send({ type: "decideHunk", requestId: id, path: file.path, hunkId: hunk.id, choice: "reject" }), { className: "reject secondary", ariaLabel: `Reject ${name}`, disabled: hunk.choice !== null }),
          hunk.choice ? el("span", { className: "decided", textContent: hunk.choice === "accept" ? "accepted" : "rejected" }) : "",
        ),
        lines,
      );
      fileBox.append(hunkBox);
    });
    box.append(fileBox);
  }
  return box;
}

/** A command: exactly what runs and where, whether the sandbox contains it, and how it may run. Running it outside
 *  the sandbox is apart from the other answers and takes a second, confirming click. */
function renderCommand(request: Extract<Request, { type: "commandRequest" }>): HTMLElement[] {
  const answer = (value: CommandAnswer) => send({ type: "answerCommand", requestId: request.requestId, answer: value });
  const sandboxed = request.sandbox.available;
  const sandboxText = request.sandbox.available ? "works: no network, writes only to the workspace (protected paths excepted)" : `no sandbox: ${request.sandbox.reason}`;
  const runs = sandboxed
    ? [
        button("Run", () => answer("approve"), { className: "approve", title: "Run it in the sandbox, without network" }),
        button("Run with network", () => answer("network"), { className: "network secondary", title: "Run it in the sandbox, with network" }),
      ]
    : [button("Run (no sandbox)", () => answer("approve"), { className: "approve", title: "Run it with your own permissions: there is no sandbox here" })];
  // Without a sandbox an allow rule would mean running on the host unasked: never offered.
  const always = request.canAlways && sandboxed
    ? [button("Always allow in this project", () => answer("always"), { className: "always secondary", title: "Run it now, and this exact command from now on without asking (in the sandbox where there is one); Ghost: Manage Allowed Commands removes it" })]
    : [];
  const parts: HTMLElement[] = [
    el("h3", { textContent: "Run this command?" }),
    el("p", { className: "reason", textContent: request.reason }),
    el("div", { className: "field" }, el("span", { textContent: "argv" }), el("code", { className: "argv", textContent: JSON.stringify(request.argv) })),
    el("div", { className: "field" }, el("span", { textContent: "in" }), el("code", { className: "cwd", textContent: request.cwd })),
    el("div", { className: "field" }, el("span", { textContent: "sandbox" }), el("span", { className: `sandbox ${sandboxed ? "on" : "off"}`, textContent: sandboxText })),
    el("div", { className: "row" }, ...runs, ...always, button("Reject", () => answer("reject"), { className: "reject secondary" })),
  ];
  if (!sandboxed) return parts;
  const confirm = el(
    "div",
    { className: "confirm-unsandboxed", hidden: true },
    el("p", { className: "warning", textContent: "⚠ Outside the sandbox this command runs with your own permissions: it can read your files and keys, write anywhere you can, and use the network." }),
    el("div", { className: "row" }, button("Yes, run it outside the sandbox", () => answer("unsandboxed"), { className: "unsandboxed danger" }), button("Cancel", () => (confirm.hidden = true), { className: "secondary" })),
  );
  const outside = el("div", { className: "outside" }, button("Run outside the sandbox…", () => (confirm.hidden = false), { className: "ask-unsandboxed secondary" }), confirm);
  return [...parts, outside];
}

window.addEventListener("message", (event: MessageEvent) => {
  const parsed = toWebviewSchema.safeParse(event.data);
  if (!parsed.success) return console.warn(`Ghost agent panel: dropped an invalid message: ${parsed.error.message}`);
  const message = parsed.data;
  switch (message.type) {
    case "state":
      state = message;
      return renderState();
    case "transcript":
      return transcript.replaceChildren(...message.entries.map(renderEntry));
    case "entry": {
      const { type: _type, ...entry } = message;
      transcript.append(renderEntry(entry));
      transcript.lastElementChild?.scrollIntoView({ block: "nearest" });
      return;
    }
    case "changeRequest":
    case "commandRequest":
      requests.set(message.requestId, message);
      return renderRequests();
    case "requestDone":
      requests.delete(message.requestId);
      return renderRequests();
  }
});

renderRequests();
send({ type: "ready" });
