/**
 * `flystack import app` under every form Fly's answers come in (fakes/README.md). One app per variant
 * is made the way `fly launch` + `fly deploy` leave it: a service check with no port (flyctl never sets
 * one: Fly probes the internal port) and a grace period, autostop "stop", a machine-level check, a
 * volume, a shared IPv4, an IPv6 and a private Flycast address. Each is imported while the fake answers
 * in its variant; then the environment holding all of them plans only imports (and the secrets the
 * provider cannot import), applies, plans no change, and audits clean under every variant.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describeEachBinary, flystack, projectWithEnvironments, realBinaries } from "../cli/harness";
import { loopProviders } from "./providers";
import { Loop } from "./loop";
import { loopEnvironment } from "../fixtures/environments";
import { VARIANT_NAMES } from "../fakes/fly-api/variants";
import type { EnvironmentConfig } from "../../src/config/types";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-loop-import-variants-"));
const providers = loopProviders(work);
const binaries = providers ? realBinaries().filter((b) => b.name === "terraform") : [];
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
jest.setTimeout(300_000);

interface PlanJson {
  resource_changes: { address: string; mode: string; change: { actions: string[]; importing?: { id: string } | null } }[];
}
interface ImportJson {
  apps: { key: string; name: string; notes: { path: string; reason: string }[] }[];
}

const appName = (variant: string) => `launched-${variant}`;
const appKey = (i: number) => `v${i}`;

describeEachBinary(binaries, "$name: import app reads every form of Fly's answers", ({ binary }) => {
  const loop = new Loop({ binary, providers: providers!, startDelayMs: 5 });
  const project = projectWithEnvironments([loopEnvironment("importbase")]);
  const notes = new Map<string, ImportJson["apps"][number]["notes"]>();
  let imported: EnvironmentConfig;
  afterAll(async () => {
    await loop.stop();
    fs.rmSync(project, { recursive: true, force: true });
  });

  /** What `fly launch` and `fly deploy` make (flyctl's defaults: no check port, a grace period, autostop stop). */
  async function launch(app: string): Promise<void> {
    await loop.send("POST", "/v1/apps", { name: app, org_slug: "loop-org" });
    const volume = await loop.send<{ id: string }>("POST", `/v1/apps/${app}/volumes`, { name: "data", region: "iad", size_gb: 1 });
    await loop.send("POST", `/v1/apps/${app}/machines`, {
      name: `${app}-iad-1`,
      region: "iad",
      config: {
        image: `registry.fly.io/${app}:deployment-01JDQ8Z3K4`,
        guest: { cpu_kind: "shared", cpus: 1, memory_mb: 512 },
        env: { PORT: "8080" },
        services: [
          {
            protocol: "tcp",
            internal_port: 8080,
            autostop: "stop",
            autostart: true,
            ports: [{ port: 443, handlers: ["tls", "http"] }],
            checks: [{ type: "http", path: "/up", interval: "15s", timeout: "2s", grace_period: "5s" }],
          },
        ],
        checks: { alive: { type: "tcp", port: 8080, interval: "1m", timeout: "5s", grace_period: "30s" } },
        mounts: [{ volume: volume.id, path: "/data" }],
        metadata: { fly_process_group: "app", fly_platform_version: "v2", fly_release_version: "3" },
      },
    });
    await loop.send("POST", `/v1/apps/${app}/ip_assignments`, { type: "shared_v4" });
    await loop.send("POST", `/v1/apps/${app}/ip_assignments`, { type: "v6" });
    await loop.send("POST", `/v1/apps/${app}/ip_assignments`, { type: "private_v6", org_slug: "loop-org" });
    await loop.send("POST", `/v1/apps/${app}/secrets`, { values: { SECRET_KEY_BASE: "live-value" } });
  }

  const plan = async (out: string): Promise<PlanJson> => {
    const run = await loop.flystack(["plan", "--skip-synth", "--out", out], loop.withoutSecrets());
    if (run.code !== 0 && run.code !== 2) throw new Error(`plan failed (${run.code}): ${run.stderr}`);
    return JSON.parse(fs.readFileSync(path.join(loop.project, out, "adopt.plan.json"), "utf8")) as PlanJson;
  };
  const changing = (p: PlanJson) => p.resource_changes.filter((c) => c.mode === "managed" && !(c.change.actions.length === 1 && c.change.actions[0] === "no-op" && c.change.importing));

  beforeAll(async () => {
    await loop.start();
    for (const variant of VARIANT_NAMES) await launch(appName(variant));
    // Each app is imported while the fake answers in its variant, into one environment file.
    for (const [i, variant] of VARIANT_NAMES.entries()) {
      loop.fly.setVariant(variant);
      try {
        const run = await flystack(project, ["import", "app", appName(variant), "--env", "adopt", "--app-key", appKey(i), "--secret-version", "2026-12-07", "--json"], { env: loop.env() });
        if (run.code !== 0) throw new Error(`import under ${variant} failed (${run.code}): ${run.stderr}`);
        notes.set(variant, (JSON.parse(run.stdout) as ImportJson).apps[0].notes);
      } finally {
        loop.fly.setVariant("canonical");
      }
    }
    // Loaded from a copy under a new name: the imports above loaded earlier versions of adopt.ts in this process.
    const copy = path.join(project, "environments", `_adopt-final-${Date.now()}.ts`);
    fs.copyFileSync(path.join(project, "environments", "adopt.ts"), copy);
    try {
      imported = (require(copy) as { default: EnvironmentConfig }).default; // eslint-disable-line @typescript-eslint/no-require-imports
    } finally {
      fs.rmSync(copy);
    }
  });

  test.each(VARIANT_NAMES.map((variant, i) => [variant, i] as const))("import under %s: the check keeps no port, autostop stop, the Flycast address stays private, and the grace period is reported", (variant, i) => {
    expect(Object.keys(imported.apps)).toContain(appKey(i));
    const app = imported.apps[appKey(i)];
    expect(app.name).toBe(appName(variant));
    expect(app.ips).toEqual({ sharedIpv4: true, ipv6: true, flycast: true });
    expect(app.groups.app.services).toEqual([{ internalPort: 8080, ports: [{ port: 443, handlers: ["tls", "http"] }], autostop: "stop", checks: [{ type: "http", path: "/up", interval: "15s", timeout: "2s" }] }]);
    expect(app.groups.app.checks).toEqual([{ type: "tcp", port: 8080, interval: "1m", timeout: "5s", gracePeriod: "30s", name: "alive" }]);
    const paths = notes.get(variant)!.map((n) => n.path);
    const machine = app.adopt!.machines!["app-iad-1"].id;
    expect(paths).toEqual(expect.arrayContaining(["groups.app.services.0.checks.0.grace_period", `machines.${machine}.config.metadata`, "secrets"]));
    // Only unknown fields add notes: every other variant reports exactly what the canonical one does.
    const same = (list: string[]) => list.map((p) => p.replace(/^machines\.[^.]+\./, "machines.ID."));
    if (variant === "unknown-fields" || variant === "everything") expect(paths.some((p) => p.endsWith(".fake_future_field"))).toBe(true);
    else expect(same(paths)).toEqual(same(notes.get("canonical")!.map((n) => n.path)));
  });

  test("the environment of all of them plans only imports and the secrets, applies, then plans no change", async () => {
    loop.fly.setVariant("everything");
    try {
      loop.synthesize([imported]);
      const first = changing(await plan("first"));
      expect(first.map((c) => [c.address.replace(/^fly_secret\..*/, "fly_secret"), c.change.actions.join()]).filter(([a]) => a !== "fly_secret")).toEqual([]);
      expect(first.length).toBe(VARIANT_NAMES.length); // one SECRET_KEY_BASE per app: created (the provider cannot import a secret)
      const applied = await loop.flystack(["apply", "--plans", "first"]);
      expect({ code: applied.code, stderr: applied.code === 0 ? "" : applied.stderr.slice(-3000) }).toEqual({ code: 0, stderr: "" });
      expect(changing(await plan("next")).filter((c) => !(c.change.actions.join() === "no-op"))).toEqual([]);
    } finally {
      loop.fly.setVariant("canonical");
    }
  });

  test.each(VARIANT_NAMES)("the adopted apps audit clean with answers in the %s forms", async (variant) => {
    loop.fly.setVariant(variant);
    try {
      const audit = await loop.flystack(["audit", "--skip-synth", "--json"]);
      expect({ code: audit.code, out: audit.code === 0 ? "" : audit.stdout }).toEqual({ code: 0, out: "" });
    } finally {
      loop.fly.setVariant("canonical");
    }
  });
});
