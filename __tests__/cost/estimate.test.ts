import { CostEstimateError, DEFAULT_PRICES, estimateEnvironment, UnknownRegionError, type EnvironmentCost } from "../../src/features/cost";
import { cert, ip, machine, sharedCpu, stack, volume, type Json } from "./fixtures";
import { Testing } from "cdktf";
import { EnvironmentStack } from "../../stacks/environment-stack";
import { loopEnvironment } from "../fixtures/environments";
import { renderCostMarkdown } from "../../src/features/cost/markdown";

const item = (env: EnvironmentCost, address: string) => {
  const found = env.items.find((i) => i.address === address);
  if (!found) throw new Error(`no item ${address} in ${env.items.map((i) => i.address).join(", ")}`);
  return found;
};

describe("machines", () => {
  test("an unknown region is an error naming it and the regions with prices, never a silent 1.0", () => {
    const json = stack({ fly_machine: { web_xyz_1: machine(sharedCpu(1, 256), "xyz") } });
    let error: unknown;
    try {
      estimateEnvironment("staging", json);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnknownRegionError);
    const message = (error as Error).message;
    expect(message).toContain('staging: fly_machine.web_xyz_1: no price multiplier is known for region "xyz"');
    expect(message).toMatch(/regions with prices: ams, arn, .*iad, .*yyz$/);
    expect((error as UnknownRegionError).region).toBe("xyz");
  });

  test("an unknown region names why when the price file says so", () => {
    const prices = { ...DEFAULT_PRICES, machines: { ...DEFAULT_PRICES.machines, regionsWithoutMultiplier: { xyz: "closed in 2027" } } };
    expect(() => estimateEnvironment("s", stack({ fly_machine: { m: machine(sharedCpu(1, 256), "xyz") } }), prices)).toThrow(
      /region "xyz" \(closed in 2027\)/,
    );
  });

  test("price = (CPU + RAM) × region multiplier", () => {
    const env = estimateEnvironment("s", stack({ fly_machine: { m: machine(sharedCpu(2, 1024), "lhr") } }));
    expect(item(env, "fly_machine.m").monthly_max).toBeCloseTo((2 * 0.695 + 1 * 5) * 1.135, 12);
  });

  test.each(["stop", "suspend"])('every service with autostop "%s": $0 at the minimum, full price at the maximum', (autostop) => {
    const env = estimateEnvironment("s", stack({ fly_machine: { m: machine(sharedCpu(1, 512), "iad", { autostop: [autostop, "stop"] }) } }));
    expect(item(env, "fly_machine.m")).toMatchObject({ monthly: 0, monthly_max: 3.195, app: "web" });
    expect(env.monthly).toBe(0);
    expect(env.monthly_max).toBeCloseTo(3.195, 12);
    expect(env.notEstimated).toEqual([expect.objectContaining({ address: "fly_machine.m", charge: expect.stringContaining("root filesystem") })]);
  });

  test.each([
    ["autostop off", { autostop: "off" }],
    ["one service of two with autostop off", { autostop: ["stop", "off"] }],
    ["no services", {}],
  ])("%s: full price at both ends", (_label, options) => {
    const env = estimateEnvironment("s", stack({ fly_machine: { m: machine(sharedCpu(1, 512), "iad", options) } }));
    expect(item(env, "fly_machine.m")).toMatchObject({ monthly: 3.195, monthly_max: 3.195 });
    expect(env.notEstimated).toEqual([]);
  });

  test("a service without autostop is off (the Machines API default)", () => {
    const body = { ...machine(sharedCpu(1, 256), "iad"), service: [{ internal_port: 80 }] };
    const env = estimateEnvironment("s", stack({ fly_machine: { m: body } }));
    expect(item(env, "fly_machine.m").monthly).toBeCloseTo(1.945, 12);
  });

  test('desired_state "stopped" parks a machine: $0 at the minimum, full price at the maximum', () => {
    const env = estimateEnvironment("s", stack({ fly_machine: { m: { ...machine(sharedCpu(1, 256), "iad"), desired_state: "stopped" } } }));
    expect(item(env, "fly_machine.m")).toMatchObject({ monthly: 0, monthly_max: expect.closeTo(1.945, 12) });
  });

  test("count multiplies a machine", () => {
    const env = estimateEnvironment("s", stack({ fly_machine: { m: { ...machine(sharedCpu(1, 256), "iad"), count: 3 } } }));
    expect(item(env, "fly_machine.m").monthly).toBeCloseTo(3 * 1.945, 12);
  });

  test.each<[string, Json, RegExp]>([
    ["no guest", { region: "iad" }, /fly_machine\.m: guest \(cpu_kind, cpus, memory_mb\) is required/],
    ["a Terraform expression for the memory", { region: "iad", guest: { ...sharedCpu(1, 256), memory_mb: "${var.mem}" } }, /guest\.memory_mb must be a literal number.*Terraform expression/],
    ["an unknown CPU kind", { region: "iad", guest: { ...sharedCpu(1, 256), cpu_kind: "gpu" } }, /guest\.cpu_kind must be "shared" or "performance"/],
    ["no region", { guest: sharedCpu(1, 256) }, /region must be a literal string, got nothing/],
    ["an unknown autostop", { ...machine(sharedCpu(1, 256), "iad"), service: [{ autostop: "sometimes" }] }, /service\[0\]\.autostop must be one of off, stop, suspend/],
    ["for_each", { ...machine(sharedCpu(1, 256), "iad"), for_each: "${var.x}" }, /for_each cannot be priced/],
  ])("%s is an error naming the resource", (_label, body, message) => {
    expect(() => estimateEnvironment("staging", stack({ fly_machine: { m: body } }))).toThrow(CostEstimateError);
    expect(() => estimateEnvironment("staging", stack({ fly_machine: { m: body } }))).toThrow(message);
  });
});

