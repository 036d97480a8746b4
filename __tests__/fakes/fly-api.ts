/**
 * A fake of Fly's Machines API (the part providers/fly-machines.openapi.json describes) for the
 * provider double and real `terraform` to talk to over HTTP on 127.0.0.1. In memory; every request
 * body is validated against the document; every request is recorded (secrets redacted) so tests can
 * assert order and overlap; failures and slowness can be injected; and a test can change things
 * behind Terraform's back as a Fly user with flyctl would.
 *
 * Paths carry `/v1` as in Fly's document, so `start()` returns the base URL without it: that is what
 * the provider's `base_url` takes (its flyio/client.go: "a base URL never includes it").
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { BodyValidator, routes, type OperationId, type Route } from "./fly-api/document";
import { ANSWER_VARIANTS, type AnswerForms, type AnswerVariant, appAs, certificateAs, ipAs, listAs, machineAs, pageOf, volumeAs } from "./fly-api/variants";
import { dnsAsRequired, evaluateCertificate, fakeAddress, fakeId, imageRef, sha256, type CheckStatus, type DnsLookup, type FakeCertificate, type IPAssignment, type Machine, type MachineConfig, type Schemas, type Volume } from "./fly-api/model";

export interface FakeFlyApiOptions {
  /** The API token every request must carry as `Authorization: Bearer <token>`. */
  token?: string;
  /** How long a created, started or updated machine takes to reach its rest state. */
  startDelayMs?: number;
  /** Public DNS as Fly's certificate validator sees it; consulted whenever a certificate is read or checked. */
  dnsLookup?: DnsLookup;
  /** Region for machines created without one. */
  defaultRegion?: string;
  /** Milliseconds every request waits before it is answered, like a remote API's round trip. @default 0 */
  latencyMs?: number;
  /** The forms answers are written in (fakes/README.md lists each with its source). @default "canonical" */
  variant?: AnswerVariant;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  /** performance.now() when the request arrived and when it was answered: monotonic, for order and overlap. */
  readonly time: number;
  end: number;
  status: number;
  readonly body: unknown;
}

