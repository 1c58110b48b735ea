// What a user does in VS Code's web workbench, as playwright steps: wait for it to load, run a command from the
// palette, read the Output panel, find a status bar item, read notifications. Knows VS Code 1.139's DOM, not Ghost.

export async function waitForWorkbench(page) {
  await page.locator(".monaco-workbench .part.statusbar").waitFor({ timeout: 60_000 });
}

// F1, type the command's title, and press Enter once the focused row is that command: the list filters
// asynchronously, and Enter before that runs whatever row was focused.
export async function runCommand(page, title) {
  const input = await startCommand(page, title);
  await input.waitFor({ state: "hidden" });
}

// The same for a command that asks in a quick pick or input box next: that reuses the palette's widget, so it never
// hides. Returns the widget's input box.
export async function startCommand(page, title) {
  await page.keyboard.press("F1");
  const input = page.locator(".quick-input-widget .quick-input-box input");
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator(".quick-input-widget .monaco-list-row.focused", { hasText: title }).waitFor();
  await page.keyboard.press("Enter");
  return input;
}

// Waits until the Output panel's editor (the selected channel) shows text matching pattern; returns the match.
// Monaco renders spaces as U+00A0 and splits a wrapped line into several .view-line elements (the space at a wrap
// stays at the end of the first), so the text is the elements' text joined, with ordinary spaces.
// show() is what opened the channel (a palette command): it is done again each 15 s without a match. Once in a CI
// run the panel stayed empty for 60 s after "Ghost: Show Output" with the line already logged (what the panel showed
// then is unknown: the error now says which view and channel were shown), while a user would simply run it again.
export async function waitForOutputText(page, pattern, show, timeout = 60_000) {
  const lines = page.locator(".part.panel .monaco-editor .view-lines .view-line");
  const deadline = Date.now() + timeout;
  let shown = Date.now();
  for (;;) {
    const text = (await lines.allTextContents()).join("").replace(/\u00a0/g, " ");
    const match = pattern.exec(text);
    if (match) return match[0];
    if (Date.now() > deadline) throw new Error(`the Output panel shows no ${pattern} within ${timeout / 1000} s (${await panelState(page)}):\n${text}`);
    if (Date.now() - shown > 15_000) {
      await show();
      shown = Date.now();
    }
    await page.waitForTimeout(250);
  }
}

// Which view the panel shows and which channel the Output view has selected, for an error message.
async function panelState(page) {
  return page.evaluate(() => {
    const panel = document.querySelector(".part.panel");
    if (!panel || panel.offsetParent === null) return "the panel is closed";
    const view = panel.querySelector(".composite-bar .action-item.checked")?.textContent?.trim() || "none";
    const select = panel.querySelector("select.monaco-select-box");
    const channel = select ? select.options[select.selectedIndex]?.text : panel.querySelector(".monaco-select-box")?.textContent?.trim();
    const lines = panel.querySelectorAll(".monaco-editor .view-lines .view-line").length;
    return `the panel shows the view "${view}", channel "${channel ?? "none"}", ${lines} rendered lines`;
  });
}

// An extension's status bar item: its DOM id is "<publisher.name>.<item id>".
export function statusBarItem(page, extensionId, itemId) {
  return page.locator(`.part.statusbar [id="${extensionId}.${itemId}"]`);
}

// Reads the notification center (a click on the bell opens it), not the toasts: a headless window shows no toasts.
// The center closes itself when its last notification goes, as when VS Code replaces a repeated message with a
// fresh copy, so it is reopened until the notification shows.
export async function waitForNotification(page, pattern, timeout = 30_000) {
  const center = page.locator(".notifications-center.visible");
  const bell = page.locator('.part.statusbar [id="status.notifications"]');
  const deadline = Date.now() + timeout;
  for (;;) {
    if (!(await center.isVisible())) await bell.click();
    const hit = (await center.locator(".monaco-list-row").allTextContents()).find((text) => pattern.test(text));
    if (hit) return hit;
    if (Date.now() > deadline) throw new Error(`no notification matching ${pattern} within ${timeout / 1000} s`);
    await page.waitForTimeout(250);
  }
}

// Quick Open (Ctrl+P), type the file name, Enter; resolves when that file's editor tab is active.
export async function openFile(page, name) {
  await page.keyboard.press("Control+P");
  const input = page.locator(".quick-input-widget .quick-input-box input");
  await input.waitFor();
  await input.fill(name);
  await page.locator(".quick-input-widget .monaco-list-row.focused", { hasText: name }).waitFor();
  await page.keyboard.press("Enter");
  await page.locator(`.tabs-container .tab.active[aria-label*="${name}"]`).waitFor();
}

// The active editor's visible text, line by line (Monaco renders spaces as U+00A0).
export async function editorLines(page) {
  const lines = page.locator(".editor-instance .monaco-editor .view-lines .view-line");
  return (await lines.allTextContents()).map((line) => line.replace(/\u00a0/g, " "));
}
