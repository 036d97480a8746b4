/** One line of `npm run bench`'s table: what every `bench/*.bench.ts` module's `run()` returns. */
export interface BenchRow {
  readonly name: string;
  /** Median wall time of the measured work, in milliseconds. */
  readonly medianMs: number;
  /** Peak resident memory (max RSS) of the process that did the work, in MB. */
  readonly peakRssMb: number;
  /** The target, as words beside the figure (e.g. "<= 1.5 s"). */
  readonly target: string;
  readonly met: boolean;
  readonly note?: string;
  /** The floor the target is relative to, when it is (node's own start-up), in milliseconds. */
  readonly floorMs?: number;
}

/** What `bench/run.ts` expects from each `bench/*.bench.ts` module. */
export interface BenchModule {
  run(): Promise<BenchRow[]>;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
