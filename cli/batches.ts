/**
 * Workflow matrix batches: the stacks of a run grouped into at most `maxJobs` matrix entries, so a
 * repository of any size stays within GitHub's 256 jobs per matrix. Each job plans (or applies, or
 * checks for drift) its batch with `--parallel`.
 *
 * An entry names its stacks, not their secrets: with-secrets reads those from the synthesized stacks,
 * and a job's outputs are capped at 1 MB, which a matrix of 10,000 stacks must fit in.
 *
 * A batch never mixes environments, so never protected with unprotected stacks: a job runs in one
 * GitHub environment, whose credentials (and, when protected, required reviewers) are that
 * environment's alone. So a run needs at least one job per environment. The jobs beyond that go to
 * the environments with the most stacks per job, and each environment's stacks are cut, in deploy
 * order, into batches whose sizes differ by at most one (stacks that depend on one another stay in
 * one batch, where apply --parallel orders them).
 */
import type { StackEntry } from "./stack-entries";

/** GitHub Actions runs at most 256 jobs per matrix (per workflow run, for one job id). */
export const GITHUB_MATRIX_LIMIT = 256;
/** `flystack stacks --max-jobs` when not given. */
export const DEFAULT_MAX_JOBS = 32;

export class BatchError extends Error {}

/** One matrix entry: the stacks one job handles. */
export interface StackBatch {
  /** `<environment>-<k>`, k from 1 within its environment: unique, and fit for a job or artifact name. */
  readonly batch: string;
  readonly environment: string;
  readonly protected: boolean;
  /** In deploy order. */
  readonly stacks: readonly string[];
}

/** `--max-jobs N`: a whole number from 1 to GITHUB_MATRIX_LIMIT; DEFAULT_MAX_JOBS without it. */
export function parseMaxJobs(value: string | undefined): number {
  if (value === undefined) return DEFAULT_MAX_JOBS;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(n) || n < 1 || n > GITHUB_MATRIX_LIMIT) {
    throw new BatchError(`--max-jobs must be a whole number from 1 to ${GITHUB_MATRIX_LIMIT} (GitHub's limit of jobs per matrix), got "${value}"`);
  }
  return n;
}

/**
 * `entries` (in deploy order, as readStackEntries gives them) in at most `maxJobs` batches, in
 * deploy order: every unprotected environment's batches before any protected one's.
 * `dependencies`: each stack's dependencies (cdktf's manifest); stacks joined by one share a batch.
 */
export function batchStacks(entries: readonly StackEntry[], maxJobs: number, dependencies: ReadonlyMap<string, readonly string[]> = new Map()): StackBatch[] {
  if (entries.length === 0) return [];
  const environments = groupByEnvironment(entries);
  if (environments.length > maxJobs) {
    const names = environments.map((e) => e.environment);
    throw new BatchError(
      `the stacks are in ${environments.length} environments (${names.slice(0, 10).join(", ")}${names.length > 10 ? ", …" : ""}), and a batch never mixes environments (a job runs in one environment's credentials): ` +
        (environments.length > GITHUB_MATRIX_LIMIT
          ? `more than GitHub's ${GITHUB_MATRIX_LIMIT} jobs per matrix; split the run (select the stacks of fewer environments)`
          : `raise --max-jobs to at least ${environments.length}`),
    );
  }
  const slots = allocateJobs(environments.map((e) => e.entries.length), maxJobs);
  return environments.flatMap((group, i) =>
    cut(components(group.entries, dependencies), slots[i]).map((chunk, k) => ({
      batch: `${group.environment}-${k + 1}`,
      environment: group.environment,
      protected: group.protected,
      stacks: chunk.map((e) => e.stack),
    })),
  );
}

interface EnvironmentGroup {
  readonly environment: string;
  readonly protected: boolean;
  readonly entries: StackEntry[];
}

/** Environments in the order their first stack appears (deploy order), each with its stacks in order. */
function groupByEnvironment(entries: readonly StackEntry[]): EnvironmentGroup[] {
  const groups = new Map<string, EnvironmentGroup>();
  for (const entry of entries) {
    let group = groups.get(entry.environment);
    if (!group) groups.set(entry.environment, (group = { environment: entry.environment, protected: entry.protected, entries: [] }));
    group.entries.push(entry);
  }
  return [...groups.values()];
}

/**
 * How many jobs each group gets: one each, then one at a time to the group whose stacks per job are
 * the most (the first such group on a tie), never more jobs than a group has stacks.
 */
export function allocateJobs(sizes: readonly number[], maxJobs: number): number[] {
  const slots = sizes.map(() => 1);
  for (let left = maxJobs - sizes.length; left > 0; left--) {
    let best = -1;
    for (let i = 0; i < sizes.length; i++) {
      if (slots[i] >= sizes[i]) continue;
      if (best === -1 || sizes[i] / slots[i] > sizes[best] / slots[best]) best = i;
    }
    if (best === -1) break;
    slots[best]++;
  }
  return slots;
}

/** The entries as runs of stacks that must stay together (joined by a dependency), in order. */
function components(entries: readonly StackEntry[], dependencies: ReadonlyMap<string, readonly string[]>): StackEntry[][] {
  const index = new Map(entries.map((e, i) => [e.stack, i]));
  const parent = entries.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  entries.forEach((e, i) => {
    for (const dep of dependencies.get(e.stack) ?? []) {
      const j = index.get(dep);
      if (j !== undefined) parent[find(i)] = find(j);
    }
  });
  const byRoot = new Map<number, StackEntry[]>();
  entries.forEach((e, i) => {
    const root = find(i);
    byRoot.set(root, [...(byRoot.get(root) ?? []), e]);
  });
  // Ordered by each run's first stack, so the batches keep deploy order.
  return [...byRoot.values()].sort((a, b) => index.get(a[0].stack)! - index.get(b[0].stack)!);
}

/**
 * Runs of stacks in at most `jobs` batches, in order: batch k takes runs until it holds its share
 * of what is left (sizes differ by at most one when every run is one stack).
 */
function cut(runs: readonly StackEntry[][], jobs: number): StackEntry[][] {
  const total = runs.reduce((n, r) => n + r.length, 0);
  const batches: StackEntry[][] = [];
  let placed = 0;
  let next = 0;
  for (let k = 0; k < jobs && next < runs.length; k++) {
    const share = Math.ceil((total - placed) / (jobs - k));
    const batch: StackEntry[] = [];
    while (next < runs.length && (batch.length === 0 || batch.length + runs[next].length <= share)) batch.push(...runs[next++]);
    placed += batch.length;
    batches.push(batch);
  }
  // Whatever a large run left over joins the last batch.
  while (next < runs.length) batches[batches.length - 1].push(...runs[next++]);
  return batches;
}
