/**
 * A typed, read-only client of Fly's Machines API (providers/fly-machines.openapi.json, types in
 * .gen/fly-api/machines.ts) on `fetch` with openapi-fetch: a timeout on every try, retries with
 * backoff and jitter on 429, 5xx and network errors (honouring Retry-After) within a bounded total,
 * and a clear error for 401/403. The token goes only into the Authorization header: never into a
 * message, a log or an error.
 */
import createClient from "openapi-fetch";
import type { components, paths } from "../../.gen/fly-api/machines";
import { FlyApiError, FlyAuthError } from "./errors";
import { backoffMs, DEFAULT_RETRY, isRetryableStatus, retryAfterMs, type RetryPolicy } from "./retry";

export type Schemas = components["schemas"];
export type FlyMachine = Schemas["Machine"];
export type FlyVolume = Schemas["Volume"];
export type FlyIpAssignment = Schemas["IPAssignment"];
export type FlyCertificateSummary = Schemas["CertificateSummary"];
export type FlyCertificateDetail = Schemas["CertificateDetail"];
/** A secret as listed: its name and digest, never a value. */
export interface FlySecretName {
  readonly name: string;
  readonly digest?: string;
}

export const DEFAULT_FLY_API_URL = "https://api.machines.dev";

export interface FlyClientOptions {
  readonly token: string;
  /** Without `/v1`. @default https://api.machines.dev */
  readonly baseUrl?: string;
  readonly retry?: Partial<RetryPolicy>;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** Told of each retry (a line for stderr); never given the token. */
  readonly onRetry?: (message: string) => void;
}

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

export class FlyClient {
  private readonly api;
  private readonly policy: RetryPolicy;
  private readonly onRetry?: (message: string) => void;

  constructor(options: FlyClientOptions) {
    if (!options.token) throw new FlyApiError("no Fly API token given");
    this.policy = { ...DEFAULT_RETRY, ...options.retry };
    this.onRetry = options.onRetry;
    const base = options.fetch ?? globalThis.fetch;
    this.api = createClient<paths>({
      baseUrl: (options.baseUrl ?? DEFAULT_FLY_API_URL).replace(/\/+$/, ""),
      headers: { Authorization: `Bearer ${options.token}` },
      fetch: (request) => this.send(base, request),
    });
  }

  /** undefined when the app does not exist. */
  async getApp(app: string): Promise<Schemas["App"] | undefined> {
    return this.read(app, `app ${app}`, await this.api.GET("/v1/apps/{app_name}", { params: { path: { app_name: app } } }), true);
  }

  /** Every machine with its config (the API answers them all at once: no pages). */
  async listMachines(app: string): Promise<FlyMachine[]> {
    return (await this.read(app, `machines of ${app}`, await this.api.GET("/v1/apps/{app_name}/machines", { params: { path: { app_name: app } } }))) ?? [];
  }

  async listVolumes(app: string): Promise<FlyVolume[]> {
    return (await this.read(app, `volumes of ${app}`, await this.api.GET("/v1/apps/{app_name}/volumes", { params: { path: { app_name: app } } }))) ?? [];
  }

  async listIpAssignments(app: string): Promise<FlyIpAssignment[]> {
    const answer = await this.read(app, `IP addresses of ${app}`, await this.api.GET("/v1/apps/{app_name}/ip_assignments", { params: { path: { app_name: app } } }));
    return answer?.ips ?? [];
  }

  /** Every certificate, following `next_cursor` while the API gives one. */
  async listCertificates(app: string): Promise<FlyCertificateSummary[]> {
    const all: FlyCertificateSummary[] = [];
    const seen = new Set<string>();
    let cursor: string | undefined;
    do {
      // The document names no cursor parameter; Fly's list endpoints take `cursor`.
      const query = (cursor ? { cursor } : {}) as { filter?: string };
      const page = await this.read(app, `certificates of ${app}`, await this.api.GET("/v1/apps/{app_name}/certificates", { params: { path: { app_name: app }, query } }));
      all.push(...(page?.certificates ?? []));
      cursor = page?.next_cursor || undefined;
      if (cursor && seen.has(cursor)) break;
      if (cursor) seen.add(cursor);
    } while (cursor);
    return all;
  }

  /** undefined when the app has no certificate for `hostname`. */
  async getCertificate(app: string, hostname: string): Promise<FlyCertificateDetail | undefined> {
    return this.read(app, `certificate ${hostname} of ${app}`, await this.api.GET("/v1/apps/{app_name}/certificates/{hostname}", { params: { path: { app_name: app, hostname } } }), true);
  }

  /** Names and digests only: the API never answers values. */
  async listSecrets(app: string): Promise<FlySecretName[]> {
    const answer = await this.read(app, `secrets of ${app}`, await this.api.GET("/v1/apps/{app_name}/secrets", { params: { path: { app_name: app } } }));
    return (answer?.secrets ?? []).filter((s) => s.name).map((s) => ({ name: s.name as string, digest: s.digest }));
  }

  private async read<T>(app: string, what: string, answer: Answer<T>, missingIsUndefined = false): Promise<T | undefined> {
    const status = answer.response.status;
    if (answer.response.ok) return answer.data;
    if (status === 401 || status === 403) throw new FlyAuthError(status, app);
    if (status === 404 && missingIsUndefined) return undefined;
    throw new FlyApiError(`reading ${what}: Fly API answered ${status}${errorText(answer.error)}`, status);
  }

  /** One request, retried per the policy. Only GETs are made, so every try can resend the request as is. */
  private async send(base: typeof fetch, request: Request): Promise<Response> {
    const started = Date.now();
    const label = `${request.method} ${new URL(request.url).pathname}`;
    for (let attempt = 1; ; attempt++) {
      let wait: number | undefined;
      let problem: string;
      try {
        const response = await base(new Request(request.clone(), { signal: AbortSignal.timeout(this.policy.timeoutMs) }));
        if (!isRetryableStatus(response.status)) return response;
        wait = retryAfterMs(response.headers.get("retry-after"));
        problem = `answered ${response.status}`;
        if (!this.canRetry(attempt, started, wait)) return response;
        await response.body?.cancel();
      } catch (error) {
        problem = isTimeout(error) ? `timed out after ${this.policy.timeoutMs / 1000}s` : `failed (${describe(error)})`;
        if (!this.canRetry(attempt, started, undefined)) throw new FlyApiError(`${label} ${problem} (${attempt} ${attempt === 1 ? "try" : "tries"} in ${((Date.now() - started) / 1000).toFixed(1)}s)`);
      }
      const delay = backoffMs(this.policy, attempt, wait);
      this.onRetry?.(`${label} ${problem}; try ${attempt + 1} of ${this.policy.maxTries} in ${(delay / 1000).toFixed(1)}s`);
      await this.policy.sleep(delay);
    }
  }

  private canRetry(attempt: number, started: number, retryAfter: number | undefined): boolean {
    if (attempt >= this.policy.maxTries) return false;
    const next = backoffMs({ ...this.policy, random: () => 0 }, attempt, retryAfter);
    return Date.now() - started + next < this.policy.totalMs;
  }
}

/** Duck-typed: fetch's DOMException may come from another realm than this module's Error. */
function isTimeout(error: unknown): boolean {
  const name = (e: unknown): unknown => (e && typeof e === "object" ? (e as { name?: unknown }).name : undefined);
  const cause = error && typeof error === "object" ? (error as { cause?: unknown }).cause : undefined;
  return [name(error), name(cause)].some((n) => n === "TimeoutError" || n === "AbortError");
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
