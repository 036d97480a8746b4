/** The audit's pure comparisons, one resource kind at a time. */
import { declaredApps } from "../../src/features/audit/desired";
import { allowsAutostop, auditMachines, digestOf, envDiff } from "../../src/features/audit/machines";
import { auditVolumes } from "../../src/features/audit/volumes";
import { auditCertificates } from "../../src/features/audit/certificates";
import { auditIps, auditSecrets } from "../../src/features/audit/network";
import { ipKind } from "../../src/fly/api/answers/ips";
import { auditApp } from "../../src/features/audit/audit";
import { renderAuditMarkdown } from "../../src/features/audit/report";
import type { FlyMachine } from "../../src/fly/api/client";

const DIGEST = `sha256:${"a".repeat(64)}`;
const stack = {
  resource: {
    fly_app: { api: { name: "acme-api", org: "acme" } },
    fly_volume: { data: { app: "${fly_app.api.name}", name: "data", region: "iad", size_gb: 3, encrypted: true } },
    fly_machine: {
      api_1: {
        "//": { metadata: {} },
        app: "${fly_app.api.name}",
        name: "${fly_app.api.name}-web-iad-1",
        region: "iad",
        image: `registry.fly.io/api:v1@${DIGEST}`,
        guest: { cpu_kind: "shared", cpus: 1, memory_mb: 256 },
        env: { A: "1" },
        restart: { policy: "on-failure", max_retries: 10 },
        mount: [{ path: "/data", volume: "${fly_volume.data.id}" }],
        service: [{ internal_port: 8080, protocol: "tcp", autostop: "off", autostart: true, port: [{ port: 443, handlers: ["tls", "http"] }], check: [{ type: "http", port: 8080, path: "/h", interval: "10s", timeout: "2s" }] }],
        metadata: { flystack_managed_by: "flystack" },
      },
    },
    fly_ip: { v4: { app: "${fly_app.api.name}", type: "shared_v4" }, v6: { app: "${fly_app.api.name}", type: "public_v6" } },
    fly_secret: { s: { app: "${fly_app.api.name}", name: "DATABASE_URL" } },
    fly_cert: { c: { app: "${fly_app.api.name}", hostname: "api.example.com" } },
  },
};
const [app] = declaredApps(stack);
const machine = (patch: Partial<FlyMachine["config"]> = {}, top: Partial<FlyMachine> = {}): FlyMachine => ({
  id: "m1",
  name: "acme-api-web-iad-1",
  region: "iad",
  state: "started",
  image_ref: { digest: DIGEST },
  config: {
    image: `registry.fly.io/api:v1@${DIGEST}`,
    guest: { cpu_kind: "shared", cpus: 1, memory_mb: 256 },
    env: { A: "1" },
    restart: { policy: "on-failure", max_retries: 10 },
    mounts: [{ path: "/data", volume: "vol_1" }],
    services: [{ internal_port: 8080, protocol: "tcp", autostop: "off", autostart: true, ports: [{ port: 443, handlers: ["tls", "http"] }], checks: [{ type: "http", port: 8080, path: "/h", interval: "10s", timeout: "2s" }] }],
    metadata: { flystack_managed_by: "flystack" },
    ...patch,
  },
  ...top,
});
const volumes = [{ id: "vol_1", name: "data", region: "iad", size_gb: 3, encrypted: true }];

test("declaredApps resolves app and volume references and groups resources by app", () => {
  expect(app.name).toBe("acme-api");
  expect(app.machines[0]).toMatchObject({ address: "fly_machine.api_1", attrs: { name: "acme-api-web-iad-1", mount: [{ volume: "volume:data" }] } });
  expect(app.machines[0].attrs["//"]).toBeUndefined();
  expect([app.volumes.length, app.ips.length, app.secrets.length, app.certs.length]).toEqual([1, 2, 1, 1]);
});

test("a machine as declared has no findings", () => {
  expect(auditMachines(app.machines, [machine()], volumes)).toEqual([]);
});

