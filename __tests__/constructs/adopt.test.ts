/** FlyApp with `adopt`: import blocks for what exists, and the plan-time accommodations the provider's import needs. */
import { FlyApp, type FlyAppProps } from "../../constructs/fly-app";
import { appFingerprint } from "../../src/config/adoption";
import type { AppConfig } from "../../src/config/types";
import { resource, resources, synth } from "./helpers";

const app: AppConfig = {
  name: "shop",
  domains: ["shop.example.com"],
  groups: {
    app: {
      image: `registry.fly.io/shop@sha256:${"a".repeat(64)}`,
      guest: { cpuKind: "shared", cpus: 1, memoryMb: 512 },
      regions: ["iad", "lhr"],
      volume: { name: "data", path: "/data", sizeGb: 1 },
    },
  },
};
const adopt = {
  fingerprint: appFingerprint(app),
  machines: { "app-iad-1": { id: "m-iad", name: "shop-iad-7a3f" }, "app-lhr-1": { id: "m-lhr", name: "shop-lhr-7a3f" } },
  volumes: { "app-iad-1": { id: "vol_iad", name: "data" }, "app-lhr-1": { id: "vol_lhr", name: "data" } },
  ips: { sharedIpv4: "203.0.113.9", ipv6: "2001:db8::9" },
  certificates: ["shop.example.com"],
};
const props = (config: AppConfig): FlyAppProps => ({ ...config, appKey: "shop", org: "acme", environment: "prod", dns: { zone: "example.com", cloudflareZoneId: "0".repeat(32) } });
type WithImports = { import?: { to: string; id: string }[] };

describe("FlyApp adopting live resources", () => {
  const json = synth((scope) => new FlyApp(scope, "shop", props({ ...app, adopt })));

  test("imports the app, each machine and volume by slot, each address and the certificate", () => {
    const imports = ((json as WithImports).import ?? []).map((i) => [i.to, i.id]).sort();
    expect(imports).toEqual(
      [
        ["fly_app.shop", "shop"],
        ["fly_cert.shop_shop_example_com", "shop/shop.example.com"],
        ["fly_ip.shop_ipv6", "shop/2001:db8::9"],
        ["fly_ip.shop_shared_ipv4", "shop/203.0.113.9"],
        ["fly_machine.shop_app_iad_1", "shop/m-iad"],
        ["fly_machine.shop_app_lhr_1", "shop/m-lhr"],
      ].sort(),
    );
  });

  test("adopted machines keep their Fly names and, while the app is unchanged, their live config; adopted volumes are mounted by id, not managed", () => {
    expect(resource(json, "fly_machine", "shop_app_iad_1")).toMatchObject({ name: "shop-iad-7a3f", lifecycle: { ignore_changes: "all" }, mount: [{ volume: "vol_iad", path: "/data" }] });
    // The provider's import would replace a volume (require_unique_zone: a default, forces replacement, null after import).
    expect(resources(json, "fly_volume")).toEqual({});
  });

  test("the shared IPv4 keeps the type the import guesses; the certificate has no DNS records and no validation gate", () => {
    expect(resource(json, "fly_ip", "shop_shared_ipv4").lifecycle).toEqual({ ignore_changes: ["type"] });
    expect(resource(json, "fly_ip", "shop_ipv6").lifecycle).toBeUndefined();
    expect(resources(json, "fly_cert_validation")).toEqual({});
    expect(resources(json, "cloudflare_dns_record")).toEqual({});
  });

  test("once the app's entry changes, the machines are managed again (the next plan updates them); names and imports stay", () => {
    const changed = { ...app, groups: { app: { ...app.groups.app, env: { LOG_LEVEL: "info" } } } };
    const after = synth((scope) => new FlyApp(scope, "shop", props({ ...changed, adopt })));
    const machine = resource(after, "fly_machine", "shop_app_iad_1");
    expect(machine.name).toBe("shop-iad-7a3f");
    expect((machine.lifecycle as Record<string, unknown> | undefined)?.ignore_changes).toBeUndefined();
    expect(((after as WithImports).import ?? []).length).toBe(6);
  });

  test("the fingerprint ignores key order and `adopt` itself, and changes with any setting", () => {
    const reordered: AppConfig = { groups: app.groups, domains: app.domains, name: app.name };
    expect(appFingerprint(reordered)).toBe(appFingerprint(app));
    expect(appFingerprint({ ...app, adopt })).toBe(appFingerprint(app));
    expect(appFingerprint({ ...app, domains: [] })).not.toBe(appFingerprint(app));
    expect(appFingerprint(app)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});
