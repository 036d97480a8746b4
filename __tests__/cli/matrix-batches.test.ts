/**
 * Workflow matrix batches (cli/batches.ts): at most --max-jobs entries whatever the number of
 * stacks, one environment per batch (so never protected with unprotected), deploy order kept, sizes
 * balanced, dependent stacks together, and clear errors when it cannot fit.
 */
import { allocateJobs, BatchError, batchStacks, DEFAULT_MAX_JOBS, GITHUB_MATRIX_LIMIT, parseMaxJobs } from "../../cli/batches";
import type { StackEntry } from "../../cli/stack-entries";

const entry = (stack: string, environment: string, isProtected = false, secrets: string[] = []): StackEntry => ({ stack, environment, protected: isProtected, secrets });

/** `n` per-app stacks of `environment`, each with its own secret. */
const perApp = (environment: string, n: number, isProtected = false) => Array.from({ length: n }, (_, i) => entry(`${environment}_app${i}`, environment, isProtected, [`TF_VAR_app${i}_DATABASE_URL`]));

test("10,000 per-app stacks of one environment: 32 batches by default, sizes within one, every stack once, in order", () => {
  const entries = perApp("customers", 10_000, true);
  const batches = batchStacks(entries, DEFAULT_MAX_JOBS);
  expect(batches).toHaveLength(32);
  const sizes = batches.map((b) => b.stacks.length);
  expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  expect(Math.max(...sizes)).toBe(313);
  expect(batches.flatMap((b) => b.stacks)).toEqual(entries.map((e) => e.stack));
  expect(batches.map((b) => b.batch)).toEqual(Array.from({ length: 32 }, (_, k) => `customers-${k + 1}`));
  // The matrix fits a job's outputs (at most 1 MB), which is why an entry names no secrets.
  expect(JSON.stringify(batches).length).toBeLessThan(1_000_000);
  expect(Object.keys(batches[0]).sort()).toEqual(["batch", "environment", "protected", "stacks"]);
  expect(batches.every((b) => b.environment === "customers" && b.protected)).toBe(true);
});

test("the limit holds for any number of stacks up to GitHub's 256", () => {
  for (const stacks of [1, 2, 31, 32, 33, 255, 256, 257, 1000, 10_000, 50_000]) {
    for (const max of [1, 32, GITHUB_MATRIX_LIMIT]) {
      const batches = batchStacks(perApp("e", stacks), max);
      expect(batches.length).toBe(Math.min(stacks, max));
      expect(batches.reduce((n, b) => n + b.stacks.length, 0)).toBe(stacks);
    }
  }
});

test("environments never share a batch; unprotected ones come first; the jobs go where the stacks are", () => {
  const entries = [...perApp("staging", 10), ...perApp("dev", 2), ...perApp("production", 90, true)];
  const batches = batchStacks(entries, 10);
  expect(batches.length).toBeLessThanOrEqual(10);
  for (const b of batches) {
    expect(new Set(b.stacks.map((s) => s.split("_")[0]))).toEqual(new Set([b.environment]));
    expect(b.protected).toBe(b.environment === "production");
  }
  const order = batches.map((b) => b.environment);
  expect(order.lastIndexOf("staging")).toBeLessThan(order.indexOf("production"));
  expect(order.lastIndexOf("dev")).toBeLessThan(order.indexOf("production"));
  // production holds 90 of the 102 stacks: it gets most of the jobs.
  expect(order.filter((e) => e === "production").length).toBe(8);
  expect(allocateJobs([10, 2, 90], 10)).toEqual([1, 1, 8]);
  expect(allocateJobs([1, 1, 1], 10)).toEqual([1, 1, 1]);
});

test("stacks joined by a dependency stay in one batch, in dependency order", () => {
  const entries = perApp("e", 6);
  const dependencies = new Map([["e_app3", ["e_app2"]]]);
  const batches = batchStacks(entries, 6, dependencies);
  const holding = batches.find((b) => b.stacks.includes("e_app3"))!;
  expect(holding.stacks).toContain("e_app2");
  expect(holding.stacks.indexOf("e_app2")).toBeLessThan(holding.stacks.indexOf("e_app3"));
  expect(batches.flatMap((b) => b.stacks)).toEqual(entries.map((e) => e.stack));
});

test("more environments than jobs: an error naming them and what to do", () => {
  const entries = [entry("a", "a"), entry("b", "b"), entry("c", "c", true)];
  expect(() => batchStacks(entries, 2)).toThrow(BatchError);
  expect(() => batchStacks(entries, 2)).toThrow(/3 environments \(a, b, c\).*raise --max-jobs to at least 3/);
  const many = Array.from({ length: 300 }, (_, i) => entry(`env${i}`, `env${i}`));
  expect(() => batchStacks(many, GITHUB_MATRIX_LIMIT)).toThrow(/300 environments .*more than GitHub's 256 jobs per matrix/);
  expect(batchStacks([], 32)).toEqual([]);
});

test("--max-jobs: 1 to 256, 32 without it", () => {
  expect(parseMaxJobs(undefined)).toBe(32);
  expect(parseMaxJobs("1")).toBe(1);
  expect(parseMaxJobs("256")).toBe(256);
  for (const bad of ["0", "257", "-1", "3.5", "x", ""]) expect(() => parseMaxJobs(bad)).toThrow(/--max-jobs must be a whole number from 1 to 256/);
});
