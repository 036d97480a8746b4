import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { mapLimit, pluginCacheDir, Serializer } from "../../cli/parallel";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("mapLimit", () => {
  test("runs at most `limit` at once and keeps the items' order, whatever order they finish in", async () => {
    let running = 0;
    let most = 0;
    const results = await mapLimit([50, 10, 30, 5, 20, 1], 3, async (ms, i) => {
      running++;
      most = Math.max(most, running);
      await sleep(ms);
      running--;
      return `${i}:${ms}`;
    });
    expect(results).toEqual(["0:50", "1:10", "2:30", "3:5", "4:20", "5:1"]);
    expect(most).toBe(3);
  });

  test("no items: no work; a limit above the count starts one worker per item", async () => {
    expect(await mapLimit([], 4, async () => 1)).toEqual([]);
    expect(await mapLimit([1, 2], 16, async (n) => n * 2)).toEqual([2, 4]);
  });
});

test("Serializer runs one at a time, in call order, also after a failure", async () => {
  const serializer = new Serializer();
  const log: string[] = [];
  const step = (name: string, ms: number, fail = false) =>
    serializer.run(async () => {
      log.push(`${name} start`);
      await sleep(ms);
      log.push(`${name} end`);
      if (fail) throw new Error(name);
      return name;
    });
  const results = await Promise.allSettled([step("a", 20), step("b", 5, true), step("c", 1)]);
  expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
  expect(log).toEqual(["a start", "a end", "b start", "b end", "c start", "c end"]);
});

test("pluginCacheDir: TF_PLUGIN_CACHE_DIR, else plugin_cache_dir in the CLI configuration", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-rc-"));
  try {
    const rc = path.join(dir, "rc");
    fs.writeFileSync(rc, 'plugin_cache_dir = "/var/cache/tf"\nprovider_installation {\n}\n');
    const none = path.join(dir, "none");
    fs.writeFileSync(none, "provider_installation {\n}\n");
    expect(pluginCacheDir({ TF_PLUGIN_CACHE_DIR: "/env/cache", TF_CLI_CONFIG_FILE: rc })).toBe("/env/cache");
    expect(pluginCacheDir({ TF_CLI_CONFIG_FILE: rc })).toBe("/var/cache/tf");
    expect(pluginCacheDir({ TF_CLI_CONFIG_FILE: none })).toBeUndefined();
    expect(pluginCacheDir({ TF_CLI_CONFIG_FILE: path.join(dir, "missing"), HOME: dir })).toBeUndefined();
    expect(pluginCacheDir({ HOME: dir })).toBeUndefined();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
