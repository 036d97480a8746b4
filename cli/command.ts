import type { Writable } from "node:stream";
import type { ProcessRunner } from "../src/process/runner";

/** Everything a command may touch of the outside world: injected, so tests run commands in-process. */
export interface CliContext {
  /** The project root: where `cdktf.out`, `environments/` and `main.ts` are. */
  readonly cwd: string;
  /** The process environment (the CLI's only view of it). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Results. */
  readonly stdout: Writable;
  /** Progress and errors. */
  readonly stderr: Writable;
  /** The one place external processes (terraform, git) are started. */
  readonly runner: ProcessRunner;
  /**
   * Runs another flystack command in this process (`flystack with-secrets … -- apply …`): set by
   * runCli, so a command never imports the CLI's entry (which lists every command, itself included).
   * @default unset outside runCli
   */
  readonly runCommand?: (argv: readonly string[], ctx: CliContext) => Promise<number>;
}

/** One `flystack <name>` command. Handlers stay thin: parse, call a library, return an exit code. */
export interface Command {
  readonly name: string;
  /** One line for `flystack --help`. */
  readonly summary: string;
  /** The full `flystack <name> --help` text. */
  readonly help: string;
  /** The help for `flystack <name> ARGS… --help`, for commands with subcommands. @default help */
  helpFor?(args: readonly string[]): string;
  /** The subcommands helpFor has a help of their own for (docs/cli.md prints each). @default none */
  readonly subcommands?: readonly string[];
  run(args: readonly string[], ctx: CliContext): Promise<number>;
}

/**
 * An entry of the command registry (cli/commands/index.ts): what `flystack --help` lists, and how to
 * load the command's module, which happens only when that command runs or prints its help. So
 * `flystack --help` loads no command module, and `flystack summarize` loads summarize's alone.
 */
export interface CommandEntry {
  readonly name: string;
  /** One line for `flystack --help`; the same as the loaded command's (a test checks). */
  readonly summary: string;
  load(): Command;
}

/** A registry entry's command: loaded on first use. */
export function loadCommand(entry: Command | CommandEntry): Command {
  return "load" in entry ? entry.load() : entry;
}

/** Exit codes shared by every command. Drift uses 2 for "changes found", so usage errors are 1, never 2. */
export const EXIT = { ok: 0, error: 1, changes: 2 } as const;
