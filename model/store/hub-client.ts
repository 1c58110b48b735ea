// A client for the Hugging Face hub's HTTP API: a repo's file list and file contents (with HTTP Range).
// It knows URL shapes, auth and the hub's error answers; it does not know variants, the store or the disk.
import { z } from "zod";
import type { ContentHash } from "./hash";

export const DEFAULT_ENDPOINT = "https://huggingface.co";
const MAX_REDIRECTS = 5;

export interface HubOptions {
  /** Overrides `HF_ENDPOINT`, which overrides https://huggingface.co. */
  endpoint?: string;
  /** Overrides `HF_TOKEN`. */
  token?: string;
  env?: NodeJS.ProcessEnv;
}

export interface HubFile {
  path: string;
  size: number;
  /** sha256 for LFS files (`lfs.oid`), the git blob sha1 (`oid`) for the others. */
  hash: ContentHash;
}

export interface FileStream {
  /** Where `chunks` starts in the file: the requested offset on 206, 0 when the server ignored Range. */
  start: number;
  /** The commit the hub resolved the revision to (`X-Repo-Commit`), when it said. */
  commit?: string;
  chunks: AsyncIterable<Uint8Array>;
}

export type HubErrorKind = "unauthorized" | "forbidden" | "not-found" | "network" | "http";

export class HubError extends Error {
  override name = "HubError";
  constructor(message: string, readonly kind: HubErrorKind, readonly status?: number) {
    super(message);
  }
}

const Hex = (length: number) => z.string().regex(new RegExp(`^[0-9a-f]{${length}}$`));
const TreeEntry = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("file"),
    path: z.string().min(1),
    size: z.number().int().nonnegative(),
    oid: Hex(40),
    lfs: z.object({ oid: Hex(64), size: z.number().int().nonnegative(), pointerSize: z.number() }).optional(),
  }),
  z.object({ type: z.literal("directory"), path: z.string() }),
]);
const Tree = z.array(TreeEntry);

/** What a request is about, so that errors can name it. */
interface Subject {
  repo: string;
  revision: string;
  path?: string;
}

export class HubClient {
  readonly endpoint: string;
  private readonly token: string | undefined;

  constructor({ endpoint, token, env = process.env }: HubOptions = {}) {
    this.endpoint = (endpoint ?? env.HF_ENDPOINT ?? DEFAULT_ENDPOINT).replace(/\/+$/, "");
    this.token = token ?? (env.HF_TOKEN || undefined);
  }

  /** Every file of the repo at `revision`, following the tree API's pages (`Link: <…>; rel="next"`). */
  async listFiles(repo: string, revision: string, signal?: AbortSignal): Promise<HubFile[]> {
    const files: HubFile[] = [];
    const tree = `${this.endpoint}/api/models/${repo}/tree/${encodeURIComponent(revision)}?recursive=true`;
    let url: string | undefined = tree;
    while (url !== undefined) {
      const { response } = await this.get(url, {}, { repo, revision }, signal);
      const page = Tree.safeParse(await readJson(response, url, signal));
      if (!page.success) throw new HubError(`${url} did not answer a file list: ${z.prettifyError(page.error)}`, "http");
      for (const entry of page.data) if (entry.type === "file") files.push(toHubFile(entry));
      url = nextPage(response.headers.get("link"), url);
    }
    return files;
  }

  /** The file's bytes from `start` on; a server that ignores Range answers from 0 (see `FileStream.start`). */
  async openFile(repo: string, revision: string, path: string, start: number, signal?: AbortSignal): Promise<FileStream> {
    const encodedPath = path.split("/").map(encodeURIComponent).join("/");
    const url = `${this.endpoint}/${repo}/resolve/${encodeURIComponent(revision)}/${encodedPath}`;
    const range: Record<string, string> = start > 0 ? { range: `bytes=${start}-` } : {};
    const { response, commit, finalUrl } = await this.get(url, range, { repo, revision, path }, signal);
    const served = response.status === 206 ? contentRangeStart(response) : 0;
    if (served !== 0 && served !== start) {
      await response.body?.cancel();
      throw new HubError(`${finalUrl} answered bytes from ${served} when asked for ${start}`, "http", 206);
    }
    return { start: served, commit, chunks: bodyChunks(response, finalUrl, signal) };
  }

