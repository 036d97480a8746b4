/** `flystack preview` reports a TypeScript error in an environment file with its location, and writes nothing. */
import * as fs from "node:fs";
import * as path from "node:path";
import { flystack, projectCopy } from "../cli/harness";

test("flystack preview: a TypeScript error in environments/production.ts, at file:line:column; exit 1, nothing written", async () => {
  let edited = "";
  const dir = projectCopy((text) => {
    edited = text.replace("cpus: 2, memoryMb: 1024", 'cpus: 2, memoryMb: "1024"');
    return edited;
  });
  try {
    const index = edited.indexOf('memoryMb: "1024"');
    const before = edited.slice(0, index).split("\n");
    const location = `${before.length}:${before[before.length - 1].length + 1}`;
    const result = await flystack(dir, ["preview"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `1 problem in the environment configuration:\n  - production: environments/production.ts:${location}: Type 'string' is not assignable to type 'number'. (TS2322)\nNothing was synthesized.\n`,
    );
    expect(result.stdout).toBe("");
    expect(fs.existsSync(path.join(dir, "cdktf.out"))).toBe(false);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