test("machine fields: image by digest, guest, env keys, services, restart, mounts, region", () => {
  const other = `registry.fly.io/api:v1@sha256:${"b".repeat(64)}`;
  const live = machine(
    { image: other, guest: { cpu_kind: "performance", cpus: 1, memory_mb: 256 }, env: { A: "2", B: "x" }, restart: { policy: "always" }, mounts: [], services: [] },
    { image_ref: { digest: digestOf(other) }, region: "lhr" },
  );
  const fields = auditMachines(app.machines, [live], volumes).map((f) => f.field);
  expect(fields).toEqual(["image", "guest.cpu_kind", "env", "services", "restart.policy", "restart.max_retries", "mounts", "region"]);
  expect(auditMachines(app.machines, [live], volumes).find((f) => f.field === "env")?.actual).toBe("added B; changed A");
});

test("a tag that moved is no drift while the digest matches", () => {
  expect(auditMachines(app.machines, [machine({ image: `registry.fly.io/api:latest@${DIGEST}` })], volumes)).toEqual([]);
});

test("missing, unmanaged, failed and stopped machines; stopped is fine where autostop is allowed", () => {
  expect(auditMachines(app.machines, [], volumes)).toEqual([expect.objectContaining({ resource: "fly_machine.api_1", field: "machine", actual: "missing" })]);
  const stray = machine({ metadata: {} }, { id: "m9", name: "by-hand" });
  expect(auditMachines(app.machines, [machine(), stray], volumes)).toEqual([expect.objectContaining({ resource: "m9", field: "machine", actual: "by-hand (started, no flystack metadata)" })]);
  expect(auditMachines(app.machines, [machine({}, { state: "failed" })], volumes)).toEqual([expect.objectContaining({ field: "state", actual: "failed" })]);
  expect(auditMachines(app.machines, [machine({}, { state: "stopped" })], volumes)).toEqual([expect.objectContaining({ field: "state", actual: "stopped" })]);
  expect(allowsAutostop([{ autostop: "suspend" }])).toBe(true);
  expect(allowsAutostop([{ autostop: "off" }])).toBe(false);
});

test("envDiff", () => {
  expect(envDiff({ A: "1", B: "2" }, { A: "1", C: "3", B: "9" })).toEqual({ added: ["C"], removed: [], changed: ["B"] });
});

test("volumes: missing, extra, resized, unencrypted", () => {
  expect(auditVolumes(app.volumes, volumes)).toEqual([]);
  expect(auditVolumes(app.volumes, [])).toEqual([expect.objectContaining({ field: "volume", actual: "missing" })]);
  expect(auditVolumes(app.volumes, [{ ...volumes[0], size_gb: 5, encrypted: false }]).map((f) => [f.field, f.actual])).toEqual([["size_gb", 5], ["encrypted", false]]);
  expect(auditVolumes([], volumes)).toEqual([expect.objectContaining({ resource: "vol_1", field: "volume", expected: "none" })]);
});

test("certificates: missing, not configured, expiring within 21 days", () => {
  const now = new Date("2026-11-01T00:00:00Z");
  const cert = (days: number, configured = true) => new Map([["api.example.com", { configured, certificates: [{ expires_at: new Date(now.getTime() + days * 86_400_000).toISOString() }] }]]);
  expect(auditCertificates(app.certs, cert(60), now)).toEqual([]);
  expect(auditCertificates(app.certs, new Map(), now)).toEqual([expect.objectContaining({ field: "certificate", actual: "missing" })]);
  expect(auditCertificates(app.certs, cert(5), now)).toEqual([expect.objectContaining({ field: "expires_at", actual: "in 5 days (2026-11-06)" })]);
  expect(auditCertificates(app.certs, cert(60, false), now)).toEqual([expect.objectContaining({ field: "configured" })]);
});

