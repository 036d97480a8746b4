/**
 * The monitoring app (an environment's `monitoring` setting) through the real terraform and tofu, the
 * provider double and the fake Fly API: init and validate pass; flystack plan and apply create the app
 * and its vmalert and Alertmanager machines, whose containers hold the rule file and Alertmanager
 * configuration flystack derives (src/features/alerts) as base64 files, the pinned images, the Prometheus token
 * as vmalert's `datasource_bearerToken`, and the declared `metrics` (as does an app group declaring
 * `metrics`); the app has no public address; a second plan changes nothing; a changed SLO updates only
 * the vmalert machine, in place, and the fake then holds the new rules. An environment without
 * `monitoring` deploys no monitoring app, and `flystack alerts` says so.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describeEachBinary, flystack, projectWithEnvironments, realBinaries } from "../cli/harness";
import { loopProviders } from "./providers";
import { Loop, plannedActions } from "./loop";
import { addressesOf } from "./synthesize";
import { type LoopEnvironment, loopEnvironment } from "../fixtures/environments";
import type { Machine } from "../fakes/fly-api/model";
import { monitoringFiles } from "../../src/features/alerts";
import { MONITORING_IMAGES } from "../../src/config/monitoring-images";
import { MONITORING_FILES, PROMETHEUS_TOKEN_SECRET } from "../../src/config/monitoring";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-loop-monitoring-"));
const providers = loopProviders(work);
const binaries = providers ? realBinaries() : [];
if (providers?.dnsLeftOut) console.warn(`NOTE: ${providers.dnsLeftOut}`);
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
jest.setTimeout(300_000);

const WEB_METRICS = { port: 9091, path: "/internal/metrics" };

/** loopEnvironment with a monitoring app, an SLO on web's public HTTP service, and `metrics` on web's group. */
function monitoredEnvironment(name: string, availability = 99.9): LoopEnvironment {
  const env = loopEnvironment(name);
  env.apps.web.groups.web.services![0].slo = { availability };
  env.apps.web.groups.web.metrics = { ...WEB_METRICS };
  env.monitoring = {
    name: `loop-monitoring-${name}`,
    region: "iad",
    prometheusTokenVersion: "2026-11-01",
    receivers: { page: { kind: "pagerduty", version: "2026-11-01" }, ticket: { kind: "slack", version: "2026-11-02" } },
    runbookUrl: "https://example.net/runbook.md",
  };
  return env;
}

interface PlanJson {
  resource_changes?: { address: string; change: { actions: string[] } }[];
}

type File = NonNullable<NonNullable<NonNullable<Machine["config"]>["containers"]>[number]["files"]>[number];
const decoded = (file: File | undefined) => (file?.raw_value === undefined ? undefined : Buffer.from(file.raw_value, "base64").toString("utf8"));
const group = (m: Machine) => m.config?.metadata?.fly_process_group;

