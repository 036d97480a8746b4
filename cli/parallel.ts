import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { UsageError } from "./args";

/** Bounds of `--parallel N`: more than 16 Terraform processes at once only contend for the API and the CPU. */
export const MAX_PARALLEL = 16;

/** `--parallel N`: a whole number from 1 to MAX_PARALLEL; 1 without the option. */
export function parseParallel(value: string | undefined): number {
  if (value === undefined) return 1;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(n) || n < 1 || n > MAX_PARALLEL) {
    throw new UsageError(`--parallel must be a whole number from 1 to ${MAX_PARALLEL}, got "${value}"`);
  }
  return n;
}

/**
 * `work` on every item with at most `limit` running at once; the results in the items' order
 * (whatever order they finish in). A rejected `work` rejects the whole (callers catch per item).
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** Runs the functions given to it one at a time, in call order. */
export class Serializer {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/**
 * The Terraform plugin cache directory configured for this environment, if any: TF_PLUGIN_CACHE_DIR,
 * or `plugin_cache_dir` in the CLI configuration (TF_CLI_CONFIG_FILE, else ~/.terraformrc).
 * Terraform documents the cache as not safe for concurrent `terraform init`, so several stacks
 * initialize one at a time when it is set.
 */
export function pluginCacheDir(env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (env.TF_PLUGIN_CACHE_DIR) return env.TF_PLUGIN_CACHE_DIR;
  const rc = env.TF_CLI_CONFIG_FILE || (env.TERRAFORM_CONFIG ?? path.join(env.HOME ?? os.homedir(), ".terraformrc"));
  let text: string;
  try {
    text = fs.readFileSync(rc, "utf8");
  } catch {
    return undefined;
  }
  const match = /^\s*plugin_cache_dir\s*=\s*"([^"]*)"/m.exec(text);
  return match?.[1] || undefined;
}