describe("volumes, IPs and other resources", () => {
  test("a volume costs its provisioned size × $0.15 at both ends; its snapshots are not estimated", () => {
    const env = estimateEnvironment("s", stack({ fly_volume: { data: volume(40) } }));
    expect(item(env, "fly_volume.data")).toMatchObject({ monthly: 6, monthly_max: 6, type: "fly_volume" });
    expect(env.notEstimated).toEqual([
      { address: "fly_volume.data", charge: "volume snapshots beyond the first 10 GB per organization", rate: "$0.08/GB-month stored" },
    ]);
  });

  test("a volume with automatic snapshots off has nothing usage-based", () => {
    const env = estimateEnvironment("s", stack({ fly_volume: { data: { ...volume(10), auto_backup_enabled: false } } }));
    expect(env.notEstimated).toEqual([]);
  });

  test("a dedicated IPv4 is $2; shared IPv4, IPv6 and Flycast are free", () => {
    const env = estimateEnvironment("s", stack({ fly_ip: { v4: ip("public_v4"), shared: ip("shared_v4"), v6: ip("public_v6"), flycast: ip("private_v6") } }));
    expect(item(env, "fly_ip.v4")).toMatchObject({ monthly: 2, monthly_max: 2, note: "dedicated IPv4" });
    for (const free of ["shared", "v6", "flycast"]) expect(item(env, `fly_ip.${free}`)).toMatchObject({ monthly: 0, monthly_max: 0 });
    expect(env.monthly).toBe(2);
  });

  test("an unknown IP type is an error", () => {
    expect(() => estimateEnvironment("s", stack({ fly_ip: { x: ip("public_v8") } }))).toThrow(/fly_ip\.x: no price is known for IP type "public_v8"/);
  });

  test("free Fly types make no item; an unknown fly_* type is listed as not estimated, other providers are ignored", () => {
    const env = estimateEnvironment(
      "s",
      stack({ fly_secret: { s: { app: "${fly_app.web.name}" } }, fly_wireguard: { w: {} }, cloudflare_dns_record: { r: { type: "CNAME" } } }),
    );
    expect(env.items).toEqual([]);
    expect(env.notEstimated).toEqual([expect.objectContaining({ address: "fly_wireguard.w", rate: "unknown" })]);
  });

  test("the stack JSON is checked: not an object, or resources of the wrong shape", () => {
    expect(() => estimateEnvironment("s", "nope")).toThrow("s: the stack JSON must be an object");
    expect(() => estimateEnvironment("s", { resource: { fly_volume: [] } })).toThrow("s: resource.fly_volume must be an object");
    expect(() => estimateEnvironment("s", { resource: { fly_volume: { v: { size_gb: "10" } } } })).toThrow(/fly_volume\.v: size_gb must be a literal number/);
  });

  test("an empty stack costs nothing", () => {
    expect(estimateEnvironment("s", {})).toMatchObject({ monthly: 0, monthly_max: 0, items: [], apps: [] });
  });
});

