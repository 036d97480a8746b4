/**
 * The monitoring app: a FlyApp with a vmalert and an Alertmanager machine whose containers get the
 * environment's rule file and Alertmanager configuration as files. Its stateful addresses are a
 * contract (pinned here), and a group's `metrics` becomes the machine's metrics block.
 */
import { Testing } from "cdktf";
import { MonitoringApp } from "../../constructs/monitoring-app";
import { EnvironmentStack } from "../../stacks/environment-stack";
import { estimateEnvironment } from "../../src/features/cost";
import { readDiagramModel } from "../../src/features/diagram/model";
import { evaluateStack } from "../../policies/evaluate";
import type { PolicyRule } from "../../policies/rule";
import { addressOf, isResourceOf } from "../../policies/values";
import { ProcessGroup } from "../../constructs/process-group";
import { monitoringFiles } from "../../src/features/alerts";
import { receiverSecretFile } from "../../src/config/monitoring";
import type { EnvironmentConfig } from "../../src/config/types";
import { MONITORING_IMAGES } from "../../src/config/monitoring-images";
import { deployedApps } from "../../src/config/monitoring";
import { stacksOf } from "../../stacks/stack-names";
import { validEnvironment, validService, type MutableEnvironment } from "../config/fixtures";
import { resource, resources, synth } from "./helpers";

function watched(edit: (env: MutableEnvironment) => void = () => undefined): EnvironmentConfig {
  const env = validEnvironment("staging");
  env.apps.api.groups.web.services = [{ ...validService(), slo: { availability: 99.5 } }];
  env.monitoring = { name: "acme-monitoring-staging", region: "ams", prometheusTokenVersion: "v1", receivers: { page: { kind: "slack", version: "v1" } } };
  edit(env);
  return env as EnvironmentConfig;
}

type Container = { name: string; image: string; cmd: string[]; entrypoint?: string[]; secret: { env_var: string; name: string }[]; file?: { guest_path: string; raw_value: string; mode?: number }[] };
const containerOf = (machine: Record<string, unknown>) => (machine.container as Container[])[0];
const decoded = (raw: string) => Buffer.from(raw, "base64").toString("utf8");

