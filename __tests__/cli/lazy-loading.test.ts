/**
 * Start-up (#13): commands that do not synthesize never load cdktf, constructs, the providers, zod or
 * tsx; only the chosen command's module loads. Runs the build (dist/, as `npm ci` makes it) and the
 * real processes, `node dist/cli/main.js` and `node bin/flystack`, with a preloaded script that lists
 * every module the process loaded (__tests__/fixtures/report-loaded-modules.js).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { COMMANDS } from "../../cli/commands";
import { projectCopy } from "./harness";

const root = path.join(__dirname, "..", "..");
const reporter = path.join(__dirname, "..", "fixtures", "report-loaded-modules.js");
const STALE_NOTE = /^flystack: dist\/ is (missing|stale): run npm run build; running from sources$/m;

/** Packages a command that does not synthesize must not load. */
/** The construct library of the line this repository is on (flystack migrate): cdktf, or cdktn. */
const CDK = (JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")) as { dependencies: Record<string, string> }).dependencies.cdktn ? "cdktn" : "cdktf";
const HEAVY = [CDK, "constructs", "@cdktf/provider-null", "zod", "typescript"];

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** node_modules packages loaded, e.g. "cdktf", "@cdktf/provider-null". */
  readonly packages: Set<string>;
  readonly modules: string[];
}

function run(entry: string, args: readonly string[], cwd: string): Run {
  const list = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "flystack-modules-")), "modules.txt");
  const result = spawnSync(process.execPath, [entry, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NODE_OPTIONS: `--require ${reporter}`, FLYSTACK_LOADED_MODULES_FILE: list, FLYSTACK_DEBUG: undefined },
    timeout: 120_000,
  });
  const modules = fs.existsSync(list) ? fs.readFileSync(list, "utf8").split("\n").filter(Boolean) : [];
  fs.rmSync(path.dirname(list), { recursive: true, force: true });
  const packages = new Set(modules.flatMap((m) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(m)?.[1] ?? []));
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, packages, modules };
}

const heavyIn = (r: Run) => HEAVY.filter((p) => r.packages.has(p));

describe("start-up: only what a command needs loads", () => {
  const dist = path.join(root, "dist", "cli", "main.js");
  const bin = path.join(root, "bin", "flystack");
  let empty: string;

  beforeAll(() => {
    // What `npm ci` runs ("prepare"); incremental, a few seconds when dist/ exists.
    const built = spawnSync(process.execPath, [path.join(root, "scripts", "build-dist.js")], { cwd: root, encoding: "utf8" });
    if (built.status !== 0) throw new Error(`npm run build failed:\n${built.stdout}${built.stderr}`);
    empty = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-empty-"));
  }, 300_000);

  afterAll(() => fs.rmSync(empty, { recursive: true, force: true }));

  test("the registry's summaries are the commands' own", () => {
    for (const entry of COMMANDS) {
      const command = entry.load();
      expect({ name: command.name, summary: command.summary }).toEqual({ name: entry.name, summary: entry.summary });
    }
  });

  test.each([
    [["--help"]],
    [["--version"]],
    [["plan", "--skip-synth"]],
    [["drift", "--skip-synth"]],
    [["summarize", "missing.json"]],
    [["apply", "--plans", "plans"]],
    [["unseal", "--plans", "plans"]],
  ])("dist: flystack %j loads no cdktf, constructs, providers, zod, TypeScript or tsx", (args) => {
    const result = run(dist, args, empty);
    expect(result.modules.length).toBeGreaterThan(0);
    expect(heavyIn(result)).toEqual([]);
    expect(result.packages.has("tsx")).toBe(false);
  });

  test("dist: every command's --help loads its own module alone, and nothing heavy", () => {
    for (const { name } of COMMANDS) {
      const result = run(dist, [name, "--help"], empty);
      expect(result.status).toBe(0);
      expect(heavyIn(result)).toEqual([]);
      const commandModules = result.modules.filter((m) => m.includes(`${path.sep}dist${path.sep}cli${path.sep}commands${path.sep}`)).map((m) => path.basename(m, ".js"));
      // Commands may share helpers (preview uses diagram's pages), never the whole registry.
      expect(commandModules).toContain(name);
      expect(commandModules.length).toBeLessThanOrEqual(3);
    }
  });

  test("bin/flystack --help runs dist/ when it is current (else the sources, saying so) and loads nothing heavy", () => {
    const result = run(bin, ["--help"], empty);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Usage: flystack <command>");
    expect(heavyIn(result)).toEqual([]);
    // Another edit between the build and this run makes dist/ stale: then the fallback must have said so.
    if (!STALE_NOTE.test(result.stderr)) {
      expect(result.stderr).toBe("");
      expect(result.modules).toContain(dist);
      expect(result.packages.has("tsx")).toBe(false);
    }
  });

  test("preview (the main job) loads cdktf; the environment files load in the loading worker, not in this process", () => {
    const project = projectCopy();
    try {
      const result = run(dist, ["preview"], project);
      expect(result.stderr).toMatch(/synthesized .* in \d/);
      expect(result.status).toBe(0);
      expect(result.packages.has(CDK)).toBe(true);
      // Environments are TypeScript, type-checked and loaded through tsx in a worker thread with a
      // deadline (src/config/bounded-load.ts): this thread loads neither, only the build.
      expect(result.packages.has("tsx")).toBe(false);
      expect(result.modules.filter((m) => m.endsWith(".ts"))).toEqual([]);
      expect(result.modules).toContain(path.join(root, "dist", "src", "config", "bounded-load.js"));
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  });
});
