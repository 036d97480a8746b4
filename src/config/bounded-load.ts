/**
 * Environment files are code a team edits, and in CI they run next to credentials: one that loops
 * (`while (Date.now() > 0) {}`) or nests without end must not hang or crash every command. They are
 * type-checked and loaded in a worker thread (./load-worker.ts) while this thread waits, with a
 * deadline; on the deadline the worker is stopped and the file it was loading is named.
 *
 * The wait is synchronous (Atomics.wait on a shared flag, then receiveMessageOnPort), so callers
 * keep the synchronous loadEnvironmentSources they had.
 */
import * as path from "node:path";
import { MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads";
import type { ConfigIssue } from "./issue";
import { DEFAULT_LOAD_TIMEOUT_MS, environmentFileNames, loadEnvironmentSourcesHere, type LoadedEnvironments, type LoadEnvironmentOptions } from "./load-here";
import { FLAG, STAGE, type WorkerAnswer, type WorkerInput } from "./load-worker-protocol";

/** Starts the worker's module: through tsx when running from the TypeScript sources, as is from dist/. */
const BOOTSTRAP = `
const { workerData } = require("node:worker_threads");
if (workerData.entry.endsWith(".ts")) require(workerData.tsx).register();
require(workerData.entry);
`;

export function loadInWorker(directory: string, options: LoadEnvironmentOptions = {}): LoadedEnvironments {
  const timeoutMs = options.timeoutMs ?? DEFAULT_LOAD_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new RangeError(`timeoutMs must be a positive number of milliseconds, got ${timeoutMs}`);
  const files = environmentFileNames(directory);
  // Nothing to load: no code runs, and the answer (an issue) needs no worker.
  if (files.length === 0) return loadEnvironmentSourcesHere(directory, options);

  const flags = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT * 2));
  const { port1, port2 } = new MessageChannel();
  const entry = path.join(__dirname, `load-worker${path.extname(__filename)}`);
  const input: WorkerInput = { directory, options: { typecheck: options.typecheck, cacheDir: options.cacheDir }, flags: flags.buffer as SharedArrayBuffer, port: port2 };
  const worker = new Worker(BOOTSTRAP, { eval: true, workerData: { ...input, entry, tsx: require.resolve("tsx/cjs/api") }, transferList: [port2] });
  const deadline = performance.now() + timeoutMs;
  try {
    while (Atomics.load(flags, FLAG.done) === 0) {
      const left = deadline - performance.now();
      if (left <= 0) break;
      Atomics.wait(flags, FLAG.done, 0, left);
    }
    const received = receiveMessageOnPort(port1)?.message as WorkerAnswer | undefined;
    if (received !== undefined) {
      if ("error" in received) throw new Error(`loading the environment files failed: ${received.error}`);
      return { sources: received.sources, issues: received.issues };
    }
    return { sources: [], issues: [deadlineIssue(Atomics.load(flags, FLAG.stage), files, timeoutMs)] };
  } finally {
    port1.close();
    // Stops a worker still running (a loop never yields); its end is not waited for.
    void worker.terminate();
  }
}

/** Which step did not finish: the type check, a file's loading, or handing the result back. */
function deadlineIssue(stage: number, files: readonly string[], timeoutMs: number): ConfigIssue {
  const limit = `${formatSeconds(timeoutMs)}, the limit (FLYSTACK_ENV_LOAD_TIMEOUT_S)`;
  if (stage >= STAGE.firstFile && stage - STAGE.firstFile < files.length) {
    const file = files[stage - STAGE.firstFile];
    return {
      environment: path.basename(file, ".ts"),
      path: "",
      message: `environments/${file} did not finish loading within ${limit}: it, or a helper it imports, runs without end (a loop?); no environment was loaded`,
    };
  }
  const step = stage === STAGE.typecheck ? "type-checking the environment files" : "handing the loaded environments back";
  return { environment: "environments", path: "", message: `${step} did not finish within ${limit}; no environment was loaded` };
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