describe("MonitoringApp", () => {
  test("pins its addresses: the app, its secrets and one machine per tool, no IP address", () => {
    const json = synth((scope) => new MonitoringApp(scope, "monitoring", { environment: watched() }));
    expect(Object.keys(resources(json, "fly_app"))).toEqual(["monitoring"]);
    expect(Object.keys(resources(json, "fly_secret")).sort()).toEqual(["monitoring_FLY_PROMETHEUS_TOKEN", "monitoring_PAGE_RECEIVER"]);
    expect(Object.keys(resources(json, "fly_machine")).sort()).toEqual(["monitoring_alertmanager_ams_1", "monitoring_vmalert_ams_1"]);
    expect(resources(json, "fly_ip")).toEqual({});
    expect(resources(json, "fly_volume")).toEqual({});
    expect(resource(json, "fly_app", "monitoring")).toMatchObject({ name: "acme-monitoring-staging", org: "acme" });
  });

  test("a ticket receiver adds its secret, given only to Alertmanager", () => {
    const env = watched((e) => void (e.monitoring!.receivers.ticket = { kind: "webhook", version: "v2" }));
    const json = synth((scope) => new MonitoringApp(scope, "monitoring", { environment: env }));
    expect(Object.keys(resources(json, "fly_secret")).sort()).toEqual(["monitoring_FLY_PROMETHEUS_TOKEN", "monitoring_PAGE_RECEIVER", "monitoring_TICKET_RECEIVER"]);
    expect(containerOf(resource(json, "fly_machine", "monitoring_alertmanager_ams_1")).secret).toEqual([
      { env_var: "PAGE_RECEIVER", name: "PAGE_RECEIVER" },
      { env_var: "TICKET_RECEIVER", name: "TICKET_RECEIVER" },
    ]);
  });

  test("vmalert runs the pinned image with the rule file and reads the token as datasource_bearerToken", () => {
    const env = watched();
    const json = synth((scope) => new MonitoringApp(scope, "monitoring", { environment: env }));
    const machine = resource(json, "fly_machine", "monitoring_vmalert_ams_1");
    const container = containerOf(machine);
    expect(machine.image).toBe(MONITORING_IMAGES.vmalert);
    expect(container.image).toBe(MONITORING_IMAGES.vmalert);
    expect(container.secret).toEqual([{ env_var: "datasource_bearerToken", name: "FLY_PROMETHEUS_TOKEN" }]);
    expect(container.cmd).toEqual(expect.arrayContaining(["-datasource.url=https://api.fly.io/prometheus/acme", "-notifier.url=http://alertmanager.process.acme-monitoring-staging.internal:9093", "-envflag.enable"]));
    expect(container.file).toHaveLength(1);
    expect(container.file![0].guest_path).toBe("/etc/flystack/alerts.yml");
    expect(decoded(container.file![0].raw_value)).toBe(monitoringFiles(env)!.rules);
    expect(machine.metrics).toEqual({ port: 8880, path: "/metrics" });
    expect(machine.restart).toEqual({ policy: "always" });
  });

  test("Alertmanager starts through a script that writes the receiver secrets to files", () => {
    const env = watched();
    const json = synth((scope) => new MonitoringApp(scope, "monitoring", { environment: env }));
    const machine = resource(json, "fly_machine", "monitoring_alertmanager_ams_1");
    const container = containerOf(machine);
    expect(container.image).toBe(MONITORING_IMAGES.alertmanager);
    expect(container.entrypoint).toEqual(["/bin/sh"]);
    expect(container.cmd).toEqual(["/etc/flystack/start-alertmanager.sh"]);
    const files = Object.fromEntries(container.file!.map((f) => [f.guest_path, { content: decoded(f.raw_value), mode: f.mode }]));
    expect(files["/etc/flystack/alertmanager.yml"].content).toBe(monitoringFiles(env)!.alertmanager);
    const script = files["/etc/flystack/start-alertmanager.sh"];
    expect(script.mode).toBe(0o755);
    expect(script.content).toContain(`printf '%s' "$PAGE_RECEIVER" > ${receiverSecretFile("page")}`);
    expect(script.content).not.toContain("TICKET_RECEIVER");
    expect(script.content).toMatch(/exec \/bin\/alertmanager --config\.file=\/etc\/flystack\/alertmanager\.yml /);
  });

  test("a protected environment protects the monitoring app like any app", () => {
    const json = synth((scope) => new MonitoringApp(scope, "monitoring", { environment: watched((e) => void (e.protected = true)) }));
    expect(resource(json, "fly_app", "monitoring").lifecycle).toEqual({ prevent_destroy: true });
  });

  test("refuses an environment without monitoring", () => {
    const env = validEnvironment() as EnvironmentConfig;
    expect(() => synth((scope) => new MonitoringApp(scope, "monitoring", { environment: env }))).toThrow("MonitoringApp: environment staging sets no monitoring");
  });

  test("is one more app of the environment: deployedApps and per-app stacks include it", () => {
    const env = watched((e) => void (e.stacks = "per-app"));
    expect(Object.keys(deployedApps(env))).toEqual(["api", "monitoring"]);
    expect(stacksOf(env)).toEqual([
      { name: "staging_api", app: "api" },
      { name: "staging_monitoring", app: "monitoring" },
    ]);
    expect(Object.keys(deployedApps(validEnvironment() as EnvironmentConfig))).toEqual(["api"]);
  });
});

