/**
 * The code fingerprint (src/features/synth/code-fingerprint.ts) covers the code a synthesis runs:
 * every project module a synthesis loads lies under SYNTHESIS_CODE (or is generated into .gen/ from
 * what does), so a change to any of them changes the fingerprint and no stack is reused across it.
 * A team that adds a folder of constructs is told here to add it to SYNTHESIS_CODE.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { codeFiles, codeFingerprint, SYNTHESIS_CODE } from "../../src/features/synth/code-fingerprint";
import { loopEnvironment } from "../fixtures/environments";

const root = path.join(__dirname, "..", "..");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-fingerprint-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
jest.setTimeout(120_000);

test("every project module a synthesis loads is part of the fingerprint", () => {
  // A fresh process synthesizes a per-app environment with monitoring, then lists the modules it loaded.
  const script = path.join(work, "loaded.ts");
  const env = { ...loopEnvironment("fp"), stacks: "per-app", monitoring: { name: "fp-monitoring", region: "iad", prometheusTokenVersion: "1", receivers: { page: { kind: "pagerduty", version: "1" } }, grafana: { adminPasswordVersion: "1" } } };
  fs.writeFileSync(
    script,
    [
      `const { synthesizeSources } = require(${JSON.stringify(path.join(root, "main.ts"))});`,
      `const value = ${JSON.stringify(env)};`,
      `synthesizeSources([{ name: value.name, value }], { outdir: ${JSON.stringify(path.join(work, "out"))}, state: { backend: "local" } });`,
      `process.stdout.write(JSON.stringify(Object.keys(require.cache)));`,
    ].join("\n"),
  );
  const loaded = JSON.parse(execFileSync(process.execPath, ["--import", "tsx", script], { cwd: root, encoding: "utf8" })) as string[];
  const project = loaded
    .filter((file) => file.startsWith(`${root}${path.sep}`) && !file.includes(`${path.sep}node_modules${path.sep}`))
    .map((file) => path.relative(root, file).split(path.sep).join("/"));
  expect(project).toContain("main.ts");
  expect(project.some((f) => f.startsWith("constructs/"))).toBe(true);
  const covered = new Set(codeFiles(root));
  // .gen/ is generated from providers/*.schema.json by src/features/providers: both are in the fingerprint.
  const outside = project.filter((f) => !covered.has(f) && !f.startsWith(".gen/"));
  expect(outside).toEqual([]);
});

test("the fingerprint changes with the code and the dependencies, not with environments or the provider double", () => {
  const copy = path.join(work, "project");
  for (const entry of [...SYNTHESIS_CODE, "environments"]) {
    if (fs.existsSync(path.join(root, entry))) fs.cpSync(path.join(root, entry), path.join(copy, entry), { recursive: true, filter: (src) => !src.includes(`${path.sep}node_modules`) });
  }
  const before = codeFingerprint(copy);
  const again = (edit: () => void) => {
    edit();
    // A fresh module: the fingerprint is computed once per process and root.
    let fingerprint = "";
    jest.isolateModules(() => {
      fingerprint = (jest.requireActual("../../src/features/synth/code-fingerprint") as typeof import("../../src/features/synth/code-fingerprint")).codeFingerprint(copy);
    });
    return fingerprint;
  };
  const environments = again(() => fs.writeFileSync(path.join(copy, "environments", "extra.ts"), "export default {};\n"));
  expect(environments).toBe(before);
  fs.mkdirSync(path.join(copy, "providers", "double"), { recursive: true });
  const double = again(() => fs.writeFileSync(path.join(copy, "providers", "double", "main.go"), "package main\n"));
  expect(double).toBe(before);
  const construct = again(() => fs.appendFileSync(path.join(copy, "constructs", "fly-app.ts"), "\n// a comment\n"));
  expect(construct).not.toBe(before);
  const lock = again(() => fs.appendFileSync(path.join(copy, "package-lock.json"), "\n"));
  expect(lock).not.toBe(construct);
});
