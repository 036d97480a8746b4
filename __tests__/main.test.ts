import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildApp } from "../main";
import { ConfigValidationError } from "../src/config/issue";

const root = path.join(__dirname, "..");
const tsx = path.join(root, "node_modules", ".bin", "tsx");

const brokenEnvironment = `
export default {
  name: "broken",
  project: "acme",
  fly: { org: "acme" },
  dns: { zone: "example.com", cloudflareZoneId: "0123456789abcdef0123456789abcdef" },
  state: { backend: "local" },
  apps: {
    api: {
      name: "acme-api-broken",
      groups: {
        web: {
          image: "registry.fly.io/acme-api:latest",
          guest: { cpuKind: "shared", cpus: 1, memoryMb: 300 },
          regions: ["iad", "xyz"],
        },
      },
    },
  },
};
`;

describe("main.ts", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-main-"));
    fs.mkdirSync(path.join(dir, "environments"));
    fs.mkdirSync(path.join(dir, "out"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("a broken environment: exit 1, every problem by path, no stack trace, nothing written", () => {
    fs.writeFileSync(path.join(dir, "environments", "broken.ts"), brokenEnvironment);
    const result = spawnSync(tsx, ["main.ts"], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, FLYSTACK_ENVIRONMENTS_DIR: path.join(dir, "environments"), CDKTF_OUTDIR: path.join(dir, "out") },
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("3 problems in the environment configuration:");
    expect(result.stderr).toContain('broken: apps.api.groups.web.regions[1]: unknown Fly region "xyz"');
    expect(result.stderr).toContain("broken: apps.api.groups.web.guest.memoryMb: 300 MB is not valid for shared-cpu-1x");
    expect(result.stderr).toContain('broken: apps.api.groups.web.image: image "registry.fly.io/acme-api:latest" is not pinned');
    expect(result.stderr).toContain("Nothing was synthesized.");
    expect(result.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(fs.readdirSync(path.join(dir, "out"))).toEqual([]);
  });

  test("buildApp throws one ConfigValidationError with every issue, before any stack exists", () => {
    fs.writeFileSync(path.join(dir, "environments", "broken.ts"), brokenEnvironment);
    let caught: unknown;
    try {
      buildApp({ environmentsDir: path.join(dir, "environments"), outdir: path.join(dir, "out") });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigValidationError);
    expect((caught as ConfigValidationError).issues.map((i) => i.path)).toEqual([
      "apps.api.groups.web.regions[1]",
      "apps.api.groups.web.guest.memoryMb",
      "apps.api.groups.web.image",
    ]);
  });

  test("main.ts (and the CLI's entry, cli/main.ts) are the only files that read process.env", () => {
    const offenders: string[] = [];
    const walk = (folder: string) => {
      for (const entry of fs.readdirSync(path.join(root, folder), { withFileTypes: true })) {
        const rel = path.join(folder, entry.name);
        if (entry.isDirectory()) walk(rel);
        else if (rel.endsWith(".ts") && fs.readFileSync(path.join(root, rel), "utf8").includes("process.env")) offenders.push(rel);
      }
    };
    for (const folder of ["constructs", "stacks", "environments", "policies", "src", "cli"]) walk(folder);
    expect(offenders).toEqual([path.join("cli", "main.ts")]);
  });
});
