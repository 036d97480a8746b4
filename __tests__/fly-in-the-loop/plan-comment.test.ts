/**
 * The pull-request comment on plans real Terraform makes (the provider double, the fake Fly API):
 * an environment is deployed, then each case changes it and `flystack plan` writes summary.md.
 * Each comment is kept in `__tests__/plan/comments/loop-<case>.md` for a reviewer to read; the
 * assertions say what each must show (one grouped row for ten machines, masked secrets, …).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describeEachBinary, realBinaries } from "../cli/harness";
import { loopProviders } from "./providers";
import { Loop } from "./loop";
import { expectComment } from "../plan/comment-snapshot";
import { appFingerprint, adoptSlot } from "../../src/config/adoption";
import type { LoopEnvironment } from "../fixtures/environments";
import type { AppConfig } from "../../src/config/types";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-loop-comment-"));
const providers = loopProviders(work);
const binaries = providers ? realBinaries().filter((b) => b.name === "terraform") : [];
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
jest.setTimeout(300_000);

/** Secret values planted in the environment: none may reach a comment or summary.json. */
const marker = (variable: string) => `MARKER-${variable}-must-not-leak`;
const LEGACY = "loop-legacy-review";

function review(): LoopEnvironment {
  return {
    name: "review",
    project: "loop",
    protected: false,
    fly: { org: "loop-org" },
    dns: { zone: "example.net", cloudflareZoneId: "0123456789abcdef0123456789abcdef" },
    state: { backend: "local" },
    apps: {
      api: {
        name: "loop-api-review",
        ips: { sharedIpv4: false, ipv6: false },
        secrets: { DATABASE_URL: { version: "3" } },
        groups: {
          web: {
            image: "registry.fly.io/acme-api:1.4.0",
            guest: { cpuKind: "shared", cpus: 1, memoryMb: 256 },
            regions: ["iad", "lhr"],
            count: 5,
            deploy: { strategy: "rolling" },
            env: { LOG_LEVEL: "info" },
          },
        },
      },
      worker: {
        name: "loop-worker-review",
        ips: { sharedIpv4: false, ipv6: false },
        groups: {
          worker: {
            image: "registry.fly.io/acme-worker:2.0.0",
            guest: { cpuKind: "shared", cpus: 1, memoryMb: 256 },
            regions: ["iad"],
            env: { LOG_LEVEL: "info", QUEUE: "default" },
          },
        },
      },
      db: {
        name: "loop-db-review",
        ips: { sharedIpv4: false, ipv6: false },
        groups: {
          pg: {
            image: `registry.fly.io/loop-pg@sha256:${"3".repeat(64)}`,
            guest: { cpuKind: "shared", cpus: 1, memoryMb: 512 },
            regions: ["iad"],
            volume: { name: "pg_data", path: "/data", sizeGb: 3 },
          },
        },
      },
    },
  } as LoopEnvironment;
}

/** The comment as a reviewer reads it, with what differs between runs (ids the fake makes, Terraform's patch version) named instead. */
function normalized(markdown: string): string {
  return markdown
    .replace(/Terraform `\d+\.\d+\.\d+`/g, "Terraform `1.x`")
    .replace(/\b(vol|ip)_[0-9a-z]{8,}\b/g, "$1_…")
    .replace(/"[0-9A-Z]{26}"/g, '"<instance id>"')
    .replace(/"fdaa:[0-9a-f:]+"/g, '"<private ip>"')
    .replace(/(\bzone\s+= )"[0-9a-z]+"/g, '$1"<zone>"')
    .replace(/"[0-9a-f]{14}"/g, '"<machine id>"')
    .replace(/\b[0-9a-f]{14}\b/g, "<machine id>");
}