test("IPs by type and secrets by name", () => {
  const ips = [{ ip: "203.0.113.254", shared: true }, { ip: "2001:db8::1" }];
  expect(ips.map(ipKind)).toEqual(["shared_v4", "v6"]);
  expect(auditIps(app.ips, ips)).toEqual([]);
  expect(auditIps(app.ips, [ips[0]])).toEqual([expect.objectContaining({ resource: "fly_ip.v6", actual: "missing" })]);
  expect(auditSecrets(app.secrets, [{ name: "DATABASE_URL" }])).toEqual([]);
  expect(auditSecrets(app.secrets, [])).toEqual([expect.objectContaining({ resource: "fly_secret.s", expected: "DATABASE_URL" })]);
});

test("a missing app is one finding; the report names app, resource and field", () => {
  const findings = auditApp(app, { exists: false, machines: [], volumes: [], ips: [], secrets: [], certificates: new Map() }, new Date());
  expect(findings).toEqual([{ app: "acme-api", resource: "fly_app.api", field: "app", expected: "acme-api", actual: "missing", severity: "drift" }]);
  expect(renderAuditMarkdown([{ stack: "prod", status: "drift", findings }])).toContain("| drift | acme-api | fly_app.api | app | acme-api | missing |");
});

describe("containers and machine checks", () => {
  const IMAGE = `registry.fly.io/api:v1@${DIGEST}`;
  const withContainer = declaredApps({
    resource: {
      fly_app: { api: { name: "acme-api" } },
      fly_machine: {
        w: {
          app: "${fly_app.api.name}",
          name: "acme-api-worker-iad-1",
          region: "iad",
          image: IMAGE,
          container: [{ name: "worker", image: IMAGE, cmd: ["bin/worker"], secret: [{ env_var: "DATABASE_URL", name: "DATABASE_URL" }] }],
          check: [{ name: "http_8080_0", type: "http", port: 8080, path: "/h", interval: "15s", timeout: "2s", grace_period: "10s" }],
        },
      },
    },
  })[0].machines;
  const live = (patch: Partial<FlyMachine["config"]> = {}): FlyMachine => ({
    id: "m2",
    name: "acme-api-worker-iad-1",
    region: "iad",
    state: "started",
    image_ref: { digest: DIGEST },
    config: {
      image: IMAGE,
      containers: [{ name: "worker", image: IMAGE, cmd: ["bin/worker"], secrets: [{ env_var: "DATABASE_URL", name: "DATABASE_URL" }] }],
      checks: { http_8080_0: { type: "http", port: 8080, path: "/h", interval: "15s", timeout: "2s", grace_period: "10s" } },
      ...patch,
    },
  });

  test("as declared: no finding", () => {
    expect(auditMachines(withContainer, [live()], [])).toEqual([]);
  });

  test("a container's image, cmd and secret names; a container added or taken away", () => {
    const other = `registry.fly.io/api:v2@sha256:${"c".repeat(64)}`;
    const changed = live({ containers: [{ name: "worker", image: other, cmd: ["bin/worker", "--debug"], secrets: [] }] });
    expect(auditMachines(withContainer, [changed], []).map((f) => [f.field, f.actual])).toEqual([
      ["containers.worker.image", other],
      ["containers.worker.cmd", ["bin/worker", "--debug"]],
      ["containers.worker.secrets", "(none)"],
    ]);
    const sidecar = live({ containers: [...live().config!.containers!, { name: "sidecar", image: "nginx" }] });
    expect(auditMachines(withContainer, [sidecar], [])).toEqual([expect.objectContaining({ field: "containers", expected: "worker", actual: "sidecar, worker", severity: "drift" })]);
    expect(auditMachines(withContainer, [live({ containers: undefined })], [])).toEqual([expect.objectContaining({ field: "containers", actual: "(none)" })]);
  });

  test("a machine check changed or removed", () => {
    const slower = live({ checks: { http_8080_0: { type: "http", port: 8080, path: "/h", interval: "60s", timeout: "2s", grace_period: "10s" } } });
    expect(auditMachines(withContainer, [slower], [])).toEqual([expect.objectContaining({ field: "checks", actual: "http_8080_0:http:8080:/h:1m:2s:10s" })]);
    expect(auditMachines(withContainer, [live({ checks: undefined })], [])).toEqual([expect.objectContaining({ field: "checks", actual: "(none)" })]);
  });
});

