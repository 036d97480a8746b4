/** A live app (as Fly's API answers) to an app entry that adopts it: grouping, slots, notes. Pure. */
import { liveAppToConfig } from "../../src/features/import/live/to-config";
import type { LiveAppSnapshot } from "../../src/features/import/live/read";
import type { FlyMachine } from "../../src/fly/api/client";
import { appFingerprint } from "../../src/config/adoption";

const DIGEST = `sha256:${"b".repeat(64)}`;
const machine = (id: string, region: string, group: string, created: string, extra: Partial<FlyMachine["config"]> = {}): FlyMachine => ({
  id,
  name: `m-${id}`,
  region,
  state: "started",
  created_at: created,
  image_ref: { registry: "registry.fly.io", repository: "shop", tag: "deployment-1", digest: DIGEST },
  config: { image: "registry.fly.io/shop:deployment-1", guest: { cpu_kind: "shared", cpus: 1, memory_mb: 512 }, env: { PORT: "8080" }, metadata: { fly_process_group: group }, ...extra },
});

const live: LiveAppSnapshot = {
  name: "shop",
  machines: [
    machine("w2", "lhr", "web", "2026-01-02", { mounts: [{ volume: "vol_b", path: "/data" }], metrics: { port: 9091, path: "/metrics" } }),
    machine("w1", "iad", "web", "2026-01-01", { mounts: [{ volume: "vol_a", path: "/data" }], metrics: { port: 9091, path: "/metrics" } }),
    machine("k1", "iad", "worker", "2026-01-03", { env: { QUEUE: "default" }, init: { cmd: ["bin/worker"] } }),
    machine("k2", "iad", "worker", "2026-01-04", { env: { QUEUE: "default" }, init: { cmd: ["bin/worker"] }, guest: { cpu_kind: "shared", cpus: 2, memory_mb: 512 } }),
  ],
  volumes: [
    { id: "vol_a", name: "data", region: "iad", size_gb: 3, snapshot_retention: 5 },
    { id: "vol_b", name: "data", region: "lhr", size_gb: 3, snapshot_retention: 5 },
    { id: "vol_c", name: "old", region: "iad", size_gb: 1 },
  ],
  ips: [{ ip: "203.0.113.4", shared: true }, { ip: "2001:db8::4" }, { ip: "2001:db8::5" }],
  certificates: [{ hostname: "shop.example.com" }, { hostname: "shop.other.org" }],
  secrets: [{ name: "DATABASE_URL" }],
};

describe("liveAppToConfig", () => {
  const { app, notes } = liveAppToConfig(live, { secretVersion: "2026-11-27", zone: "example.com" });

  test("one group per Fly process group; slots numbered per region by creation; image pinned by Fly's digest", () => {
    expect(Object.keys(app.groups)).toEqual(["web", "worker"]);
    expect(app.groups.web).toMatchObject({ image: `registry.fly.io/shop@${DIGEST}`, regions: ["iad", "lhr"], volume: { name: "data", path: "/data", sizeGb: 3, snapshotRetentionDays: 5 } });
    expect(app.groups.worker).toMatchObject({ regions: ["iad"], count: 2, env: { QUEUE: "default" } });
    // The endpoint Fly scrapes is carried over (its default path left out); a group without one gets none.
    expect(app.groups.web.metrics).toEqual({ port: 9091 });
    expect(app.groups.worker.metrics).toBeUndefined();
    expect(app.adopt?.machines).toEqual({ "web-iad-1": { id: "w1", name: "m-w1" }, "web-lhr-1": { id: "w2", name: "m-w2" }, "worker-iad-1": { id: "k1", name: "m-k1" }, "worker-iad-2": { id: "k2", name: "m-k2" } });
    expect(app.adopt?.volumes).toEqual({ "web-iad-1": { id: "vol_a", name: "data" }, "web-lhr-1": { id: "vol_b", name: "data" } });
  });

  test("addresses, domains in the zone and secret names (with the given version); the fingerprint of the entry without adopt", () => {
    expect(app.ips).toEqual({ sharedIpv4: true, ipv6: true });
    expect(app.adopt?.ips).toEqual({ sharedIpv4: "203.0.113.4", ipv6: "2001:db8::4" });
    expect(app.domains).toEqual(["shop.example.com"]);
    expect(app.adopt?.certificates).toEqual(["shop.example.com"]);
    expect(app.secrets).toEqual({ DATABASE_URL: { version: "2026-11-27" } });
    expect(app.adopt?.fingerprint).toBe(appFingerprint(app));
  });

  test("everything the entry cannot say is a note with what to do", () => {
    expect(notes.map((n) => n.path)).toEqual([
      "machines.k2",
      "machines.k1.config.init",
      "volumes.vol_c",
      "ips.2001:db8::5",
      "certificates.shop.other.org",
      "secrets",
    ]);
    for (const n of notes) expect(n.instead.length).toBeGreaterThan(10);
  });
});

