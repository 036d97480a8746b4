/**
 * Remembers environment type-check results, so an unchanged environments folder is not checked again.
 *
 * Why: loading the TypeScript compiler and checking the files takes about a second, on every
 * command that synthesizes; the files rarely change between two runs. A result is looked up by a
 * fingerprint of the folder (its file names and contents, the TypeScript version and the options)
 * and is reused only while every other file the check read (e.g. `src/config/types.ts`) still has
 * the content it had, which costs a few milliseconds and no compiler.
 *
 * On disk (`cacheDir`, by default under node_modules/.cache, never in the tree) only clean results
 * are kept: a problem such as a missing module can be fixed by creating a file the check never read,
 * so a result with problems is remembered only for the life of the process. Inputs inside the
 * project are stored relative to the folder, so a copy of the project (the CLI tests' copies) finds
 * the result of the original.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { TypecheckResult } from "./typecheck-result";

/** Bump when the stored format or what a check reports changes. */
const FORMAT = 1;
/** Entries kept on disk; the oldest beyond this are removed. */
const MAX_ENTRIES = 50;

interface Entry {
  /** Input paths: relative to the folder, or absolute for files under node_modules; with their content hash. */
  readonly inputs: readonly (readonly [string, string])[];
  readonly result: Omit<TypecheckResult, "inputs">;
}

const inMemory = new Map<string, Entry>();

/**
 * The result of `run()` for environment files `files` of `directory`, or a remembered one while
 * nothing it read has changed. `cacheDir: false` remembers in memory only.
 */
export function cachedTypecheck(
  directory: string,
  files: readonly string[],
  key: unknown,
  cacheDir: string | false,
  run: () => TypecheckResult,
): Omit<TypecheckResult, "inputs"> {
  const fingerprint = folderFingerprint(directory, files, key);
  const entryFile = cacheDir === false ? undefined : path.join(cacheDir, "typecheck", `${fingerprint}.json`);
  const remembered = inMemory.get(fingerprint) ?? (entryFile ? readEntry(entryFile) : undefined);
  if (remembered && remembered.inputs.every(([input, hash]) => hashFile(path.resolve(directory, input)) === hash)) return remembered.result;

  const { inputs, ...result } = run();
  const entry: Entry = {
    inputs: inputs.map((input) => [storedPath(directory, input), hashFile(input) ?? ""] as const),
    result,
  };
  inMemory.set(fingerprint, entry);
  if (entryFile && result.problems.length === 0) writeEntry(entryFile, entry);
  return result;
}

/** Names and contents of the folder's own files (not its subfolders'), with what decides a check's outcome. */
function folderFingerprint(directory: string, files: readonly string[], key: unknown): string {
  const hash = createHash("sha256").update(JSON.stringify({ FORMAT, key, files }));
  for (const entry of fs.readdirSync(directory, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    hash.update(`\0${entry.name}\0${entry.isFile() ? hashFile(path.join(directory, entry.name)) : entry.isDirectory() ? "dir" : "other"}`);
  }
  return hash.digest("hex").slice(0, 32);
}

function storedPath(directory: string, file: string): string {
  return file.split(path.sep).includes("node_modules") ? file : path.relative(directory, file);
}

function hashFile(file: string): string | undefined {
  try {
    return createHash("sha256").update(fs.readFileSync(file, "latin1")).digest("hex");
  } catch {
    return undefined;
  }
}

function readEntry(file: string): Entry | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as Entry;
  } catch {
    return undefined;
  }
}

/** Best effort: a cache that can't be written only makes the next run slower. */
function writeEntry(file: string, entry: Entry): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // Written aside and renamed: parallel runs (jest workers) never read half a file.
    const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(entry));
    fs.renameSync(temporary, file);
    prune(path.dirname(file));
  } catch {
    // ignored
  }
}

function prune(folder: string): void {
  const entries = fs
    .readdirSync(folder)
    .filter((name) => name.endsWith(".json"))
    .map((name) => ({ name, mtime: fs.statSync(path.join(folder, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const old of entries.slice(MAX_ENTRIES)) fs.rmSync(path.join(folder, old.name), { force: true });
}
