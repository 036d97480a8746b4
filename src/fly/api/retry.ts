/** Retries for Fly API requests: which answers are worth another try, and how long to wait before it. */

export interface RetryPolicy {
  /** Tries in all, the first included. */
  readonly maxTries: number;
  /** Milliseconds before the second try; doubled for each try after it. */
  readonly baseDelayMs: number;
  /** The longest single wait. */
  readonly maxDelayMs: number;
  /** No try starts (and no wait is planned) past this many milliseconds after the first. */
  readonly totalMs: number;
  /** Milliseconds each try may take. */
  readonly timeoutMs: number;
  /** Waits; injectable so tests need not. */
  readonly sleep: (ms: number) => Promise<void>;
  /** 0 ≤ x < 1; injectable for deterministic jitter. */
  readonly random: () => number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxTries: 5,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  totalMs: 30_000,
  timeoutMs: 10_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

export const isRetryableStatus = (status: number): boolean => status === 429 || status >= 500;

/** Seconds or an HTTP date, as milliseconds from `now`; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+(\.\d+)?$/.test(header.trim())) return Number(header) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The wait before try number `attempt + 1` (attempt counts from 1): Retry-After when given, else exponential backoff with full jitter. */
export function backoffMs(policy: RetryPolicy, attempt: number, retryAfter?: number): number {
  if (retryAfter !== undefined) return Math.min(retryAfter, policy.totalMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * policy.random());
}
