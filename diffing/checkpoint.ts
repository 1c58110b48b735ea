// Checkpoints: before Ghost (or a command Ghost ran) changes files, what each path held and what it gets, so that
// revert can undo the change later. Kept in memory, and also in a folder when one is given: content-addressed blobs
// named by their sha256 under objects/, plus an append-only index (index.jsonl, one zod-checked entry a line), so
// two stores open on one folder (two windows, the CLI beside the editor) never drop each other's entries: each
// appends its own line with one O_APPEND write, and a later line with the same id supersedes an earlier one.
// Knows nothing about diffs, nor about the workspace.
import { createHash, randomBytes } from "node:crypto";
import { mkdir, open } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { atomicWrite, readCurrent } from "./fs-write";

/** One path of a checkpoint. null bytes: the side did not exist (before: it was created; after: it was deleted),
 *  or it was a symlink, whose target is then in `links`. */
export interface FileSnapshot {
  path: string;
  before: Uint8Array | null;
  after: Uint8Array | null;
  /** A side that was a symbolic link: its target, verbatim. Such a path is restored whole, never merged. */
  links?: { before?: string; after?: string };
  /** Permission bits (0o7777) of a side that was a file, where known. */
  modes?: { before?: number; after?: number };
  /** "uid:gid" of the file before the step, where known: a revert running as root re-creates it with that owner. */
  owner?: string;
  /** Why revert must leave this path alone and say so (e.g. the user changed the lines a command changed while it
   *  ran, so whose line is whose is not known). */
  hold?: string;
}

/** A change the checkpoint could not record (over the size budget, not a file or link), for revert to report. */
export interface Unrecorded {
  path: string;
  reason: string;
}

export interface Checkpoint {
  id: string;
  label: string;
  createdAt: string;
  files: FileSnapshot[];
  unrecorded: Unrecorded[];
}

const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/);
const sides = <T extends z.ZodType>(side: T) => z.object({ before: side.optional(), after: side.optional() }).optional();
const entrySchema = z.object({
  id: z.string().min(1),
  label: z.string(),
  createdAt: z.string(),
  files: z.array(
    z.object({
      path: z.string(),
      before: sha256Schema.nullable(),
      after: sha256Schema.nullable(),
      links: sides(z.string()),
      modes: sides(z.number().int().min(0).max(0o7777)),
      owner: z.string().regex(/^\d+:\d+$/).optional(),
      hold: z.string().optional(),
    }),
  ),
  unrecorded: z.array(z.object({ path: z.string(), reason: z.string() })).optional(),
});
/** The index before it was append-only: read, never written. */
const legacyIndexSchema = z.object({ version: z.literal(1), checkpoints: z.array(entrySchema) });
type Entry = z.infer<typeof entrySchema>;

export class CheckpointStore {
  private readonly blobs = new Map<string, Uint8Array>();

  private constructor(
    /** null: in memory only. */
    private readonly dir: string | null,
    private entries: Entry[],
  ) {}

  static inMemory(): CheckpointStore {
    return new CheckpointStore(null, []);
  }

  /** The store in `dir`, created if missing. A damaged index is an error that names the file, never an empty store. */
  static async open(dir: string): Promise<CheckpointStore> {
    await mkdir(join(dir, "objects"), { recursive: true });
    const store = new CheckpointStore(dir, []);
    await store.refresh();
    return store;
  }

  /** Rereads the index: entries other stores on the same folder appended since show up. */
  async refresh(): Promise<void> {
    if (this.dir === null) return;
    this.entries = [...(await readLegacyIndex(join(this.dir, "index.json"))), ...(await readIndex(join(this.dir, "index.jsonl")))];
  }

  /** Stores the files' bytes, then the index entry: once this resolves, the checkpoint survives a crash. */
  async record(label: string, files: readonly FileSnapshot[], unrecorded: readonly Unrecorded[] = []): Promise<Checkpoint> {
    const id = `${Date.now().toString(36)}-${randomBytes(4).toString("hex")}`;
    return this.append({ id, label, createdAt: new Date().toISOString(), files: [], unrecorded: [...unrecorded] }, files);
  }

  /** Replaces what checkpoint `id` holds (a write that was not made after all is taken out of it). */
  async amend(id: string, files: readonly FileSnapshot[]): Promise<Checkpoint> {
    const entry = this.entries.find((candidate) => candidate.id === id);
    if (!entry) throw new Error(`no checkpoint ${id} to amend`);
    return this.append({ ...entry, files: [] }, files);
  }

