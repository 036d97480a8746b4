/**
 * Fly machine guest sizes. Fly accepts memory per CPU kind in fixed steps:
 * shared CPUs take 256 MB to 2 GB per CPU in 256 MB steps; performance CPUs take
 * 2 GB to 8 GB per CPU in 1 GB steps (fly.io/docs/machines/guides-examples/machine-sizing).
 */
export type CpuKind = "shared" | "performance";

export const CPU_KINDS: readonly CpuKind[] = ["shared", "performance"];

/** CPU counts Fly offers per kind (shared-cpu-1x…8x, performance-1x…16x). */
export const CPU_COUNTS: Readonly<Record<CpuKind, readonly number[]>> = {
  shared: [1, 2, 4, 6, 8],
  performance: [1, 2, 4, 6, 8, 10, 12, 14, 16],
};

interface MemoryRule {
  readonly minPerCpuMb: number;
  readonly maxPerCpuMb: number;
  readonly stepMb: number;
}

const MEMORY_RULES: Readonly<Record<CpuKind, MemoryRule>> = {
  shared: { minPerCpuMb: 256, maxPerCpuMb: 2048, stepMb: 256 },
  performance: { minPerCpuMb: 2048, maxPerCpuMb: 8192, stepMb: 1024 },
};

export interface MemoryRange {
  readonly minMb: number;
  readonly maxMb: number;
  readonly stepMb: number;
}

export function memoryRange(kind: CpuKind, cpus: number): MemoryRange {
  const rule = MEMORY_RULES[kind];
  return { minMb: rule.minPerCpuMb * cpus, maxMb: rule.maxPerCpuMb * cpus, stepMb: rule.stepMb };
}

/** Returns why the memory is invalid for the guest, or undefined when Fly accepts it. */
export function memoryProblem(kind: CpuKind, cpus: number, memoryMb: number): string | undefined {
  const range = memoryRange(kind, cpus);
  if (memoryMb < range.minMb || memoryMb > range.maxMb || memoryMb % range.stepMb !== 0) {
    return (
      `${memoryMb} MB is not valid for ${kind}-cpu-${cpus}x: allowed ${range.minMb} to ${range.maxMb} MB ` +
      `in steps of ${range.stepMb} MB`
    );
  }
  return undefined;
}