describe("every live field is carried or reported (a fixture with each kind the sources document)", () => {
  const odd: FlyMachine = {
    id: "odd1",
    name: "m-odd1",
    region: "iad",
    state: "started",
    created_at: "2026-02-01",
    image_ref: { registry: "registry.fly.io", repository: "shop", digest: DIGEST },
    config: {
      image: "registry.fly.io/shop:deployment-2",
      size: "performance-2x",
      disable_machine_autostart: true,
      init: { cmd: ["bin/start"], tty: false },
      auto_destroy: false,
      metadata: { fly_process_group: "odd", fly_release_version: "7" },
      mounts: [{ volume: "vol_o", path: "/data", add_size_gb: 5, extend_threshold_percent: 80 }],
      restart: { policy: "sometimes" as "always" },
      services: [
        {
          internal_port: 8080,
          autostop: "hibernate" as "off",
          ports: [{ port: 80, handlers: ["http", "h3"], force_https: true }, { start_port: 9000, end_port: 9010 }, { port: 443, handlers: ["tls", "http"], force_https: false }],
          concurrency: { hard_limit: 50 },
          checks: [
            { type: "http", path: "/up", interval: 15_000_000_000 as unknown as string, timeout: "1m0s", grace_period: "5s", method: "get", headers: [{ name: "Host", values: ["x"] }] },
            { type: "grpc" },
          ],
        },
      ],
      checks: {
        role: { type: "http", port: 5500, path: "/flycheck/role", interval: "15s", timeout: "10s" },
        "has space": { type: "tcp", port: 5432, interval: "soon" },
        http_8080_2: { type: "http", port: 8080, path: "/x", kind: "readiness" },
      },
      future_setting: { on: true },
    } as FlyMachine["config"],
  };
  const snapshot: LiveAppSnapshot = {
    name: "odd",
    machines: [odd],
    volumes: [{ id: "vol_o", name: "odd_data", region: "iad", size_gb: 2 }],
    ips: [{ ip: "fdaa:0:1:f::9" }, { ip: "203.0.113.8", egress: true, region: "iad" }],
    certificates: [],
    secrets: [],
  };
  const { app, notes } = liveAppToConfig(snapshot, { secretVersion: "v1", zone: "example.com" });
  const reasons = new Map(notes.map((n) => [n.path, n.reason]));
  const group = app.groups.odd;

  test("carried: the deprecated size as the guest, disable_machine_autostart as autostart off, durations in one unit, check names, Fly's volume defaults", () => {
    expect(group.guest).toEqual({ cpuKind: "performance", cpus: 2, memoryMb: 4096 });
    expect(group.services).toEqual([
      {
        internalPort: 8080,
        ports: [{ port: 80, handlers: ["http"] }, { port: 443, handlers: ["tls", "http"] }],
        autostart: false,
        checks: [{ type: "http", path: "/up", interval: "15s", timeout: "1m" }],
      },
    ]);
    expect(group.checks).toEqual([
      { type: "http", port: 5500, path: "/flycheck/role", interval: "15s", timeout: "10s", name: "role" },
      { type: "tcp", port: 5432 },
      { type: "http", port: 8080, path: "/x" },
    ]);
    // Fly keeps 5 days of snapshots when the answer says nothing; flystack's entry default is 7, so 5 is written.
    expect(group.volume).toEqual({ name: "odd_data", path: "/data", sizeGb: 2, snapshotRetentionDays: 5 });
    expect(app.ips).toEqual({ sharedIpv4: false, ipv6: false, flycast: true });
    expect(group.restart).toBeUndefined();
  });

  test("reported, each with its reason: what the provider cannot send, values flystack does not know, unknown fields", () => {
    const at = "machines.odd1.config";
    const svc = "groups.odd.services.0";
    const expected: Record<string, string> = {
      [`${at}.init`]: "the provider (ampbase-io/fly 0.2) cannot set a machine's init",
      [`${at}.future_setting`]: "a field flystack does not know",
      [`${at}.metadata`]: "metadata keys fly_release_version",
      [`${at}.mounts.0.add_size_gb`]: "a field flystack does not know",
      [`${at}.mounts.0.extend_threshold_percent`]: "a field flystack does not know",
      [`${svc}.autostop`]: "an autostop value flystack does not know",
      [`${svc}.ports.80.force_https`]: "force_https: the provider cannot send Fly's force_https flag",
      [`${svc}.ports.80.handlers`]: "handlers flystack does not know",
      [`${svc}.ports.1.start_port`]: "the provider (ampbase-io/fly 0.2) cannot set a port range",
      [`${svc}.ports.1.end_port`]: "the provider (ampbase-io/fly 0.2) cannot set a port range",
      [`${svc}.concurrency`]: "a partial or unknown concurrency",
      [`${svc}.checks.0.grace_period`]: "the provider (ampbase-io/fly 0.2) cannot set a service check's grace period",
      [`${svc}.checks.0.headers`]: "the provider (ampbase-io/fly 0.2) cannot set a check's headers",
      [`${svc}.checks.1.type`]: 'a check type flystack does not know',
      [`${at}.checks.has space.interval`]: "an unreadable duration",
      [`${at}.checks.has space`]: 'a check name flystack cannot write',
      [`${at}.checks.http_8080_2.kind`]: "the provider (ampbase-io/fly 0.2) cannot set a check's kind",
      [`${at}.restart.policy`]: "a restart policy flystack does not know",
      "ips.203.0.113.8": "an egress",
    };
    expect([...reasons.keys()].sort()).toEqual(Object.keys(expected).sort());
    for (const [path, start] of Object.entries(expected)) expect({ path, reason: reasons.get(path) }).toEqual({ path, reason: expect.stringMatching(new RegExp(`^${start.replace(/[()'.]/g, "\\$&")}`)) });
    // A value at Fly's default is not a note: force_https false, method GET, auto_destroy false, tty false.
    expect(reasons.has(`${svc}.ports.443.force_https`)).toBe(false);
    for (const n of notes) expect(n.instead.length).toBeGreaterThan(10);
  });
});

