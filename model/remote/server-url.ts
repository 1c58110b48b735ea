// Whether a model setting (ghost.model, --model, $GHOST_MODEL) names a model server rather than a folder or hub id:
// an http(s) URL. One rule for the extension and the CLI.
export function isServerUrl(setting: string): boolean {
  return /^https?:\/\//i.test(setting.trim());
}
