import { FlyClient } from "../src/fly/api/client";
import type { RetryPolicy } from "../src/fly/api/retry";
import type { CliContext } from "./command";

/**
 * A read client for Fly's Machines API from the CLI's environment (FLYSTACK_FLY_API_URL and the retry
 * variables); undefined without FLY_API_TOKEN. A SIGINT/SIGTERM (the runner's interruption) cancels
 * the request in flight and every later one, so audit, drift and import stop promptly when no
 * Terraform is running.
 */
export function flyClientFromEnv(ctx: CliContext, label: string): FlyClient | undefined {
  const token = ctx.env.FLY_API_TOKEN;
  if (!token) return undefined;
  return new FlyClient({
    token,
    baseUrl: ctx.env.FLYSTACK_FLY_API_URL || undefined,
    retry: retryFromEnv(ctx.env),
    onRetry: (message) => ctx.stderr.write(`${label}: ${message}\n`),
    signal: interruptionSignal(ctx),
  });
}

/** An AbortSignal aborted at the first stop request; undefined when the runner has no interruption source. */
function interruptionSignal(ctx: CliContext): AbortSignal | undefined {
  const interruption = ctx.runner.interruption;
  if (!interruption) return undefined;
  const controller = new AbortController();
  if (interruption.interrupted) controller.abort();
  else {
    const unsubscribe = interruption.onInterrupt(() => {
      unsubscribe();
      controller.abort();
    });
  }
  return controller.signal;
}

function retryFromEnv(env: Readonly<Record<string, string | undefined>>): Partial<RetryPolicy> {
  const number = (name: string): number | undefined => (env[name] && /^\d+$/.test(env[name] as string) ? Number(env[name]) : undefined);
  const entries = { timeoutMs: number("FLYSTACK_FLY_API_TIMEOUT_MS"), baseDelayMs: number("FLYSTACK_FLY_API_RETRY_BASE_MS"), totalMs: number("FLYSTACK_FLY_API_TOTAL_MS") };
  return Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined));
}
