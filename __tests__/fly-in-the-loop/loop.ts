/**
 * One Fly-in-the-loop world for a test file: the fake Fly Machines API and the fake Cloudflare API on
 * 127.0.0.1, a throwaway project folder with its synthesized stacks and local state, and the real
 * terraform (or tofu) driving the provider double (or, with FLYSTACK_PROVIDERS_FROM_REGISTRY=1, the
 * real providers) through the flystack CLI.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FakeCloudflareApi } from "../fakes/cloudflare-api";
import { FakeFlyApi } from "../fakes/fly-api";
import type { DnsLookup } from "../fakes/fly-api/model";
import { type CliRun, flystack } from "../cli/harness";
import { type RunResult, SpawnRunner } from "../../src/process/runner";
import type { EnvironmentConfig } from "../../src/config/types";
import type { LoopProviders } from "./providers";
import { secretVariables, synthesizeForLoop } from "./synthesize";

const FLY_TOKEN = "fake-fly-token-for-the-fake-api";
const CLOUDFLARE_TOKEN = "fake-cloudflare-token-for-the-fake-api";
const FAKE_FLYCTL_DIR = path.join(__dirname, "bin");

/** Public DNS as the fake Cloudflare zone holds it. */
export function dnsOf(cloudflare: FakeCloudflareApi): DnsLookup {
  const bare = (name: string) => name.toLowerCase().replace(/\.$/, "");
  return (name, type) => [...cloudflare.records.values()].filter((r) => bare(r.name) === bare(name) && r.type === type).map((r) => r.content);
}

export interface LoopOptions {
  /** terraform, tofu, or a path. */
  readonly binary: string;
  readonly providers: LoopProviders;
  /** Secret value for each secret variable (`api_DATABASE_URL`). @default "value-of-<variable>" */
  readonly secretValue?: (variable: string) => string;
  /** Milliseconds a machine takes to start in the fake. @default the fake's */
  readonly startDelayMs?: number;
}

export class Loop {
  readonly fly: FakeFlyApi;
  readonly cloudflare = new FakeCloudflareApi();
  readonly project = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-loop-"));
  readonly flyctlLog = path.join(this.project, "flyctl.log");
  stacks: string[] = [];
  private flyUrl = "";

  /** The fake Fly API's base URL (without /v1), once started. */
  get flyApiUrl(): string {
    return this.flyUrl;
  }
  private secrets: Record<string, string> = {};

  constructor(private readonly options: LoopOptions) {
    this.fly = new FakeFlyApi({ token: FLY_TOKEN, startDelayMs: options.startDelayMs });
  }

  async start(): Promise<void> {
    this.flyUrl = await this.fly.start();
    await this.cloudflare.start();
    this.restoreDns();
  }

  async stop(): Promise<void> {
    await this.fly.stop();
    await this.cloudflare.stop();
    fs.rmSync(this.project, { recursive: true, force: true });
  }

  /** Synthesizes the environments into the project (replacing what was there). */
  synthesize(environments: readonly EnvironmentConfig[]): string[] {
    this.stacks = synthesizeForLoop(this.project, environments, {
      flyApiUrl: this.flyUrl,
      cloudflareApiUrl: this.cloudflare.url,
      providers: this.options.providers,
    });
    this.secrets = secretVariables(this.project, this.stacks, this.options.secretValue ?? ((v) => `value-of-${v}`));
    return this.stacks;
  }

  /** Synthesizes `environments`, plans them without secrets and applies the plans: an environment deployed into the fake. */
  async deploy(environments: readonly EnvironmentConfig[]): Promise<void> {
    this.synthesize(environments);
    const planned = await this.flystack(["plan", "--skip-synth", "--out", "plans"], this.withoutSecrets());
    if (planned.code !== 0) throw new Error(`plan failed (exit ${planned.code}): ${planned.stderr}`);
    const applied = await this.flystack(["apply", "--plans", "plans"]);
    if (applied.code !== 0) throw new Error(`apply failed (exit ${applied.code}): ${applied.stderr}`);
  }

  /** What every terraform run gets: provider credentials, secret values, the mirror, the stand-in flyctl. */
  env(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
    return {
      TF_CLI_CONFIG_FILE: this.options.providers.rc,
      TERRAFORM_BINARY_NAME: this.options.binary,
      FLY_API_TOKEN: FLY_TOKEN,
      // flystack's own Fly client (audit, drift, plan --reconcile) talks to the same fake, never to Fly.
      FLYSTACK_FLY_API_URL: this.flyUrl,
      FLYSTACK_FLY_API_RETRY_BASE_MS: "10",
      CLOUDFLARE_API_TOKEN: CLOUDFLARE_TOKEN,
      // The double's retry and certificate-poll schedules start at 2 s like the real provider's; tests need not wait that long.
      FLYSTACK_DOUBLE_RETRY_BASE: "50ms",
      FLYSTACK_DOUBLE_CERT_POLL_BASE: "200ms",
      FLYSTACK_FAKE_FLYCTL_LOG: this.flyctlLog,
      PATH: `${FAKE_FLYCTL_DIR}${path.delimiter}${process.env.PATH ?? ""}`,
      CHECKPOINT_DISABLE: "1",
      ...this.secrets,
      ...extra,
    };
  }

