/**
 * The figures Fly publishes must come out of the estimator to the cent (the brief allows one cent;
 * the rounding rule in src/features/cost/money.ts makes every one of them exact). Sources: Fly's pricing page
 * (preset table, iad) and docs/about/cost-management (sjc examples).
 */
import { estimateEnvironment, toCostJson } from "../../src/features/cost";
import { machine, performanceCpu, sharedCpu, stack, type Guest } from "./fixtures";

function alwaysOn(machines: Array<{ guest: Guest; region: string }>): number {
  const resources = Object.fromEntries(machines.map((m, i) => [`m${i}`, machine(m.guest, m.region)]));
  const [env] = toCostJson([estimateEnvironment("test", stack({ fly_machine: resources }))]).environments;
  expect(env.monthly).toBe(env.monthly_max); // no services: never stopped
  return env.monthly_max;
}

describe("Fly's published machine prices", () => {
  test.each([
    ["shared-cpu-1x 256 MB", sharedCpu(1, 256), 1.94],
    ["shared-cpu-1x 512 MB", sharedCpu(1, 512), 3.19],
    ["shared-cpu-1x 1 GB", sharedCpu(1, 1024), 5.7],
    ["shared-cpu-1x 2 GB", sharedCpu(1, 2048), 10.7],
    ["shared-cpu-2x 512 MB", sharedCpu(2, 512), 3.89],
    ["shared-cpu-4x 1 GB", sharedCpu(4, 1024), 7.78],
    ["performance-1x 2 GB", performanceCpu(1, 2048), 31.0],
    ["performance-2x 4 GB", performanceCpu(2, 4096), 62.0],
  ])("iad %s", (_label, guest, published) => {
    const estimate = alwaysOn([{ guest, region: "iad" }]);
    expect(Math.abs(estimate - published)).toBeLessThanOrEqual(0.01);
    expect(estimate).toBe(published); // and in fact exactly
  });

  test("sjc shared-cpu-1x 256 MB: $2.32", () => {
    const estimate = alwaysOn([{ guest: sharedCpu(1, 256), region: "sjc" }]);
    expect(Math.abs(estimate - 2.32)).toBeLessThanOrEqual(0.01);
    expect(estimate).toBe(2.32);
  });

  test("three shared-cpu-1x 1 GB machines in sjc: $20.37", () => {
    const estimate = alwaysOn([1, 2, 3].map(() => ({ guest: sharedCpu(1, 1024), region: "sjc" })));
    expect(Math.abs(estimate - 20.37)).toBeLessThanOrEqual(0.01);
    expect(estimate).toBe(20.37);
  });
});
