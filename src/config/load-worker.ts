/**
 * The worker of bounded-load.ts: type-checks and loads the environment files, says which file it is
 * loading in the shared flags, checks each value is plain data a few levels deep (what can cross to
 * the waiting thread, and what validation can walk), and posts the result.
 */
import { workerData } from "node:worker_threads";
import { loadErrorMessage, loadEnvironmentSourcesHere } from "./load-here";
import { FLAG, STAGE, type WorkerAnswer, type WorkerInput } from "./load-worker-protocol";
import type { ConfigIssue } from "./issue";
import type { EnvironmentSource } from "./validate";
import { reservedKeyIssues } from "./reserved-keys";

/** Deepest nesting an environment value may have; real ones are about ten levels deep. */
export const MAX_DEPTH = 64;

const input = workerData as WorkerInput;
const flags = new Int32Array(input.flags);

function answer(): WorkerAnswer {
  try {
    Atomics.store(flags, FLAG.stage, STAGE.typecheck);
    const loaded = loadEnvironmentSourcesHere(input.directory, input.options, (index) => Atomics.store(flags, FLAG.stage, STAGE.firstFile + index));
    Atomics.store(flags, FLAG.stage, STAGE.answering);
    const sources: EnvironmentSource[] = [];
    const issues: ConfigIssue[] = [...loaded.issues];
    for (const source of loaded.sources) {
      const problem = plainDataProblem(source.value);
      if (problem) {
        issues.push({ environment: source.name, path: "", message: `environments/${source.name}.ts ${problem}` });
        continue;
      }
      // Here, before the value is copied: a copy has no prototypes, so a `__proto__` key would be gone.
      const reserved = reservedKeyIssues(source.name, source.value);
      if (reserved.length > 0) issues.push(...reserved);
      else sources.push(source);
    }
    return { sources, issues };
  } catch (error) {
    return { error: loadErrorMessage(error) };
  }
}

/** Why a value is not plain data a few levels deep, or undefined. Iterative: the value may be deeper than any stack. */
export function plainDataProblem(value: unknown): string | undefined {
  const pending: { value: unknown; depth: number; path: string }[] = [{ value, depth: 0, path: "" }];
  while (pending.length > 0) {
    const { value: current, depth, path } = pending.pop()!;
    if (typeof current === "function") return `exports a function at ${path || "the top"}: an environment is plain data`;
    if (typeof current === "symbol" || typeof current === "bigint") return `holds a ${typeof current} at ${path || "the top"}: an environment is plain data`;
    if (typeof current !== "object" || current === null) continue;
    if (depth >= MAX_DEPTH) return `is nested more than ${MAX_DEPTH} levels deep (at ${path.slice(0, 200)}…): an environment is data a few levels deep; flatten it`;
    for (const [key, child] of Object.entries(current)) pending.push({ value: child, depth: depth + 1, path: Array.isArray(current) ? `${path}[${key}]` : path ? `${path}.${key}` : key });
  }
  return undefined;
}

let result = answer();
try {
  input.port.postMessage(result);
} catch (error) {
  result = { error: `the loaded environments could not be handed back: ${loadErrorMessage(error)}` };
  input.port.postMessage(result);
}
Atomics.store(flags, FLAG.done, 1);
Atomics.notify(flags, FLAG.done);
