/**
 * A typed, read-only client of Fly's Machines API (providers/fly-machines.openapi.json, types in
 * .gen/fly-api/machines.ts; openapi-fetch checks each path and query against them).
 * - Deadlines that fire: each try must bring its whole answer within the per-try timeout, and no try
 *   starts or runs past the total budget (./exchange.ts says why this is not AbortSignal.timeout).
 * - Retries with backoff and jitter on 429, 5xx and network errors, honouring Retry-After.
 * - A clear error for 401/403, and for any answer that is not what Fly's document describes, naming
 *   the request (./answers).
 * - Lists followed to their last page: machines and volumes by the `fly-next-cursor` header,
 *   certificates by `next_cursor`.
 * - Answers brought to one spelling of each value Fly writes more than one way (./answers/machines.ts).
 * - Cancellable: an aborted `signal` (SIGINT/SIGTERM) ends the request in flight and every later one.
 * The token goes only into the Authorization header: never into a message, a log or an error.
 */
import createClient from "openapi-fetch";
import type { components, paths } from "../../../.gen/fly-api/machines";
import { FlyAnswerError, FlyApiError, FlyAuthError, FlyRequestCancelled } from "./errors";
import { CancelledError, cancellableSleep, DeadlineError, exchange } from "./exchange";
import { backoffMs, DEFAULT_RETRY, isRetryableStatus, retryAfterMs, type RetryPolicy } from "./retry";
import { parseAnswer } from "./answers/json";
import { type FlyMachine, readMachines } from "./answers/machines";
import { type FlyVolume, readVolumes } from "./answers/volumes";
import { type FlyIpAssignment, readIpAssignments } from "./answers/ips";
import { type FlyCertificateDetail, type FlyCertificateSummary, readCertificateDetail, readCertificatePage } from "./answers/certificates";
import { type FlyApp, type FlySecretName, readApp, readSecretNames } from "./answers/apps";

export type Schemas = components["schemas"];
export type { FlyMachine, FlyVolume, FlyIpAssignment, FlyCertificateDetail, FlyCertificateSummary, FlyApp, FlySecretName };

export const DEFAULT_FLY_API_URL = "https://api.machines.dev";

/** Items asked for per page: the largest each endpoint allows (machines and volumes 1000, certificates 500). */
const PAGE_LIMIT = { machines: 1000, volumes: 1000, certificates: 500 } as const;

export interface FlyClientOptions {
  readonly token: string;
  /** Without `/v1`. @default https://api.machines.dev */
  readonly baseUrl?: string;
  readonly retry?: Partial<RetryPolicy>;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** Told of each retry (a line for stderr); never given the token. */
  readonly onRetry?: (message: string) => void;
  /** Aborted when the caller is interrupted: the request in flight ends, and no other starts. @default never */
  readonly signal?: AbortSignal;
}

interface Answer {
  data?: string;
  error?: unknown;
  response: Response;
}

/** Statuses whose Response may carry no body. */
const NO_BODY = new Set([101, 204, 205, 304]);

export class FlyClient {
  private readonly api;
  private readonly policy: RetryPolicy;
  private readonly onRetry?: (message: string) => void;
  private readonly signal?: AbortSignal;

  constructor(options: FlyClientOptions) {
    if (!options.token) throw new FlyApiError("no Fly API token given");
    this.policy = { ...DEFAULT_RETRY, ...options.retry };
    this.onRetry = options.onRetry;
    this.signal = options.signal;
    const base = options.fetch ?? globalThis.fetch;
    this.api = createClient<paths>({
      baseUrl: (options.baseUrl ?? DEFAULT_FLY_API_URL).replace(/\/+$/, ""),
      headers: { Authorization: `Bearer ${options.token}` },
      fetch: (request) => this.send(base, request),
    });
  }

  /** undefined when the app does not exist. */
  async getApp(app: string): Promise<FlyApp | undefined> {
    const at = where("/v1/apps/{app_name}", app);
    const answer = await this.api.GET("/v1/apps/{app_name}", { params: { path: { app_name: app } }, parseAs: "text" });
    const body = this.body(app, at, answer, "a JSON object (App)", true);
    return body === undefined ? undefined : readApp(body, at);
  }