  /** Newest last. */
  list(): { id: string; label: string; createdAt: string; paths: string[] }[] {
    return this.entries.map(({ id, label, createdAt, files }) => ({ id, label, createdAt, paths: files.map((file) => file.path) }));
  }

  async get(id: string): Promise<Checkpoint | null> {
    if (!this.entries.some((candidate) => candidate.id === id)) await this.refresh();
    const entry = this.entries.find((candidate) => candidate.id === id);
    if (!entry) return null;
    const files: FileSnapshot[] = [];
    for (const file of entry.files) {
      files.push({ ...file, before: await this.load(file.before), after: await this.load(file.after) });
    }
    return { id: entry.id, label: entry.label, createdAt: entry.createdAt, files, unrecorded: entry.unrecorded ?? [] };
  }

  private async append(entry: Entry, files: readonly FileSnapshot[]): Promise<Checkpoint> {
    for (const file of files) {
      const { path, links, modes, owner, hold } = file;
      const optional = { ...(links && { links }), ...(modes && { modes }), ...(owner && { owner }), ...(hold && { hold }) };
      entry.files.push({ path, before: await this.put(file.before), after: await this.put(file.after), ...optional });
    }
    if (this.dir !== null) await appendLine(join(this.dir, "index.jsonl"), `${JSON.stringify(entry)}\n`);
    const at = this.entries.findIndex((candidate) => candidate.id === entry.id);
    if (at >= 0) this.entries[at] = entry;
    else this.entries.push(entry);
    const copy = files.map((file) => ({ ...file }));
    return { id: entry.id, label: entry.label, createdAt: entry.createdAt, files: copy, unrecorded: entry.unrecorded ?? [] };
  }

  private async put(bytes: Uint8Array | null): Promise<string | null> {
    if (bytes === null) return null;
    const hash = sha256(bytes);
    if (this.blobs.has(hash)) return hash;
    this.blobs.set(hash, Uint8Array.from(bytes)); // a copy: the caller's buffer may change later
    if (this.dir !== null && (await readCurrent(this.blobPath(hash))) === null) await atomicWrite(this.blobPath(hash), bytes);
    return hash;
  }

  private async load(hash: string | null): Promise<Uint8Array | null> {
    if (hash === null) return null;
    const cached = this.blobs.get(hash);
    if (cached) return Uint8Array.from(cached);
    const path = this.dir === null ? null : this.blobPath(hash);
    const bytes = path === null ? null : await readCurrent(path);
    if (bytes === null) throw new Error(`checkpoint blob ${path ?? hash} is missing; the checkpoint can not be restored`);
    if (sha256(bytes) !== hash) throw new Error(`checkpoint blob ${path} is damaged (its sha256 does not match its name)`);
    this.blobs.set(hash, bytes);
    return Uint8Array.from(bytes);
  }

  private blobPath(hash: string): string {
    return join(this.dir!, "objects", hash);
  }
}

/** One write() with O_APPEND, then fsync: appends from two processes land whole, one after the other. */
async function appendLine(file: string, line: string): Promise<void> {
  const handle = await open(file, "a");
  try {
    await handle.write(Buffer.from(line, "utf8"));
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Entries in file order, a later line with an id superseding the earlier one in place. A last line without its
 *  newline is a write that never finished (record() had not resolved): skipped. Any other bad line is an error. */
async function readIndex(file: string): Promise<Entry[]> {
  const bytes = await readCurrent(file);
  if (bytes === null) return [];
  const lines = Buffer.from(bytes).toString("utf8").split("\n");
  lines.pop(); // "" after the final newline, or the unfinished last line
  const byId = new Map<string, Entry>();
  for (const [index, line] of lines.entries()) {
    const entry = entrySchema.safeParse(parseJson(line, `${file}:${index + 1}`));
    if (!entry.success) throw new Error(`${file}:${index + 1} is not a Ghost checkpoint entry: ${z.prettifyError(entry.error)}`);
    byId.set(entry.data.id, entry.data);
  }
  return [...byId.values()];
}

async function readLegacyIndex(file: string): Promise<Entry[]> {
  const bytes = await readCurrent(file);
  if (bytes === null) return [];
  const parsed = legacyIndexSchema.safeParse(parseJson(Buffer.from(bytes).toString("utf8"), file));
  if (!parsed.success) throw new Error(`${file} is not a Ghost checkpoint index: ${z.prettifyError(parsed.error)}`);
  return parsed.data.checkpoints;
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${where} is not valid JSON (${(error as Error).message}); Ghost will not guess its checkpoints`);
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
