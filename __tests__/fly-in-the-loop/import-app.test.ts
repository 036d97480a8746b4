/**
 * `flystack import app` end to end: an app made in the fake Fly API as `fly launch` and `fly deploy`
 * leave it (two machines in two regions, a volume per machine, shared IPv4 and IPv6, a certificate,
 * three secrets) is imported into an environment file; the first plan (real terraform, the provider
 * double) imports everything and creates only the secrets, which the provider cannot import; the
 * apply adopts (same machine, volume and address ids in the fake); the next plan changes nothing,
 * and `flystack audit` finds the app as declared. A later change to the app's entry updates the
 * adopted machines in place with the declared config.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describeEachBinary, flystack, projectWithEnvironments, realBinaries } from "../cli/harness";
import { loopProviders } from "./providers";
import { Loop } from "./loop";
import { environmentsIn } from "./synthesize";
import { loopEnvironment } from "../fixtures/environments";
import type { EnvironmentConfig } from "../../src/config/types";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-loop-import-"));
const providers = loopProviders(work);
const binaries = providers ? realBinaries().filter((b) => b.name === "terraform") : [];
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
jest.setTimeout(240_000);

const APP = "launched-shop";
const HOST = "shop-import.example.net";
const SECRETS = ["DATABASE_URL", "SECRET_KEY_BASE", "REDIS_URL"];

interface PlanJson {
  resource_changes: { address: string; type: string; mode: string; change: { actions: string[]; importing?: { id: string } | null }; replace_paths?: unknown }[];
}

describeEachBinary(binaries, "$name, the provider double and the fake Fly API: flystack import app", ({ binary }) => {
  const loop = new Loop({ binary, providers: providers!, startDelayMs: 5 });
  const project = projectWithEnvironments([loopEnvironment("importbase")]);
  const before = { machines: [] as string[], volumes: [] as string[], ips: [] as string[] };
  let imported: EnvironmentConfig;
  afterAll(async () => {
    await loop.stop();
    fs.rmSync(project, { recursive: true, force: true });
  });

  /** What `fly launch` + `fly deploy` make: the app, a volume per machine, machines in iad and lhr, addresses, a certificate, secrets. */
  async function launch(): Promise<void> {
    await loop.send("POST", "/v1/apps", { name: APP, org_slug: "loop-org" });
    for (const region of ["iad", "lhr"]) {
      const volume = await loop.send<{ id: string }>("POST", `/v1/apps/${APP}/volumes`, { name: "data", region, size_gb: 1 });
      await loop.send("POST", `/v1/apps/${APP}/machines`, {
        name: `shop-${region}-7a3f`,
        region,
        config: {
          image: `registry.fly.io/${APP}:deployment-01JDQ8Z3K4`,
          guest: { cpu_kind: "shared", cpus: 1, memory_mb: 512 },
          env: { PORT: "8080", PRIMARY_REGION: "iad" },
          services: [
            {
              protocol: "tcp",
              internal_port: 8080,
              autostop: "stop",
              autostart: true,
              ports: [{ port: 80, handlers: ["http"], force_https: true }, { port: 443, handlers: ["tls", "http"] }],
              checks: [{ type: "http", port: 8080, path: "/up", interval: "15s", timeout: "5s" }],
            },
          ],
          mounts: [{ volume: volume.id, path: "/data" }],
          restart: { policy: "on-failure", max_retries: 10 },
          metadata: { fly_process_group: "app", fly_platform_version: "v2", fly_release_version: "3" },
        },
      });
    }
    await loop.send("POST", `/v1/apps/${APP}/ip_assignments`, { type: "shared_v4" });
    await loop.send("POST", `/v1/apps/${APP}/ip_assignments`, { type: "v6" });
    await loop.send("POST", `/v1/apps/${APP}/certificates/acme`, { hostname: HOST });
    await loop.send("POST", `/v1/apps/${APP}/secrets`, { values: Object.fromEntries(SECRETS.map((s) => [s, `live-${s}`])) });
  }

  const liveIds = async () => ({
    machines: loop.fly.machinesOf(APP).map((m) => m.id!).sort(),
    volumes: loop.fly.volumesOf(APP).map((v) => v.id!).sort(),
    ips: (await loop.get<{ ips: { ip: string }[] }>(`/v1/apps/${APP}/ip_assignments`)).ips.map((i) => i.ip).sort(),
  });
  const plan = async (out: string): Promise<PlanJson> => {
    const run = await loop.flystack(["plan", "--skip-synth", "--out", out], loop.withoutSecrets());
    if (run.code !== 0 && run.code !== 2) throw new Error(`plan failed (${run.code}): ${run.stderr}`);
    return JSON.parse(fs.readFileSync(path.join(loop.project, out, "adopt.plan.json"), "utf8")) as PlanJson;
  };
  const managed = (p: PlanJson) => p.resource_changes.filter((c) => c.mode === "managed");

  beforeAll(async () => {
    await loop.start();
    await launch();
    Object.assign(before, await liveIds());
  });

  test("import app writes an entry that validates, adopting every machine, volume, address and the certificate", async () => {
    const run = await flystack(project, ["import", "app", APP, "--env", "adopt", "--app-key", "shop", "--secret-version", "2026-11-27"], { env: loop.env() });
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: expect.stringContaining(`import: ${APP}: app ${APP}, 2 machine(s), 2 volume(s), 2 address(es), 1 certificate(s)`) });
    expect(run.stdout).toContain("### `shop`: launched-shop");
    expect(run.stdout).toMatch(/`secrets` \| 3 secret\(s\) on Fly \(DATABASE_URL, SECRET_KEY_BASE, REDIS_URL\)/);
    expect(run.stdout).toContain("| `groups.app.services.0.ports.80.force_https` | force_https: the provider cannot send Fly's force_https flag (true) |");
    const [env] = environmentsIn(path.join(project, "environments")).filter((e) => e.name === "adopt");
    imported = env;
    const app = env.apps.shop;
    expect(app.name).toBe(APP);
    expect(app.domains).toEqual([HOST]);
    expect(Object.keys(app.secrets ?? {}).sort()).toEqual([...SECRETS].sort());
    expect(app.groups.app).toMatchObject({ regions: ["iad", "lhr"], guest: { cpuKind: "shared", cpus: 1, memoryMb: 512 }, volume: { name: "data", path: "/data", sizeGb: 1 } });
    expect(app.groups.app.image).toMatch(new RegExp(`^registry\\.fly\\.io/${APP}@sha256:[0-9a-f]{64}$`));
    expect(Object.values(app.adopt?.machines ?? {}).map((m) => m.id).sort()).toEqual(before.machines);
    expect(Object.values(app.adopt?.volumes ?? {}).map((v) => v.id).sort()).toEqual(before.volumes);
    expect(run.stdout).toContain("2 volume(s)");
    expect(Object.values(app.adopt?.ips ?? {}).sort()).toEqual(before.ips);
    expect(app.adopt?.certificates).toEqual([HOST]);
  });

  test("the first plan imports everything and creates only the secrets (the provider cannot import them); the summary says their values are needed", async () => {
    loop.synthesize([imported]);
    const first = await plan("first");
    const changes = managed(first).map((c) => ({ address: c.address, actions: c.change.actions, importing: Boolean(c.change.importing) }));
    const secrets = changes.filter((c) => c.address.startsWith("fly_secret."));
    const others = changes.filter((c) => !c.address.startsWith("fly_secret."));
    expect(secrets.map((c) => c.actions)).toEqual(SECRETS.map(() => ["create"]));
    expect(others.length).toBe(6); // app, 2 machines, 2 addresses, 1 certificate: the volumes are mounted by id, not managed
    const replacePaths = (address: string) => (first.resource_changes.find((c) => c.address === address)?.change as { replace_paths?: unknown } | undefined)?.replace_paths;
    expect(others.filter((c) => c.actions.join() !== "no-op" || !c.importing).map((c) => ({ ...c, replace: replacePaths(c.address) }))).toEqual([]);
    const summary = fs.readFileSync(path.join(loop.project, "first", "summary.md"), "utf8");
    expect(summary).toMatch(/import/i);
    expect(summary).toContain("fly_secret");
  });

  test("the apply adopts: the same ids in Fly, the secrets set; the next plan changes nothing; the audit is clean", async () => {
    const applied = await loop.flystack(["apply", "--plans", "first"]);
    expect({ code: applied.code, stderr: applied.code === 0 ? "" : applied.stderr.slice(-3000) }).toEqual({ code: 0, stderr: "" });
    expect(await liveIds()).toEqual(before);
    const next = await plan("next");
    expect(managed(next).filter((c) => !(c.change.actions.length === 1 && c.change.actions[0] === "no-op"))).toEqual([]);
    const audit = await loop.flystack(["audit", "--skip-synth", "--json"]);
    expect({ code: audit.code, out: audit.code === 0 ? "" : audit.stdout }).toEqual({ code: 0, out: "" });
  });

  test("a change to the app's entry ends the hands-off: the adopted machines are updated in place, never replaced", async () => {
    const app = imported.apps.shop;
    const changed = { ...imported, apps: { shop: { ...app, groups: { app: { ...app.groups.app, env: { ...app.groups.app.env, LOG_LEVEL: "info" } } } } } };
    loop.synthesize([changed]);
    const updated = await plan("update");
    const changes = managed(updated).filter((c) => !(c.change.actions.length === 1 && c.change.actions[0] === "no-op"));
    expect(changes.map((c) => [c.address, c.change.actions]).sort()).toEqual([
      ["fly_machine.shop_app_iad_1", ["update"]],
      ["fly_machine.shop_app_lhr_1", ["update"]],
    ]);
    const applied = await loop.flystack(["apply", "--plans", "update"]);
    expect(applied.code).toBe(0);
    expect(loop.fly.machinesOf(APP).map((m) => m.config?.env?.LOG_LEVEL)).toEqual(["info", "info"]);
    expect(await liveIds()).toEqual(before);
  });

  test("errors exit 1 and write nothing: an app Fly does not have, no token, an app key already used", async () => {
    const file = path.join(project, "environments", "adopt.ts");
    const before = fs.readFileSync(file, "utf8");
    const missing = await flystack(project, ["import", "app", "no-such-app", "--env", "adopt"], { env: loop.env() });
    expect({ code: missing.code, stderr: missing.stderr }).toEqual({ code: 1, stderr: expect.stringContaining('Fly has no app "no-such-app" (or FLY_API_TOKEN cannot see it); nothing written') });
    const noToken = await flystack(project, ["import", "app", APP, "--env", "adopt"], { env: { ...loop.env(), FLY_API_TOKEN: undefined } });
    expect({ code: noToken.code, stderr: noToken.stderr }).toEqual({ code: 1, stderr: expect.stringContaining("needs FLY_API_TOKEN") });
    const again = await flystack(project, ["import", "app", APP, "--env", "adopt", "--app-key", "shop"], { env: loop.env() });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/shop/);
    expect(fs.readFileSync(file, "utf8")).toBe(before);
    const help = await flystack(project, ["import", "app", "--help"]);
    expect({ code: help.code, out: help.stdout }).toEqual({ code: 0, out: expect.stringContaining("Usage: flystack import app NAME… --env ENV") });
  });
});