  /** Every machine with its config, page by page. */
  async listMachines(app: string): Promise<FlyMachine[]> {
    const at = where("/v1/apps/{app_name}/machines", app);
    return this.pagedByHeader(at, async (cursor) => {
      const answer = await this.api.GET("/v1/apps/{app_name}/machines", { params: { path: { app_name: app }, query: { limit: PAGE_LIMIT.machines, ...(cursor ? { cursor } : {}) } }, parseAs: "text" });
      return { answer, items: readMachines(this.body(app, at, answer, "a JSON array of machines"), at) };
    });
  }

  async listVolumes(app: string): Promise<FlyVolume[]> {
    const at = where("/v1/apps/{app_name}/volumes", app);
    return this.pagedByHeader(at, async (cursor) => {
      const answer = await this.api.GET("/v1/apps/{app_name}/volumes", { params: { path: { app_name: app }, query: { limit: PAGE_LIMIT.volumes, ...(cursor ? { cursor } : {}) } }, parseAs: "text" });
      return { answer, items: readVolumes(this.body(app, at, answer, "a JSON array of volumes"), at) };
    });
  }

  async listIpAssignments(app: string): Promise<FlyIpAssignment[]> {
    const at = where("/v1/apps/{app_name}/ip_assignments", app);
    const answer = await this.api.GET("/v1/apps/{app_name}/ip_assignments", { params: { path: { app_name: app } }, parseAs: "text" });
    return readIpAssignments(this.body(app, at, answer, "a JSON object { ips: [IPAssignment] }"), at);
  }

  /** Every certificate, following `next_cursor` (without a limit Fly answers 25 at most). */
  async listCertificates(app: string): Promise<FlyCertificateSummary[]> {
    const all: FlyCertificateSummary[] = [];
    const seen = new Set<string>();
    const at = where("/v1/apps/{app_name}/certificates", app);
    let cursor: string | undefined;
    do {
      const answer = await this.api.GET("/v1/apps/{app_name}/certificates", { params: { path: { app_name: app }, query: { limit: PAGE_LIMIT.certificates, ...(cursor ? { cursor } : {}) } }, parseAs: "text" });
      const page = readCertificatePage(this.body(app, at, answer, "a JSON object { certificates: [CertificateSummary] }"), at);
      all.push(...page.certificates);
      cursor = nextCursor(page.next, seen, at);
    } while (cursor);
    return all;
  }

  /** undefined when the app has no certificate for `hostname`. */
  async getCertificate(app: string, hostname: string): Promise<FlyCertificateDetail | undefined> {
    const at = where("/v1/apps/{app_name}/certificates/{hostname}", app, hostname);
    const answer = await this.api.GET("/v1/apps/{app_name}/certificates/{hostname}", { params: { path: { app_name: app, hostname } }, parseAs: "text" });
    const body = this.body(app, at, answer, "a JSON object (CertificateDetail)", true);
    return body === undefined ? undefined : readCertificateDetail(body, at);
  }

  /** Names and digests only: the API never answers values. */
  async listSecrets(app: string): Promise<FlySecretName[]> {
    const at = where("/v1/apps/{app_name}/secrets", app);
    const answer = await this.api.GET("/v1/apps/{app_name}/secrets", { params: { path: { app_name: app } }, parseAs: "text" });
    return readSecretNames(this.body(app, at, answer, "a JSON object { secrets: [...] }"), at);
  }

  /** Pages of a list whose next cursor comes in the `fly-next-cursor` header (machines, volumes); an empty page may still have one. */
  private async pagedByHeader<T>(at: string, page: (cursor: string | undefined) => Promise<{ answer: Answer; items: T[] }>): Promise<T[]> {
    const all: T[] = [];
    const seen = new Set<string>();
    let cursor: string | undefined;
    do {
      const { answer, items } = await page(cursor);
      all.push(...items);
      cursor = nextCursor(answer.response.headers.get("fly-next-cursor") ?? undefined, seen, at);
    } while (cursor);
    return all;
  }

