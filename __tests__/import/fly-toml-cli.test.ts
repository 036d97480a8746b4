/**
 * `flystack import fly-toml` end to end on a throwaway project whose only environment is a test
 * fixture (never the shipped examples): each fly.toml fixture is written into it, the file
 * validates and `flystack check` synthesizes it; every refusal writes nothing.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { flystack, projectWithEnvironments } from "../cli/harness";
import { loopEnvironment } from "../fixtures/environments";
import { SHAPES } from "./fly-toml-shapes";

const FIXTURES = path.join(__dirname, "..", "fixtures", "fly-toml");
const fixture = (name: string) => path.join(FIXTURES, `${name}.fly.toml`);

jest.setTimeout(180_000);

/**
 * `flystack ARGS…` in a process of its own: environment modules loaded by earlier in-process runs
 * stay cached in this one, and synthesis must see the files as the imports left them.
 */
function flystackProcess(cwd: string, args: readonly string[]): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [path.join(__dirname, "..", "..", "bin", "flystack.js"), ...args], { cwd, encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
  return { code: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

describe("flystack import fly-toml", () => {
  let dir: string;
  const envFile = () => path.join(dir, "environments", "loop.ts");

  beforeAll(() => {
    dir = projectWithEnvironments([loopEnvironment("loop")]);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("--help for import and each subcommand", async () => {
    expect((await flystack(dir, ["import", "--help"])).stdout).toMatch(/^Usage: flystack import fly-toml PATH… --env ENV \[options\]\n {7}flystack import app/);
    expect((await flystack(dir, ["import", "fly-toml", "--help"])).stdout).toMatch(/^Usage: flystack import fly-toml PATH… --env ENV/);
    expect((await flystack(dir, ["import", "app", "--help"])).stdout).toMatch(/^Usage: flystack import app NAME… --env ENV/);
    expect((await flystack(dir, ["--help"])).stdout).toMatch(/\n {2}import +Write existing Fly apps/);
  });

  describe("refuses, exit 1, writing nothing", () => {
    let before: string;
    beforeEach(() => {
      before = fs.readFileSync(envFile(), "utf8");
    });
    afterEach(() => {
      expect(fs.readFileSync(envFile(), "utf8")).toBe(before);
      expect(fs.readdirSync(path.join(dir, "environments")).sort()).toEqual(["_presets.ts", "loop.ts"]);
    });

    test("TOML that does not parse: file:line:column and the parser's reason", async () => {
      const bad = path.join(dir, "bad.fly.toml");
      fs.writeFileSync(bad, 'app = "x"\nprimary_region = "iad"\n[http_service\ninternal_port = 8080\n');
      const result = await flystack(dir, ["import", "fly-toml", "bad.fly.toml", "--env", "loop"]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^flystack import fly-toml: bad\.fly\.toml:3:\d+: .+; nothing written\n$/);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(result.stdout).toBe("");
    });

    test("a missing file", async () => {
      const result = await flystack(dir, ["import", "fly-toml", "nope.toml", "--env", "loop"]);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe("flystack import fly-toml: cannot read nope.toml: no such file; nothing written\n");
    });

    test("a fly.toml that builds its image, without --image: one line for every group", async () => {
      const result = await flystack(dir, ["import", "fly-toml", fixture("rails"), "--env", "loop"]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("cannot be imported as it is; nothing written. Supply:\n  - build.image: fly.toml builds the images of process groups web, worker (fly deploy builds and pushes them)");
      expect(result.stderr.match(/build\.image/g)).toHaveLength(1);
      expect(result.stderr).toContain("pass --image REF (or --image GROUP=REF per process group)");
    });

    test("with --json, a refusal is JSON on stdout too, listing every flag the file needs", async () => {
      const result = await flystack(dir, ["import", "fly-toml", fixture("generator-fragment"), "--env", "loop", "--json"]);
      expect(result.code).toBe(1);
      const json = JSON.parse(result.stdout) as { error: { message: string; problems: { path: string; instead: string }[] } };
      expect(json.error.message).toMatch(/cannot be imported as it is; nothing written/);
      expect(json.error.problems.map((p) => p.path)).toEqual(["app", "primary_region", "build.image"]);
      expect(json.error.problems.map((p) => p.instead).join(" ")).toMatch(/--name NAME.*--region REGION.*--image REF/);
      const unreadable = await flystack(dir, ["import", "fly-toml", "nope.toml", "--env", "loop", "--json"]);
      expect(JSON.parse(unreadable.stdout)).toEqual({ error: { message: "cannot read nope.toml: no such file; nothing written" } });
    });

    test("an app key already present", async () => {
      const result = await flystack(dir, ["import", "fly-toml", fixture("phoenix"), "--env", "loop", "--app-key", "web"]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('\nflystack import fly-toml: app key "web" is already used in environments/loop.ts; choose another with --app-key KEY, or remove the existing entry first\n');
    });

    test("an environment to create when there is none to copy from", async () => {
      const empty = projectWithEnvironments([]);
      try {
        const result = await flystack(empty, ["import", "fly-toml", fixture("phoenix"), "--env", "qa"]);
        expect(result.code).toBe(1);
        expect(result.stderr).toContain("there is no environments/qa.ts, and no other environment to take its project, Fly organization, DNS zone and state backend from");
        expect(fs.existsSync(path.join(empty, "environments", "qa.ts"))).toBe(false);
      } finally {
        fs.rmSync(empty, { recursive: true, force: true });
      }
    });

    test("--dry-run prints the file and writes nothing", async () => {
      const result = await flystack(dir, ["import", "fly-toml", fixture("phoenix"), "--env", "loop", "--dry-run"]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('  // acme-live: imported from');
      expect(result.stdout).toContain('"acme-live": {');
      expect(result.stderr).toContain("| `http_service.force_https` |");
    });
  });

  // Every shape of the catalogue, with only the flags it truly needs (fly-toml-shapes.ts).
  test.each(SHAPES.map((shape) => [shape.fixture, shape] as const))("%s imports into an existing environment that validates", async (name, shape) => {
    const flags = [...(shape.flags.name ? ["--name", shape.flags.name] : []), ...(shape.flags.region ? ["--region", shape.flags.region] : []), ...(shape.flags.image ? ["--image", shape.flags.image] : [])];
    const result = await flystack(dir, ["import", "fly-toml", fixture(name), "--env", "loop", "--json", ...flags]);
    expect({ code: result.code, stderr: result.code === 0 ? "" : result.stderr }).toEqual({ code: 0, stderr: "" });
    expect(result.stderr).toMatch(/updated environments\/loop\.ts/);
    const json = JSON.parse(result.stdout) as { apps: { file: string; key: string; name: string; notes: { path: string }[]; carried: { path: string; to: string }[] }[] };
    expect(json.apps).toHaveLength(1);
    expect(json.apps[0].file).toBe(path.join("environments", "loop.ts"));
    expect(json.apps[0].notes.map((n) => n.path)).toEqual(shape.reported);
    expect(json.apps[0].carried.length).toBeGreaterThan(0);
    // The import validated the file itself; here: the entry is in it, with the report's comment.
    const text = fs.readFileSync(envFile(), "utf8");
    const { key, name: flyName } = json.apps[0];
    expect(text).toMatch(new RegExp(`\\n {4}// ${key}: imported from \\S+ by \`flystack import fly-toml\`; review it against the import report\\n {4}"${key}": \\{\\n {6}name: "${flyName}",\\n`));
  });

  test("the environment with every import synthesizes (flystack check), and the shipped parts of the file are kept", async () => {
    const text = fs.readFileSync(envFile(), "utf8");
    expect(text).toMatch(/^import type \{ EnvironmentConfig \} from "\.\.\/src\/config\/types";\n\nconst environment: EnvironmentConfig = \{\n {2}"name": "loop",/);
    const result = flystackProcess(dir, ["check", "loop", "--json"]);
    expect(result.stderr).not.toContain("Nothing was synthesized");
    expect(result.code).toBe(0);
    const { findings } = JSON.parse(result.stdout) as { findings: { ruleId: string; level: string }[] };
    expect(findings.filter((f) => f.level === "error")).toEqual([]);
  });

  test("a Markdown report, and an environment created from another one", async () => {
    const result = await flystack(dir, ["import", "fly-toml", fixture("phoenix"), "--env", "qa", "--app-key", "live"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Fly app name "acme-live" is already used by environments/loop.ts: apps.acme-live');
    const copy = path.join(dir, "qa.fly.toml");
    fs.writeFileSync(copy, fs.readFileSync(fixture("phoenix"), "utf8").replace("app = 'acme-live'", "app = 'acme-live-qa'"));
    const created = await flystack(dir, ["import", "fly-toml", "qa.fly.toml", "--env", "qa", "--app-key", "live"]);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^## flystack import fly-toml → qa \(environments\/qa\.ts\)\n\n### `live`: acme-live-qa, from qa\.fly\.toml\n/);
    expect(created.stdout).toContain("| `http_service.force_https` | provider ampbase-io/fly 0.2 cannot set force_https");
    const qa = fs.readFileSync(path.join(dir, "environments", "qa.ts"), "utf8");
    expect(qa).toContain('const qa: EnvironmentConfig = {\n  name: "qa",\n  project: "loop",\n  protected: false,');
    const check = flystackProcess(dir, ["check", "qa"]);
    expect(check.code).toBe(0);
  });
});
