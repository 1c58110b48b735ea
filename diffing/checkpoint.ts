// Checkpoints: before Ghost writes files, the bytes each file had and the bytes it gets, so that revert.ts can undo
// the write later. Kept in memory, and also in a folder when one is given: content-addressed blobs named by their
// sha256 under objects/, plus an index.json checked with zod. Knows nothing about diffs, nor about the workspace.
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { atomicWrite, readCurrent } from "./fs-apply";

/** One file of a checkpoint; null bytes: the file did not exist (before: Ghost created it; after: Ghost deleted it). */
export interface FileSnapshot {
  path: string;
  before: Uint8Array | null;
  after: Uint8Array | null;
}

export interface Checkpoint {
  id: string;
  label: string;
  createdAt: string;
  files: FileSnapshot[];
}

const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/);
const entrySchema = z.object({
  id: z.string().min(1),
  label: z.string(),
  createdAt: z.string(),
  files: z.array(z.object({ path: z.string(), before: sha256Schema.nullable(), after: sha256Schema.nullable() })),
});
const indexSchema = z.object({ version: z.literal(1), checkpoints: z.array(entrySchema) });
type Entry = z.infer<typeof entrySchema>;

export class CheckpointStore {
  private readonly blobs = new Map<string, Uint8Array>();

  private constructor(
    /** null: in memory only. */
    private readonly dir: string | null,
    private readonly entries: Entry[],
  ) {}

  static inMemory(): CheckpointStore {
    return new CheckpointStore(null, []);
  }

  /** The store in `dir`, created if missing. A damaged index is an error that names the file, never an empty store. */
  static async open(dir: string): Promise<CheckpointStore> {
    await mkdir(join(dir, "objects"), { recursive: true });
    const indexFile = join(dir, "index.json");
    const bytes = await readCurrent(indexFile);
    if (bytes === null) return new CheckpointStore(dir, []);
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(bytes).toString("utf8"));
    } catch (error) {
      throw new Error(`${indexFile} is not valid JSON (${(error as Error).message}); Ghost will not guess its checkpoints`);
    }
    const parsed = indexSchema.safeParse(json);
    if (!parsed.success) throw new Error(`${indexFile} is not a Ghost checkpoint index: ${z.prettifyError(parsed.error)}`);
    return new CheckpointStore(dir, parsed.data.checkpoints);
  }

  /** Stores the files' bytes, then the index entry: once this resolves, the checkpoint survives a crash. */
  async record(label: string, files: readonly FileSnapshot[]): Promise<Checkpoint> {
    const entry: Entry = {
      id: `${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`,
      label,
      createdAt: new Date().toISOString(),
      files: [],
    };
    for (const file of files) {
      entry.files.push({ path: file.path, before: await this.put(file.before), after: await this.put(file.after) });
    }
    this.entries.push(entry);
    if (this.dir !== null) {
      const index = { version: 1, checkpoints: this.entries };
      await atomicWrite(join(this.dir, "index.json"), new TextEncoder().encode(`${JSON.stringify(index, null, 1)}\n`));
    }
    return { id: entry.id, label, createdAt: entry.createdAt, files: files.map((file) => ({ ...file })) };
  }

  /** Newest last. */
  list(): { id: string; label: string; createdAt: string; paths: string[] }[] {
    return this.entries.map(({ id, label, createdAt, files }) => ({ id, label, createdAt, paths: files.map((file) => file.path) }));
  }

  async get(id: string): Promise<Checkpoint | null> {
    const entry = this.entries.find((candidate) => candidate.id === id);
    if (!entry) return null;
    const files: FileSnapshot[] = [];
    for (const file of entry.files) {
      files.push({ path: file.path, before: await this.load(file.before), after: await this.load(file.after) });
    }
    return { id: entry.id, label: entry.label, createdAt: entry.createdAt, files };
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

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