describe("ProcessGroup metrics and container extras", () => {
  const base = { appName: "acme-api", appKey: "api", groupName: "web", environment: "staging", image: "registry.fly.io/acme-api:v1", guest: { cpuKind: "shared" as const, cpus: 1, memoryMb: 256 }, regions: ["iad"] };

  test("a group's metrics become every machine's metrics block, the path defaulting to /metrics", () => {
    const json = synth((scope) => new ProcessGroup(scope, "web", { ...base, count: 2, metrics: { port: 9091 } }));
    for (const machine of Object.values(resources(json, "fly_machine"))) expect(machine.metrics).toEqual({ port: 9091, path: "/metrics" });
  });

  test("no metrics block without metrics", () => {
    const json = synth((scope) => new ProcessGroup(scope, "web", base));
    expect(resource(json, "fly_machine", "api_web_iad_1").metrics).toBeUndefined();
  });

  test("container files need a command: they belong to the container block", () => {
    expect(() => synth((scope) => new ProcessGroup(scope, "web", { ...base, container: { files: [{ guestPath: "/etc/x", content: "x" }] } }))).toThrow(
      "ProcessGroup web: container files, entrypoint and secrets need a command (they belong to the provider's container block)",
    );
  });
});

describe("the monitoring app in an environment's stack: cost, diagram and guardrails count it like any app", () => {
  const stackJson = (env: EnvironmentConfig, app?: string) => {
    const stack = new EnvironmentStack(Testing.app({ stackTraces: false }), app ? `${env.name}_${app}` : env.name, { environment: env, app });
    return { stack, json: JSON.parse(Testing.synth(stack)) as { resource: Record<string, Record<string, unknown>> } };
  };

  test("its machines are priced under the app key monitoring", () => {
    const { json } = stackJson(watched());
    const cost = estimateEnvironment("staging", json);
    const monitoringCost = cost.apps.find((a) => a.app === "monitoring");
    expect(monitoringCost?.monthly).toBeGreaterThan(0);
    expect(cost.items.filter((i) => i.address.startsWith("fly_machine.monitoring_")).map((i) => i.address).sort()).toEqual(["fly_machine.monitoring_alertmanager_ams_1", "fly_machine.monitoring_vmalert_ams_1"]);
  });

  test("its process groups are in the diagram", () => {
    const model = readDiagramModel(stackJson(watched()).json);
    const app = model.apps.find((a) => a.key === "monitoring");
    expect(app?.name).toBe("acme-monitoring-staging");
    expect(app?.groups.map((g) => [g.name, g.machineCount])).toEqual([
      ["alertmanager", 1],
      ["vmalert", 1],
    ]);
  });

  test("the guardrails judge its resources (a rule flagging every machine finds its two)", () => {
    const everyMachine: PolicyRule = {
      id: "TEST01",
      level: "warning",
      title: "t",
      what: "t",
      why: "t",
      appliesTo: (node) => isResourceOf(node, "fly_machine"),
      check: (node) => (isResourceOf(node, "fly_machine") ? [{ message: addressOf(node) }] : []),
    };
    const { stack } = stackJson(watched());
    const found = evaluateStack(stack, { rules: [everyMachine] }).findings.filter((f) => f.ruleId === "TEST01").map((f) => f.message);
    expect(found.filter((m) => m.startsWith("fly_machine.monitoring_")).sort()).toEqual(["fly_machine.monitoring_alertmanager_ams_1", "fly_machine.monitoring_vmalert_ams_1"]);
    // And the shipped rules find nothing to fix in it: pinned images, sizes, no credentials in env.
    expect(evaluateStack(stack).findings.filter((f) => f.path.includes("/monitoring/"))).toEqual([]);
  });

  test("a per-app stack of the monitoring app holds only it; an environment without monitoring has no such app", () => {
    const { json } = stackJson(watched(), "monitoring");
    expect(Object.keys(json.resource.fly_app)).toEqual(["monitoring"]);
    expect(Object.keys(json.resource.fly_machine).every((id) => id.startsWith("monitoring_"))).toBe(true);
    expect(() => stackJson(validEnvironment() as EnvironmentConfig, "monitoring")).toThrow('EnvironmentStack staging_monitoring: environment staging has no app "monitoring"');
  });
});