describe("container files and the metrics endpoint (the monitoring app's configuration)", () => {
  const IMAGE = `registry.fly.io/vmalert:v1@${DIGEST}`;
  const RULES = Buffer.from("groups: []\n").toString("base64");
  const [declared] = declaredApps({
    resource: {
      fly_app: { monitoring: { name: "acme-monitoring" } },
      fly_machine: {
        v: {
          app: "${fly_app.monitoring.name}",
          name: "acme-monitoring-vmalert-iad-1",
          region: "iad",
          image: IMAGE,
          metrics: { port: 8880, path: "/metrics" },
          container: [{ name: "vmalert", image: IMAGE, cmd: ["-rule=/etc/flystack/alerts.yml"], file: [{ guest_path: "/etc/flystack/alerts.yml", raw_value: RULES }] }],
        },
      },
    },
  });
  const ENDPOINT = { port: 8880, path: "/metrics" };
  const live = (files: unknown, metrics: unknown): FlyMachine => ({
    id: "m3",
    name: "acme-monitoring-vmalert-iad-1",
    region: "iad",
    state: "started",
    image_ref: { digest: DIGEST },
    config: { image: IMAGE, metrics, containers: [{ name: "vmalert", image: IMAGE, cmd: ["-rule=/etc/flystack/alerts.yml"], files }] } as FlyMachine["config"],
  });

  test("as declared: no finding", () => {
    expect(auditMachines(declared.machines, [live([{ guest_path: "/etc/flystack/alerts.yml", raw_value: RULES }], ENDPOINT)], [])).toEqual([]);
  });

  test("a file's content edited, or the file gone, is drift naming the path (never the content)", () => {
    const edited = auditMachines(declared.machines, [live([{ guest_path: "/etc/flystack/alerts.yml", raw_value: Buffer.from("groups: [x]\n").toString("base64") }], ENDPOINT)], []);
    expect(edited.map((f) => f.field)).toEqual(["containers.vmalert.files"]);
    expect(String(edited[0].expected)).toMatch(/^\/etc\/flystack\/alerts\.yml mode=default content=[0-9a-f]{12}$/);
    expect(edited[0].actual).not.toEqual(edited[0].expected);
    expect(JSON.stringify(edited)).not.toContain("groups");
    expect(auditMachines(declared.machines, [live(undefined, ENDPOINT)], [])).toEqual([expect.objectContaining({ field: "containers.vmalert.files", actual: "(none)" })]);
  });

  test("the metrics endpoint changed or removed", () => {
    const files = [{ guest_path: "/etc/flystack/alerts.yml", raw_value: RULES }];
    expect(auditMachines(declared.machines, [live(files, { port: 9999 })], [])).toEqual([expect.objectContaining({ field: "metrics", expected: ":8880/metrics", actual: ":9999/metrics" })]);
    expect(auditMachines(declared.machines, [live(files, undefined)], [])).toEqual([expect.objectContaining({ field: "metrics", actual: "(none)" })]);
  });
});

test("volumes: unattached while a machine mounts it, snapshot retention and daily backups", () => {
  const declared = declaredApps({ resource: { fly_volume: { d: { app: "acme", name: "data", region: "iad", size_gb: 3, snapshot_retention: 14, auto_backup_enabled: true } } } })[0].volumes;
  const live = { id: "vol_1", name: "data", region: "iad", size_gb: 3, encrypted: true, snapshot_retention: 14, auto_backup_enabled: true, attached_machine_id: "m1" };
  expect(auditVolumes(declared, [live], new Set(["data"]))).toEqual([]);
  expect(auditVolumes(declared, [{ ...live, attached_machine_id: undefined }], new Set(["data"]))).toEqual([expect.objectContaining({ field: "attached_machine_id", actual: "unattached", severity: "drift" })]);
  // Nothing declared mounts it: an unattached volume is as declared.
  expect(auditVolumes(declared, [{ ...live, attached_machine_id: undefined }])).toEqual([]);
  expect(auditVolumes(declared, [{ ...live, snapshot_retention: 1, auto_backup_enabled: false }], new Set(["data"])).map((f) => [f.field, f.expected, f.actual])).toEqual([
    ["snapshot_retention", 14, 1],
    ["auto_backup_enabled", true, false],
  ]);
});