test("carried from a live machine: its files, a check's method, https metrics (the provider's file, method and https fields)", () => {
  const m: FlyMachine = {
    id: "f1",
    name: "m-f1",
    region: "iad",
    state: "started",
    created_at: "2026-03-01",
    image_ref: { registry: "registry.fly.io", repository: "shop", digest: DIGEST },
    config: {
      image: "registry.fly.io/shop:v1",
      files: [{ guest_path: "/etc/motd", raw_value: "aGk=", mode: 420 }, { guest_path: "/etc/key", secret_name: "KEY" }],
      checks: { probe: { type: "http", port: 8080, path: "/p", method: "post" } },
      metrics: { port: 9091, path: "/m", https: true },
    },
  };
  const { app, notes } = liveAppToConfig({ name: "files", machines: [m], volumes: [], ips: [], certificates: [], secrets: [{ name: "KEY" }] }, { secretVersion: "v1" });
  expect(app.groups.app.files).toEqual([{ guestPath: "/etc/motd", rawValue: "aGk=", mode: 420 }, { guestPath: "/etc/key", secretName: "KEY" }]);
  expect(app.groups.app.checks).toEqual([{ type: "http", port: 8080, path: "/p", method: "POST", name: "probe" }]);
  expect(app.groups.app.metrics).toEqual({ port: 9091, path: "/m", https: true });
  expect(notes.map((n) => n.path)).toEqual(["secrets"]);
});

