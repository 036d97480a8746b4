/** The audit's pure comparisons, one resource kind at a time. */
import { declaredApps } from "../../src/audit/desired";
import { allowsAutostop, auditMachines, digestOf, envDiff } from "../../src/audit/machines";
import { auditVolumes } from "../../src/audit/volumes";
import { auditCertificates } from "../../src/audit/certificates";
import { auditIps, auditSecrets, ipType } from "../../src/audit/network";
import { auditApp } from "../../src/audit/audit";
import { renderAuditMarkdown } from "../../src/audit/report";
import type { FlyMachine } from "../../src/fly-api/client";

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
  expect(ips.map(ipType)).toEqual(["shared_v4", "v6"]);
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