  /** Overrides that unset every secret variable: what a plan step gets (plans need no secret). */
  withoutSecrets(): Record<string, undefined> {
    return Object.fromEntries(Object.keys(this.secrets).map((name) => [name, undefined]));
  }

  /** `flystack <args>` in the project, on the stacks already synthesized. */
  flystack(args: readonly string[], extra?: Record<string, string | undefined>): Promise<CliRun> {
    return flystack(this.project, args, { env: this.env(extra) });
  }

  /** The terraform binary itself in a stack's folder (asynchronously: the fakes answer from this process). */
  terraform(stack: string, args: readonly string[], extra?: Record<string, string | undefined>): Promise<RunResult> {
    return new SpawnRunner().run(this.options.binary, [...args], {
      cwd: path.join(this.project, "cdktf.out", "stacks", stack),
      env: { ...process.env, ...this.env(extra) },
    });
  }

  /** `terraform init` in a stack's folder (needed again after each synthesis, which rewrites the folder). */
  async init(stack: string): Promise<void> {
    const init = await this.terraform(stack, ["init", "-input=false", "-no-color"]);
    if (init.code !== 0) throw new Error(`init failed: ${init.stderr}`);
  }

  /** `terraform show -json` of a stack's state: its resources by address. */
  async state(stack: string): Promise<Map<string, Record<string, unknown>>> {
    const shown = await this.terraform(stack, ["show", "-json", "-no-color"]);
    if (shown.code !== 0) throw new Error(`show -json failed: ${shown.stderr}`);
    const json = JSON.parse(shown.stdout) as { values?: { root_module?: { resources?: { address: string; values: Record<string, unknown> }[] } } };
    return new Map((json.values?.root_module?.resources ?? []).map((r) => [r.address, r.values]));
  }

  /** A request to the fake Fly API as flyctl would make it with the token (an out-of-band change); the answer's JSON. */
  async send<T>(method: string, apiPath: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.flyUrl}${apiPath}`, { method, headers: { authorization: `Bearer ${FLY_TOKEN}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${apiPath}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Public DNS as the run has it: the fake Cloudflare zone, or (without the Cloudflare provider) every certificate's DNS in place. */
  restoreDns(): void {
    if (this.options.providers.dnsLeftOut) this.fly.treatDnsAsConfigured();
    else this.fly.setDnsLookup(dnsOf(this.cloudflare));
  }

  /** A GET against the fake Fly API, as a client with the token would make it. */
  async get<T>(apiPath: string): Promise<T> {
    const res = await fetch(`${this.flyUrl}${apiPath}`, { headers: { authorization: `Bearer ${FLY_TOKEN}` } });
    if (!res.ok) throw new Error(`GET ${apiPath}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  /** Every file under the project (plans, plan JSON, summaries, state, logs), for leak checks. */
  filesUnder(dir = this.project): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) return e.name === "providers" && dir.endsWith(".terraform") ? [] : this.filesUnder(full);
      return [full];
    });
  }
}

/** One resource a refresh-only plan found changed outside Terraform, and which top-level attributes differ. */
export interface RefreshedChange {
  readonly address: string;
  readonly actions: readonly string[];
  readonly changed: readonly string[];
}

/** `plan -refresh-only` of a stack, as Terraform's JSON states it: what the refresh read back differently. */
export async function refreshOnly(loop: Loop, stack: string): Promise<RefreshedChange[]> {
  const out = `refresh-${Date.now()}.tfplan`;
  await loop.init(stack);
  const planned = await loop.terraform(stack, ["plan", "-refresh-only", "-input=false", "-no-color", "-lock-timeout=60s", `-out=${out}`]);
  if (planned.code !== 0) throw new Error(`refresh-only plan failed: ${planned.stderr}`);
  const shown = await loop.terraform(stack, ["show", "-json", out]);
  fs.rmSync(path.join(loop.project, "cdktf.out", "stacks", stack, out), { force: true });
  const json = JSON.parse(shown.stdout) as { resource_drift?: { address: string; change: { actions: string[]; before: Record<string, unknown> | null; after: Record<string, unknown> | null } }[] };
  return (json.resource_drift ?? []).map((d) => {
    const before = d.change.before ?? {};
    const after = d.change.after ?? {};
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return { address: d.address, actions: d.change.actions, changed: keys.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).sort() };
  });
}

/** A saved plan's resource changes (`show -json`), by address. */
export async function plannedActions(loop: Loop, stack: string, planDir: string): Promise<Map<string, string[]>> {
  const json = JSON.parse(fs.readFileSync(path.join(loop.project, planDir, `${stack}.plan.json`), "utf8")) as { resource_changes?: { address: string; change: { actions: string[] } }[] };
  return new Map((json.resource_changes ?? []).map((c) => [c.address, c.change.actions]));
}
