/** Zero stacks is an error, never a successful run over nothing: an empty environments/ folder, or an empty manifest. */
import * as fs from "node:fs";
import * as path from "node:path";
import { flystack, projectWithEnvironments } from "./harness";

describe("flystack with no environment", () => {
  const project = projectWithEnvironments([]);
  afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

  test.each([["plan"], ["drift"]])("flystack %s with an empty environments/ fails and says why", async (command) => {
    const run = await flystack(project, [command]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/holds no environment file/);
  }, 60_000);

  test.each([["plan"], ["drift"]])("flystack %s --skip-synth with an empty manifest fails and says why", async (command) => {
    fs.mkdirSync(path.join(project, "cdktf.out"), { recursive: true });
    fs.writeFileSync(path.join(project, "cdktf.out", "manifest.json"), JSON.stringify({ version: "0.21.0", stacks: {} }));
    const run = await flystack(project, [command, "--skip-synth"]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/no stacks to run/);
  }, 60_000);
});