test("auditApp: a volume a declared machine mounts, found unattached, is drift", () => {
  const live = { exists: true, machines: [machine()], volumes: [{ ...volumes[0] }], ips: [{ ip: "203.0.113.254", shared: true }, { ip: "2001:db8::1" }], secrets: [{ name: "DATABASE_URL" }], certificates: new Map([["api.example.com", { configured: true }]]) };
  expect(auditApp(app, live, new Date())).toEqual([expect.objectContaining({ app: "acme-api", resource: "fly_volume.data", field: "attached_machine_id" })]);
  expect(auditApp(app, { ...live, volumes: [{ ...volumes[0], attached_machine_id: "m1" }] }, new Date())).toEqual([]);
});

test("IPs: a public address nobody declared is drift; a private one is not", () => {
  const ips = [{ ip: "203.0.113.254", shared: true }, { ip: "2001:db8::1" }];
  expect(auditIps(app.ips, [...ips, { ip: "198.51.100.7" }])).toEqual([expect.objectContaining({ resource: "198.51.100.7", field: "ip", expected: "none", actual: "v4 198.51.100.7", severity: "drift" })]);
  expect(auditIps(app.ips, [...ips, { ip: "fdaa:0:1::3", network: { name: "internal" } }])).toEqual([]);
  expect(auditIps([], [{ ip: "2001:db8::9" }])).toEqual([expect.objectContaining({ actual: "v6 2001:db8::9" })]);
});

test("certificates: Fly's validation errors are named, with the remediation", () => {
  const now = new Date("2026-11-01T00:00:00Z");
  const live = new Map([["api.example.com", { configured: false, status: "Awaiting configuration", validation_errors: [{ code: "DNS_NOT_CONFIGURED", message: "no record points at acme-api", remediation: "add a CNAME to acme-api.fly.dev" }] }]]);
  expect(auditCertificates(app.certs, live, now).map((f) => [f.field, f.actual])).toEqual([
    ["configured", "Awaiting configuration"],
    ["validation_errors", "DNS_NOT_CONFIGURED: no record points at acme-api (add a CNAME to acme-api.fly.dev)"],
  ]);
});

describe("compared by meaning: every form Fly answers reads as the declared value (fakes/README.md)", () => {
  const service = machine().config!.services![0];
  test.each([
    ["autostop as the boolean Fly answers for off", { services: [{ ...service, autostop: false as unknown as "off" }] }],
    ["a service check with no port (Fly probes the internal port; flyctl never sets one)", { services: [{ ...service, checks: [{ ...service.checks![0], port: undefined }] }] }],
    ["a check interval in Go's spelling", { services: [{ ...service, checks: [{ ...service.checks![0], interval: "0h0m10s" }] }] }],
    ["a check interval Fly leaves out (its default is not documented: no difference claimed)", { services: [{ ...service, checks: [{ ...service.checks![0], interval: undefined }] }] }],
    ["protocol and autostart left out (Fly's defaults: tcp, on)", { services: [{ ...service, protocol: undefined, autostart: undefined }] }],
    ["handlers in another order", { services: [{ ...service, ports: [{ port: 443, handlers: ["http", "tls"] }] }] }],
    ["the default restart policy left out", { restart: { max_retries: 10 } }],
  ])("%s", (_name, patch) => {
    expect(auditMachines(app.machines, [machine(patch as Partial<FlyMachine["config"]>)], volumes)).toEqual([]);
  });

  test("a guest Fly leaves out is Fly's default: shared, 1 CPU, 256 MB", () => {
    expect(auditMachines(app.machines, [machine({ guest: undefined })], volumes)).toEqual([]);
    expect(auditMachines(app.machines, [machine({ guest: { memory_mb: 512 } })], volumes)).toEqual([expect.objectContaining({ field: "guest.memory_mb", expected: 256, actual: 512 })]);
  });

  test("a real difference in any spelling is still one: autostop true (stop) where the code says off", () => {
    expect(auditMachines(app.machines, [machine({ services: [{ ...service, autostop: true as unknown as "stop" }] })], volumes)).toEqual([expect.objectContaining({ field: "services", actual: expect.stringContaining("autostop=stop") })]);
    expect(auditMachines(app.machines, [machine({ services: [{ ...service, checks: [{ ...service.checks![0], port: 9090 }] }] })], volumes)).toEqual([expect.objectContaining({ field: "services", actual: expect.stringContaining("checks=http:9090:/h") })]);
  });
});

