/**
 * The guardrails wired into synthesis: EnvironmentStack registers the pack on every stack, and
 * main.ts refuses to synthesize when any stack has an error finding. These tests need the wiring
 * in stacks/environment-stack.ts and main.ts (see policies/README.md).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Aspects } from "cdktf";
import { buildApp } from "../../main";
import { FlystackRules } from "../../policies/pack";

const root = path.join(__dirname, "..", "..");
const tsx = path.join(root, "node_modules", ".bin", "tsx");

/**
 * A protected environment the configuration validation accepts (pinned image, valid guest and
 * regions) but whose public group runs one machine in its primary region: FLY004.
 */
const singleMachineEnvironment = (name: string) => `
export default {
  name: "${name}",
  project: "acme",
  protected: true,
  fly: { org: "acme" },
  dns: { zone: "example.com", cloudflareZoneId: "0123456789abcdef0123456789abcdef" },
  state: { backend: "local" },
  apps: {
    api: {
      name: "acme-api-${name}",
      groups: {
        web: {
          image: "registry.fly.io/acme-api:v1.42.0",
          guest: { cpuKind: "shared", cpus: 1, memoryMb: 256 },
          regions: ["iad", "lhr"],
          count: 1,
          services: [{ internalPort: 8080, ports: [{ port: 443, handlers: ["tls", "http"] }], checks: [{ type: "http", path: "/health" }] }],
        },
      },
    },
  },
};
`;

function filesUnder(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(folder, e.name)) : [path.join(folder, e.name)]));
}

describe("guardrails wired into synthesis", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-policies-main-"));
    fs.mkdirSync(path.join(dir, "environments"));
    fs.mkdirSync(path.join(dir, "out"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("every EnvironmentStack registers FlystackRules", () => {
    const { stacks } = buildApp({ outdir: path.join(dir, "out") });
    for (const stack of stacks) expect(Aspects.of(stack).all.filter((a) => a instanceof FlystackRules)).toHaveLength(1);
  });

  test("main.ts: an error finding fails synthesis with exit 1, listing every finding of every environment, writing nothing", () => {
    for (const name of ["alpha", "beta"]) fs.writeFileSync(path.join(dir, "environments", `${name}.ts`), singleMachineEnvironment(name));
    const result = spawnSync(tsx, ["main.ts"], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, FLYSTACK_ENVIRONMENTS_DIR: path.join(dir, "environments"), CDKTF_OUTDIR: path.join(dir, "out") },
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("2 policy errors in the synthesized stacks:");
    for (const name of ["alpha", "beta"]) {
      expect(result.stderr).toContain(
        `  - ${name}: [FLY004] ${name}/api/group-web/machine-iad-1: public process group "web" of app fly_app.api runs 1 machine in its primary region iad`,
      );
    }
    expect(result.stderr).toContain("Nothing was synthesized.");
    expect(result.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    // cdktf's App creates the empty `stacks` folder when constructed; no file is written.
    expect(filesUnder(path.join(dir, "out"))).toEqual([]);
  });
});
