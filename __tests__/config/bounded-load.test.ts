/**
 * Environment files are code: one that loops or nests without end must give a clean problem naming
 * the file, never a hang or a crash (src/config/bounded-load.ts). In-process through
 * loadEnvironmentSources, and with the real bin/flystack.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadEnvironmentSources } from "../../src/config/load";
import { projectWithEnvironments } from "../cli/harness";
import { loopEnvironment } from "../fixtures/environments";

const ROOT = path.join(__dirname, "..", "..");
const FLYSTACK = path.join(ROOT, "bin", "flystack");
jest.setTimeout(120_000);

const GOOD = `import type { EnvironmentConfig } from "../src/config/types";\nconst environment: EnvironmentConfig = ${JSON.stringify(loopEnvironment("good"))};\nexport default environment;\n`;
const LOOP = "while (Date.now() > 0) {}\n";
/** A literal nested `depth` levels deep, as the reliability measurement had it (10,000 levels, 40 KB). */
const deepLiteral = (depth: number) => `export const deep = ${"{ a: ".repeat(depth)}1${" }".repeat(depth)};\n`;

function folder(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-bounded-"));
  // Environment files import ../src/config/types: give the folder that neighbour.
  fs.symlinkSync(path.join(ROOT, "src"), path.join(root, "src"), "dir");
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(root, "node_modules"), "dir");
  const dir = path.join(root, "environments");
  fs.mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const messages = (dir: string, timeoutMs = 3_000) => {
  const started = Date.now();
  const { sources, issues } = loadEnvironmentSources(dir, { timeoutMs, cacheDir: false });
  return { sources: sources.map((s) => s.name), issues: issues.map((i) => `${i.environment}: ${i.message}`), seconds: (Date.now() - started) / 1000 };
};

describe("loading environment files with a deadline and a bounded stack", () => {
  it("a file that loops is named when the deadline passes; nothing is loaded", () => {
    const result = messages(folder({ "good.ts": GOOD, "staging.ts": GOOD.replace('"good"', '"staging"') + LOOP }), 2_000);
    expect(result.sources).toEqual([]);
    expect(result.issues).toEqual([
      "staging: environments/staging.ts did not finish loading within 2 s, the limit (FLYSTACK_ENV_LOAD_TIMEOUT_S): it, or a helper it imports, runs without end (a loop?); no environment was loaded",
    ]);
    // It returned: well before the next minute, whatever the machine.
    expect(result.seconds).toBeLessThan(60);
  });

  it("a loop in a helper names the environment that imports it", () => {
    const result = messages(folder({ "_slow.ts": `export const x = 1;\n${LOOP}`, "qa.ts": `import { x } from "./_slow";\n${GOOD.replace('"good"', '"qa"')}void x;\n` }), 2_000);
    expect(result.issues).toEqual([expect.stringMatching(/^qa: environments\/qa\.ts did not finish loading within 2 s/)]);
  });

  it("a literal 10,000 levels deep is a problem of its file (the type check overflowed), the others load", () => {
    const result = messages(folder({ "good.ts": GOOD, "staging.ts": GOOD.replace('"good"', '"staging"') + deepLiteral(10_000) }));
    expect(result.sources).toEqual(["good"]);
    expect(result.issues).toEqual([
      "staging: environments/staging.ts: too deeply nested for TypeScript's checker (Maximum call stack size exceeded), here or in a helper this file imports; an environment is data a few levels deep: flatten it",
    ]);
  });

  it("without the type check, a value nested too deep is refused before anything walks it", () => {
    const deep = `const deep: unknown = ${"{ a: ".repeat(5_000)}1${" }".repeat(5_000)};\nexport default { ...${JSON.stringify(loopEnvironment("deep"))}, extra: deep };\n`;
    const dir = folder({ "deep.ts": deep });
    const { sources, issues } = loadEnvironmentSources(dir, { typecheck: false, timeoutMs: 10_000 });
    expect(sources).toEqual([]);
    // Either the loader's own stack gives out (named), or the value arrives and is too deep (named).
    expect(issues.map((i) => i.message)).toEqual([expect.stringMatching(/^environments\/deep\.ts (could not be loaded: Maximum call stack size exceeded|is nested more than 64 levels deep \(at extra\.a\.a)/)]);
  });

  it("an environment that is not plain data (a function) is named", () => {
    const { issues } = loadEnvironmentSources(folder({ "fn.ts": `export default { name: "fn", hook: () => 1 };\n` }), { typecheck: false });
    expect(issues.map((i) => i.message)).toEqual(["environments/fn.ts exports a function at hook: an environment is plain data"]);
  });

  it("a __proto__ key is still refused: the check runs where the value was made", () => {
    const { issues } = loadEnvironmentSources(folder({ "proto.ts": `export default { name: "proto", apps: { __proto__: { x: 1 } } };\n` }), { typecheck: false });
    expect(issues.map((i) => `${i.path}: ${i.message}`)).toEqual([expect.stringContaining("apps: is not a plain object")]);
  });

  it("refuses a deadline that is not a positive number", () => {
    expect(() => loadEnvironmentSources(folder({ "good.ts": GOOD }), { timeoutMs: 0 })).toThrow("timeoutMs must be a positive number of milliseconds, got 0");
  });
});

describe("bin/flystack preview on such files: a clean exit 1 within the limit, naming the file", () => {
  const preview = (project: string, env: Record<string, string> = {}) => {
    const started = Date.now();
    const run = spawnSync(process.execPath, [FLYSTACK, "preview"], { cwd: project, env: { ...process.env, ...env }, encoding: "utf8", timeout: 90_000 });
    return { code: run.status, stderr: run.stderr, seconds: (Date.now() - started) / 1000 };
  };

  it("an infinite loop in an environment file", () => {
    const project = projectWithEnvironments([loopEnvironment("staging")]);
    fs.appendFileSync(path.join(project, "environments", "staging.ts"), LOOP);
    const run = preview(project, { FLYSTACK_ENV_LOAD_TIMEOUT_S: "3" });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("staging: environments/staging.ts did not finish loading within 3 s, the limit (FLYSTACK_ENV_LOAD_TIMEOUT_S)");
    expect(run.stderr).toContain("Nothing was synthesized.");
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(run.seconds).toBeLessThan(60);
  });

  it("a literal nested 10,000 levels deep", () => {
    const project = projectWithEnvironments([loopEnvironment("staging")]);
    fs.appendFileSync(path.join(project, "environments", "staging.ts"), deepLiteral(10_000));
    const run = preview(project);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("staging: environments/staging.ts: too deeply nested for TypeScript's checker (Maximum call stack size exceeded)");
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("a limit that is not a number of seconds is refused, saying what is allowed", () => {
    const project = projectWithEnvironments([loopEnvironment("staging")]);
    const run = preview(project, { FLYSTACK_ENV_LOAD_TIMEOUT_S: "soon" });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('FLYSTACK_ENV_LOAD_TIMEOUT_S must be a number of seconds above 0 and at most 86400, got "soon"');
  });
});
