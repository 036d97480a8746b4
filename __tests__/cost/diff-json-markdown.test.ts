import { diffCosts, estimateEnvironment, renderCostMarkdown, toCostJson } from "../../src/features/cost";
import { cert, ip, machine, sharedCpu, stack, volume } from "./fixtures";

// Base: two machines and a volume. Head: one machine grows, one goes, an IP and a machine arrive.
const base = [
  estimateEnvironment(
    "staging",
    stack({
      fly_machine: { web_1: machine(sharedCpu(1, 256), "iad", { autostop: "stop" }), web_2: machine(sharedCpu(1, 256), "iad") },
      fly_volume: { data: volume(10) },
    }),
  ),
  estimateEnvironment("old", stack({ fly_ip: { v4: ip("public_v4") } })),
];
const head = [
  estimateEnvironment(
    "staging",
    stack({
      fly_machine: { web_1: machine(sharedCpu(1, 1024), "iad", { autostop: "stop" }), web_3: machine(sharedCpu(1, 512), "iad") },
      fly_volume: { data: volume(10) },
      fly_ip: { v4: ip("public_v4") },
      fly_cert: { wild: cert("*.example.com") },
    }),
  ),
  estimateEnvironment("preview", stack({ fly_machine: { m: machine(sharedCpu(1, 256), "ams") } })),
];

describe("diffCosts", () => {
  const diff = diffCosts(base, head);
  const staging = diff.environments.find((e) => e.name === "staging");

  test("environments: head's in order, then the removed ones", () => {
    expect(diff.environments.map((e) => [e.name, e.change])).toEqual([
      ["staging", "changed"],
      ["preview", "added"],
      ["old", "removed"],
    ]);
  });

  test("resources added, removed and changed, with deltas of both ends; unchanged ones left out", () => {
    expect(staging?.resources.map((r) => [r.address, r.change])).toEqual([
      ["fly_cert.wild", "added"],
      ["fly_ip.v4", "added"],
      ["fly_machine.web_1", "changed"],
      ["fly_machine.web_2", "removed"],
      ["fly_machine.web_3", "added"],
    ]);
    const web1 = staging?.resources.find((r) => r.address === "fly_machine.web_1");
    expect(web1?.delta.monthly).toBe(0); // auto-stopped: 0 before and after
    expect(web1?.delta.monthly_max).toBeCloseTo(5.695 - 1.945, 12);
    const web2 = staging?.resources.find((r) => r.address === "fly_machine.web_2");
    expect(web2).toMatchObject({ base: { monthly: expect.closeTo(1.945, 12), monthly_max: expect.closeTo(1.945, 12) }, delta: { monthly: expect.closeTo(-1.945, 12), monthly_max: expect.closeTo(-1.945, 12) } });
    expect(web2 && "head" in web2).toBe(false);
  });

  test("environment deltas are head − base, a missing side being 0", () => {
    expect(staging?.delta.monthly_max).toBeCloseTo(head[0].monthly_max - base[0].monthly_max, 12);
    expect(diff.environments.find((e) => e.name === "old")?.delta.monthly).toBe(-2);
    expect(diff.environments.find((e) => e.name === "preview")?.delta.monthly).toBeCloseTo(1.945 * 1.038, 12);
  });

  test("identical estimates: unchanged, no resources", () => {
    expect(diffCosts(base, base).environments.map((e) => [e.change, e.resources.length])).toEqual([
      ["unchanged", 0],
      ["unchanged", 0],
    ]);
  });
});

describe("renderCostMarkdown", () => {
  test("a headline per environment, then totals, app subtotals, items and the changed resources", () => {
    const md = renderCostMarkdown(head, diffCosts(base, head));
    // base: 1.945 + 1.5 = 3.445, whose double sum is 3.44499… → $3.44, to 5.39; head: 1 + 2 + 3.195 + 1.5 = 7.695 to 13.39
    expect(md).toContain("- staging: $3.44 – $5.39 → $7.70 – $13.39 /month (+$4.25 – +$8.00)");
    expect(md).toContain("- preview (new): $0.00 → $2.02 /month (+$2.02)");
    expect(md).toContain("- old (removed): $2.00 → $0.00 /month (-$2.00)");
    expect(md).toContain("### staging: $7.70 – $13.39 /month");
    expect(md).toContain("| **total** | **$7.70 – $13.39** |");
    expect(md).toContain("| web | $7.70 – $13.39 |");
    expect(md).toContain("| `fly_machine.web_1` | web | changed | $0.00 – $1.94 | $0.00 – $5.70 | ±$0.00 – +$3.75 |");
    expect(md).toContain("| `fly_machine.web_2` | web | removed | $1.94 | – | -$1.94 |");
    expect(md).toContain("| `fly_ip.v4` | web | $2.00 | dedicated IPv4 |");
    expect(md).toContain("### old: removed");
  });

  test("the usage-based charges and the price list's date and source", () => {
    const md = renderCostMarkdown(head);
    expect(md).toContain("Not estimated (usage-based, not in the totals):");
    expect(md).toContain("- root filesystem while the machine is stopped or suspended ($0.15/GB-month of used rootfs): `fly_machine.web_1`");
    expect(md).toContain("- volume snapshots beyond the first 10 GB per organization ($0.08/GB-month stored): `fly_volume.data`");
    expect(md).toContain("Prices: Fly.io pricing page (fly.io/docs/about/pricing) and the formula of Fly's price calculator (2026-08).");
    expect(md).not.toContain("→"); // no diff, no headlines
  });

  test("a single amount where minimum and maximum are equal", () => {
    const md = renderCostMarkdown([estimateEnvironment("production", stack({ fly_volume: { v: volume(1234.56 / 0.15) } }))]);
    expect(md).toContain("### production: $1,234.56 /month");
  });
});

describe("toCostJson", () => {
  test("exactly the contract's keys, amounts in cents", () => {
    const json = toCostJson(head);
    expect(JSON.parse(JSON.stringify(json))).toEqual({
      currency: "USD",
      environments: [
        {
          name: "staging",
          monthly: 7.7,
          monthly_max: 13.39,
          items: [
            { address: "fly_cert.wild", type: "fly_cert", monthly: 1, monthly_max: 1 },
            { address: "fly_ip.v4", type: "fly_ip", monthly: 2, monthly_max: 2 },
            { address: "fly_machine.web_1", type: "fly_machine", monthly: 0, monthly_max: 5.7 },
            { address: "fly_machine.web_3", type: "fly_machine", monthly: 3.19, monthly_max: 3.19 },
            { address: "fly_volume.data", type: "fly_volume", monthly: 1.5, monthly_max: 1.5 },
          ],
        },
        { name: "preview", monthly: 2.02, monthly_max: 2.02, items: [{ address: "fly_machine.m", type: "fly_machine", monthly: 2.02, monthly_max: 2.02 }] },
      ],
    });
  });
});
