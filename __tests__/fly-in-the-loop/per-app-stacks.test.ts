/**
 * Moving an environment from one stack to per-app stacks with real terraform, the provider double
 * and the fake Fly API: apply as one stack, `flystack state pull`, switch to `stacks: "per-app"`,
 * `flystack state split`; then every per-app stack plans no change and nothing on Fly was touched.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describeEachBinary, realBinaries } from "../cli/harness";
import { loopProviders } from "./providers";
import { Loop } from "./loop";
import { loopEnvironment } from "../fixtures/environments";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-loop-split-"));
const providers = loopProviders(work);
const binaries = providers ? realBinaries().filter((b) => b.name === "terraform") : [];
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
jest.setTimeout(240_000);

interface PlanJson {
  resource_changes?: { address: string; change: { actions: string[] } }[];
  output_changes?: Record<string, { actions: string[] }>;
}

describeEachBinary(binaries, "$name: an environment moved to per-app stacks keeps every resource", ({ binary }) => {
  const loop = new Loop({ binary, providers: providers!, startDelayMs: 5 });
  const env = loopEnvironment("split");
  const writes = () => loop.fly.requests.filter((r) => r.method !== "GET").length;
  let writesAfterApply = 0;
  let machineIds: string[] = [];

  beforeAll(async () => {
    await loop.start();
    expect(loop.synthesize([env])).toEqual(["split"]);
    expect((await loop.flystack(["plan", "--skip-synth", "--out", "plans"], loop.withoutSecrets())).code).toBe(0);
    expect((await loop.flystack(["apply", "--plans", "plans"])).code).toBe(0);
    writesAfterApply = writes();
    machineIds = [env.apps.web.name, env.apps.db.name, env.apps.api.name].flatMap((a) => loop.fly.machinesOf(a).map((m) => m.id!)).sort();
  });
  afterAll(() => loop.stop());

  test("state pull writes the single stack's state", async () => {
    const pulled = await loop.flystack(["state", "pull", "split", "--skip-synth", "--out", "split.tfstate"]);
    expect({ code: pulled.code, err: pulled.code === 0 ? "" : pulled.stderr }).toEqual({ code: 0, err: "" });
    expect(pulled.stdout).toMatch(/^wrote split\.tfstate: \d+ resources of split/);
    expect(fs.statSync(path.join(loop.project, "split.tfstate")).mode & 0o777).toBe(0o600);
  });

  test("split into per-app stacks: a dry run pushes nothing; the split pushes each app's resources into its own state", async () => {
    loop.synthesize([{ ...env, stacks: "per-app" }]);
    expect(fs.readdirSync(path.join(loop.project, "cdktf.out", "stacks")).sort()).toEqual(["split_api", "split_db", "split_web"]);
    const dry = await loop.flystack(["state", "split", "split", "--from", "split.tfstate", "--skip-synth", "--dry-run"]);
    expect({ code: dry.code, err: dry.code === 0 ? "" : dry.stderr.slice(-2000) }).toEqual({ code: 0, err: "" });
    expect(dry.stdout).toMatch(/^dry run: \d+ resources would move into 3 stacks; nothing pushed/);
    expect(fs.existsSync(path.join(loop.project, "state", "loop", "split", "web.tfstate"))).toBe(false);

    const split = await loop.flystack(["state", "split", "split", "--from", "split.tfstate", "--skip-synth"]);
    expect({ code: split.code, err: split.code === 0 ? "" : split.stderr }).toEqual({ code: 0, err: "" });
    expect(split.stdout).toContain("into 3 stacks: split_api, split_db, split_web");
    for (const app of ["api", "db", "web"]) expect(fs.existsSync(path.join(loop.project, "state", "loop", "split", `${app}.tfstate`))).toBe(true);
  });

  test("each per-app stack plans no change, and Fly saw no write", async () => {
    const planned = await loop.flystack(["plan", "split", "--skip-synth", "--out", "after"], loop.withoutSecrets());
    expect({ code: planned.code, err: planned.code === 0 ? "" : planned.stderr }).toEqual({ code: 0, err: "" });
    for (const stack of ["split_api", "split_db", "split_web"]) {
      const plan = JSON.parse(fs.readFileSync(path.join(loop.project, "after", `${stack}.plan.json`), "utf8")) as PlanJson;
      const changed = (plan.resource_changes ?? []).filter((c) => c.change.actions.join() !== "no-op").map((c) => [c.address, c.change.actions]);
      expect({ stack, changed }).toEqual({ stack, changed: [] });
      const outputs = Object.entries(plan.output_changes ?? {}).filter(([, c]) => c.actions.join() !== "no-op");
      expect({ stack, outputs }).toEqual({ stack, outputs: [] });
    }
    expect(writes()).toBe(writesAfterApply);
    const now = [env.apps.web.name, env.apps.db.name, env.apps.api.name].flatMap((a) => loop.fly.machinesOf(a).map((m) => m.id!)).sort();
    expect(now).toEqual(machineIds);
  });

  test("a second split is refused whole: the per-app states are no longer empty", async () => {
    const again = await loop.flystack(["state", "split", "split", "--from", "split.tfstate", "--skip-synth"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/split_api already has \d+ resource\(s\) in its state; nothing pushed/);
  });
});
