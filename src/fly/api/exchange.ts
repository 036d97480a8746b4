/**
 * One HTTP exchange with a deadline that always fires: the request, the status line and the whole
 * body must arrive before it, or the exchange fails.
 *
 * Why not `AbortSignal.timeout()` on the request: a timeout signal passed through `new Request(…)` is
 * held only weakly by undici, and after a garbage collection it may never fire (seen on Node 20.20:
 * against a server that accepts and never answers, each request waited for undici's 5-minute header
 * timeout). Here the deadline is a plain timer this module owns; when it fires it aborts the request
 * and settles the exchange, whatever became of the request's own signal. The same goes for a cancel
 * signal (SIGINT/SIGTERM): the exchange ends at once.
 */

export interface ExchangeRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
}

export interface ExchangeAnswer {
  readonly status: number;
  readonly headers: Headers;
  /** The whole body, read before the deadline. */
  readonly text: string;
}

/** The deadline passed before the answer was whole. */
export class DeadlineError extends Error {
  constructor(readonly ms: number) {
    super(`no complete answer within ${ms / 1000}s`);
    this.name = "DeadlineError";
  }
}

/** The caller cancelled (the CLI was interrupted). */
export class CancelledError extends Error {
  constructor() {
    super("cancelled");
    this.name = "CancelledError";
  }
}

/** Sends one request and reads its whole answer within `deadlineMs`; rejects with DeadlineError or CancelledError otherwise. */
export function exchange(fetchFn: typeof fetch, request: ExchangeRequest, deadlineMs: number, cancel?: AbortSignal): Promise<ExchangeAnswer> {
  if (cancel?.aborted) return Promise.reject(new CancelledError());
  const controller = new AbortController();
  return new Promise<ExchangeAnswer>((resolve, reject) => {
    let settled = false;
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      cancel?.removeEventListener("abort", onCancel);
      outcome();
    };
    const fail = (error: Error): void =>
      finish(() => {
        controller.abort(error);
        reject(error);
      });
    const onCancel = (): void => fail(new CancelledError());
    // A timer owned here, referenced by the event loop until it fires or is cleared: it cannot be collected.
    const timer = setTimeout(() => fail(new DeadlineError(deadlineMs)), deadlineMs);
    cancel?.addEventListener("abort", onCancel, { once: true });
    (async () => {
      const response = await fetchFn(request.url, { method: request.method, headers: request.headers, signal: controller.signal });
      const text = await response.text();
      return { status: response.status, headers: response.headers, text };
    })().then(
      (answer) => finish(() => resolve(answer)),
      (error: unknown) => finish(() => reject(error)),
    );
  });
}

/** Waits `ms`, or less when cancelled (then rejects with CancelledError). */
export function cancellableSleep(sleep: (ms: number) => Promise<void>, ms: number, cancel?: AbortSignal): Promise<void> {
  if (!cancel) return sleep(ms);
  if (cancel.aborted) return Promise.reject(new CancelledError());
  return new Promise<void>((resolve, reject) => {
    const onCancel = (): void => reject(new CancelledError());
    cancel.addEventListener("abort", onCancel, { once: true });
    sleep(ms).then(
      () => {
        cancel.removeEventListener("abort", onCancel);
        resolve();
      },
      (error: unknown) => {
        cancel.removeEventListener("abort", onCancel);
        reject(error);
      },
    );
  });
}
