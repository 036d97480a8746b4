import * as fs from "node:fs";
import * as path from "node:path";
import type { EnvironmentSource } from "./validate";
import type { ConfigIssue } from "./issue";

/** Environment files are `<name>.ts`; files starting with `_` are helpers shared by environments. */
export function environmentFileNames(directory: string): string[] {
  return fs
    .readdirSync(directory)
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts") && !file.startsWith("_"))
    .sort();
}

/**
 * Loads every environment file of `directory` (unvalidated). A file that fails to load or has
 * no default export is returned as an issue, to be reported with every other configuration problem.
 */
export function loadEnvironmentSources(directory: string): { sources: EnvironmentSource[]; issues: ConfigIssue[] } {
  const sources: EnvironmentSource[] = [];
  const problems: ConfigIssue[] = [];
  for (const file of environmentFileNames(directory)) {
    const name = path.basename(file, ".ts");
    let loaded: unknown;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- environments are discovered at run time
      loaded = require(path.join(directory, file));
    } catch (error) {
      // Not `instanceof Error`: errors thrown while compiling a file may come from another realm.
      const message = typeof error === "object" && error !== null && "message" in error ? String(error.message) : String(error);
      problems.push({ environment: name, path: "", message: `environments/${file} could not be loaded: ${message.split("\n")[0]}` });
      continue;
    }
    const value = typeof loaded === "object" && loaded !== null && "default" in loaded ? loaded.default : undefined;
    if (value === undefined) {
      problems.push({ environment: name, path: "", message: `environments/${file} has no default export; export default an EnvironmentConfig` });
      continue;
    }
    sources.push({ name, value });
  }
  return { sources, issues: problems };
}
