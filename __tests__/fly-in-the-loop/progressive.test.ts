/**
 * Progressive delivery with real terraform, the provider double and the fake Fly API:
 * - blue-green: a new set of machines is created (and passes its checks) before the old set is
 *   destroyed, in the order the fake's request log shows; a failing new machine leaves the old set
 *   serving; and the trap the generation suffix avoids: under the old names the provider adopts the
 *   old machines and sends nothing;
 * - canary analysis: a failing canary gate (metrics from a real Prometheus) stops the roll after the
 *   first machine; a passing one lets it finish.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describeEachBinary, realBinaries } from "../cli/harness";
import type { RecordedRequest } from "../fakes/fly-api";
import { loopProviders } from "./providers";
import { Loop } from "./loop";
import type { LoopEnvironment } from "../fixtures/environments";
import { findPrometheus, findPromtool } from "../alerts/promtool-harness";
import { LocalPrometheus } from "../prometheus/local-prometheus";
import { flySeries } from "../prometheus/fly-series";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-loop-progressive-"));
const providers = loopProviders(work);
const binaries = providers ? realBinaries().filter((b) => b.name === "terraform") : [];
const prometheus = findPrometheus();
const promtool = prometheus ? findPromtool() : undefined;
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
jest.setTimeout(300_000);

const IMAGE = (tag: string) => `registry.fly.io/acme-web:${tag}`;
const HTTP = { internalPort: 8080, ports: [{ port: 443, handlers: ["tls", "http"] }], checks: [{ type: "http", path: "/health", interval: "10s", timeout: "2s" }] };

function environment(): LoopEnvironment {
  return {
    name: "progressive",
    project: "loop",
    protected: false,
    fly: { org: "loop-org" },
    dns: { zone: "example.net", cloudflareZoneId: "0123456789abcdef0123456789abcdef" },
    state: { backend: "local" },
    apps: {
      web: {
        name: "loop-web-progressive",
        ips: { sharedIpv4: false, ipv6: false },
        groups: { web: { image: IMAGE("1.0.0"), guest: { cpuKind: "shared", cpus: 1, memoryMb: 256 }, regions: ["iad", "lhr"], count: 2, deploy: { strategy: "bluegreen" }, services: [HTTP] } },
      },
      api: {
        name: "loop-api-progressive",
        ips: { sharedIpv4: false, ipv6: false },
        groups: {
          app: {
            image: IMAGE("1.0.0"),
            guest: { cpuKind: "shared", cpus: 1, memoryMb: 256 },
            regions: ["iad"],
            count: 3,
            deploy: { strategy: "rolling", canary: { window: "10m", maxErrorRatio: 2, maxLatencyRatio: 1.5 } },
            services: [HTTP],
          },
        },
      },
    },
  } as LoopEnvironment;
}

describeEachBinary(binaries, "$name, the provider double and the fake Fly API: progressive delivery", ({ binary }) => {
  const loop = new Loop({ binary, providers: providers!, startDelayMs: 5 });
  let env = environment();
  const web = () => env.apps.web.name;
  const api = () => env.apps.api.name;
  const servers: LocalPrometheus[] = [];
  let metricsUrl = "http://127.0.0.1:9";
  let evaluateAt = "0";

  beforeAll(() => loop.start());
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await loop.stop();
  });

  async function deploy(planDir: string, extra: Record<string, string> = {}): Promise<{ applyCode: number; stdout: string; stderr: string }> {
    loop.synthesize([env]);
    const planned = await loop.flystack(["plan", "--skip-synth", "--out", planDir], { ...loop.withoutSecrets(), ...extra });
    if (planned.code !== 0) throw new Error(`plan failed: ${planned.stderr.slice(-3000)}`);
    const applied = await loop.flystack(["apply", "--plans", planDir], { FLYSTACK_PROMETHEUS_URL: metricsUrl, FLYSTACK_CANARY_EVALUATE_AT: evaluateAt, ...extra });
    return { applyCode: applied.code, stdout: applied.stdout, stderr: applied.stderr };
  }

  const creates = (app: string, since: number): RecordedRequest[] => loop.fly.requests.filter((r) => r.time >= since && r.method === "POST" && r.path === `/v1/apps/${app}/machines` && r.status === 200);
  const destroys = (app: string, since: number): RecordedRequest[] => loop.fly.requests.filter((r) => r.time >= since && r.method === "DELETE" && r.path.startsWith(`/v1/apps/${app}/machines/`) && r.status === 200);

  /** A Prometheus whose series say the canary (the api group's first machine) errs `canaryErrors` of its requests and the others 0.5%. */
  async function metrics(canaryErrors: number): Promise<void> {
    const machines = loop.fly.machinesOf(api()).filter((m) => m.config?.metadata?.fly_process_group === "app");
    const canary = machines.find((m) => m.name === `${api()}-app-iad-1`)!;
    const now = Math.floor(Date.now() / 1000);
    const server = await LocalPrometheus.start(
      prometheus!,
      promtool!,
      flySeries(machines.map((m) => ({ app: api(), instance: m.id!, perMinute: 100, errorRatio: m.id === canary.id ? canaryErrors : 0.005, latencies: [0.05, 0.1, 0.2], from: now - 3600, to: now }))),
    );
    servers.push(server);
    metricsUrl = server.url;
    evaluateAt = String(now);
  }

  test("first deploy: every machine created; blue-green machines named after their generation; the canary gate passes a group being created", async () => {
    const result = await deploy("plans-first");
    expect({ code: result.applyCode, err: result.applyCode === 0 ? "" : result.stderr.slice(-3000) }).toEqual({ code: 0, err: "" });
    const names = loop.fly.machinesOf(web()).map((m) => m.name!).sort();
    expect(names).toHaveLength(4);
    for (const name of names) expect(name).toMatch(new RegExp(`^${web()}-web-(iad|lhr)-[12]-g[0-9a-f]{7}$`));
    expect(new Set(names.map((n) => n.slice(-8))).size).toBe(1);
    expect(result.stderr).toContain("PASS: the group is being created (0 of its 2 other machines exist): there is no old release to compare the canary with");
  });

  test("blue-green: the whole new set is created, and has passed its checks, before any old machine is destroyed", async () => {
    const before = loop.fly.machinesOf(web()).map((m) => m.id!).sort();
    const since = performance.now();
    env.apps.web.groups.web.image = IMAGE("2.0.0");
    const result = await deploy("plans-bluegreen");
    expect({ code: result.applyCode, err: result.applyCode === 0 ? "" : result.stderr.slice(-3000) }).toEqual({ code: 0, err: "" });
    const made = creates(web(), since);
    const gone = destroys(web(), since);
    expect(made).toHaveLength(4);
    expect(gone.map((r) => r.path.split("/")[5]).sort()).toEqual(before);
    // Order in the request log: the last create answered before the first destroy was sent; and
    // each new machine's last wait (started, checks) ended before it too.
    const lastCreate = Math.max(...made.map((r) => r.end));
    const firstDestroy = Math.min(...gone.map((r) => r.time));
    expect(lastCreate).toBeLessThan(firstDestroy);
    const after = loop.fly.machinesOf(web());
    for (const m of after) {
      const waits = loop.fly.requests.filter((r) => r.method === "GET" && r.path.startsWith(`/v1/apps/${web()}/machines/${m.id}`));
      expect(Math.max(...waits.map((r) => r.end))).toBeLessThanOrEqual(firstDestroy);
    }
    expect(after.map((m) => m.config?.image)).toEqual(Array(4).fill(IMAGE("2.0.0")));
    expect(after.every((m) => !before.includes(m.id!))).toBe(true);
    // The plan comment says what it is.
    const summary = fs.readFileSync(path.join(loop.project, "plans-bluegreen", "summary.md"), "utf8");
    expect(summary).toContain("**`web/web`**: 4 machines, a blue-green deploy: the new set is created and passes its checks, then the old set is destroyed");
  });

  test("blue-green: a new machine that fails its checks leaves the old set serving", async () => {
    const serving = loop.fly.machinesOf(web()).map((m) => m.id!).sort();
    loop.fly.failChecks(web(), (name) => name.includes("-web-lhr-2-"));
    env.apps.web.groups.web.image = IMAGE("3.0.0-broken");
    const result = await deploy("plans-bluegreen-broken", { FLYSTACK_DOUBLE_MACHINE_WAIT: "5s" });
    expect(result.applyCode).toBe(1);
    const now = loop.fly.machinesOf(web());
    // Every old machine still there, on the old image.
    for (const id of serving) expect(loop.fly.machine(id)?.config?.image).toBe(IMAGE("2.0.0"));
    expect(now.filter((m) => m.config?.image === IMAGE("2.0.0")).map((m) => m.id!).sort()).toEqual(serving);
    loop.fly.passChecks(web());
    env.apps.web.groups.web.image = IMAGE("3.0.1");
    const fixed = await deploy("plans-bluegreen-fixed");
    expect(fixed.applyCode).toBe(0);
    expect(loop.fly.machinesOf(web()).map((m) => m.config?.image)).toEqual(Array(4).fill(IMAGE("3.0.1")));
  });

  test("the trap: replacing machines under their old names makes the provider adopt the old machines and send nothing", async () => {
    const serving = loop.fly.machinesOf(web()).map((m) => m.id!).sort();
    loop.synthesize([env]);
    // The stack as flystack writes it, with a new generation but the names unchanged: what a
    // blue-green deploy without the generation suffix would do.
    const stackFile = path.join(loop.project, "cdktf.out", "stacks", "progressive", "cdk.tf.json");
    const json = JSON.parse(fs.readFileSync(stackFile, "utf8")) as { resource: { fly_machine: Record<string, { name: string; image: string }>; terraform_data: Record<string, { input: { generation: string } }> } };
    json.resource.terraform_data.web_web_generation.input.generation = "trap";
    for (const [address, machine] of Object.entries(json.resource.fly_machine)) if (address.startsWith("web_web_")) machine.image = IMAGE("4.0.0");
    fs.writeFileSync(stackFile, JSON.stringify(json));
    const planned = await loop.flystack(["plan", "--skip-synth", "--out", "plans-trap"], loop.withoutSecrets());
    expect(planned.code).toBe(0);
    const applied = await loop.flystack(["apply", "--plans", "plans-trap", "progressive"]);
    // Terraform reports the replacements as done…
    expect(applied.code).toBe(0);
    // …but no machine ever ran 4.0.0: each create under an existing name adopted the old machine
    // without sending its config, and Terraform then destroyed the deposed object: that same machine.
    expect(loop.fly.machinesOf(web()).some((m) => m.config?.image === IMAGE("4.0.0"))).toBe(false);
    for (const id of serving) expect(loop.fly.machine(id)).toBeUndefined();
    const posted = loop.fly.requests.filter((r) => r.method === "POST" && r.path === `/v1/apps/${web()}/machines` && (r.body as { config?: { image?: string } })?.config?.image === IMAGE("4.0.0"));
    expect(posted.every((r) => r.status !== 200)).toBe(true);
  });

  test("canary analysis: a failing gate stops the roll after the first machine; the rest stay on the old release", async () => {
    // Put back what the trap test broke.
    const restored = await deploy("plans-restore");
    expect(restored.applyCode).toBe(0);
    await metrics(0.03); // 3% 5xx on the canary against 0.5% on the others: 6×, allowed 2×
    env.apps.api.groups.app.image = IMAGE("2.0.0");
    const result = await deploy("plans-canary-bad");
    expect(result.applyCode).toBe(1);
    expect(result.stderr).toContain("FAIL: the canary's 5xx ratio is 6.00× the baseline's (allowed 2×); the group's other machines stay on the old release");
    const byName = new Map(loop.fly.machinesOf(api()).map((m) => [m.name, m.config?.image]));
    expect(byName.get(`${api()}-app-iad-1`)).toBe(IMAGE("2.0.0"));
    expect(byName.get(`${api()}-app-iad-2`)).toBe(IMAGE("1.0.0"));
    expect(byName.get(`${api()}-app-iad-3`)).toBe(IMAGE("1.0.0"));
    const record = fs.readFileSync(path.join(loop.project, "plans-canary-bad", "applied.md"), "utf8");
    // The marker deploy.yml rolls back on.
    expect(record).toContain("- **progressive**: canary gate failed (the canary runs the new release, the rest of its group the old one), **part of it was applied**");
  });

  test("canary analysis: a passing gate lets the roll finish", async () => {
    await metrics(0.005);
    const result = await deploy("plans-canary-good");
    expect({ code: result.applyCode, err: result.applyCode === 0 ? "" : result.stderr.slice(-3000) }).toEqual({ code: 0, err: "" });
    expect(result.stderr).toContain("PASS: the canary's 5xx ratio and p99 latency are within 2× and 1.5× the baseline's");
    expect(loop.fly.machinesOf(api()).map((m) => m.config?.image)).toEqual(Array(3).fill(IMAGE("2.0.0")));
  });
});

const skipped = !prometheus || !promtool;
if (skipped && binaries.length > 0) console.warn("SKIPPED parts: the canary tests need the prometheus server (scripts/install-promtool.sh --with-prometheus)");
