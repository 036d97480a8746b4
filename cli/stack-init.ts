/**
 * `terraform init` of the stacks of one run, with a provider plugin cache that never serves a
 * provider the dependency lock file does not vouch for.
 *
 * Terraform uses a cached provider only when the stack's `.terraform.lock.hcl` already records a
 * checksum it matches; a stack without a lock installs from the provider's origin instead (and then
 * records what it got). So before a stack's init, when it has no lock of its own (an apply's stacks
 * bring the plan's, in the sealed bundle):
 *   - the project's committed lock, providers/terraform.lock.hcl (`npm run providers:lock`), is
 *     copied in when there is one: every stack then takes its providers from the cache, verified;
 *   - otherwise, the lock of the run's first initialized stack is: the first init installs from the
 *     origin, every later one from the cache, verified against what the first one recorded.
 * A cached provider that does not match the lock is never run: Terraform installs from the origin
 * instead and replaces the cache entry (__tests__/cli/plugin-cache.test.ts poisons a cache to show
 * it). TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE, which lets Terraform use a cached provider
 * without that check, is refused outright (pluginCacheProblem).
 *
 * Terraform documents the cache as not safe for concurrent init, so with a cache the inits of a
 * run take turns (plans still overlap).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { CliContext } from "./command";
import type { Progress } from "./progress";
import { pluginCacheDir, Serializer } from "./parallel";
import type { StepResult, Terraform } from "../src/features/terraform/terraform";

export const LOCK_FILE = ".terraform.lock.hcl";
/** The committed dependency lock for the pinned providers, relative to the project. */
export const PROJECT_LOCK = path.join("providers", "terraform.lock.hcl");
const BREAK_LOCK_VARIABLE = "TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE";

type Env = Readonly<Record<string, string | undefined>>;

/** Why Terraform must not run with this environment's plugin cache settings, or undefined. */
export function pluginCacheProblem(env: Env): string | undefined {
  if (!env[BREAK_LOCK_VARIABLE]) return undefined;
  return `${BREAK_LOCK_VARIABLE} is set: it lets Terraform install a cached provider that does not match the dependency lock file. Unset it; flystack shares one lock across the stacks of a run so the plugin cache is used without it.`;
}

export class StackInits {
  private readonly cache: string | undefined;
  private readonly turns: Serializer | undefined;
  private readonly projectLock: string | undefined;
  private sharedLock: string | undefined;

  constructor(
    ctx: CliContext,
    private readonly terraform: Terraform,
    private readonly progress: Progress,
    env: Env,
    /** Several stacks may init at once (--parallel above 1 with more than one stack). */
    concurrent: boolean,
  ) {
    this.cache = pluginCacheDir(env);
    this.turns = this.cache && concurrent ? new Serializer() : undefined;
    const committed = path.join(ctx.cwd, PROJECT_LOCK);
    this.projectLock = fs.existsSync(committed) ? fs.readFileSync(committed, "utf8") : undefined;
  }

  /** Whether the inits take turns (a plugin cache and concurrent stacks), for the run's first progress line. */
  get takesTurns(): string | undefined {
    return this.turns ? this.cache : undefined;
  }

  /** `terraform init` of `stack` in `dir`, as above. */
  init(stack: string, dir: string): Promise<StepResult> {
    const run = () => this.progress.step(stack, "init", () => this.initOnce(dir), (r) => (r.code === 0 ? "done" : "failed"));
    return this.turns ? this.turns.run(run) : run();
  }

  private async initOnce(dir: string): Promise<StepResult> {
    const lock = path.join(dir, LOCK_FILE);
    if (!fs.existsSync(lock)) {
      const given = this.projectLock ?? this.sharedLock;
      if (given !== undefined) fs.writeFileSync(lock, given);
    }
    const result = await this.terraform.init(dir);
    if (result.code === 0 && this.sharedLock === undefined && fs.existsSync(lock)) this.sharedLock = fs.readFileSync(lock, "utf8");
    return result;
  }
}
