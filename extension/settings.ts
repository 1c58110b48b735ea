// Ghost's settings, read from VS Code's configuration and parsed once by a zod schema into a typed object.
// An invalid value becomes a message that names the setting and says what it accepts.
import * as vscode from "vscode";
import { z } from "zod";

const settingsSchema = z.object({
  model: z.string().trim().default(""),
  remoteModelName: z.string().trim().default(""),
  remoteContextLength: z.number().int().min(0).default(0),
  modelVariant: z.enum(["auto", "fp32", "int8", "q4", "q4f16", "fp16"]).default("auto"),
  threads: z.number().int().min(0).default(0),
  memoryLimitMB: z.number().int().min(0).default(0),
  trace: z.boolean().default(false),
  contextBudget: z.number().int().min(64).max(32768).default(1500),
});
export type GhostSettings = z.infer<typeof settingsSchema>;

export type SettingsResult = { ok: true; settings: GhostSettings } | { ok: false; message: string };

export function readSettings(configuration = vscode.workspace.getConfiguration("ghost")): SettingsResult {
  const raw = Object.fromEntries(Object.keys(settingsSchema.shape).map((key) => [key, configuration.get(key)]));
  const parsed = settingsSchema.safeParse(raw);
  if (parsed.success) return { ok: true, settings: parsed.data };
  const issue = parsed.error.issues[0]!;
  return { ok: false, message: `Setting ghost.${issue.path.join(".")} is invalid: ${issue.message}. Fix it in Settings (search "ghost").` };
}