describe("certificates", () => {
  const hostnames = (n: number, prefix = "h") => Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${String(i).padStart(2, "0")}`, cert(`${prefix}${i}.example.com`)]));

  test("the first 10 single-hostname certificates of an organization are free; the 11th is $0.10", () => {
    const env = estimateEnvironment("s", stack({ fly_cert: hostnames(11) }));
    expect(env.monthly).toBeCloseTo(0.1, 12);
    expect(env.items.filter((i) => i.monthly === 0)).toHaveLength(10);
    expect(item(env, "fly_cert.h10")).toMatchObject({ monthly: 0.1, monthly_max: 0.1 });
    expect(estimateEnvironment("s", stack({ fly_cert: hostnames(10) })).monthly).toBe(0);
  });

  test("a wildcard is $1 and does not use the free allowance", () => {
    const env = estimateEnvironment("s", stack({ fly_cert: { ...hostnames(10), wild: cert("*.preview.example.com") } }));
    expect(item(env, "fly_cert.wild")).toMatchObject({ monthly: 1, monthly_max: 1 });
    expect(env.monthly).toBe(1); // the 10 single hostnames stay free
  });

  test("the allowance is per organization: the app's org, else the provider's org_slug", () => {
    const json = stack(
      { fly_cert: { ...hostnames(6, "a"), ...Object.fromEntries(Object.entries(hostnames(6, "b")).map(([k, v]) => [k, { ...v, app: "${fly_app.other.name}" }])) } },
      { org: "acme", apps: { web: {}, other: { org: "beta" } } },
    );
    expect(estimateEnvironment("s", json).monthly).toBe(0); // 6 in acme, 6 in beta
    const sameOrg = stack({ fly_cert: { ...hostnames(6, "a"), ...hostnames(6, "b") } });
    expect(estimateEnvironment("s", sameOrg).monthly).toBeCloseTo(0.2, 12);
  });

  test("a certificate of an aliased fly provider counts in that provider's organization", () => {
    const json = stack({ fly_cert: hostnames(10) }, { apps: {} });
    const provider = json.provider as { fly: Array<Record<string, string>> };
    provider.fly.push({ alias: "beta", org_slug: "beta" });
    const certs = (json.resource as Record<string, Record<string, Record<string, unknown>>>).fly_cert;
    certs.z_other = { hostname: "other.example.com", app: "acme-other", provider: "fly.beta" };
    expect(estimateEnvironment("s", json).monthly).toBe(0); // 10 in acme, 1 in beta
    certs.z_other.provider = undefined;
    expect(estimateEnvironment("s", json).monthly).toBeCloseTo(0.1, 12);
  });

  test("with wildcardsUseFreeAllowance, wildcards take free places like single hostnames", () => {
    const prices = { ...DEFAULT_PRICES, certificates: { ...DEFAULT_PRICES.certificates, wildcardsUseFreeAllowance: true } };
    const env = estimateEnvironment("s", stack({ fly_cert: { ...hostnames(10), wild: cert("*.example.com") } }), prices);
    expect(item(env, "fly_cert.wild").monthly).toBe(1); // 11th by address, a wildcard
    const env2 = estimateEnvironment("s", stack({ fly_cert: { a: cert("*.example.com") } }), prices);
    expect(env2.monthly).toBe(0);
  });
});

describe("per-app subtotals and totals", () => {
  test("items group by their app reference; totals keep full precision", () => {
    const json = stack(
      {
        fly_machine: { api_1: machine(sharedCpu(1, 256), "iad", { app: "api" }), db_1: machine(sharedCpu(1, 256), "iad", { app: "db", autostop: "stop" }) },
        fly_volume: { db_1: volume(5, "db") },
        fly_ip: { api_v4: ip("public_v4", "api") },
      },
      { apps: { api: {}, db: {} } },
    );
    const env = estimateEnvironment("s", json);
    expect(env.apps).toEqual([
      { app: "api", monthly: expect.closeTo(3.945, 12), monthly_max: expect.closeTo(3.945, 12) },
      { app: "db", monthly: expect.closeTo(0.75, 12), monthly_max: expect.closeTo(2.695, 12) },
    ]);
    expect(env.monthly).toBeCloseTo(4.695, 12);
    expect(env.monthly_max).toBeCloseTo(6.64, 12);
    expect(env.items.map((i) => i.address)).toEqual(["fly_ip.api_v4", "fly_machine.api_1", "fly_machine.db_1", "fly_volume.db_1"]);
  });

  test("a literal app name is matched to its fly_app key", () => {
    const env = estimateEnvironment("s", stack({ fly_ip: { v4: { type: "public_v4", app: "acme-web" } } }));
    expect(item(env, "fly_ip.v4").app).toBe("web");
  });
});

describe("blue-green groups", () => {
  it("count their machines twice for the minutes a deploy runs, and the report says so", () => {
    const env = loopEnvironment("bg");
    env.apps.web.groups.web.deploy = { strategy: "bluegreen" };
    const json = new EnvironmentStack(Testing.app({ stackTraces: false }), "bg", { environment: env as never }).toTerraform();
    const cost = estimateEnvironment("bg", json);
    const web = cost.items.filter((i) => i.address.startsWith("fly_machine.web_web_"));
    expect(web).toHaveLength(4);
    expect(cost.blueGreen).toEqual({ machines: 4, monthly_max: web.reduce((n, i) => n + i.monthly_max, 0) });
    for (const i of web) expect(i.note).toContain("blue-green: twice while a deploy runs");
    expect(renderCostMarkdown([cost])).toMatch(/During a blue-green deploy, 4 more machines run beside the old set until it is destroyed: while it lasts, the environment costs at the rate of \$[\d.,]+ \/month \(\+\$[\d.,]+\), for the deploy's minutes only\./);
    // A rolling group has none.
    expect(estimateEnvironment("plain", new EnvironmentStack(Testing.app({ stackTraces: false }), "plain", { environment: loopEnvironment("plain") as never }).toTerraform()).blueGreen).toBeUndefined();
  });
});
