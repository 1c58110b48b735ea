// A fake Hugging Face hub for tests: a real node:http server on 127.0.0.1 that serves model folders at the hub's
// URL shapes (tree API, resolve URLs, LFS redirects to a CDN path, Range, X-Repo-Commit), and misbehaves on
// request: cut a transfer, corrupt a file, ignore Range, answer 401/403/404. It also writes small fake models.
// It knows nothing of Ghost's store; tests drive the store against it.
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join, relative, resolve, sep } from "node:path";

/** The model the project ships for tests, served as `ghost/tiny-coder` when it exists. */
// Tests run from the repository root (scripts/test.mjs).
export const TINY_CODER_FIXTURE = resolve("test/fixtures/models/tiny-coder");
export const FAKE_COMMIT = "0123456789abcdef0123456789abcdef01234567";

export interface FakeHubOptions {
  /** repo id → folder served as its `main` revision (and as FAKE_COMMIT). Defaults to the tiny-coder fixture. */
  repos?: Record<string, string>;
  /** Entries per page of the tree API; the hub pages with `Link: <…>; rel="next"`. */
  treePageSize?: number;
}

/** Misbehaviour, settable while the server runs. */
export interface Faults {
  /** Close the connection after `bytes` bytes of the body of `path`, `times` times (default 1). */
  cutAfter?: { path: string; bytes: number; times?: number };
  /** Send `bytes` bytes of the body of `path`, then nothing more, keeping the connection open. */
  stallAfter?: { path: string; bytes: number };
  /** Serve `path` with one byte flipped (same size, wrong hash). */
  corrupt?: string;
  /** Answer every Range request with 200 and the whole file, as some proxies do. */
  ignoreRange?: boolean;
  /** Answer every request with this status, as the hub does for gated, private or missing repos. */
  status?: 401 | 403 | 404;
}

export interface LoggedRequest {
  method: string;
  /** Path and query as sent, e.g. `/ghost/tiny/resolve/main/config.json` or `/cdn/<sha256>`. */
  path: string;
  range?: string;
}

export interface FakeHub {
  url: string;
  log: LoggedRequest[];
  faults: Faults;
  close(): Promise<void>;
}

interface ServedFile {
  path: string;
  content: Buffer;
  sha256: string;
  gitSha1: string;
  lfs: boolean;
}

// The hub stores weights in LFS; json files are plain git blobs.
const LFS = /\.onnx(_data(_\d+)?|\.data)?$/;

export async function startFakeHub({ repos = fixtureRepos(), treePageSize = 1000 }: FakeHubOptions = {}): Promise<FakeHub> {
  const served = new Map(Object.entries(repos).map(([repo, dir]) => [repo, readFolder(dir)]));
  const byOid = new Map([...served.values()].flat().map((file) => [file.sha256, file]));
  const log: LoggedRequest[] = [];
  const faults: Faults = {};
  const server = createServer((req, res) => {
    log.push({ method: req.method ?? "GET", path: req.url ?? "/", ...(req.headers.range ? { range: req.headers.range } : {}) });
    route(req, res, { served, byOid, faults, treePageSize });
  });
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    faults,
    close: () => new Promise((closed) => {
      server.closeAllConnections();
      server.close(() => closed());
    }),
  };
}

function fixtureRepos(): Record<string, string> {
  return existsSync(TINY_CODER_FIXTURE) ? { "ghost/tiny-coder": TINY_CODER_FIXTURE } : {};
}

function readFolder(dir: string): ServedFile[] {
  const paths = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join("/"))
    .sort();
  return paths.map((path) => {
    const content = readFileSync(join(dir, path));
    return { path, content, sha256: sha256(content), gitSha1: gitBlobSha1(content), lfs: LFS.test(path) };
  });
}

interface State {
  served: Map<string, ServedFile[]>;
  byOid: Map<string, ServedFile>;
  faults: Faults;
  treePageSize: number;
}

function route(req: IncomingMessage, res: ServerResponse, state: State): void {
  const url = new URL(req.url ?? "/", "http://fake-hub");
  const parts = url.pathname.split("/").slice(1).map(decodeURIComponent);
  if (state.faults.status !== undefined) return answerError(res, state.faults.status, "GatedRepo");
  if (parts[0] === "cdn") return serveCdn(req, res, state, parts[1] ?? "");
  const api = parts[0] === "api" && parts[1] === "models";
  const [owner, name, action, revision, ...rest] = api ? parts.slice(2) : parts;
  const files = state.served.get(`${owner}/${name}`);
  if (files === undefined) return answerError(res, 404, "RepoNotFound");
  if (revision !== "main" && revision !== FAKE_COMMIT) return answerError(res, 404, "RevisionNotFound");
  if (api && action === "tree") return serveTree(res, url, files, state.treePageSize);
  if (!api && action === "resolve") return serveResolve(req, res, state, files, rest.join("/"));
  answerError(res, 404, "EntryNotFound");
}

function serveTree(res: ServerResponse, url: URL, files: ServedFile[], pageSize: number): void {
  const entries = [...directoriesOf(files), ...files.map(treeEntry)].sort((a, b) => a.path.localeCompare(b.path));
  const cursor = Number(url.searchParams.get("cursor") ?? 0);
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (cursor + pageSize < entries.length) {
    const next = new URL(url.pathname, `http://${res.req.headers.host}`);
    next.search = `recursive=true&cursor=${cursor + pageSize}`;
    headers.link = `<${next.href}>; rel="next"`;
  }
  res.writeHead(200, headers).end(JSON.stringify(entries.slice(cursor, cursor + pageSize)));
}

