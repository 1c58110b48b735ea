// The miner: the workspace's source files → per-file feature tallies (kept, and cached by mtime and size) → the
// profile, with the repository's written rules and declared formatter settings. refresh() re-reads only files whose
// stamp changed; update() takes one changed file's text. Knows the workspace through a WorkspaceReader.
import { posix } from "node:path";
import { aggregate } from "./aggregate";
import { loadCache, saveCache, type CachedFile } from "./cache";
import { readDeclared } from "./declared";
import { extractFeatures, familyOf } from "./extract";
import { TallyRecorder, type FileFeatures } from "./features";
import { emptyAdjustments, type Adjustments, type Profile } from "./profile";
import { readRules } from "./rule-files";
import { deriveStatements } from "./statements";
import { fileSystemReader, type FileStamp, type WorkspaceReader } from "./workspace-reader";

/** Bigger files, and minified ones (lines averaging over 200 characters), say little about how people write code. */
export const maxMinedBytes = 512 * 1024;
const batch = 50;

/** How a file's text becomes its tallies: featuresOf on this thread, or a FeatureThread's parse off it. */
export type ParseFeatures = (path: string, text: string) => Promise<FileFeatures | null>;

export interface MinerOptions {
  cachePath?: string;
  reader?: WorkspaceReader;
  parse?: ParseFeatures;
}

export interface RefreshStats {
  read: number;
  reused: number;
  removed: number;
}

export class ConventionMiner {
  private readonly files = new Map<string, CachedFile>();
  adjustments: Adjustments = emptyAdjustments();

  constructor(
    private readonly reader: WorkspaceReader,
    private readonly cachePath: string | null = null,
    private readonly parse: ParseFeatures = featuresOf,
  ) {}

  /** A miner over a folder, with its cache loaded (a missing or corrupt cache starts empty). */
  static async open(root: string, options: MinerOptions = {}): Promise<ConventionMiner> {
    const miner = new ConventionMiner(options.reader ?? fileSystemReader(root), options.cachePath ?? null, options.parse);
    if (options.cachePath) {
      const cache = await loadCache(options.cachePath);
      for (const [path, entry] of cache.files) miner.files.set(path, entry);
      miner.adjustments = cache.adjustments;
    }
    return miner;
  }

  get fileCount(): number {
    return this.files.size;
  }

  /** Brings every file up to date: unchanged stamps reuse their tallies, deleted files are dropped. */
  async refresh(signal?: AbortSignal): Promise<RefreshStats> {
    const paths = await this.reader.sourceFiles();
    const present = new Set(paths);
    const stats: RefreshStats = { read: 0, reused: 0, removed: 0 };
    for (const path of [...this.files.keys()]) {
      if (present.has(path)) continue;
      this.files.delete(path);
      stats.removed++;
    }
    for (let start = 0; start < paths.length && !signal?.aborted; start += batch) {
      await this.refreshBatch(paths.slice(start, start + batch), stats);
      await new Promise((resolve) => setImmediate(resolve)); // let the editor breathe between batches
    }
    if (this.cachePath) await this.save();
    return stats;
  }

  /** Stats a batch together, reads the changed files together, then parses them (one by one on this thread; queued
   *  together to a parsing thread, which takes them in order). */
  private async refreshBatch(paths: string[], stats: RefreshStats): Promise<void> {
    const stamps = await Promise.all(paths.map((path) => this.reader.stat(path)));
    const changed: { path: string; stamp: FileStamp }[] = [];
    paths.forEach((path, index) => {
      const [stamp, cached] = [stamps[index], this.files.get(path)];
      if (!stamp) return;
      if (cached && cached.stamp.mtimeMs === stamp.mtimeMs && cached.stamp.size === stamp.size) stats.reused++;
      else changed.push({ path, stamp });
    });
    const texts = await Promise.all(changed.map(({ path }) => this.reader.read(path)));
    const parsed = await Promise.all(changed.map(({ path }, index) => (typeof texts[index] === "string" ? this.parse(path, texts[index]) : undefined)));
    for (const [index, { path, stamp }] of changed.entries()) {
      const features = parsed[index];
      if (features === undefined) continue;
      this.files.set(path, { stamp, features });
      stats.read++;
    }
  }

  /** One file changed (an editor save, a file watcher): its tallies are replaced, nothing else is read. */
  async update(path: string, text: string, stamp: FileStamp = { mtimeMs: Date.now(), size: Buffer.byteLength(text) }): Promise<void> {
    this.files.set(path, { stamp, features: await this.parse(path, text) });
  }

  remove(path: string): void {
    this.files.delete(path);
  }

  /** The profile of the mined files; `without` leaves one file's tallies out (nothing is parsed again), as if the
   *  file were not there: the precision benchmark checks each file against the rest of its repository. */
  async profile(options: { without?: string } = {}): Promise<Profile> {
    const features = new Map<string, FileFeatures>();
    for (const [path, entry] of this.files) if (entry.features && path !== options.without) features.set(path, entry.features);
    const { tallies, families } = aggregate(features);
    const [rules, declared, goModule] = await Promise.all([readRules(this.reader), readDeclared(this.reader), this.reader.read("go.mod")]);
    const localModules = [...localModuleNames([...features.keys()])];
    const goPath = goModule && /^module\s+(\S+)/m.exec(goModule)?.[1];
    if (goPath) localModules.push(goPath);
    return {
      version: 1,
      files: features.size,
      families,
      statements: deriveStatements(tallies, families, declared, this.adjustments),
      rules,
      declared: declared.filter((setting) => families[setting.family] !== undefined),
      tallies,
      localModules: localModules.sort(),
      adjustments: this.adjustments,
    };
  }

  async save(): Promise<void> {
    if (this.cachePath) await saveCache(this.cachePath, { files: this.files, adjustments: this.adjustments });
  }
}

/** One file's tallies; null for a file the miner skips (too big, minified, a declaration file). */
export async function featuresOf(path: string, text: string): Promise<FileFeatures | null> {
  const lines = text.split("\n").length;
  if (text.length > maxMinedBytes || text.length / lines > 200) return null;
  const recorder = new TallyRecorder();
  const family = await extractFeatures(path, text, recorder);
  return family ? { family, tallies: recorder.tallies } : null;
}

/** Mines a folder once: refresh (through the cache when given) and build the profile. */
export async function mineWorkspace(root: string, options: MinerOptions = {}): Promise<Profile> {
  const miner = await ConventionMiner.open(root, options);
  await miner.refresh();
  return miner.profile();
}

/** Python and Java modules that are the repository's own: every dotted run of a source path's folders and stem
 *  (src/pkg/engine.py → src.pkg.engine, pkg.engine, engine, src.pkg, pkg, src). */
function localModuleNames(paths: string[]): Set<string> {
  const names = new Set<string>();
  for (const path of paths) {
    const family = familyOf(path);
    if (family !== "python" && family !== "java") continue;
    const segments = path.slice(0, -posix.extname(path).length).split("/");
    for (let end = 1; end <= segments.length; end++) for (let start = 0; start < end; start++) names.add(segments.slice(start, end).join("."));
  }
  return names;
}
