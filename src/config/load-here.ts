/** Loading environment files in this thread, without a deadline: what the worker of bounded-load.ts runs. */
import * as fs from "node:fs";
import * as path from "node:path";
import type { EnvironmentSource } from "./validate";
import { type ConfigIssue, clip, safeString } from "./issue";
import { type TypeProblem, typecheckEnvironments } from "./typecheck";
import { ensureTypeScriptRequire } from "./typescript-require";
import { PROJECT_ROOT } from "../util/project-root";

/** Environment files are `<name>.ts`; files starting with `_` are helpers shared by environments. */
export function environmentFileNames(directory: string): string[] {
  return fs
    .readdirSync(directory)
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts") && !file.startsWith("_"))
    .sort();
}

export interface LoadEnvironmentOptions {
  /** Type-check the files before loading them (see typecheck.ts). @default true */
  readonly typecheck?: boolean;
  /** Where clean type-check results are remembered between runs; `false`: in memory only. @default this project's node_modules/.cache/flystack */
  readonly cacheDir?: string | false;
  /**
   * How long type-checking and loading every environment file may take, in milliseconds: environment
   * files are code, and one that loops would otherwise hang every command. @default 30 000 (30 s)
   */
  readonly timeoutMs?: number;
}

/** The default of `timeoutMs`. */
export const DEFAULT_LOAD_TIMEOUT_MS = 30_000;

/** node_modules/.cache/flystack of the project this file belongs to (never inside the tree). */
export const DEFAULT_CACHE_DIR = path.join(PROJECT_ROOT, "node_modules", ".cache", "flystack");

export interface LoadedEnvironments {
  readonly sources: EnvironmentSource[];
  readonly issues: ConfigIssue[];
}

/**
 * The loading itself, in the calling thread and without a deadline: what the worker runs. `onFile`
 * is told which file is about to be required, so a deadline can name the file that did not finish.
 */
export function loadEnvironmentSourcesHere(directory: string, options: LoadEnvironmentOptions = {}, onFile: (index: number) => void = () => undefined): LoadedEnvironments {
  const files = environmentFileNames(directory);
  if (files.length === 0) {
    // Nothing to synthesize is never success: every command would then run on no stack and exit 0.
    return { sources: [], issues: [{ environment: "environments", path: "", message: `${directory} holds no environment file: add <name>.ts default-exporting an EnvironmentConfig; with none there is nothing to synthesize, plan or apply` }] };
  }
  const checked = options.typecheck === false ? { problems: [], blocked: [] } : typecheckEnvironments(directory, files, { cacheDir: options.cacheDir ?? DEFAULT_CACHE_DIR });
  const sources: EnvironmentSource[] = [];
  ensureTypeScriptRequire();
  // Helpers' problems first (once, not per environment importing them), then each environment's.
  const problems: ConfigIssue[] = checked.problems.filter((p) => !files.includes(p.file)).map(typeIssue);
  for (const file of files) {
    const name = path.basename(file, ".ts");
    problems.push(...checked.problems.filter((p) => p.file === file).map(typeIssue));
    if (checked.blocked.includes(file)) continue;
    onFile(files.indexOf(file));
    let value: unknown;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- environments are discovered at run time
      const loaded: unknown = require(path.join(directory, file));
      // Inside the try: a default export that is a getter may throw too.
      value = typeof loaded === "object" && loaded !== null && "default" in loaded ? loaded.default : undefined;
    } catch (error) {
      problems.push({ environment: name, path: "", message: `environments/${file} could not be loaded: ${loadErrorMessage(error)}` });
      continue;
    }
    if (value === undefined) {
      problems.push({ environment: name, path: "", message: `environments/${file} has no default export; export default an EnvironmentConfig` });
      continue;
    }
    sources.push({ name, value });
  }
  return { sources, issues: problems };
}

/** `environments/production.ts:14:7: An object literal cannot have multiple properties with the same name. (TS1117)` */
function typeIssue(problem: TypeProblem): ConfigIssue {
  const where = problem.file === "" ? "environments" : `environments/${problem.file}${problem.line > 0 ? `:${problem.line}:${problem.column}` : ""}`;
  const code = problem.code === 0 ? "" : ` (TS${problem.code})`;
  return { environment: problem.file === "" ? "typescript" : path.posix.basename(problem.file).replace(/\.(d\.)?tsx?$|\.json$/, ""), path: "", message: `${where}: ${problem.message}${code}` };
}

/** The useful line of a load error; esbuild's (tsx) starts with "Transform failed with 1 error:" and the reason follows. */
export function loadErrorMessage(error: unknown): string {
  // Not `instanceof Error`: errors thrown while compiling a file may come from another realm. Anything
  // may be thrown (null, an object without a prototype, one whose `message` getter throws).
  let message: string;
  try {
    message = typeof error === "object" && error !== null && "message" in error ? safeString(error.message) : safeString(error);
  } catch {
    message = "(an exception whose message cannot be read)";
  }
  const lines = message.split("\n");
  const line = /^Transform failed with \d+ errors?:$/.test(lines[0]) && lines.length > 1 ? lines[1] : lines[0];
  // Bounded and on one line, like every value a message quotes.
  return clip(line, MAX_LOAD_MESSAGE);
}

/** How many characters of an exception's message a load problem shows. */
const MAX_LOAD_MESSAGE = 300;
