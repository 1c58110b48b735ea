// The workspace as autocomplete sees it: a tag index built in the background over the workspace's source files
// (parsed in a worker thread, so the extension host stays responsive) and kept current as files change, and the
// chunks of recently edited and opened files.
import * as vscode from "vscode";
import { languageOf } from "../agent/context/languages";
import { isProjectFile } from "../agent/context/project-config";
import { RecentChunks } from "../agent/context/similar-chunks";
import { buildIndex, TagIndex } from "../agent/context/tag-index";
import { TagParserThread } from "../agent/context/tag-parser-thread";
import { listIndexedFiles } from "../agent/context/workspace-files";

const sourceGlob = "**/{*.ts,*.tsx,*.mts,*.cts,*.js,*.jsx,*.mjs,*.cjs,*.py,*.go,*.rs,*.java,package.json,tsconfig*.json,jsconfig*.json,go.mod}";
/** Folders on other file systems (remote, virtual) are listed through VS Code, without their .gitignore. */
const excludeGlob = "**/{node_modules,vendor,.git,.venv,venv,__pycache__}/**";
const maxFiles = 20000;

export class WorkspaceContext implements vscode.Disposable {
  private readonly parser = new TagParserThread();
  readonly index = new TagIndex(this.parser.parse);
  readonly recent = new RecentChunks();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly pendingUpdates = new Map<string, NodeJS.Timeout>();
  private readonly building = new AbortController();

  constructor(private readonly output: vscode.LogOutputChannel) {
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((event) => this.changed(event.document)),
      vscode.workspace.onDidOpenTextDocument((document) => this.touch(document)),
      vscode.window.onDidChangeActiveTextEditor((editor) => editor && this.touch(editor.document)),
    );
    const watcher = vscode.workspace.createFileSystemWatcher(sourceGlob);
    this.disposables.push(
      watcher,
      watcher.onDidCreate((uri) => void this.reindexFromDisk(uri)),
      watcher.onDidChange((uri) => void this.reindexFromDisk(uri)),
      watcher.onDidDelete((uri) => this.index.remove(relativePath(uri))),
    );
  }

  /** Indexes every source file of the workspace, showing progress in the status bar. */
  async build(): Promise<void> {
    const uris = await indexedFiles();
    const started = Date.now();
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: "Ghost: indexing" }, async (progress) => {
      let reported = 0;
      const byPath = new Map(uris.map((uri) => [relativePath(uri), uri]));
      await buildIndex(this.index, [...byPath.keys()], (path) => readText(byPath.get(path)!), {
        signal: this.building.signal,
        onProgress: ({ done, total }) => {
          progress.report({ message: `${done}/${total} files`, increment: ((done - reported) / total) * 100 });
          reported = done;
        },
      });
    });
    this.output.info(`indexed ${this.index.fileCount} of ${uris.length} source files in ${Date.now() - started} ms`);
  }

  private touch(document: vscode.TextDocument): void {
    if (document.uri.scheme === "file" || document.uri.scheme === "vscode-remote") this.recent.touch(relativePath(document.uri), document.getText());
  }

  /** Re-indexes an edited document a moment after the typing stops, from its (unsaved) text. */
  private changed(document: vscode.TextDocument): void {
    const path = relativePath(document.uri);
    if (!languageOf(path) && !isProjectFile(path)) return;
    clearTimeout(this.pendingUpdates.get(path));
    this.pendingUpdates.set(
      path,
      setTimeout(() => {
        this.pendingUpdates.delete(path);
        void this.index.update(path, document.getText());
        this.recent.touch(path, document.getText());
      }, 300),
    );
  }

  private async reindexFromDisk(uri: vscode.Uri): Promise<void> {
    const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
    if (open?.isDirty) return; // the editor's text is newer than the disk's
    await this.index.update(relativePath(uri), await readText(uri));
  }

  dispose(): void {
    this.building.abort();
    void this.parser.dispose();
    for (const timer of this.pendingUpdates.values()) clearTimeout(timer);
    for (const disposable of this.disposables) disposable.dispose();
  }
}

/** What each workspace folder owns: on disk, its files minus .gitignore and dependency folders (workspace-files.ts). */
async function indexedFiles(): Promise<vscode.Uri[]> {
  const uris: vscode.Uri[] = [];
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (folder.uri.scheme !== "file") uris.push(...(await vscode.workspace.findFiles(new vscode.RelativePattern(folder, sourceGlob), excludeGlob, maxFiles)));
    else uris.push(...(await listIndexedFiles(folder.uri.fsPath, maxFiles)).map((path) => vscode.Uri.joinPath(folder.uri, path)));
  }
  return uris;
}

export function relativePath(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, false);
}

async function readText(uri: vscode.Uri): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}