describeEachBinary(binaries, "$name, the provider double and the fake Fly API: the monitoring app", ({ binary }) => {
  const loop = new Loop({ binary, providers: providers!, startDelayMs: 5 });
  const env = monitoredEnvironment("watched");
  const monitoringApp = env.monitoring!.name;
  const stack = env.name;

  const machinesOf = (app: string) => loop.get<Machine[]>(`/v1/apps/${app}/machines`);
  const monitoringMachine = async (name: "vmalert" | "alertmanager"): Promise<Machine> => {
    const found = (await machinesOf(monitoringApp)).filter((m) => group(m) === name);
    expect(found.length).toBe(1);
    return found[0];
  };
  /** `flystack plan` into `out`; its plan JSON for the stack. */
  const plan = async (out: string): Promise<PlanJson> => {
    const run = await loop.flystack(["plan", "--skip-synth", "--out", out], loop.withoutSecrets());
    if (run.code !== 0 && run.code !== 2) throw new Error(`plan failed (${run.code}): ${run.stderr.slice(-3000)}`);
    return JSON.parse(fs.readFileSync(path.join(loop.project, out, `${stack}.plan.json`), "utf8")) as PlanJson;
  };
  const changed = (p: PlanJson) => (p.resource_changes ?? []).filter((c) => c.change.actions.join() !== "no-op").map((c) => [c.address, c.change.actions] as const);
  const monitoringMachineAddresses = () => {
    const json = JSON.parse(fs.readFileSync(path.join(loop.project, "cdktf.out", "stacks", stack, "cdk.tf.json"), "utf8")) as { resource: { fly_machine: Record<string, { app: string; metadata: Record<string, string> }> } };
    return Object.fromEntries(
      Object.entries(json.resource.fly_machine)
        .filter(([, m]) => m.app === "${fly_app.monitoring.name}")
        .map(([name, m]) => [m.metadata.fly_process_group, `fly_machine.${name}`]),
    ) as Record<"vmalert" | "alertmanager", string>;
  };

  beforeAll(async () => {
    await loop.start();
    expect(loop.synthesize([env])).toEqual([stack]);
  });
  afterAll(() => loop.stop());

  test("the stack declares the monitoring app with its two machines; init and validate pass", async () => {
    const addresses = addressesOf(loop.project, stack);
    expect(addresses).toContain("fly_app.monitoring");
    expect(Object.keys(monitoringMachineAddresses()).sort()).toEqual(["alertmanager", "vmalert"]);
    // Private: no address of the monitoring app.
    const json = JSON.parse(fs.readFileSync(path.join(loop.project, "cdktf.out", "stacks", stack, "cdk.tf.json"), "utf8")) as { resource: { fly_ip?: Record<string, { app: string }> } };
    expect(Object.values(json.resource.fly_ip ?? {}).filter((ip) => ip.app === "${fly_app.monitoring.name}")).toEqual([]);

    const init = await loop.terraform(stack, ["init", "-input=false", "-no-color"]);
    expect({ code: init.code, stderr: init.stderr }).toEqual({ code: 0, stderr: "" });
    const validate = await loop.terraform(stack, ["validate", "-no-color"]);
    expect({ code: validate.code, stderr: validate.stderr }).toEqual({ code: 0, stderr: "" });
    expect(validate.stdout).toContain("The configuration is valid.");
  });

  test("flystack plan and apply create the monitoring app and its machines in the fake", async () => {
    const first = await plan("plans");
    const created = new Map(changed(first));
    const machines = monitoringMachineAddresses();
    for (const address of ["fly_app.monitoring", machines.vmalert, machines.alertmanager]) expect({ address, actions: created.get(address) }).toEqual({ address, actions: ["create"] });

    const applied = await loop.flystack(["apply", "--plans", "plans"]);
    expect({ code: applied.code, stderr: applied.code === 0 ? "" : applied.stderr.slice(-3000) }).toEqual({ code: 0, stderr: "" });
    expect(loop.fly.appNames()).toContain(monitoringApp);
    const live = await machinesOf(monitoringApp);
    expect(live.map((m) => [group(m), m.region, m.state]).sort()).toEqual([
      ["alertmanager", "iad", "started"],
      ["vmalert", "iad", "started"],
    ]);
  });

  test("the machines hold the derived files, the pinned images, the token as datasource_bearerToken and the declared metrics; the app has no public address", async () => {
    const files = monitoringFiles(env)!;
    expect(files).toBeDefined();

    const vmalert = await monitoringMachine("vmalert");
    expect(vmalert.config?.image).toBe(MONITORING_IMAGES.vmalert);
    expect(vmalert.config?.containers?.length).toBe(1);
    const vmalertContainer = vmalert.config!.containers![0];
    expect(vmalertContainer.image).toBe(MONITORING_IMAGES.vmalert);
    expect((vmalertContainer.files ?? []).map((f) => f.guest_path)).toEqual([MONITORING_FILES.rules]);
    expect(decoded(vmalertContainer.files?.find((f) => f.guest_path === MONITORING_FILES.rules))).toBe(files.rules);
    expect(vmalertContainer.secrets).toEqual([{ name: PROMETHEUS_TOKEN_SECRET, env_var: "datasource_bearerToken" }]);
    expect(vmalert.config?.metrics).toEqual({ port: 8880, path: "/metrics" });

    const alertmanager = await monitoringMachine("alertmanager");
    expect(alertmanager.config?.image).toBe(MONITORING_IMAGES.alertmanager);
    expect(alertmanager.config?.containers?.length).toBe(1);
    const amContainer = alertmanager.config!.containers![0];
    expect(amContainer.image).toBe(MONITORING_IMAGES.alertmanager);
    const amFiles = amContainer.files ?? [];
    expect(amFiles.map((f) => f.guest_path).sort()).toEqual([MONITORING_FILES.alertmanager, MONITORING_FILES.alertmanagerStart].sort());
    expect(decoded(amFiles.find((f) => f.guest_path === MONITORING_FILES.alertmanager))).toBe(files.alertmanager);
    const start = amFiles.find((f) => f.guest_path === MONITORING_FILES.alertmanagerStart)!;
    expect(start.mode).toBe(0o755);
    expect(decoded(start)).toMatch(/^#!\/bin\/sh\n/);
    expect(decoded(start)).toContain(`--config.file=${MONITORING_FILES.alertmanager}`);
    expect(amContainer.entrypoint).toEqual(["/bin/sh"]);
    expect(amContainer.cmd).toEqual([MONITORING_FILES.alertmanagerStart]);
    expect((amContainer.secrets ?? []).map((s) => [s.name, s.env_var]).sort()).toEqual([
      ["PAGE_RECEIVER", "PAGE_RECEIVER"],
      ["TICKET_RECEIVER", "TICKET_RECEIVER"],
    ]);
    expect(alertmanager.config?.metrics).toEqual({ port: 9093, path: "/metrics" });

    // The app group that declares metrics: every machine of it; the groups that do not: none.
    const web = await machinesOf(env.apps.web.name);
    expect(web.length).toBe(4);
    for (const m of web) expect({ machine: m.name, metrics: m.config?.metrics }).toEqual({ machine: m.name, metrics: WEB_METRICS });
    for (const app of [env.apps.db.name, env.apps.api.name]) {
      for (const m of await machinesOf(app)) expect({ machine: m.name, metrics: m.config?.metrics }).toEqual({ machine: m.name, metrics: undefined });
    }

    // The secrets are set on the monitoring app, and it has no address (private network only).
    const secrets = await loop.get<{ secrets: { name: string }[] }>(`/v1/apps/${monitoringApp}/secrets`);
    expect(secrets.secrets.map((s) => s.name).sort()).toEqual([PROMETHEUS_TOKEN_SECRET, "PAGE_RECEIVER", "TICKET_RECEIVER"].sort());
    const ips = await loop.get<{ ips: unknown[] }>(`/v1/apps/${monitoringApp}/ip_assignments`);
    expect(ips.ips).toEqual([]);
    const state = await loop.state(stack);
    expect([...state.entries()].filter(([address, values]) => address.startsWith("fly_ip.") && values.app === monitoringApp)).toEqual([]);
  });

  test("a second plan has no changes", async () => {
    const again = await plan("plans-again");
    expect(changed(again)).toEqual([]);
    const summary = JSON.parse(fs.readFileSync(path.join(loop.project, "plans-again", "summary.json"), "utf8")) as { stacks: { stack: string; status: string }[] };
    expect(summary.stacks.map((s) => [s.stack, s.status])).toEqual([[stack, "no-changes"]]);
  });

  test("a changed SLO updates only the vmalert machine, in place; after the apply the fake holds the new rules", async () => {
    const before = await monitoringMachine("vmalert");
    const alertmanagerBefore = await monitoringMachine("alertmanager");
    const relaxed = monitoredEnvironment("watched", 99.5);
    const files = monitoringFiles(relaxed)!;
    expect(files.rules).not.toBe(monitoringFiles(env)!.rules);
    expect(files.alertmanager).toBe(monitoringFiles(env)!.alertmanager);

    loop.synthesize([relaxed]);
    await plan("slo");
    const actions = await plannedActions(loop, stack, "slo");
    const vmalertAddress = monitoringMachineAddresses().vmalert;
    expect([...actions].filter(([, a]) => a.join() !== "no-op")).toEqual([[vmalertAddress, ["update"]]]);

    const applied = await loop.flystack(["apply", "--plans", "slo"]);
    expect({ code: applied.code, stderr: applied.code === 0 ? "" : applied.stderr.slice(-3000) }).toEqual({ code: 0, stderr: "" });
    const after = await monitoringMachine("vmalert");
    expect(after.id).toBe(before.id);
    expect(after.instance_id).not.toBe(before.instance_id);
    expect(after.state).toBe("started");
    expect(decoded(after.config?.containers?.[0].files?.find((f) => f.guest_path === MONITORING_FILES.rules))).toBe(files.rules);
    const alertmanagerAfter = await monitoringMachine("alertmanager");
    expect({ id: alertmanagerAfter.id, instance: alertmanagerAfter.instance_id }).toEqual({ id: alertmanagerBefore.id, instance: alertmanagerBefore.instance_id });

    expect(changed(await plan("slo-again"))).toEqual([]);
  });

  test("flystack audit: clean as applied; a rule file edited with flyctl is drift naming the container's files", async () => {
    const auditEnv = { ...loop.withoutSecrets(), FLYSTACK_FLY_API_URL: loop.flyApiUrl, FLYSTACK_FLY_API_RETRY_BASE_MS: "10", FLYSTACK_FLY_API_TIMEOUT_MS: "2000" };
    const clean = await loop.flystack(["audit", stack, "--skip-synth", "--json"], auditEnv);
    expect({ code: clean.code, stderr: clean.code === 0 ? "" : clean.stderr.slice(-2000) }).toEqual({ code: 0, stderr: "" });

    const vmalert = await monitoringMachine("vmalert");
    const [container] = vmalert.config!.containers!;
    const edited = { ...container, files: container.files!.map((f) => ({ ...f, raw_value: Buffer.from("groups: []\n").toString("base64") })) };
    loop.fly.updateMachineOutOfBand(vmalert.id!, { containers: [edited] });
    const found = await loop.flystack(["audit", stack, "--skip-synth", "--json"], auditEnv);
    expect(found.code).toBe(2);
    expect(found.stdout).toContain('"field": "containers.vmalert.files"');
    expect(found.stdout).toContain(monitoringMachineAddresses().vmalert);
  });
});

describe("an environment without monitoring", () => {
  const quiet = loopEnvironment("quiet");
  const watched = monitoredEnvironment("watched");
  const project = projectWithEnvironments([quiet, watched]);
  afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

  test("synthesizes no monitoring app, and flystack alerts says no alert is deployed (exit 0)", async () => {
    const run = await flystack(project, ["alerts", "quiet"]);
    expect({ code: run.code, stderr: run.code === 0 ? "" : run.stderr }).toEqual({ code: 0, stderr: "" });
    expect(run.stdout).toMatch(/^# quiet: no monitoring app .*no alert is evaluated or sent\.$/m);
    expect(run.stdout).not.toContain("groups:");
    const json = JSON.parse(fs.readFileSync(path.join(project, "cdktf.out", "stacks", "quiet", "cdk.tf.json"), "utf8")) as { resource: Record<string, Record<string, unknown>> };
    expect(Object.keys(json.resource.fly_app ?? {})).not.toContain("monitoring");
    expect(JSON.stringify(json)).not.toContain("/etc/flystack/");
  });

  test("flystack alerts --json prints, for a monitored environment, exactly the files monitoringFiles derives", async () => {
    const run = await flystack(project, ["alerts", "quiet", "watched", "--json"]);
    expect({ code: run.code, stderr: run.code === 0 ? "" : run.stderr }).toEqual({ code: 0, stderr: "" });
    const { parse } = await import("yaml");
    const files = monitoringFiles(watched)!;
    const out = JSON.parse(run.stdout) as { environments: { name: string; monitoringApp: string | null; rules: unknown; alertmanager: unknown }[] };
    expect(out.environments).toEqual([
      { name: "quiet", monitoringApp: null, rules: null, alertmanager: null },
      { name: "watched", monitoringApp: watched.monitoring!.name, rules: parse(files.rules), alertmanager: parse(files.alertmanager) },
    ]);
  });
});
