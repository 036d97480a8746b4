import { spawn } from "node:child_process";
import { InterruptedError, type Interruption, type InterruptSignal } from "./signals";

export interface RunOptions {
  readonly cwd: string;
  /** The child's whole environment. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Called with each line the child writes to stderr, as it arrives (progress). */
  readonly onStderrLine?: (line: string) => void;
  /** Called with each line the child writes to stdout, as it arrives (a provisioner's progress inside Terraform's output). @default none */
  readonly onStdoutLine?: (line: string) => void;
  /**
   * May start after an interruption: a quick read that changes nothing (reading the state, to record
   * what an interrupted apply did). Everything else is refused once interrupted. @default false
   */
  readonly afterInterruption?: boolean;
}

export interface RunResult {
  /** The exit code; 127 when the program could not be started. */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts external programs. The CLI's only door to child processes, so tests can see and replace it. */
export interface ProcessRunner {
  run(command: string, args: readonly string[], options: RunOptions): Promise<RunResult>;
  /**
   * Where stop requests (SIGINT, SIGTERM) come from, when the runner forwards them. runCli reads it to
   * exit 130/143 after an interruption.
   */
  readonly interruption?: Interruption;
}

export interface SpawnRunnerOptions {
  /**
   * Stop requests to forward to the running program. With it, every program is started in its own
   * process group (detached), so a terminal's Ctrl-C reaches it only through flystack, exactly once
   * per signal; and once interrupted, run() refuses to start anything new (InterruptedError).
   */
  readonly interruption?: Interruption;
}

/** Runs programs for real with child_process.spawn, never through a shell. */
export class SpawnRunner implements ProcessRunner {
  readonly interruption?: Interruption;

  constructor(options: SpawnRunnerOptions = {}) {
    this.interruption = options.interruption;
  }

  run(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
    const interruption = this.interruption;
    if (interruption?.interrupted && !options.afterInterruption) return Promise.reject(new InterruptedError(command));
    return new Promise((resolve) => {
      const env: Record<string, string> = {};
      for (const [k, v] of Object.entries(options.env)) if (v !== undefined) env[k] = v;
      // detached: its own process group (setsid), out of the terminal's foreground group. Only with an
      // interruption source, which forwards signals; without one the child gets the terminal's as before.
      const child = spawn(command, [...args], { cwd: options.cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: interruption !== undefined });
      if (interruption) interruption.running += 1;
      let counted = interruption !== undefined;
      const uncount = () => {
        if (counted && interruption) interruption.running -= 1;
        counted = false;
      };
      const forwarded: InterruptSignal[] = [];
      // Forward each stop request to the child itself (its pid, not its group: Terraform stops its
      // providers and provisioners). Its pipes stay open and drained until it exits on its own.
      const unsubscribe = interruption?.onInterrupt((signal) => {
        forwarded.push(signal);
        if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
          try {
            child.kill(signal);
          } catch {
            // already gone: "close" reports how it ended
          }
        }
      });
      let out = "";
      let err = "";
      let partial = "";
      let partialOut = "";
      child.stdout.setEncoding("utf8");
      child.stderr.setEncoding("utf8");
      child.stdout.on("data", (chunk: string) => {
        out += chunk;
        if (!options.onStdoutLine) return;
        const lines = (partialOut + chunk).split("\n");
        partialOut = lines.pop() ?? "";
        for (const line of lines) options.onStdoutLine(line);
      });
      child.stderr.on("data", (chunk: string) => {
        err += chunk;
        if (!options.onStderrLine) return;
        const lines = (partial + chunk).split("\n");
        partial = lines.pop() ?? "";
        for (const line of lines) options.onStderrLine(line);
      });
      child.on("error", (error: NodeJS.ErrnoException) => {
        unsubscribe?.();
        uncount();
        resolve({ code: 127, stdout: "", stderr: `could not start "${command}": ${error.code === "ENOENT" ? "not found on PATH" : error.message}` });
      });
      child.on("close", (code, signal) => {
        unsubscribe?.();
        uncount();
        if (partial && options.onStderrLine) options.onStderrLine(partial);
        if (partialOut && options.onStdoutLine) options.onStdoutLine(partialOut);
        const stderr = err + (signal ? `\nkilled by ${signal}` : "");
        if (forwarded.length > 0) interruption?.recordStopped({ command, args, forwarded, code, signal, stderr: `${stderr}\n${out}` });
        resolve({ code: code ?? 128, stdout: out, stderr });
      });
    });
  }
}
