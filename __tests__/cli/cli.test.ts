import * as fs from "node:fs";
import * as path from "node:path";
import { COMMANDS } from "../../cli/commands";
import { parseArgs, UsageError } from "../../cli/args";
import { selectStacks, StackSelectionError } from "../../cli/stacks";
import { flystack, projectWithEnvironments, TestProject } from "./harness";
import { loopEnvironment } from "../fixtures/environments";

describe("flystack CLI", () => {
  const cwd = path.join(__dirname, "..", "..");

  test("--help lists every command", async () => {
    const result = await flystack(cwd, ["--help"]);
    expect(result.code).toBe(0);
    for (const c of COMMANDS) expect(result.stdout).toContain(`  ${c.name}`);
  });

  test.each(COMMANDS.map((c) => c.name))("%s --help prints usage and exit codes", async (name) => {
    const result = await flystack(cwd, [name, "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Usage: flystack ${name}`));
    expect(result.stdout).toContain("Exit codes:");
  });

  test("no command prints help to stderr and exits 1; an unknown command names the known ones", async () => {
    expect((await flystack(cwd, [])).code).toBe(1);
    const unknown = await flystack(cwd, ["deploy"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(`flystack: unknown command "deploy"; commands: ${COMMANDS.map((c) => c.name).join(", ")}\n`);
  });

  test("--version (and -V) prints the package's version", async () => {
    const version = (JSON.parse(fs.readFileSync(path.join(cwd, "package.json"), "utf8")) as { version: string }).version;
    for (const flag of ["--version", "-V"]) expect(await flystack(cwd, [flag])).toEqual({ code: 0, stdout: `flystack ${version}\n`, stderr: "" });
  });

  test.each([["preview"], ["check"], ["cost"], ["diagram"], ["plan"], ["drift"]])(
    "%s with an environment name that matches none is refused before anything is synthesized or written",
    async (command) => {
      const dir = projectWithEnvironments([loopEnvironment("qa")]);
      try {
        const result = await flystack(dir, [command, "no-such-env"]);
        expect(result.code).toBe(1);
        expect(result.stderr).toBe(`flystack ${command}: no stack matches "no-such-env"; stacks: qa\n`);
        expect(fs.existsSync(path.join(dir, "cdktf.out"))).toBe(false);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  test("an unknown option is a usage error naming the allowed ones, exit 1 (never 2, which drift reserves)", async () => {
    const result = await flystack(cwd, ["drift", "--skip-synt"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('flystack drift: unknown option "--skip-synt"; allowed: --report, --json, --skip-synth, --terraform, --no-audit, --require-audit, --parallel (see flystack drift --help)\n');
  });

  test("summarize: a missing file or a file that is not plan JSON exits 1 with the reason", async () => {
    expect((await flystack(cwd, ["summarize", "nope.json"])).stderr).toBe("flystack summarize: nope.json does not exist\n");
    const notPlan = await flystack(cwd, ["summarize", "package.json"]);
    expect(notPlan.code).toBe(1);
    expect(notPlan.stderr).toMatch(/^flystack summarize: package\.json: /);
  });

  test("summarize --json: one file → an object, several → an array", async () => {
    const fixtures = path.join(__dirname, "..", "plan", "fixtures");
    const files = fs.readdirSync(fixtures).filter((f) => f.endsWith(".json")).map((f) => path.join(fixtures, f));
    const one = JSON.parse((await flystack(cwd, ["summarize", "--json", files[0]])).stdout) as unknown;
    expect(Array.isArray(one)).toBe(false);
    expect(Object.keys(one as object)).toEqual(["file", "counts", "outputs", "drift", "resources"]);
    const many = JSON.parse((await flystack(cwd, ["summarize", "--json", ...files])).stdout) as unknown[];
    expect(many).toHaveLength(files.length);
  });

  test("stack selection: globs, dependency order, and a pattern matching nothing", () => {
    const all = [
      { name: "production-eu", dir: "/p", dependencies: ["shared"] },
      { name: "shared", dir: "/s", dependencies: [] },
      { name: "production-us", dir: "/u", dependencies: [] },
    ];
    expect(selectStacks(all, []).map((s) => s.name)).toEqual(["shared", "production-eu", "production-us"]);
    expect(selectStacks(all, ["production-*"]).map((s) => s.name)).toEqual(["production-eu", "production-us"]);
    expect(() => selectStacks(all, ["staging"])).toThrow(new StackSelectionError("no stack matches \"staging\"; stacks: production-eu, shared, production-us"));
  });

  test("a missing cdktf.out with --skip-synth says to synthesize", async () => {
    const project = new TestProject([]);
    fs.rmSync(path.join(project.dir, "cdktf.out"), { recursive: true });
    const result = await flystack(project.dir, ["plan", "--skip-synth"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("cdktf.out/manifest.json does not exist: synthesize first");
    project.cleanup();
  });

  test("parseArgs: values, lists, --x=y, and errors", () => {
    const spec = { out: { kind: "string" }, json: { kind: "boolean" }, allow: { kind: "list" } } as const;
    expect(parseArgs(["a", "--out", "d", "--json", "--allow=x", "--allow", "y", "b"], spec)).toEqual({ options: { out: "d", json: true, allow: ["x", "y"] }, positionals: ["a", "b"] });
    expect(() => parseArgs(["--out"], spec)).toThrow(new UsageError("--out needs a value"));
    expect(() => parseArgs(["--json=1"], spec)).toThrow(new UsageError("--json takes no value"));
  });
});