function treeEntry(file: ServedFile) {
  if (!file.lfs) return { type: "file", oid: file.gitSha1, size: file.content.length, path: file.path };
  // An LFS file's git oid is the hash of its pointer file; the content's sha256 is `lfs.oid`.
  const pointer = `version https://git-lfs.github.com/spec/v1\noid sha256:${file.sha256}\nsize ${file.content.length}\n`;
  const lfs = { oid: file.sha256, size: file.content.length, pointerSize: pointer.length };
  return { type: "file", oid: gitBlobSha1(Buffer.from(pointer)), size: file.content.length, lfs, path: file.path };
}

function directoriesOf(files: ServedFile[]) {
  const dirs = new Set(files.flatMap((file) => (file.path.includes("/") ? [dirname(file.path)] : [])));
  return [...dirs].map((path) => ({ type: "directory", oid: gitBlobSha1(Buffer.from(path)), size: 0, path }));
}

/** Like the hub: LFS files redirect to the CDN, and the redirect (not the CDN) carries X-Repo-Commit. */
function serveResolve(req: IncomingMessage, res: ServerResponse, state: State, files: ServedFile[], path: string): void {
  const file = files.find((candidate) => candidate.path === path);
  if (file === undefined) return answerError(res, 404, "EntryNotFound");
  if (file.lfs) {
    res.writeHead(302, { location: `/cdn/${file.sha256}`, "x-repo-commit": FAKE_COMMIT, "x-linked-size": file.content.length, etag: `"${file.sha256}"` }).end();
    return;
  }
  serveContent(req, res, state.faults, file, { "x-repo-commit": FAKE_COMMIT, etag: `"${file.gitSha1}"` });
}

function serveCdn(req: IncomingMessage, res: ServerResponse, state: State, oid: string): void {
  const file = state.byOid.get(oid);
  if (file === undefined) return answerError(res, 404, "EntryNotFound");
  serveContent(req, res, state.faults, file, { etag: `"${file.sha256}"` });
}

function serveContent(req: IncomingMessage, res: ServerResponse, faults: Faults, file: ServedFile, headers: Record<string, string>): void {
  const content = faults.corrupt === file.path ? flipMiddleByte(file.content) : file.content;
  const range = faults.ignoreRange ? undefined : /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? "");
  const start = range ? Number(range[1]) : 0;
  const end = range?.[2] ? Number(range[2]) + 1 : content.length;
  if (range && start >= content.length) {
    res.writeHead(416, { "content-range": `bytes */${content.length}` }).end();
    return;
  }
  const body = content.subarray(start, end);
  const status = range ? 206 : 200;
  const rangeHeader = range ? { "content-range": `bytes ${start}-${end - 1}/${content.length}` } : {};
  res.writeHead(status, { ...headers, ...rangeHeader, "accept-ranges": "bytes", "content-length": body.length });
  if (faults.stallAfter?.path === file.path) {
    res.write(body.subarray(0, faults.stallAfter.bytes));
    return;
  }
  const cut = faults.cutAfter;
  if (cut?.path === file.path && (cut.times ?? 1) > 0 && cut.bytes < body.length) {
    cut.times = (cut.times ?? 1) - 1;
    // Send part of the promised length, then drop the connection: the client sees a transfer that broke off.
    // The pause lets the client take the bytes first, as on a real network; a fetch stream that errors drops
    // the chunks it still holds, which would make the bytes kept a race.
    res.write(body.subarray(0, cut.bytes), () => setTimeout(() => res.socket?.destroy(), 100));
    return;
  }
  res.end(body);
}

function answerError(res: ServerResponse, status: number, code: string): void {
  res.writeHead(status, { "x-error-code": code, "content-type": "application/json" }).end(JSON.stringify({ error: code }));
}

function flipMiddleByte(content: Buffer): Buffer {
  const copy = Buffer.from(content);
  const middle = copy.length >> 1;
  copy[middle] = copy[middle]! ^ 0xff;
  return copy;
}

export function sha256(content: Buffer): string {
  return createHash("sha256").update(content).digest("hex");
}

export function gitBlobSha1(content: Buffer): string {
  return createHash("sha1").update(`blob ${content.length}\0`).update(content).digest("hex");
}

/**
 * A small model folder in the Hugging Face ONNX layout, with random weights: fp32 with external data
 * (the graph names `model.onnx_data`, as real exports do) and int8 without. The store never parses ONNX.
 */
export async function writeFakeModel(dir: string, { dataBytes = 300_000 } = {}): Promise<void> {
  const files: Record<string, Buffer> = {
    "config.json": json({ model_type: "llama", num_hidden_layers: 2, vocab_size: 512 }),
    "generation_config.json": json({ eos_token_id: 2 }),
    "tokenizer.json": json({ model: { type: "BPE", vocab: {} }, added_tokens: [] }),
    "tokenizer_config.json": json({ model_max_length: 2048 }),
    "onnx/model.onnx": Buffer.concat([randomBytes(2_000), Buffer.from("\x12\x0fmodel.onnx_data"), randomBytes(2_000)]),
    "onnx/model.onnx_data": randomBytes(dataBytes),
    "onnx/model_quantized.onnx": randomBytes(200_000),
  };
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
}

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value, null, 2) + "\n");
}