  /** The answer's parsed JSON; undefined for a 404 when `missingIsUndefined`. Errors name the request. */
  private body(app: string, at: string, answer: Answer, expected: string, missingIsUndefined = false): unknown {
    const status = answer.response.status;
    if (answer.response.ok) return parseAnswer(answer.data ?? "", at, expected);
    if (status === 401 || status === 403) throw new FlyAuthError(status, app);
    if (status === 404 && missingIsUndefined) return undefined;
    throw new FlyApiError(`${at}: Fly API answered ${status}${errorText(answer.error)}`, status);
  }

  /** One request, retried per the policy. Only GETs are made, so every try can resend the request as is. */
  private async send(base: typeof fetch, request: Request): Promise<Response> {
    const started = Date.now();
    const label = `${request.method} ${new URL(request.url).pathname}`;
    const deadline = started + this.policy.totalMs;
    for (let attempt = 1; ; attempt++) {
      let wait: number | undefined;
      let problem: string;
      const tryMs = Math.max(1, Math.min(this.policy.timeoutMs, deadline - Date.now()));
      try {
        const answer = await exchange(base, { url: request.url, method: request.method, headers: request.headers }, tryMs, this.signal);
        const response = new Response(NO_BODY.has(answer.status) ? null : answer.text, { status: answer.status, headers: answer.headers });
        if (!isRetryableStatus(answer.status)) return response;
        wait = retryAfterMs(answer.headers.get("retry-after"));
        problem = `answered ${answer.status}`;
        if (!this.canRetry(attempt, started, wait)) return response;
      } catch (error) {
        if (error instanceof CancelledError) throw new FlyRequestCancelled(label);
        // A try cut short by the total budget still reports the per-try timeout it ran under, and the budget.
        const clipped = error instanceof DeadlineError && tryMs < this.policy.timeoutMs ? `, the total budget of ${seconds(this.policy.totalMs)} spent` : "";
        problem = error instanceof DeadlineError ? `timed out after ${seconds(this.policy.timeoutMs)}` : `failed (${describe(error)})`;
        if (!this.canRetry(attempt, started, undefined)) throw new FlyApiError(`${label} ${problem} (${attempt} ${attempt === 1 ? "try" : "tries"} in ${((Date.now() - started) / 1000).toFixed(1)}s${clipped})`);
      }
      const delay = backoffMs(this.policy, attempt, wait);
      this.onRetry?.(`${label} ${problem}; try ${attempt + 1} of ${this.policy.maxTries} in ${(delay / 1000).toFixed(1)}s`);
      try {
        await cancellableSleep(this.policy.sleep, delay, this.signal);
      } catch (error) {
        if (error instanceof CancelledError) throw new FlyRequestCancelled(label);
        throw error;
      }
    }
  }

  /** Another try only within maxTries and when it could start before the total budget is spent. */
  private canRetry(attempt: number, started: number, retryAfter: number | undefined): boolean {
    if (attempt >= this.policy.maxTries) return false;
    const next = backoffMs({ ...this.policy, random: () => 0 }, attempt, retryAfter);
    return Date.now() - started + next < this.policy.totalMs;
  }
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)}s`;

/** `GET /v1/apps/web/machines`: the request, for messages (no query, no token). */
function where(template: string, app: string, hostname?: string): string {
  return `GET ${template.replace("{app_name}", encodeURIComponent(app)).replace("{hostname}", encodeURIComponent(hostname ?? ""))}`;
}

/** A cursor seen before would loop for ever: an error, never a silently shortened list. */
function nextCursor(cursor: string | undefined, seen: Set<string>, at: string): string | undefined {
  if (!cursor) return undefined;
  if (seen.has(cursor)) throw new FlyAnswerError(at, `the page cursor ${JSON.stringify(cursor.slice(0, 40))} came back a second time; stopped rather than read the same pages again`);
  seen.add(cursor);
  return cursor;
}

function describe(error: unknown): string {
  const message = (e: unknown): string | undefined => (e && typeof e === "object" && typeof (e as { message?: unknown }).message === "string" ? (e as { message: string }).message : undefined);
  const cause = error && typeof error === "object" ? (error as { cause?: unknown }).cause : undefined;
  return message(cause) ?? message(error) ?? String(error);
}

function errorText(error: unknown): string {
  if (!error) return "";
  const text = typeof error === "object" && error && "error" in error ? String((error as { error: unknown }).error) : typeof error === "string" ? error : JSON.stringify(error);
  return `: ${text.slice(0, 200)}`;
}
