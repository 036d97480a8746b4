import raw from "../../src/features/cost/prices.json";
import { DEFAULT_PRICES, parsePrices, PriceFileError } from "../../src/features/cost";
import { FLY_REGIONS } from "../../src/fly/regions";

const clone = (): Record<string, unknown> => JSON.parse(JSON.stringify(raw)) as Record<string, unknown>;

describe("the price file", () => {
  test("names its date, source and currency", () => {
    expect(DEFAULT_PRICES).toMatchObject({
      date: "2026-08",
      source: "Fly.io pricing page (fly.io/docs/about/pricing) and the formula of Fly's price calculator",
      currency: "USD",
      hoursPerMonth: 720,
    });
  });

  test("holds Fly's prices", () => {
    expect(DEFAULT_PRICES.machines).toMatchObject({ cpuPerMonth: { shared: 0.695, performance: 21 }, ramPerGbMonth: 5, mbPerGb: 1024 });
    expect(DEFAULT_PRICES.volumes.perProvisionedGbMonth).toBe(0.15);
    expect(DEFAULT_PRICES.volumeSnapshots).toMatchObject({ perGbMonth: 0.08, freeGbPerOrganizationMonth: 10 });
    expect(DEFAULT_PRICES.stoppedMachineRootfs.perGbMonth).toBe(0.15);
    expect(DEFAULT_PRICES.ips.perMonthByType).toEqual({ public_v4: 2, shared_v4: 0, public_v6: 0, private_v6: 0 });
    expect(DEFAULT_PRICES.certificates).toEqual({ perHostnameMonth: 0.1, freeHostnamesPerOrganization: 10, wildcardPerMonth: 1, wildcardsUseFreeAllowance: false });
  });

  test("the multipliers Fly's pricing page gives", () => {
    expect(DEFAULT_PRICES.machines.regionMultipliers).toMatchObject({
      iad: 1, ewr: 1, ams: 1.038, lhr: 1.135, cdg: 1.135, fra: 1.154, sjc: 1.192, lax: 1.1995,
      ord: 1.25, sea: 1.25, dfw: 1.25, sin: 1.269, syd: 1.269, nrt: 1.308, hkg: 1.404, gru: 1.615, eze: 1.858,
    });
  });

  test("every flystack region has a multiplier or a stated reason it has none", () => {
    const { regionMultipliers, regionsWithoutMultiplier } = DEFAULT_PRICES.machines;
    for (const region of Object.keys(FLY_REGIONS)) {
      expect([region, region in regionMultipliers || region in regionsWithoutMultiplier]).toEqual([region, true]);
    }
  });

  test("every multiplier names its source exactly once", () => {
    const sourced = DEFAULT_PRICES.machines.regionMultiplierSources.flatMap((s) => s.regions).sort();
    expect(sourced).toEqual(Object.keys(DEFAULT_PRICES.machines.regionMultipliers).sort());
  });

  test.each<[string, (file: Record<string, unknown>) => void, RegExp]>([
    ["a negative price", (f) => ((f.volumes as Record<string, unknown>).perProvisionedGbMonth = -1), /volumes\.perProvisionedGbMonth must be a number of at least 0/],
    ["a multiplier of 0", (f) => (((f.machines as Record<string, unknown>).regionMultipliers as Record<string, unknown>).iad = 0), /regionMultipliers\.iad must be greater than 0/],
    ["a multiplier without a source", (f) => (((f.machines as Record<string, unknown>).regionMultipliers as Record<string, unknown>).xyz = 1.5), /region "xyz" must be listed in exactly one/],
    ["a string for a price", (f) => ((f.machines as Record<string, unknown>).ramPerGbMonth = "5"), /ramPerGbMonth must be a number/],
    ["no date", (f) => delete f.date, /date must be a non-empty string/],
  ])("rejects %s", (_label, breakIt, message) => {
    const file = clone();
    breakIt(file);
    expect(() => parsePrices(file)).toThrow(PriceFileError);
    expect(() => parsePrices(file)).toThrow(message);
  });
});
