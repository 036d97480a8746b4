/**
 * flystack generate: diagrams and the stateful-address lock, on environments the test owns.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { flystack, projectWithEnvironments, writeEnvironmentFile } from "./harness";
import { loopEnvironment } from "../fixtures/environments";

describe("flystack generate", () => {
  const env = loopEnvironment("qa");
  const project = projectWithEnvironments([env]);
  afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

  test("--check on a project that never ran it names what is missing and the command to run", async () => {
    const checked = await flystack(project, ["generate", "--check"]);
    expect(checked.code).toBe(1);
    expect(checked.stderr).toContain("- docs/diagrams/qa.md is missing");
    expect(checked.stderr).toContain("- stateful-addresses.lock.json is missing");
    expect(checked.stderr).toContain("run: bin/flystack generate");
    expect(fs.existsSync(path.join(project, "stateful-addresses.lock.json"))).toBe(false);
  });

  test("writes the diagrams and the lock; then --check passes", async () => {
    const written = await flystack(project, ["generate"]);
    expect(written.code).toBe(0);
    expect(written.stdout.split("\n")).toEqual(["docs/diagrams/qa.md", "stateful-addresses.lock.json", ""]);
    const lock = JSON.parse(fs.readFileSync(path.join(project, "stateful-addresses.lock.json"), "utf8"));
    expect(lock.environments.qa).toContain("fly_volume.db_pg_iad_1");
    expect(lock.environments.qa).toContain("fly_secret.api_DATABASE_URL");
    expect((await flystack(project, ["generate", "--check"])).code).toBe(0);
  });

  test("a stateful address that disappears or appears fails --check, naming it, until generate is run again", async () => {
    const moved = loopEnvironment("qa");
    moved.apps.db.groups.pg.regions = ["lhr"];
    writeEnvironmentFile(project, moved);
    // A second CLI run is a new process: forget the modules the first run loaded (jest keeps its own registry).
    jest.resetModules();
    const checked = await flystack(project, ["generate", "--check"]);
    expect(checked.code).toBe(1);
    expect(checked.stderr).toContain("qa: fly_volume.db_pg_iad_1 is in stateful-addresses.lock.json but no longer synthesized: Terraform would destroy it (and its data)");
    expect(checked.stderr).toContain("qa: fly_volume.db_pg_lhr_1 is new: Terraform would create it");
    expect(checked.stderr).toContain("- docs/diagrams/qa.md is out of date");
    expect((await flystack(project, ["generate"])).code).toBe(0);
    jest.resetModules();
    expect((await flystack(project, ["generate", "--check"])).code).toBe(0);
  });
});
