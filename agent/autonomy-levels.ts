// The autonomy slider's five stops: what each lets Ghost do without asking. Data only; the policy that applies
// them to actions is a separate pure function.

export const autonomyLevels = [
  { level: 0, name: "off", label: "Off", allows: "Ghost does nothing: no completions, no edits, no commands." },
  { level: 1, name: "suggest", label: "Suggest", allows: "Completions; edits are proposals only, nothing is written until you accept; no commands." },
  { level: 2, name: "review", label: "Review", allows: "Completions; every change is reviewed before it is written; each command is asked, with its exact argv." },
  { level: 3, name: "auto-edit", label: "Auto-edit", allows: "Edits applied at once, checkpointed and reviewable afterwards; commands asked unless an exact rule allows them." },
  { level: 4, name: "autopilot", label: "Autopilot", allows: "Edits applied at once; commands run without asking inside a sandbox (no network, writes only in the workspace)." },
] as const;

export type AutonomyLevel = (typeof autonomyLevels)[number]["level"];
export const defaultAutonomyLevel: AutonomyLevel = 2;

/** A level from its number (0-4) or its name ("review"); null when it is neither. */
export function parseAutonomyLevel(value: string): AutonomyLevel | null {
  const found = autonomyLevels.find((entry) => String(entry.level) === value.trim() || entry.name === value.trim().toLowerCase());
  return found ? found.level : null;
}