export interface Injection {
  method?: string;
  path: RegExp;
  /** Answer with this status instead of handling the request (omit to only delay it). */
  status?: number;
  /** Seconds for a Retry-After header. */
  retryAfter?: number;
  /** Wait this long before answering. */
  delayMs?: number;
  /** How many matching requests it applies to (default 1). */
  times?: number;
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface Request {
  params: Record<string, string>;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

type Handler = (req: Request) => Reply | Promise<Reply>;

interface FakeApp {
  id: string;
  name: string;
  org: string;
  network?: string;
  createdAt: Date;
  secrets: Map<string, { digest: string; created_at: string; updated_at: string }>;
  secretsVersion: number;
  ips: IPAssignment[];
  certs: Map<string, FakeCertificate>;
}

interface FakeMachine {
  app: string;
  id: string;
  name: string;
  region: string;
  state: string;
  config: MachineConfig;
  instanceId: string;
  privateIp: string;
  createdAt: string;
  updatedAt: string;
  events: Schemas["MachineEvent"][];
  lease?: { nonce: string; expiresAt: number; owner: string; description?: string };
}

const REST_STATES = ["started", "stopped", "suspended", "failed", "destroyed"];
const ok = (body?: unknown, status = 200): Reply => ({ status, body });
const fail = (status: number, error: string, extra: Record<string, unknown> = {}): Reply => ({ status, body: { error, ...extra } });
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class FakeFlyApi {
  readonly requests: RecordedRequest[] = [];
  private readonly token: string;
  private readonly startDelayMs: number;
  private readonly defaultRegion: string;
  private dnsLookup: DnsLookup;
  private readonly apps = new Map<string, FakeApp>();
  private readonly machines = new Map<string, FakeMachine>();
  private readonly volumes = new Map<string, Volume & { app: string }>();
  private readonly failing: Array<{ app: string; machine: (name: string) => boolean }> = [];
  private readonly injections: Injection[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly waiters = new Set<() => void>();
  private readonly routeTable: Route[] = routes();
  private readonly validator = new BodyValidator();
  private readonly handlers: Record<OperationId, Handler>;
  private counter = 0;
  private server?: http.Server;
  private latencyMs: number;
  private forms: AnswerForms;
  private variantName: AnswerVariant;

  constructor(options: FakeFlyApiOptions = {}) {
    this.token = options.token ?? "fake-fly-token";
    this.startDelayMs = options.startDelayMs ?? 20;
    this.defaultRegion = options.defaultRegion ?? "iad";
    this.dnsLookup = options.dnsLookup ?? (() => []);
    this.latencyMs = options.latencyMs ?? 0;
    this.variantName = options.variant ?? "canonical";
    this.forms = ANSWER_VARIANTS[this.variantName];
    this.handlers = this.buildHandlers();
  }

  /** Listens on 127.0.0.1 (a free port) and returns the base URL, without `/v1`. */
  async start(): Promise<string> {
    this.server = http.createServer((req, res) => void this.serve(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  // ---- test controls ------------------------------------------------------------------------------

  /** Every later request waits `ms` before it is answered (0: none), like a remote API's round trip. */
  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  /** From now on, answers are written in the forms of `variant`; the state behind them is unchanged. */
  setVariant(variant: AnswerVariant): void {
    this.variantName = variant;
    this.forms = ANSWER_VARIANTS[variant];
  }

  get variant(): AnswerVariant {
    return this.variantName;
  }

  /** Answers matching requests with `status` (and Retry-After), or delays them, `times` times. */
  inject(injection: Injection): void {
    this.injections.push({ times: 1, ...injection });
  }

  setDnsLookup(lookup: DnsLookup): void {
    this.dnsLookup = lookup;
  }

  /** From now on, checks of the app's machines whose name matches report "critical". */
  failChecks(app: string, machine: (name: string) => boolean = () => true): void {
    this.failing.push({ app, machine });
  }

  passChecks(app: string): void {
    for (let i = this.failing.length - 1; i >= 0; i--) if (this.failing[i].app === app) this.failing.splice(i, 1);
  }

  /** The machine as the API would answer it (undefined once destroyed). */
  machine(id: string): Machine | undefined {
    const m = this.machines.get(id);
    return m && this.present(m);
  }

  machinesOf(app: string): Machine[] {
    return [...this.machines.values()].filter((m) => m.app === app).map((m) => this.present(m));
  }

  volume(id: string): Volume | undefined {
    const v = this.volumes.get(id);
    return v && this.presentVolume(v);
  }

  volumesOf(app: string): Volume[] {
    return [...this.volumes.values()].filter((v) => v.app === app).map((v) => this.presentVolume(v));
  }

  /**
   * From now on, public DNS holds exactly the records every certificate asks for, as if someone had
   * made them by hand: for runs whose stacks leave the DNS provider out.
   */
  treatDnsAsConfigured(): void {
    this.dnsLookup = dnsAsRequired((hostname) => [...this.apps.values()].find((a) => a.certs.has(hostname))?.name);
  }

  /** The app's IP assignments as stored (every variant's answer is a form of these). */
  ipsOf(app: string): IPAssignment[] {
    return structuredClone(this.apps.get(app)?.ips ?? []);
  }

  appNames(): string[] {
    return [...this.apps.keys()];
  }

  /** Changes a machine's image, env, guest, containers or checks as `fly machine update` would: a new instance, same state. */
  updateMachineOutOfBand(id: string, patch: Pick<MachineConfig, "image" | "env" | "guest" | "containers" | "checks" | "services">): void {
    const m = this.mustMachine(id);
    m.config = { ...m.config, ...patch };
    m.instanceId = this.instanceId();
    this.event(m, "update", m.state, "user");
  }

  /** `fly machine clone`: a new machine with the same config (without mounts, whose volumes are taken). */
  cloneMachineOutOfBand(id: string, name?: string): string {
    const source = this.mustMachine(id);
    const clone = this.newMachine(source.app, name ?? `${source.name}-clone`, source.region, { ...source.config, mounts: undefined });
    this.transition(clone, "started");
    return clone.id;
  }

  /** Stops a machine at once, as Fly Proxy's autostop does. */
  stopMachineOutOfBand(id: string): void {
    const m = this.mustMachine(id);
    this.setState(m, "stopped", "exit", "flyd");
  }

  /** Starts a stopped machine at once, as Fly Proxy's autostart does on a request. */
  startMachineOutOfBand(id: string): void {
    this.setState(this.mustMachine(id), "started", "start", "flyd");
  }

  destroyMachineOutOfBand(id: string): void {
    this.destroy(this.mustMachine(id));
  }

  resizeVolumeOutOfBand(id: string, sizeGb: number): void {
    const v = this.volumes.get(id);
    if (!v) throw new Error(`fake Fly API: no volume ${id}`);
    v.size_gb = sizeGb;
  }

  /**
   * A volume gone from under its machine (deleted after a host failure, or by Fly support): the
   * machine keeps its mount config. `fly volumes destroy` itself refuses an attached volume.
   */
  loseVolumeOutOfBand(id: string): void {
    if (!this.volumes.delete(id)) throw new Error(`fake Fly API: no volume ${id}`);
  }

  /** Moves a certificate's expiry to `inDays` from now (past expiry: re-validated on the next read). */
  expireCertificate(hostname: string, inDays: number): void {
    for (const app of this.apps.values()) {
      const cert = app.certs.get(hostname);
      if (!cert) continue;
      cert.issuedAt ??= new Date();
      cert.expiresAt = new Date(Date.now() + inDays * 86_400_000);
      return;
    }
    throw new Error(`fake Fly API: no certificate for ${hostname}`);
  }

  // ---- HTTP ---------------------------------------------------------------------------------------

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const time = performance.now();
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const method = req.method ?? "GET";
    const raw = await new Promise<string>((resolve) => {
      let text = "";
      req.setEncoding("utf8");
      req.on("data", (chunk: string) => (text += chunk));
      req.on("end", () => resolve(text));
    });
    let body: unknown;
    let unparsable = false;
    try {
      body = raw.trim() === "" ? undefined : JSON.parse(raw);
    } catch {
      unparsable = true;
    }
    const record: RecordedRequest = { method, path: url.pathname, query: Object.fromEntries(url.searchParams), time, end: time, status: 0, body: this.redact(url.pathname, body) };
    this.requests.push(record);

    let reply: Reply;
    try {
      reply = await this.answer(method, url, req.headers, body, unparsable);
    } catch (error) {
      reply = fail(500, `fake Fly API: ${error instanceof Error ? error.message : String(error)}`);
    }
    record.status = reply.status;
    record.end = performance.now();
    const text = reply.body === undefined ? "" : JSON.stringify(reply.body);
    res.writeHead(reply.status, { ...(text ? { "content-type": "application/json" } : {}), "fly-request-id": `fake-${this.requests.length}`, ...reply.headers });
    res.end(text);
  }

  private async answer(method: string, url: URL, headers: http.IncomingHttpHeaders, body: unknown, unparsable: boolean): Promise<Reply> {
    if (this.latencyMs > 0) await sleep(this.latencyMs);
    if (headers.authorization !== `Bearer ${this.token}`) return fail(401, "You must be authenticated to view this.");
    const injected = await this.injected(method, url.pathname);
    if (injected) return injected;
    const route = this.routeTable.find((r) => r.method === method && r.pattern.test(url.pathname));
    if (!route) return fail(404, `no route for ${method} ${url.pathname}`);
    if (unparsable) return fail(400, "json: invalid request body");
    if (route.bodySchema && (body !== undefined || route.bodyRequired)) {
      const problem = this.validator.validate(route.bodySchema, body ?? null);
      if (problem) return fail(400, problem);
    }
    const values = route.pattern.exec(url.pathname)!.slice(1).map(decodeURIComponent);
    const params = Object.fromEntries(route.params.map((name, i) => [name, values[i]]));
    return this.handlers[route.operationId]({ params, query: url.searchParams, headers, body });
  }

  private async injected(method: string, path: string): Promise<Reply | undefined> {
    const rule = this.injections.find((i) => (!i.method || i.method === method) && i.path.test(path));
    if (!rule) return undefined;
    rule.times = (rule.times ?? 1) - 1;
    if (rule.times <= 0) this.injections.splice(this.injections.indexOf(rule), 1);
    if (rule.delayMs) await sleep(rule.delayMs);
    if (rule.status === undefined) return undefined;
    return { status: rule.status, body: { error: `injected ${rule.status}` }, headers: rule.retryAfter === undefined ? {} : { "retry-after": String(rule.retryAfter) } };
  }

  /** Secret values and the token never reach the log. */
  private redact(path: string, body: unknown): unknown {
    const walk = (value: unknown): unknown => {
      if (typeof value === "string") return value.includes(this.token) ? "[redacted]" : value;
      if (Array.isArray(value)) return value.map(walk);
      if (typeof value !== "object" || value === null) return value;
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    };
    const copy = walk(body);
    if (/\/secrets(\/|$)/.test(path) && typeof copy === "object" && copy !== null && "values" in copy) {
      const values = (copy as { values: unknown }).values;
      if (typeof values === "object" && values !== null) (copy as { values: unknown }).values = Object.fromEntries(Object.keys(values).map((k) => [k, "[redacted]"]));
      else (copy as { values: unknown }).values = "[redacted]";
    }
    return copy;
  }

  // ---- state helpers ------------------------------------------------------------------------------

  private next(): number {
    return ++this.counter;
  }

  private instanceId(): string {
    return `01K${fakeId("", this.next(), 23).toUpperCase()}`;
  }

  private schedule(fn: () => void, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  private event(m: FakeMachine, type: string, status: string, source: string): void {
    m.events.unshift({ id: this.instanceId(), type, status, source, timestamp: Date.now() });
    m.events.length = Math.min(m.events.length, 20);
    m.updatedAt = new Date().toISOString();
  }

  private setState(m: FakeMachine, state: string, type: string, source = "flyd"): void {
    m.state = state;
    this.event(m, type, state, source);
    this.notify();
  }

  /** Goes to `target` after the configured delay, unless something else changed the instance or state meanwhile. */
  private transition(m: FakeMachine, target: "started" | "stopped"): void {
    const instance = m.instanceId;
    const from = m.state;
    this.schedule(() => {
      if (this.machines.get(m.id) === m && m.instanceId === instance && m.state === from) this.setState(m, target, target === "started" ? "start" : "stop");
    }, this.startDelayMs);
  }

  private newMachine(app: string, name: string, region: string, config: MachineConfig): FakeMachine {
    const n = this.next();
    const now = new Date().toISOString();
    const m: FakeMachine = { app, id: fakeId("", n, 14), name, region, state: "created", config, instanceId: this.instanceId(), privateIp: `fdaa:0:1:a7b:${n.toString(16)}::2`, createdAt: now, updatedAt: now, events: [] };
    this.machines.set(m.id, m);
    this.attachMounts(m, config);
    this.event(m, "launch", "created", "user");
    return m;
  }

  private destroy(m: FakeMachine): void {
    for (const v of this.volumes.values()) if (v.attached_machine_id === m.id) delete v.attached_machine_id;
    this.machines.delete(m.id);
    m.state = "destroyed";
    this.notify();
  }

  private mustMachine(id: string): FakeMachine {
    const m = this.machines.get(id);
    if (!m) throw new Error(`fake Fly API: no machine ${id}`);
    return m;
  }

  private checks(m: FakeMachine): CheckStatus[] {
    const names = Object.keys(m.config.checks ?? {});
    (m.config.services ?? []).forEach((service) =>
      (service.checks ?? []).forEach((check, i) => names.push(`servicecheck-${String(i).padStart(2, "0")}-${check.type ?? "tcp"}-${service.internal_port ?? 0}`)),
    );
    const failing = this.failing.some((f) => f.app === m.app && f.machine(m.name));
    const status = m.state !== "started" ? "warning" : failing ? "critical" : "passing";
    return names.map((name) => ({ name, status, output: status === "passing" ? "Success" : `fake: ${status}`, updated_at: m.updatedAt }));
  }

  private present(m: FakeMachine, summary = false): Machine {
    const base: Machine = { id: m.id, name: m.name, state: m.state, region: m.region, instance_id: m.instanceId, version: m.instanceId, private_ip: m.privateIp, image_ref: imageRef(m.config.image ?? ""), created_at: m.createdAt, updated_at: m.updatedAt, host_status: "ok" };
    return summary ? base : { ...base, config: m.config, checks: this.checks(m), events: m.events };
  }

  private presentVolume(v: Volume & { app: string }): Volume {
    const { app: _app, ...volume } = v;
    return { ...volume, blocks: (v.size_gb ?? 0) * 262_144, block_size: 4096, blocks_free: (v.size_gb ?? 0) * 262_000, blocks_avail: (v.size_gb ?? 0) * 262_000 };
  }

  /** A volume mounts on one machine at a time, in its region: what Fly refuses, the fake refuses. */
  private mountProblem(m: Pick<FakeMachine, "app" | "id" | "region">, config: MachineConfig): string | undefined {
    for (const mount of config.mounts ?? []) {
      const v = mount.volume ? this.volumes.get(mount.volume) : undefined;
      if (!v || v.app !== m.app) return `volume ${mount.volume ?? "(none)"} not found`;
      if (v.region !== m.region) return `volume ${v.id} is in ${v.region}, the machine in ${m.region}`;
      if (v.attached_machine_id && v.attached_machine_id !== m.id) return `failed to launch VM: volume ${v.id} is already attached to machine ${v.attached_machine_id}`;
    }
    return undefined;
  }

  private attachMounts(m: FakeMachine, config: MachineConfig): void {
    for (const v of this.volumes.values()) if (v.attached_machine_id === m.id) delete v.attached_machine_id;
    for (const mount of config.mounts ?? []) {
      const v = this.volumes.get(mount.volume ?? "");
      if (!v) continue;
      v.attached_machine_id = m.id;
      mount.name ??= v.name;
    }
  }

  private leaseConflict(m: FakeMachine, headers: http.IncomingHttpHeaders): Reply | undefined {
    if (!m.lease || m.lease.expiresAt <= Date.now() / 1000) return undefined;
    if (headers["fly-machine-lease-nonce"] === m.lease.nonce) return undefined;
    return fail(409, `machine ${m.id} is leased by ${m.lease.owner} until ${new Date(m.lease.expiresAt * 1000).toISOString()}; send its nonce in fly-machine-lease-nonce`);
  }

  // ---- operations, keyed by the document's operationIds --------------------------------------------

  private buildHandlers(): Record<OperationId, Handler> {
    const app = (name: string): FakeApp | undefined => this.apps.get(name);
    const machineIn = (req: Request): FakeMachine | Reply => {
      const m = this.machines.get(req.params.machine_id);
      return m && m.app === req.params.app_name ? m : fail(404, "machine not found");
    };
    const volumeIn = (req: Request): (Volume & { app: string }) | Reply => {
      const v = this.volumes.get(req.params.volume_id);
      return v && v.app === req.params.app_name ? v : fail(404, "volume not found");
    };
    const isReply = (x: object): x is Reply => "status" in x && typeof (x as Reply).status === "number" && !("app" in x);
    const withApp = (fn: (a: FakeApp, req: Request) => Reply | Promise<Reply>): Handler => (req) => {
      const a = app(req.params.app_name);
      return a ? fn(a, req) : fail(404, "app not found");
    };
    const withMachine = (fn: (m: FakeMachine, req: Request) => Reply | Promise<Reply>): Handler => (req) => {
      const m = machineIn(req);
      return isReply(m) ? m : fn(m, req);
    };
    const withVolume = (fn: (v: Volume & { app: string }, req: Request) => Reply): Handler => (req) => {
      const v = volumeIn(req);
      return isReply(v) ? v : fn(v, req);
    };
    const withCert = (fn: (a: FakeApp, c: FakeCertificate) => Reply): Handler =>
      withApp((a, req) => {
        const c = a.certs.get(req.params.hostname);
        return c ? fn(a, c) : fail(404, "certificate not found");
      });
    const secretList = (a: FakeApp): Schemas["AppSecret"][] => [...a.secrets].map(([name, s]) => ({ name, ...s }));

    return {
      Apps_list: (req) => {
        const apps = [...this.apps.values()].filter((a) => a.org === req.query.get("org_slug")).map((a) => appAs(this.presentApp(a), this.forms));
        return ok({ apps, total_apps: apps.length } satisfies Schemas["ListAppsResponse"]);
      },
      Apps_create: (req) => {
        const body = req.body as Schemas["CreateAppRequest"];
        if (!body.name || !body.org_slug) return fail(400, "name and org_slug are required");
        if (this.apps.has(body.name)) return fail(422, "Name has already been taken", { status: "name_taken" });
        const a: FakeApp = { id: fakeId("", this.next(), 12), name: body.name, org: body.org_slug, network: body.network, createdAt: new Date(), secrets: new Map(), secretsVersion: 0, ips: [], certs: new Map() };
        this.apps.set(a.name, a);
        return ok({ id: a.id, created_at: a.createdAt.getTime() } satisfies Schemas["CreateAppResponse"], 201);
      },
      Apps_show: withApp((a) => ok(appAs(this.presentApp(a), this.forms))),
      Apps_delete: withApp((a) => {
        for (const m of [...this.machines.values()]) if (m.app === a.name) this.destroy(m);
        for (const [id, v] of this.volumes) if (v.app === a.name) this.volumes.delete(id);
        this.apps.delete(a.name);
        return { status: 202 };
      }),

      Machines_list: withApp((a, req) => {
        const states = req.query.get("state")?.split(",");
        const list = [...this.machines.values()].filter((m) => m.app === a.name && (!req.query.get("region") || m.region === req.query.get("region")) && (!states || states.includes(m.state)));
        return this.listPage(list.map((m) => this.wireMachine(this.present(m, req.query.get("summary") === "true"))), req);
      }),
      Machines_create: withApp((a, req) => {
        const body = req.body as Schemas["CreateMachineRequest"];
        if (!body.config?.image) return fail(400, "invalid config.image: an image is required");
        if (body.name && [...this.machines.values()].some((m) => m.app === a.name && m.name === body.name))
          return fail(422, `already_exists: unable to create machine: a machine named "${body.name}" already exists`);
        const region = body.region ?? this.defaultRegion;
        const problem = this.mountProblem({ app: a.name, id: "", region }, body.config);
        if (problem) return fail(400, problem);
        const m = this.newMachine(a.name, body.name ?? `fake-${this.counter + 1}`, region, structuredClone(body.config));
        if (!body.skip_launch) this.transition(m, "started");
        return ok(this.wireMachine(this.present(m)));
      }),
      Machines_show: withMachine((m) => ok(this.wireMachine(this.present(m)))),
      Machines_update: withMachine((m, req) => {
        const conflict = this.leaseConflict(m, req.headers);
        if (conflict) return conflict;
        const body = req.body as Schemas["UpdateMachineRequest"];
        if (body.current_version && body.current_version !== m.instanceId) return fail(409, `machine version ${m.instanceId} is not ${body.current_version}`);
        if (!body.config?.image) return fail(400, "invalid config.image: an image is required");
        // Fly refuses to swap the volume under a mount path in place (flyctl: destroy and recreate).
        for (const mount of body.config.mounts ?? []) {
          const before = (m.config.mounts ?? []).find((old) => old.path === mount.path);
          if (before && before.volume !== mount.volume) return fail(400, `cannot change the volume mounted at ${mount.path} from ${before.volume} to ${mount.volume}; destroy and recreate the machine`);
        }
        const problem = this.mountProblem(m, body.config);
        if (problem) return fail(400, problem);
        const wasRunning = m.state === "started";
        m.config = structuredClone(body.config);
        this.attachMounts(m, m.config);
        m.instanceId = this.instanceId();
        this.setState(m, "replacing", "update", "user");
        this.transition(m, wasRunning && !body.skip_launch ? "started" : "stopped");
        return ok(this.wireMachine(this.present(m)));
      }),
      Machines_delete: withMachine((m, req) => {
        const conflict = this.leaseConflict(m, req.headers);
        if (conflict) return conflict;
        if (m.state === "started" && req.query.get("force") !== "true") return fail(412, `failed_precondition: machine ${m.id} is running; stop it first or pass force=true`);
        this.destroy(m);
        return ok();
      }),
      Machines_start: withMachine((m, req) => {
        const conflict = this.leaseConflict(m, req.headers);
        if (conflict) return conflict;
        if (["stopped", "suspended", "created", "failed"].includes(m.state)) {
          this.setState(m, "starting", "start", "user");
          this.transition(m, "started");
        }
        return ok();
      }),
      Machines_stop: withMachine((m, req) => {
        const conflict = this.leaseConflict(m, req.headers);
        if (conflict) return conflict;
        if (["started", "starting"].includes(m.state)) {
          this.setState(m, "stopping", "stop", "user");
          this.transition(m, "stopped");
        }
        return ok();
      }),
      Machines_wait: withMachine((m, req) => this.wait(m, req)),
      Machines_show_lease: withMachine((m) =>
        m.lease && m.lease.expiresAt > Date.now() / 1000 ? ok({ nonce: m.lease.nonce, expires_at: m.lease.expiresAt, owner: m.lease.owner, description: m.lease.description, version: m.instanceId }) : fail(404, "lease not found"),
      ),
      Machines_create_lease: withMachine((m, req) => {
        const conflict = this.leaseConflict(m, req.headers);
        if (conflict) return conflict;
        const body = req.body as Schemas["CreateLeaseRequest"];
        const nonce = m.lease && m.lease.expiresAt > Date.now() / 1000 ? m.lease.nonce : randomBytes(8).toString("hex");
        m.lease = { nonce, expiresAt: Math.floor(Date.now() / 1000) + (body.ttl ?? 30), owner: "fake@example.com", description: body.description };
        return ok({ nonce, expires_at: m.lease.expiresAt, owner: m.lease.owner, description: body.description, version: m.instanceId } satisfies Schemas["Lease"], 201);
      }),
      Machines_release_lease: withMachine((m, req) => {
        const conflict = this.leaseConflict(m, req.headers);
        if (conflict) return conflict;
        delete m.lease;
        return ok();
      }),

      Volumes_list: withApp((a, req) => this.listPage([...this.volumes.values()].filter((v) => v.app === a.name).map((v) => volumeAs(this.presentVolume(v), this.forms)), req)),
      Volumes_create: withApp((a, req) => {
        const body = req.body as Schemas["CreateVolumeRequest"];
        if (!body.name || !body.region || !body.size_gb) return fail(400, "name, region and size_gb are required");
        const id = fakeId("vol_", this.next(), 16);
        const v: Volume & { app: string } = {
          app: a.name,
          id,
          name: body.name,
          region: body.region,
          size_gb: body.size_gb,
          encrypted: body.encrypted ?? true,
          fstype: body.fstype ?? "ext4",
          auto_backup_enabled: body.auto_backup_enabled ?? true,
          snapshot_retention: body.snapshot_retention ?? 5,
          state: "created",
          zone: sha256(id).slice(0, 4),
          host_status: "ok",
          type: "local",
          created_at: new Date().toISOString(),
        };
        this.volumes.set(id, v);
        return ok(volumeAs(this.presentVolume(v), this.forms));
      }),
      Volumes_get_by_id: withVolume((v) => ok(volumeAs(this.presentVolume(v), this.forms))),
      Volumes_update: withVolume((v, req) => {
        const body = req.body as Schemas["UpdateVolumeRequest"];
        if (body.auto_backup_enabled !== undefined) v.auto_backup_enabled = body.auto_backup_enabled;
        if (body.snapshot_retention !== undefined) v.snapshot_retention = body.snapshot_retention;
        return ok(volumeAs(this.presentVolume(v), this.forms));
      }),
      Volumes_extend: withVolume((v, req) => {
        const size = (req.body as Schemas["ExtendVolumeRequest"]).size_gb;
        if (!size || size <= (v.size_gb ?? 0)) return fail(400, `size_gb must be greater than the current ${v.size_gb} GB: volumes only grow`);
        v.size_gb = size;
        return ok({ needs_restart: false, volume: volumeAs(this.presentVolume(v), this.forms) } satisfies Schemas["ExtendVolumeResponse"]);
      }),
      Volume_delete: withVolume((v) => {
        if (v.attached_machine_id) return fail(412, `failed_precondition: volume ${v.id} is attached to machine ${v.attached_machine_id}; volumes attached to Machines can't be destroyed`);
        this.volumes.delete(v.id as string);
        return ok({ ...this.presentVolume(v), state: "destroyed" });
      }),

      Secrets_list: withApp((a) => ok({ secrets: listAs(secretList(a), this.forms) })),
      Secrets_update: withApp((a, req) => {
        const now = new Date().toISOString();
        // Only a digest is kept: the fake never holds a secret value, so it can never answer one.
        for (const [name, value] of Object.entries((req.body as Schemas["AppSecretsUpdateRequest"]).values ?? {}))
          a.secrets.set(name, { digest: sha256(value).slice(0, 16), created_at: a.secrets.get(name)?.created_at ?? now, updated_at: now });
        a.secretsVersion += 1;
        return ok({ secrets: secretList(a), version: a.secretsVersion } satisfies Schemas["AppSecretsUpdateResp"]);
      }),
      Secret_delete: withApp((a, req) => {
        if (!a.secrets.delete(req.params.secret_name)) return fail(404, "secret not found");
        a.secretsVersion += 1;
        return ok({ version: a.secretsVersion } satisfies Schemas["DeleteAppSecretResponse"]);
      }),

      App_IPAssignments_list: withApp((a) => ok({ ips: listAs(a.ips.map((ip) => ipAs(ip, this.forms)), this.forms) })),
      App_IPAssignments_create: withApp((a, req) => {
        const body = req.body as Schemas["assignIPRequest"];
        const address = fakeAddress(body.type ?? "", this.next());
        if (!address) return fail(400, "invalid ip address type");
        const ip: IPAssignment = { ip: address.ip, shared: address.shared, region: body.region ?? "global", service_name: body.service_name ?? "app", created_at: new Date().toISOString(), ...(body.type === "private_v6" ? { network: { name: body.network ?? "", org_slug: body.org_slug ?? a.org } } : {}) };
        a.ips.push(ip);
        return ok(ipAs(ip, this.forms) satisfies Schemas["AssignIPResponse"]);
      }),
      App_IPAssignments_delete: withApp((a, req) => {
        const index = a.ips.findIndex((i) => i.ip === req.params.ip);
        if (index < 0) return fail(404, "ip assignment not found");
        a.ips.splice(index, 1);
        return { status: 204 };
      }),

      App_Certificates_list: withApp((a, req) => {
        const certificates = [...a.certs.values()]
          .filter((c) => !req.query.get("filter") || c.hostname.includes(req.query.get("filter") as string))
          .map((c): Schemas["CertificateSummary"] => {
            const d = this.certificate(a, c);
            return certificateAs({ hostname: c.hostname, configured: d.configured, status: d.status, acme_requested: true, has_fly_certificate: d.configured, has_custom_certificate: false, acme_dns_configured: d.validation?.dns_configured, acme_alpn_configured: d.validation?.alpn_configured, acme_http_configured: d.validation?.http_configured, created_at: c.createdAt.toISOString() }, this.forms);
          });
        // Fly's document: "Number of results per page (default 25, max 500)", the next page's cursor in `next_cursor`.
        const limit = req.query.get("limit");
        if (limit !== null && !/^\d+$/.test(limit)) return fail(400, `invalid limit ${limit}`);
        const page = pageOf(certificates, req.query.get("cursor"), limit === null ? undefined : Math.min(Number(limit), 500), this.forms, 25);
        if ("error" in page) return fail(400, page.error);
        return ok({ certificates: listAs(page.items, this.forms), total_count: certificates.length, ...(page.next ? { next_cursor: page.next } : {}) });
      }),
      App_Certificates_acme_create: withApp((a, req) => {
        const hostname = (req.body as Schemas["createAcmeCertificateRequest"]).hostname;
        if (!hostname) return fail(400, "hostname is required");
        if (a.certs.has(hostname)) return fail(422, `a certificate for ${hostname} already exists`);
        const cert: FakeCertificate = { hostname, createdAt: new Date() };
        a.certs.set(hostname, cert);
        const { dns_records: _records, ...detail } = this.certificate(a, cert);
        return ok(certificateAs(detail satisfies Schemas["CertificateDetail"], this.forms), 201);
      }),
      App_Certificates_show: withCert((a, c) => {
        const { dns_records: _records, ...detail } = this.certificate(a, c);
        return ok(certificateAs(detail satisfies Schemas["CertificateDetail"], this.forms));
      }),
      App_Certificates_check: withCert((a, c) => ok(certificateAs(this.certificate(a, c), this.forms))),
      App_Certificates_delete: withCert((a, c) => {
        a.certs.delete(c.hostname);
        return { status: 204 };
      }),
    };
  }

  private wireMachine(m: Machine): Machine {
    return machineAs(m, this.forms);
  }

  /**
   * A machine or volume list as Fly answers it: whole without `limit`; with `limit`, one page and the
   * next page's cursor in the `fly-next-cursor` header (Fly's document, Machines_list and Volumes_list).
   */
  private listPage(items: unknown[], req: Request): Reply {
    const limit = req.query.get("limit");
    const cursor = req.query.get("cursor");
    if (limit === null) return cursor === null ? ok(listAs(items, this.forms)) : fail(400, "cursor requires limit");
    if (!/^\d+$/.test(limit) || Number(limit) < 1 || Number(limit) > 1000) return fail(400, `limit must be between 1 and 1000, got ${limit}`);
    const page = pageOf(items, cursor, Number(limit), this.forms);
    if ("error" in page) return fail(400, page.error);
    return { status: 200, body: listAs(page.items, this.forms), headers: page.next ? { "fly-next-cursor": page.next } : {} };
  }

  private presentApp(a: FakeApp): Schemas["App"] {
    const count = (map: Map<string, { app: string }>): number => [...map.values()].filter((x) => x.app === a.name).length;
    return { id: a.id, name: a.name, status: "deployed", organization: { slug: a.org, name: a.org }, ...(a.network ? { network: a.network } : {}), machine_count: count(this.machines), volume_count: count(this.volumes) };
  }

  private certificate(a: FakeApp, c: FakeCertificate): Schemas["CertificateCheckResponse"] {
    return evaluateCertificate(a.name, c, a.ips, this.dnsLookup, new Date());
  }

  /** GET .../wait: answers when the machine (at `version`, if given) is in one of the states, or 408 at the timeout. */
  private wait(m: FakeMachine, req: Request): Promise<Reply> | Reply {
    const timeoutParam = req.query.get("timeout") ?? "60";
    if (!/^\d+$/.test(timeoutParam)) return fail(400, `invalid timeout ${timeoutParam}`);
    const wanted = req.query.getAll("state").flatMap((s) => s.split(",")).filter(Boolean);
    const states = wanted.length ? wanted : ["started"];
    const version = req.query.get("version") ?? req.query.get("instance_id") ?? undefined;
    const reached = (): boolean => {
      const state = this.machines.get(m.id) === m ? m.state : "destroyed";
      const versionOk = !version || version === m.instanceId || state === "destroyed";
      return versionOk && (states.includes(state) || (states.includes("settled") && REST_STATES.includes(state)));
    };
    const answer = (): Reply => ok({ ok: true, state: m.state, version: m.instanceId, event_id: m.events[0]?.id } satisfies Schemas["WaitMachineResponse"]);
    if (reached()) return answer();
    return new Promise<Reply>((resolve) => {
      const finish = (reply: Reply): void => {
        this.waiters.delete(check);
        clearTimeout(timer);
        this.timers.delete(timer);
        resolve(reply);
      };
      const check = (): void => {
        if (reached()) finish(answer());
      };
      const timer = setTimeout(() => finish(fail(408, `deadline_exceeded: machine ${m.id} did not reach ${states.join(",")} within ${timeoutParam}s`)), Number(timeoutParam) * 1000);
      this.timers.add(timer);
      this.waiters.add(check);
    });
  }
}
