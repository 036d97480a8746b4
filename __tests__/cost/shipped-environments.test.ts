/**
 * Whatever environments/ holds, synthesized for real, priced twice: by the estimator and by a plain
 * loop written here over the same JSON and prices.json. The loop shares no code with src/features/cost, so a
 * resource the estimator skipped or priced by another formula shows up as a difference.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildApp, buildAppFromSources } from "../../main";
import { loopEnvironment } from "../fixtures/environments";
import prices from "../../src/features/cost/prices.json";
import { estimateEnvironment, toCostJson } from "../../src/features/cost";

type Body = Record<string, unknown>;
interface Stack {
  provider: { fly: Array<{ org_slug: string }> };
  resource: Record<string, Record<string, Body> | undefined>;
}

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-cost-"));
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

const built = buildApp({ outdir });
built.app.synth();
const names = built.environments.map((e) => e.name);
const read = (name: string): Stack => JSON.parse(fs.readFileSync(path.join(outdir, "stacks", name, "cdk.tf.json"), "utf8")) as Stack;

/** What the environment costs, by the rules of Fly's pricing page, in the plainest terms. */
function independentSum(stack: Stack): { min: number; max: number } {
  let min = 0;
  let max = 0;
  const r = stack.resource;
  const multipliers: Record<string, number> = prices.machines.regionMultipliers;
  for (const m of Object.values(r.fly_machine ?? {})) {
    const guest = m.guest as { cpu_kind: "shared" | "performance"; cpus: number; memory_mb: number };
    const perMonth = (guest.cpus * prices.machines.cpuPerMonth[guest.cpu_kind] + (guest.memory_mb / 1024) * prices.machines.ramPerGbMonth) * multipliers[m.region as string];
    const services = (m.service ?? []) as Array<{ autostop?: string }>;
    const canStop = services.length > 0 && services.every((s) => s.autostop === "stop" || s.autostop === "suspend");
    max += perMonth;
    if (!canStop) min += perMonth;
  }
  for (const v of Object.values(r.fly_volume ?? {})) {
    min += (v.size_gb as number) * prices.volumes.perProvisionedGbMonth;
    max += (v.size_gb as number) * prices.volumes.perProvisionedGbMonth;
  }
  for (const i of Object.values(r.fly_ip ?? {})) {
    if (i.type === "public_v4") {
      min += prices.ips.perMonthByType.public_v4;
      max += prices.ips.perMonthByType.public_v4;
    }
  }
  const orgOfApp = Object.fromEntries(Object.entries(r.fly_app ?? {}).map(([key, app]) => [key, (app.org as string | undefined) ?? stack.provider.fly[0].org_slug]));
  const singlesByOrg: Record<string, number> = {};
  for (const c of Object.values(r.fly_cert ?? {})) {
    if ((c.hostname as string).startsWith("*.")) {
      min += prices.certificates.wildcardPerMonth;
      max += prices.certificates.wildcardPerMonth;
    } else {
      const org = orgOfApp[/^\$\{fly_app\.(\w+)\.name\}$/.exec(c.app as string)?.[1] ?? ""];
      singlesByOrg[org] = (singlesByOrg[org] ?? 0) + 1;
    }
  }
  for (const count of Object.values(singlesByOrg)) {
    const charged = Math.max(0, count - prices.certificates.freeHostnamesPerOrganization) * prices.certificates.perHostnameMonth;
    min += charged;
    max += charged;
  }
  return { min, max };
}

describe("the environments in environments/", () => {
  test.each(names)("%s: the estimator's totals equal an independent sum over the JSON", (name) => {
    const stack = read(name);
    const env = estimateEnvironment(name, stack);
    const expected = independentSum(stack);
    expect(env.monthly).toBeCloseTo(expected.min, 9);
    expect(env.monthly_max).toBeCloseTo(expected.max, 9);
    // Every Fly resource that costs something has an item.
    const priced = ["fly_machine", "fly_volume", "fly_ip", "fly_cert"].flatMap((type) => Object.keys(stack.resource[type] ?? {}).map((key) => `${type}.${key}`));
    expect(env.items.map((i) => i.address).sort()).toEqual(priced.sort());
  });
});

describe("an environment the test owns, synthesized and priced", () => {
  test("its estimate, worked out by hand from prices.json", () => {
    const fixtureOut = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-cost-fixture-"));
    try {
      const fixture = buildAppFromSources([{ name: "qa", value: loopEnvironment("qa") }], { outdir: fixtureOut });
      fixture.app.synth();
      const stack = JSON.parse(fs.readFileSync(path.join(fixtureOut, "stacks", "qa", "cdk.tf.json"), "utf8")) as Stack;
      const json = toCostJson([estimateEnvironment("qa", stack)]);
      // web: 4 × shared-1x 256 MB (0.695 + 0.25 × 5 = 1.945), 2 in iad, 2 in lhr × 1.135 = 8.30515;
      // db: shared-1x 512 MB 3.195 + 3 GB volume × 0.15 = 3.645; api: 1.945; one free certificate,
      // free shared IPv4 and IPv6; nothing stops when idle: 13.89515.
      expect(json.environments.map((e) => [e.name, e.monthly, e.monthly_max])).toEqual([["qa", 13.9, 13.9]]);
    } finally {
      fs.rmSync(fixtureOut, { recursive: true, force: true });
    }
  });
});
