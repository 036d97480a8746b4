import { spawn } from "node:child_process";

export interface RunOptions {
  readonly cwd: string;
  /** The child's whole environment. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Called with each line the child writes to stderr, as it arrives (progress). */
  readonly onStderrLine?: (line: string) => void;
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
}

/** Runs programs for real with child_process.spawn, never through a shell. */
export class SpawnRunner implements ProcessRunner {
  run(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
    return new Promise((resolve) => {
      const env: Record<string, string> = {};
      for (const [k, v] of Object.entries(options.env)) if (v !== undefined) env[k] = v;
      const child = spawn(command, [...args], { cwd: options.cwd, env, stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      let err = "";
      let partial = "";
      child.stdout.setEncoding("utf8");
      child.stderr.setEncoding("utf8");
      child.stdout.on("data", (chunk: string) => (out += chunk));
      child.stderr.on("data", (chunk: string) => {
        err += chunk;
        if (!options.onStderrLine) return;
        const lines = (partial + chunk).split("\n");
        partial = lines.pop() ?? "";
        for (const line of lines) options.onStderrLine(line);
      });
      child.on("error", (error: NodeJS.ErrnoException) => {
        resolve({ code: 127, stdout: "", stderr: `could not start "${command}": ${error.code === "ENOENT" ? "not found on PATH" : error.message}` });
      });
      child.on("close", (code, signal) => {
        if (partial && options.onStderrLine) options.onStderrLine(partial);
        resolve({
          code: code ?? 128,
          stdout: out,
          stderr: err + (signal ? `\nkilled by ${signal}` : ""),
        });
      });
    });
  }
}
