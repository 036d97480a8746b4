import type { Writable } from "node:stream";

/** Progress on stderr: which stack, which step, how long it took. Results never go here. */
export class Progress {
  constructor(private readonly out: Writable, private readonly now: () => number = Date.now) {}

  /** Runs `work` as a named step of a stack, printing its start and its duration. */
  async step<T>(stack: string, label: string, work: () => Promise<T>, describe: (result: T) => string = () => "done"): Promise<T> {
    const started = this.now();
    this.out.write(`[${stack}] ${label}…\n`);
    const result = await work();
    this.out.write(`[${stack}] ${label}: ${describe(result)} (${((this.now() - started) / 1000).toFixed(1)}s)\n`);
    return result;
  }

  note(stack: string, message: string): void {
    this.out.write(`[${stack}] ${message}\n`);
  }
}
