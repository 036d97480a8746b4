/**
 * Interruption (SIGINT, SIGTERM) as the CLI sees it: one injectable source of "stop" requests that the
 * process runner forwards to the program it is running, and that runCli turns into exit 130/143.
 * Only main.ts wires it to the real process signals; tests call interrupt() themselves.
 */
import * as path from "node:path";

export type InterruptSignal = "SIGINT" | "SIGTERM";

/** The shell convention: 128 + the signal's number. */
export const INTERRUPT_EXIT: Readonly<Record<InterruptSignal, number>> = { SIGINT: 130, SIGTERM: 143 };

/** A program that was running when a signal came, and how it ended. */
export interface StoppedChild {
  readonly command: string;
  readonly args: readonly string[];
  /** The signals forwarded to it, in order. */
  readonly forwarded: readonly InterruptSignal[];
  /** Its exit code, or null when a signal ended it. */
  readonly code: number | null;
  /** The signal that ended it, if one did (e.g. SIGKILL). */
  readonly signal: string | null;
  readonly stderr: string;
}

export type InterruptListener = (signal: InterruptSignal, count: number) => void;

/** Thrown by the runner when asked to start a program after an interruption: nothing new starts. */
export class InterruptedError extends Error {
  constructor(readonly command: string) {
    super(`interrupted: not starting ${path.basename(command)}`);
  }
}

export class Interruption {
  private readonly listeners = new Set<InterruptListener>();
  private readonly received: InterruptSignal[] = [];
  private readonly stoppedChildren: StoppedChild[] = [];
  /** Set once runCli has printed the message, so a nested runCli (with-secrets) does not print it twice. */
  reported = false;
  /** Programs started and not yet ended (the runner counts them), so a signal's first message says whether one is running. */
  running = 0;

  /** A stop request (from process.on in main.ts, or a test). Every listener hears every request. */
  interrupt(signal: InterruptSignal): void {
    this.received.push(signal);
    for (const listener of [...this.listeners]) listener(signal, this.received.length);
  }

  /** Subscribes; returns the unsubscribe function. */
  onInterrupt(listener: InterruptListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get interrupted(): boolean {
    return this.received.length > 0;
  }

  get signals(): readonly InterruptSignal[] {
    return this.received;
  }

  /** 130 for SIGINT, 143 for SIGTERM: by the first signal received. */
  get exitCode(): number {
    return INTERRUPT_EXIT[this.received[0] ?? "SIGINT"];
  }

  /** Called by the runner when a program it forwarded a signal to has ended. */
  recordStopped(child: StoppedChild): void {
    this.stoppedChildren.push(child);
  }

  get stopped(): readonly StoppedChild[] {
    return this.stoppedChildren;
  }
}

/** Terraform's own words for "what it had done is not fully recorded". */
const LOST_STATE = /Failed to (save|persist|write) state|Error saving state|Failed to upload state/i;
const LOCK_LEFT = /Error releasing the state lock|Failed to unlock state|release the lock/i;

/** What happened, in one paragraph for stderr: what got the signal, how it stopped, what to do next. */
export function interruptionMessage(interruption: Interruption): string {
  const first = interruption.signals[0] ?? "SIGINT";
  const head = `interrupted by ${first}`;
  const child = interruption.stopped.at(-1);
  if (!child) return `${head} while no program was running; nothing further was started. Run flystack plan again to see what is left to do.`;
  const name = path.basename(child.command);
  const what = [name, child.args[0]].filter(Boolean).join(" ");
  const isTerraform = /^(terraform|tofu)/.test(name);
  const forwarded = child.forwarded.length === 1 ? `forwarded ${child.forwarded[0]} once to ${what}` : `forwarded ${child.forwarded.join(", then ")} to ${what}`;
  const runbook = 'see docs/runbook.md, "An interrupted apply"';
  if (child.code === null) {
    return `${head}: ${forwarded}, which was killed by ${child.signal}: it may not have recorded what it created and its state lock may remain; ${runbook}. Nothing further was started.`;
  }
  if (!isTerraform) {
    return `${head}: ${forwarded}, which stopped (exit ${child.code}). Nothing further was started.`;
  }
  const problems: string[] = [];
  const lost = child.stderr.split("\n").find((l) => LOST_STATE.test(l));
  const lock = child.stderr.split("\n").find((l) => LOCK_LEFT.test(l));
  if (lost) problems.push(`it could not save its state (${lost.replace(/^[│╷╵\s]+/, "").trim()})`);
  if (lock) problems.push(`it could not release the state lock (${lock.replace(/^[│╷╵\s]+/, "").trim()})`);
  if (child.forwarded.length > 1) {
    return (
      `${head}: ${forwarded}: ${name} stopped at once (forced, exit ${child.code}) without waiting for the operations in progress: ` +
      `what they created may be missing from the state${problems.length ? `, and ${problems.join(" and ")}` : ""}; ${runbook}. Nothing further was started.`
    );
  }
  if (problems.length > 0) {
    return `${head}: ${forwarded}, which stopped (exit ${child.code}), but ${problems.join(" and ")}; ${runbook}. Nothing further was started.`;
  }
  return (
    `${head}: ${forwarded}, which stopped gracefully (exit ${child.code}): ${name} recorded what it had done in the state and released the state lock. ` +
    `Nothing further was started. Run flystack plan again to see what is left to do.`
  );
}

/**
 * Wires the real process signals to an Interruption (main.ts only). A terminal Ctrl-C reaches flystack
 * alone (the runner starts programs in their own process group), so each signal is forwarded once.
 */
export function installSignalHandlers(interruption: Interruption, stderr: NodeJS.WritableStream, proc: NodeJS.EventEmitter = process): () => void {
  const handlers = (["SIGINT", "SIGTERM"] as const).map((signal) => {
    const handler = () => {
      const again = interruption.interrupted;
      stderr.write(
        interruption.running === 0
          ? `flystack: ${signal} received: stopping (no program was running; requests in flight are cancelled and nothing further starts)\n`
          : again
            ? `flystack: ${signal} received again: forwarded; Terraform stops at once (data loss possible)\n`
            : `flystack: ${signal} received: forwarded to the running program; waiting for it to stop gracefully (a second signal forces it)\n`,
      );
      interruption.interrupt(signal);
    };
    proc.on(signal, handler);
    return () => proc.off(signal, handler);
  });
  return () => handlers.forEach((off) => off());
}
