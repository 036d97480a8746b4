/** A live app (as Fly's API answers) to an app entry that adopts it: grouping, slots, notes. Pure. */
import { liveAppToConfig } from "../../src/import/live/to-config";
import type { LiveAppSnapshot } from "../../src/import/live/read";
import type { FlyMachine } from "../../src/fly-api/client";
import { appFingerprint } from "../../src/import/fingerprint";

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
