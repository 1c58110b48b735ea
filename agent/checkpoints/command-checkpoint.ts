// The checkpoint of one command: the workspace before it (a shadow git snapshot, the exact modes of its files, and
// a scan of the files git ignores) and after it; what differs becomes one checkpoint of the command's own changes (the user's edits and
// saves reported meanwhile taken out, user-edits.ts), with what could not be recorded listed in it. Knows nothing
// about how the command runs.
import type { CheckpointStore, FileSnapshot, Unrecorded } from "../../diffing/checkpoint";
import { modeOnlyChanges, scanModes, withRealModes, type Modes } from "./file-modes";
import { ignoredBudget, ignoredChanges, scanIgnored, type IgnoredScan } from "./ignored-files";
import type { ShadowGit } from "./shadow-git";
import { withoutUser, type UserEdits } from "./user-edits";

export interface Recorded {
  /** null: the command changed nothing. */
  checkpoint: string | null;
  /** The paths the command changed (the user's own changes are not in it). */
  changed: string[];
  /** Changes the checkpoint does not hold, so revert can not undo them, with why. */
  unrecorded: Unrecorded[];
}

/** Per shadow repository (one per open workspace): the ignored files as the last command left them, with the bytes
 *  known, so the next command reads only what changed since. */
const lastScans = new WeakMap<ShadowGit, IgnoredScan>();

export class CommandCheckpoint {
  private constructor(
    private readonly shadow: ShadowGit,
    private readonly root: string,
    private readonly userEdits: UserEdits,
    private readonly tree: string,
    private readonly modes: Modes,
    private readonly ignored: IgnoredScan,
  ) {}

  /** User reports count from before the snapshot: a save that lands while it is taken is still the user's. */
  static async begin(shadow: ShadowGit, root: string, userEdits: UserEdits): Promise<CommandCheckpoint> {
    userEdits.begin(root);
    try {
      const tree = await shadow.snapshot();
      const modes = await scanModes(root, await shadow.tracked());
      const ignored = await scanIgnored(root, await shadow.ignored(), ignoredBudget, lastScans.get(shadow));
      return new CommandCheckpoint(shadow, root, userEdits, tree, modes, ignored);
    } catch (error) {
      await userEdits.end();
      throw error;
    }
  }

  /** The command did not run: nothing to record. */
  async cancel(): Promise<void> {
    await this.userEdits.end();
  }

  async end(store: CheckpointStore, label: string): Promise<Recorded> {
    const tracked = await this.shadow.changes(this.tree, await this.shadow.snapshot());
    const modes = await scanModes(this.root, await this.shadow.tracked());
    const changed = new Set(tracked.files.map((file) => file.path));
    tracked.files = [...tracked.files.map((file) => withRealModes(file, this.modes, modes)), ...(await modeOnlyChanges(this.root, this.modes, modes, changed))];
    const after = await scanIgnored(this.root, await this.shadow.ignored(), 0);
    const ignored = await ignoredChanges(this.root, this.ignored, after);
    lastScans.set(this.shadow, after);
    const marks = await this.userEdits.end(); // after the snapshots: a save made until they were taken is the user's
    const files = merge([...tracked.files, ...ignored.files]).flatMap((file) => {
      const mark = marks.get(file.path);
      const own = mark === undefined ? file : withoutUser(file, mark);
      return own === null ? [] : [own];
    });
    const unrecorded = [...tracked.unrecorded, ...ignored.unrecorded];
    const checkpoint = files.length + unrecorded.length === 0 ? null : await store.record(label, files, unrecorded);
    return { checkpoint: checkpoint?.id ?? null, changed: files.map((file) => file.path), unrecorded };
  }
}

/** One entry per path: a command that edits .gitignore moves a path between the snapshot and the ignored scan,
 *  which then each see one side of it (tracked before, ignored after, or the reverse). */
function merge(files: readonly FileSnapshot[]): FileSnapshot[] {
  const byPath = new Map<string, FileSnapshot>();
  for (const file of files) {
    const other = byPath.get(file.path);
    byPath.set(file.path, other === undefined ? file : join(other, file));
  }
  return [...byPath.values()];
}

function join(a: FileSnapshot, b: FileSnapshot): FileSnapshot {
  const present = (file: FileSnapshot, side: "before" | "after") => file[side] !== null || file.links?.[side] !== undefined;
  const before = present(a, "before") ? a : b;
  const after = present(a, "after") ? a : b;
  const joined: FileSnapshot = { path: a.path, before: before.before, after: after.after };
  const links = { before: before.links?.before, after: after.links?.after };
  if (links.before !== undefined || links.after !== undefined) joined.links = links; // a link is restored whole
  joined.modes = { before: before.modes?.before, after: after.modes?.after };
  if (before.owner !== undefined) joined.owner = before.owner;
  return joined;
}