describeEachBinary(binaries, "$name, the provider double and the fake Fly API: the plan comment", ({ binary }) => {
  const loop = new Loop({ binary, providers: providers!, secretValue: marker, startDelayMs: 5 });
  let legacyMachine = "";
  afterAll(() => loop.stop());

  beforeAll(async () => {
    await loop.start();
    await loop.deploy([review()]);
    // An app made with flyctl, not yet in the code: the import case adopts it.
    await loop.send("POST", "/v1/apps", { name: LEGACY, org_slug: "loop-org" });
    const machine = await loop.send<{ id: string }>("POST", `/v1/apps/${LEGACY}/machines`, {
      name: "legacy-iad-1",
      region: "iad",
      config: { image: "registry.fly.io/acme-legacy:0.9.0", guest: { cpu_kind: "shared", cpus: 1, memory_mb: 256 }, env: { MODE: "old" } },
    });
    legacyMachine = machine.id;
  });

  /** Plans `env` (from the deployed base) and returns summary.md and summary.json. */
  async function comment(name: string, env: LoopEnvironment): Promise<{ markdown: string; json: string }> {
    loop.synthesize([env]);
    const run = await loop.flystack(["plan", "--skip-synth", "--out", name], loop.withoutSecrets());
    expect({ code: run.code, stderr: run.code === 0 ? "" : run.stderr.slice(-2000) }).toEqual({ code: 0, stderr: "" });
    const whole = fs.readFileSync(path.join(loop.project, name, "summary.md"), "utf8");
    // The plan part: the cost section after it lists machines too.
    const markdown = whole.slice(0, whole.indexOf("## Fly.io cost estimate"));
    const json = fs.readFileSync(path.join(loop.project, name, "summary.json"), "utf8");
    for (const text of [whole, json]) expect(text).not.toMatch(/MARKER-/);
    expectComment(`loop-${name}`, normalized(whole));
    return { markdown, json };
  }

  test("an image rolled over 10 machines is one row: the group, the canary first, the image by tag", async () => {
    const env = review();
    env.apps.api.groups.web.image = "registry.fly.io/acme-api:1.5.0";
    const { markdown, json } = await comment("image-roll", env);
    const rows = markdown.split("\n").filter((line) => line.startsWith("|") && line.includes("fly_machine.api_web"));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain("**`api/web`**: 10 machines, first `fly_machine.api_web_iad_1` (the canary), then one at a time");
    // Before: the tag and the digest Fly resolved it to; after: the new tag, its digest known once Fly pulls it.
    expect(rows[0]).toMatch(/`image`: `registry\.fly\.io\/acme-api:1\.4\.0 @ sha256:[0-9a-f]{12}…` → `registry\.fly\.io\/acme-api:1\.5\.0 @ digest known after apply`/);
    expect(rows[0]).toContain("_3 computed attributes known after apply not shown_");
    expect(markdown).toContain("#### Update (10)");
    expect(markdown).toContain("<summary>Whole plan of `review` (<code>terraform show</code>)</summary>");
    const parsed = JSON.parse(json) as { stacks: { summary: { resources: { address: string; changes: { path: string }[] }[] } }[] };
    expect(parsed.stacks[0].summary.resources.filter((r) => r.changes.some((c) => c.path === "image"))).toHaveLength(10);
  });

  test("an env change on one machine shows each key added, removed or changed, with its plain value", async () => {
    const env = review();
    env.apps.worker.groups.worker.env = { LOG_LEVEL: "debug", FEATURE_X: "on" };
    const { markdown } = await comment("env-one-machine", env);
    const row = markdown.split("\n").find((line) => line.includes("fly_machine.worker_worker_iad_1"));
    expect(row).toContain('`env.LOG_LEVEL`: `"info"` → `"debug"`');
    expect(row).toContain('`env.QUEUE`: `"default"` → _(none)_');
    expect(row).toContain('`env.FEATURE_X`: _(none)_ → `"on"`');
  });

  test("a secret rotation reads 'value rotated (version 3 → 4)'; the machines restart on the new secrets version", async () => {
    const env = review();
    env.apps.api.secrets = { DATABASE_URL: { version: "4" } };
    const { markdown } = await comment("secret-rotation", env);
    const secret = markdown.split("\n").find((line) => line.includes("fly_secret.api_DATABASE_URL"));
    expect(secret).toContain("`value`: value rotated (version 3 → 4)");
    const machines = markdown.split("\n").filter((line) => line.startsWith("|") && line.includes("fly_machine.api_web"));
    expect(machines).toHaveLength(1);
    expect(machines[0]).toMatch(/`min_secrets_version`: `\d+` → `\d+`|`min_secrets_version`: .* → _\(known after apply\)_/);
  });

  test("a guest change reads as Fly's sizes", async () => {
    const env = review();
    env.apps.worker.groups.worker.guest = { cpuKind: "shared", cpus: 2, memoryMb: 1024 };
    const { markdown } = await comment("guest-change", env);
    expect(markdown).toContain("`guest`: `shared-cpu-1x, 256 MB` → `shared-cpu-2x, 1024 MB`");
  });

  test("a volume replacement names what forces it, and takes its machine along", async () => {
    const env = review();
    env.apps.db.groups.pg.volume = { name: "pg_main", path: "/data", sizeGb: 3 };
    const { markdown } = await comment("volume-replacement", env);
    expect(markdown).toContain("[!CAUTION]");
    const volume = markdown.split("\n").find((line) => line.startsWith("| `fly_volume.db_pg_iad_1`"));
    expect(volume).toContain('`name`: `"pg_data_iad_1"` → `"pg_main_iad_1"` **(forces replacement)**');
    expect(markdown).toMatch(/\| `fly_machine\.db_pg_iad_1` \| `fly_machine` \| — \| `replace_triggered_by` changed \|/);
  });

  test("an import shows what the adoption changes on the imported machine", async () => {
    const env = review();
    const legacy: AppConfig = {
      name: LEGACY,
      ips: { sharedIpv4: false, ipv6: false },
      groups: {
        app: { image: "registry.fly.io/acme-legacy:0.9.0", guest: { cpuKind: "shared", cpus: 1, memoryMb: 256 }, regions: ["iad"], env: { MODE: "old" } },
      },
    };
    // Adopted as it ran, then changed: the first plan imports the machine and updates it.
    const changed = { ...legacy, groups: { app: { ...legacy.groups.app, env: { MODE: "new" } } } };
    (env.apps as Record<string, unknown>).legacy = {
      ...changed,
      adopt: { fingerprint: appFingerprint(legacy), machines: { [adoptSlot("app", "iad", 1)]: { id: legacyMachine, name: "legacy-iad-1" } } },
    };
    const { markdown } = await comment("import", env);
    expect(markdown).toMatch(/#### Import \(2\)/);
    expect(markdown).toContain("| `fly_app.legacy` | `fly_app` | no-op | imported as it is |");
    const machine = markdown.split("\n").find((line) => line.startsWith("| `fly_machine.legacy_app_iad_1`"));
    // The provider's import reads back a machine's identity only: every declared value shows as new, and the row says why.
    expect(machine).toContain("_before: what the import reads back, a machine's identity only; Fly may run these values already_");
    expect(machine).toContain('`env.MODE`: _(none)_ → `"new"`');
  });
});
