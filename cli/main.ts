/**
 * `flystack`: the CLI entry. Reads the process's arguments and environment once, hands them to one
 * command, and turns its result into the exit code. Commands never call process.exit themselves.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { type CliContext, type Command, type CommandEntry, EXIT, loadCommand } from "./command";
import { UsageError } from "./args";
import { SpawnRunner } from "../src/process/runner";
import { installSignalHandlers, InterruptedError, Interruption, interruptionMessage } from "../src/process/signals";
import { StackSelectionError } from "./stacks";
import { COMMANDS } from "./commands";
import { BaseRevisionError } from "./base-revision";
import { CostEstimateError } from "../src/features/cost/errors";
import { PROJECT_ROOT } from "../src/util/project-root";

/** package.json's version, read when asked (an import would copy package.json into dist/). */
function version(): string {
  return (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { version: string }).version;
}

export function topLevelHelp(commands: readonly (Command | CommandEntry)[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    "Usage: flystack <command> [options]   (flystack --version prints the version)",
    "",
    "Plans, applies and checks the flystack Terraform stacks of every environment.",
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    'Run "flystack <command> --help" for a command\'s arguments, options and exit codes.',
  ].join("\n");
}

export async function runCli(argv: readonly string[], ctx: CliContext, commands: readonly (Command | CommandEntry)[] = COMMANDS): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    (name === undefined ? ctx.stderr : ctx.stdout).write(`${topLevelHelp(commands)}\n`);
    return name === undefined ? EXIT.error : EXIT.ok;
  }
  if (name === "--version" || name === "-V" || name === "version") {
    ctx.stdout.write(`flystack ${version()}\n`);
    return EXIT.ok;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    ctx.stderr.write(`flystack: unknown command "${name}"; commands: ${commands.map((c) => c.name).join(", ")}\n`);
    return EXIT.error;
  }
  // Only the chosen command's module loads (and what it imports at its top: nothing heavy).
  const command = loadCommand(entry);
  if (rest.includes("--help") || rest.includes("-h")) {
    ctx.stdout.write(`${command.helpFor?.(rest) ?? command.help}\n`);
    return EXIT.ok;
  }
  const code = await runCommand(command, rest, { ...ctx, runCommand: (argv, inner) => runCli(argv, inner, commands) });
  // After SIGINT/SIGTERM: whatever the command made of its stopped step, say what happened and exit 130/143.
  const interruption = ctx.runner.interruption;
  if (!interruption?.interrupted) return code;
  if (!interruption.reported) ctx.stderr.write(`flystack ${name}: ${interruptionMessage(interruption)}\n`);
  interruption.reported = true;
  return interruption.exitCode;
}

async function runCommand(command: Command, rest: readonly string[], ctx: CliContext): Promise<number> {
  const name = command.name;
  try {
    return await command.run(rest, ctx);
  } catch (error) {
    // The runner refused to start the next program after an interruption: runCli reports it.
    if (error instanceof InterruptedError && ctx.runner.interruption?.interrupted) return EXIT.error;
    if (error instanceof UsageError) {
      ctx.stderr.write(`flystack ${name}: ${error.message} (see flystack ${name} --help)\n`);
      return EXIT.error;
    }
    if (error instanceof StackSelectionError || error instanceof BaseRevisionError || error instanceof CostEstimateError) {
      ctx.stderr.write(`flystack ${name}: ${error.message}\n`);
      return EXIT.error;
    }
    // Anything else is a bug or an environment failure: say what, without a stack trace unless asked.
    ctx.stderr.write(`flystack ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    if (ctx.env.FLYSTACK_DEBUG === "1" && error instanceof Error && error.stack) ctx.stderr.write(`${error.stack}\n`);
    return EXIT.error;
  }
}

/** The process entry (bin/flystack, from dist/; bin/flystack.js, from the sources): the only place the CLI reads process.argv and process.env. */
export function main(): void {
  // SIGINT/SIGTERM no longer end the process at once: they are forwarded to the running Terraform,
  // which is waited for; no further stack is started (src/process/signals.ts).
  const interruption = new Interruption();
  installSignalHandlers(interruption, process.stderr);
  runCli(process.argv.slice(2), {
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    runner: new SpawnRunner({ interruption }),
  }).then((code) => {
    process.exitCode = code;
  });
}

if (require.main === module) main();