  /** GET with redirects followed by hand: the hub's `X-Repo-Commit` sits on the redirect, not on the CDN's answer. */
  private async get(url: string, headers: Record<string, string>, subject: Subject, signal?: AbortSignal) {
    let current = url;
    let commit: string | undefined;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const response = await this.fetch(current, { ...headers, ...this.auth(current) }, signal);
      commit ??= response.headers.get("x-repo-commit") ?? undefined;
      const location = response.headers.get("location");
      if (response.status < 300 || response.status >= 400 || location === null) {
        await this.check(response, current, subject);
        return { response, commit, finalUrl: current };
      }
      await response.body?.cancel();
      current = new URL(location, current).href;
    }
    throw new HubError(`${url} redirected more than ${MAX_REDIRECTS} times`, "http");
  }

  /** The token goes to the hub only, never to the CDN a download redirects to. */
  private auth(url: string): Record<string, string> {
    const toHub = new URL(url).origin === new URL(this.endpoint).origin;
    return this.token !== undefined && toHub ? { authorization: `Bearer ${this.token}` } : {};
  }

  private async fetch(url: string, headers: Record<string, string>, signal?: AbortSignal): Promise<Response> {
    try {
      return await fetch(url, { headers, signal, redirect: "manual" });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw new HubError(
        `cannot reach ${url}: ${causeOf(error)}. The hub endpoint is ${this.endpoint}; set HF_ENDPOINT to use another one.`,
        "network",
      );
    }
  }

  private async check(response: Response, url: string, subject: Subject): Promise<void> {
    if (response.ok) return;
    await response.body?.cancel();
    throw statusError(response, url, subject, this.endpoint, this.token !== undefined);
  }
}

/** The hub's error answers, in words that say what to do. */
function statusError(response: Response, url: string, { repo, revision, path }: Subject, endpoint: string, hasToken: boolean): HubError {
  const { status } = response;
  if (status === 401) {
    const hint = hasToken ? "the HF_TOKEN given was refused; check it" : "set HF_TOKEN to a token that has access";
    const message = `${repo}: the hub answered 401 Unauthorized. The repository is private or gated, or does not exist: ${hint}.`;
    return new HubError(message, "unauthorized", status);
  }
  if (status === 403) {
    const message =
      `${repo}: the hub answered 403 Forbidden. The repository is gated or private: ` +
      "accept its terms on the hub and set HF_TOKEN to a token that has access.";
    return new HubError(message, "forbidden", status);
  }
  if (status !== 404) return new HubError(`${url} answered ${status} ${response.statusText}`, "http", status);
  // The hub says which part was not found in X-Error-Code.
  const code = response.headers.get("x-error-code");
  const message =
    code === "RepoNotFound" ? `repository ${repo} not found on ${endpoint}`
    : code === "RevisionNotFound" ? `revision ${revision} not found in ${repo}`
    : code === "EntryNotFound" && path !== undefined ? `${path} not found in ${repo}@${revision}`
    : `${repo}@${revision}${path === undefined ? "" : `: ${path}`} not found on ${endpoint} (404): check the repository id and revision`;
  return new HubError(message, "not-found", status);
}

function toHubFile(entry: { path: string; size: number; oid: string; lfs?: { oid: string } | undefined }): HubFile {
  const hash: ContentHash = entry.lfs
    ? { algorithm: "sha256", hex: entry.lfs.oid }
    : { algorithm: "git-sha1", hex: entry.oid };
  return { path: entry.path, size: entry.size, hash };
}

function nextPage(link: string | null, base: string): string | undefined {
  const next = link?.split(",").find((part) => /rel="?next"?/.test(part));
  const url = next && /<([^>]+)>/.exec(next)?.[1];
  return url ? new URL(url, base).href : undefined;
}

function contentRangeStart(response: Response): number {
  const start = /^bytes (\d+)-/.exec(response.headers.get("content-range") ?? "")?.[1];
  return start === undefined ? 0 : Number(start);
}

async function readJson(response: Response, url: string, signal?: AbortSignal): Promise<unknown> {
  try {
    return await response.json();
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw new HubError(`${url} did not answer JSON: ${causeOf(error)}`, "http", response.status);
  }
}

async function* bodyChunks(response: Response, url: string, signal?: AbortSignal): AsyncIterable<Uint8Array> {
  if (response.body === null) return;
  try {
    for await (const chunk of response.body) yield chunk;
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw new HubError(`the download from ${url} broke off: ${causeOf(error)}`, "network");
  }
}

function causeOf(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return cause instanceof Error ? cause.message : String(cause);
}
