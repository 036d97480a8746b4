/**
 * Synthesizes every environment in environments/ and the test fixtures into DIR (one cdktf.out per
 * set: DIR/shipped, DIR/fixtures), as main.ts does. .ci/run runs it on the CDKTF line and on the
 * CDK Terrain line (a migrated copy) and compares the two with ./compare.ts.
 *
 *   npx tsx scripts/line-proof/synthesize.ts DIR
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { buildAppFromSources, synthesizeApp } from "../../main";
import { loadEnvironmentSources } from "../../src/config/load";
import { loopEnvironment } from "../../__tests__/fixtures/environments";
import { dashboardEnvironment } from "../../__tests__/dashboards/fixture";
import { validEnvironment } from "../../__tests__/config/fixtures";

const out = process.argv[2];
if (!out) {
  process.stderr.write("usage: synthesize.ts DIR\n");
  process.exit(2);
}
const loaded = loadEnvironmentSources(path.join(__dirname, "..", "..", "environments"));
if (loaded.issues.length > 0) {
  process.stderr.write(`environments do not load: ${loaded.issues.map((i) => i.message).join("; ")}\n`);
  process.exit(1);
}
const perApp = loopEnvironment("fixture-per-app");
perApp.stacks = "per-app";
const fixtures = [loopEnvironment("fixture-loop"), loopEnvironment("fixture-guarded", { protected: true }), perApp, dashboardEnvironment("fixture-dash"), validEnvironment("fixture-valid")];
for (const [label, sources] of [
  ["shipped", loaded.sources],
  ["fixtures", fixtures.map((value) => ({ name: value.name, value }))],
] as const) {
  const dir = path.join(out, label);
  fs.mkdirSync(dir, { recursive: true });
  synthesizeApp(buildAppFromSources(sources, { outdir: dir }));
}
process.stderr.write(`synthesized into ${out}\n`);
