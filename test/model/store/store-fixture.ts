// Shared setup for the store's tests: a fake model in a temp dir, a fake hub serving it as `acme/tiny`, an empty
// store, and `download()` bound to them. Everything is removed when the test ends.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { downloadModel, type DownloadOptions } from "../../../model/store/download";
import { type FakeHub, startFakeHub, writeFakeModel } from "../../helpers/fake-hub";

export const REPO = "acme/tiny";

export interface StoreFixture {
  root: string;
  /** The folder the hub serves. */
  source: string;
  storeDir: string;
  hub: FakeHub;
  download(options?: Partial<DownloadOptions>): ReturnType<typeof downloadModel>;
}

export async function storeFixture(t: TestContext): Promise<StoreFixture> {
  const root = await mkdtemp(join(tmpdir(), "ghost-store-"));
  const source = join(root, "source");
  await writeFakeModel(source);
  const hub = await startFakeHub({ repos: { [REPO]: source } });
  t.after(async () => {
    await hub.close();
    await rm(root, { recursive: true, force: true });
  });
  const storeDir = join(root, "store");
  // env: {} keeps the machine's HF_TOKEN and HF_ENDPOINT out of the tests.
  const download = (options: Partial<DownloadOptions> = {}) =>
    downloadModel({ repo: REPO, endpoint: hub.url, storeDir, env: {}, confirm: async () => true, ...options });
  return { root, source, storeDir, hub, download };
}

/** The file requests the hub saw (resolve URLs, not the CDN hops), as `path range` lines. */
export function resolveRequests(hub: FakeHub): string[] {
  return hub.log
    .filter((request) => request.path.includes("/resolve/"))
    .map((request) => `${request.path.split("/resolve/main/")[1]}${request.range ? ` ${request.range}` : ""}`);
}

export async function sameBytes(a: string, b: string): Promise<boolean> {
  return (await readFile(a)).equals(await readFile(b));
}
