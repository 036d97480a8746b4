/**
 * Imported fly.toml files, applied with real terraform and the provider double into the fake Fly API:
 * what the import carried reaches Fly as fly deploy would have set it. Groups keep their Fly names
 * (`web_service` in metadata), machine checks their names (`role`), files their content, and the
 * release command runs as fly deploy runs it (the group's env, RELEASE_COMMAND=1, the size, after
 * `--`). A second plan changes nothing, and the audit finds everything as declared.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describeEachBinary, realBinaries } from "../cli/harness";
import { loopProviders } from "./providers";
import { Loop } from "./loop";
import { loopEnvironment } from "../fixtures/environments";
import { parseFlyToml } from "../../src/features/import/fly-toml/parse";
import { translateFlyToml } from "../../src/features/import/fly-toml/translate";
import { SHAPES } from "../import/fly-toml-shapes";
import type { EnvironmentConfig } from "../../src/config/types";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-loop-flytoml-"));
const providers = loopProviders(work);
const binaries = providers ? realBinaries().filter((b) => b.name === "terraform") : [];
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
jest.setTimeout(240_000);

const FIXTURES = path.join(__dirname, "..", "fixtures", "fly-toml");
const IMPORTED = ["multi-group-scoped", "postgres-flex", "infra-image-files", "rails"];

/** The fixtures as the import writes them, in one environment of the test's own. */
function environment(): EnvironmentConfig {
  const apps = Object.fromEntries(
    IMPORTED.map((fixture) => {
      const shape = SHAPES.find((s) => s.fixture === fixture)!;
      const text = fs.readFileSync(path.join(FIXTURES, `${fixture}.fly.toml`), "utf8");
      const t = translateFlyToml(parseFlyToml(text, fixture), { ...shape.flags, readLocal: (p) => fs.readFileSync(path.join(FIXTURES, p)) });
      return [t.appKey, t.app];
    }),
  );
  return { ...(loopEnvironment("flytoml") as EnvironmentConfig), apps };
}

describeEachBinary(binaries, "$name: imported fly.toml files applied to the fake Fly API", ({ binary }) => {
  const loop = new Loop({ binary, providers: providers!, startDelayMs: 5 });
  const env = environment();
  const machinesOf = (app: string) => loop.fly.machinesOf(app);

  beforeAll(async () => {
    await loop.start();
    await loop.deploy([env]);
  });
  afterAll(() => loop.stop());

  test("groups keep their Fly names in metadata; machine names write them as hostname labels", () => {
    const machines = machinesOf("acme-maps").map((m) => [m.name, m.config?.metadata?.fly_process_group]).sort();
    expect(machines).toEqual([
      ["acme-maps-map-service-fra-1", "map_service"],
      ["acme-maps-web-service-fra-1", "web_service"],
      ["acme-maps-worker-fra-1", "worker"],
    ]);
    // The empty command: the worker runs the image's own CMD (no container with a command).
    expect(machinesOf("acme-maps").find((m) => m.name === "acme-maps-worker-fra-1")?.config?.containers).toBeUndefined();
  });

  test("machine checks keep their names (flyctl's Postgres commands find the primary by `role`)", () => {
    const [pg] = machinesOf("acme-pg-flex");
    expect(Object.keys(pg.config?.checks ?? {}).sort()).toEqual(["pg", "role", "vm"]);
    expect(pg.config?.checks?.role).toMatchObject({ type: "http", port: 5500, path: "/flycheck/role", grace_period: "30s" });
  });

  test("files reach the machine: a local file's and a text's content, base64; a secret's by name", () => {
    const [db] = machinesOf("acme-db");
    const files = Object.fromEntries((db.config?.files ?? []).map((f) => [f.guest_path, f.secret_name ?? Buffer.from(f.raw_value ?? "", "base64").toString("utf8")]));
    expect(files).toEqual({
      "/etc/pgbackrest/pgbackrest.conf": "PGBACKREST_CONF",
      "/etc/postgres/postgresql.conf": fs.readFileSync(path.join(FIXTURES, "postgresql.conf"), "utf8"),
      "/etc/motd": "managed by flystack",
    });
  });

  test("the release command ran as fly deploy runs it: the group's env, RELEASE_COMMAND=1, its size, then `--` and the command", () => {
    const calls = fs.readFileSync(loop.flyctlLog, "utf8").trim().split("\n");
    expect(calls).toEqual([
      "machine run registry.fly.io/acme-shop:v1.4.2 --app acme-shop --region iad --rm --env RAILS_LOG_TO_STDOUT=enabled --env RAILS_SERVE_STATIC_FILES=true --env PORT=3000 --env PRIMARY_REGION=iad --env RELEASE_COMMAND=1 --vm-cpu-kind shared --vm-cpus 1 --vm-memory 1024 -- ./bin/rails db:prepare",
    ]);
  });

  test("a second plan changes nothing, and the audit finds everything as declared", async () => {
    const again = await loop.flystack(["plan", "--skip-synth", "--out", "again"], loop.withoutSecrets());
    expect({ code: again.code, stderr: again.code === 0 ? "" : again.stderr }).toEqual({ code: 0, stderr: "" });
    const summary = JSON.parse(fs.readFileSync(path.join(loop.project, "again", "summary.json"), "utf8")) as { stacks: { status: string }[] };
    expect(summary.stacks.map((s) => s.status)).toEqual(["no-changes"]);
    const audit = await loop.flystack(["audit", "--skip-synth", "--json"]);
    expect({ code: audit.code, out: audit.code === 0 ? "" : audit.stdout }).toEqual({ code: 0, out: "" });
  });
});
