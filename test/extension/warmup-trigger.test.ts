// The completion warm-up's trigger: a warm-up once the cursor rests somewhere the cache does not hold, none while
// it keeps moving, none where a completion was just requested. Real timers, short rests.
import { test } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { WarmupTrigger, type CursorPlace } from "../../extension/warmup-trigger";

const restMs = 30;
const at = (document: string, line: number): CursorPlace => ({ document, line });

function trigger() {
  const warmed: string[] = [];
  const models = { current: {} as object | null };
  const warmups = new WarmupTrigger(restMs, (place) => warmed.push(`${place.document}:${place.line}`), () => models.current);
  return { warmups, warmed, models };
}

test("a rest warms the place once; moving on before the rest ends warms only where the cursor stops", async () => {
  const { warmups, warmed } = trigger();
  warmups.cursorAt(at("a.ts", 1));
  warmups.cursorAt(at("a.ts", 2));
  warmups.cursorAt(at("a.ts", 3));
  await sleep(restMs * 3);
  warmups.cursorAt(at("a.ts", 3));
  await sleep(restMs * 3);
  assert.deepEqual(warmed, ["a.ts:3"]);
});

test("another line or another document is a new place", async () => {
  const { warmups, warmed } = trigger();
  for (const place of [at("a.ts", 3), at("a.ts", 9), at("b.ts", 9)]) {
    warmups.cursorAt(place);
    await sleep(restMs * 3);
  }
  assert.deepEqual(warmed, ["a.ts:3", "a.ts:9", "b.ts:9"]);
});

test("a completion request cancels a pending warm-up and covers its place", async () => {
  const { warmups, warmed } = trigger();
  warmups.cursorAt(at("a.ts", 5));
  warmups.requested(at("a.ts", 5));
  await sleep(restMs * 3);
  // Typing on: each keystroke moves the cursor on the line a request just covered.
  warmups.cursorAt(at("a.ts", 5));
  await sleep(restMs * 3);
  assert.deepEqual(warmed, []);
  warmups.cursorAt(at("a.ts", 6));
  await sleep(restMs * 3);
  assert.deepEqual(warmed, ["a.ts:6"]);
});

test("a place covered in one model's cache is warmed again once another model holds the cache (a restart)", async () => {
  const { warmups, warmed, models } = trigger();
  warmups.requested(at("a.ts", 4));
  warmups.cursorAt(at("a.ts", 4));
  await sleep(restMs * 3);
  assert.deepEqual(warmed, []);
  models.current = {}; // "Ghost: Restart Model", or a settings change that reloads it
  warmups.cursorAt(at("a.ts", 4));
  await sleep(restMs * 3);
  assert.deepEqual(warmed, ["a.ts:4"]);
});
