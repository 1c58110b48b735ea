// Messages between Ghost and its model worker process, validated with zod on arrival at either side.
import { z } from "zod";
import { generateRequestSchema, warmRequestSchema, type GenerateEvent, type ModelInfo } from "./model";

export const engineOptionsSchema = z.object({
  variant: z.enum(["auto", "fp32", "int8", "q4", "q4f16", "fp16"]),
  threads: z.number().int().positive(),
  memoryLimitBytes: z.number().positive().optional(),
  prefillChunk: z.number().int().positive().optional(),
  rewrites: z.enum(["all", "logits", "none"]).optional(),
  /** onnxruntime's memory settings over Ghost's own, which benchmarks measure in the worker (bench/memory.ts). */
  sessionOverrides: z
    .object({ enableCpuMemArena: z.boolean().optional(), enableMemPattern: z.boolean().optional(), extra: z.record(z.string(), z.unknown()).optional() })
    .optional(),
});

const chatMessageSchema = z.object({ role: z.enum(["system", "user", "assistant", "tool"]), content: z.string() });

export const toWorkerSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("load"), dir: z.string(), options: engineOptionsSchema }),
  z.object({ type: z.literal("generate"), id: z.number(), request: generateRequestSchema }),
  z.object({ type: z.literal("cancel"), id: z.number() }),
  /** Prefill only; answered by a result (WarmStats); a cancel, or any generate, stops it. */
  z.object({ type: z.literal("warm"), id: z.number(), request: warmRequestSchema }),
  z.object({ type: z.literal("tokenize"), id: z.number(), text: z.string() }),
  z.object({ type: z.literal("chat"), id: z.number(), messages: z.array(chatMessageSchema), addGenerationPrompt: z.boolean() }),
  z.object({ type: z.literal("memory"), id: z.number() }),
]);
export type ToWorker = z.input<typeof toWorkerSchema>;

/** The worker's memory as the operating system counts it: resident now, and the most it has been resident; the peak
 *  its load check planned for (model/memory.ts), and what it may grow into (free memory plus what it holds). */
export const workerMemorySchema = z.object({ residentBytes: z.number(), peakBytes: z.number(), plannedPeakBytes: z.number(), availableBytes: z.number() });
export type WorkerMemory = z.infer<typeof workerMemorySchema>;

const isObjectWith = (key: string) => (value: unknown) => typeof value === "object" && value !== null && key in value;

// Events and results come from Ghost's own engine, so only their envelope is checked here.
export const fromWorkerSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("loaded"), info: z.custom<ModelInfo>(isObjectWith("dir")) }),
  z.object({ type: z.literal("load-failed"), message: z.string() }),
  z.object({ type: z.literal("event"), id: z.number(), event: z.custom<GenerateEvent>(isObjectWith("type")) }),
  z.object({ type: z.literal("result"), id: z.number(), value: z.unknown() }),
  z.object({ type: z.literal("failed"), id: z.number(), message: z.string() }),
]);
export type FromWorker = z.infer<typeof fromWorkerSchema>;