describe("values flystack does not know are named, never a crash or silence", () => {
  test("an autostop value flystack does not know is a services finding naming it", () => {
    const service = machine().config!.services![0];
    expect(auditMachines(app.machines, [machine({ services: [{ ...service, autostop: "hibernate" as "off" }] })], volumes)).toEqual([expect.objectContaining({ field: "services", actual: expect.stringContaining("autostop=hibernate") })]);
  });

  test("a machine state flystack does not know is a warning naming it", () => {
    expect(auditMachines(app.machines, [machine({}, { state: "hibernating" })], volumes)).toEqual([
      expect.objectContaining({ field: "state", actual: "hibernating (a machine state flystack does not know)", severity: "warning" }),
    ]);
    for (const state of ["starting", "replacing", "updating"]) expect(auditMachines(app.machines, [machine({}, { state })], volumes)).toEqual([]);
    expect(auditMachines(app.machines, [machine({}, { state: "launch_failed" })], volumes)).toEqual([expect.objectContaining({ field: "state", actual: "launch_failed", severity: "drift" })]);
  });

  test("a machine on a host Fly cannot reach (incomplete_config, no config): one warning, no false drift", () => {
    const unreachable: FlyMachine = { ...machine(), config: undefined, host_status: "unreachable", incomplete_config: { image: "x" } };
    expect(auditMachines(app.machines, [unreachable], volumes)).toEqual([expect.objectContaining({ field: "config", actual: "not answered (host unreachable); not compared", severity: "warning" })]);
  });

  test("an egress address is information, not an exposed public address; a Flycast address needs no network field", () => {
    const ips = [{ ip: "203.0.113.254", shared: true }, { ip: "2001:db8::1" }, { ip: "fdaa:0:1:f::2" }, { ip: "203.0.113.7", egress: true, region: "ams" }];
    expect(auditIps(app.ips, ips)).toEqual([expect.objectContaining({ resource: "203.0.113.7", field: "ip", severity: "info", actual: "egress_v4 203.0.113.7 (outbound only; not managed by flystack)" })]);
  });

  test("volume settings Fly leaves out are its defaults (encrypted, 5 days of snapshots, daily backups)", () => {
    const declared = declaredApps({ resource: { fly_app: { a: { name: "a" } }, fly_volume: { v: { app: "a", name: "data", region: "iad", size_gb: 3, snapshot_retention: 5, auto_backup_enabled: true } } } })[0];
    expect(auditVolumes(declared.volumes, [{ id: "vol_1", name: "data", region: "iad", size_gb: 3 }])).toEqual([]);
    const seven = declaredApps({ resource: { fly_app: { a: { name: "a" } }, fly_volume: { v: { app: "a", name: "data", region: "iad", size_gb: 3, snapshot_retention: 7 } } } })[0];
    expect(auditVolumes(seven.volumes, [{ id: "vol_1", name: "data", region: "iad", size_gb: 3 }])).toEqual([expect.objectContaining({ field: "snapshot_retention", expected: 7, actual: 5 })]);
    expect(auditVolumes(seven.volumes, [{ id: "vol_1", name: "data", region: "iad", size_gb: 3, snapshot_retention: 7, state: "scheduling_destroy" }])).toEqual([expect.objectContaining({ field: "volume", actual: "missing" })]);
  });
});
