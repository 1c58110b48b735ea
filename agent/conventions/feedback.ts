// Learning from the user: a flag taken up or dismissed, a suggestion accepted or rejected, adjusts the profile.
// Adjustments live in the profile's `adjustments` (kept in workspace storage by the caller), never in the
// repository; the statements are re-derived from the same tallies with them applied.
import { checkAdded } from "./checker";
import { catalog } from "./catalog";
import { extractFeatures } from "./extract";
import { ObservationRecorder } from "./features";
import type { Adjustments, Profile } from "./profile";
import { deriveStatements } from "./statements";

export type Feedback =
  /** accepted: the user fixed what the flag named; rejected: the user dismissed the flag. */
  | { kind: "flag"; ruleId: string; verdict: "accepted" | "rejected" }
  /** Code Ghost proposed for `path`: accepted code counts as the user's own style; rejecting code that broke
   *  conventions counts as agreeing with each convention it broke. */
  | { kind: "suggestion"; path: string; text: string; verdict: "accepted" | "rejected" };

export async function adjust(profile: Profile, feedback: Feedback): Promise<Profile> {
  const adjustments: Adjustments = structuredClone(profile.adjustments);
  if (feedback.kind === "flag") count(adjustments, feedback.ruleId, feedback.verdict);
  else if (feedback.verdict === "accepted") await observe(adjustments, feedback.path, feedback.text);
  else {
    const lines = new Set(feedback.text.split("\n").map((_, index) => index + 1));
    const { flags } = await checkAdded(profile, [{ path: feedback.path, text: feedback.text, added: lines, created: false, whole: false }]);
    for (const ruleId of new Set(flags.map((flag) => flag.ruleId))) count(adjustments, ruleId, "accepted");
  }
  return { ...profile, adjustments, statements: deriveStatements(profile.tallies, profile.families, profile.declared, adjustments) };
}

function count(adjustments: Adjustments, ruleId: string, verdict: "accepted" | "rejected"): void {
  const entry = (adjustments.rules[ruleId] ??= { accepted: 0, rejected: 0 });
  entry[verdict] += 1;
}

async function observe(adjustments: Adjustments, path: string, text: string): Promise<void> {
  const recorder = new ObservationRecorder();
  const family = await extractFeatures(path, text, recorder);
  if (!family) return;
  for (const { key, value } of recorder.observations) {
    if (!catalog[key] || key === "naming:file" || key.startsWith("test-")) continue;
    const observed = (adjustments.observed[`${family}/${key}`] ??= {});
    observed[value] = (observed[value] ?? 0) + 1;
  }
}
