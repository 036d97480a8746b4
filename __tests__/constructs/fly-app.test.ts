import { FlyApp, type FlyAppProps } from "../../constructs/fly-app";
import { resource, resources, synth } from "./helpers";

function props(overrides: Partial<FlyAppProps> = {}): FlyAppProps {
  return {
    appKey: "api",
    name: "acme-api",
    org: "acme",
    environment: "staging",
    groups: { web: { image: "registry.fly.io/acme-api:v1", guest: { cpuKind: "shared", cpus: 1, memoryMb: 256 }, regions: ["iad"] } },
    ...overrides,
  };
}

describe("FlyApp", () => {
  test("creates the app in the organization, without prevent_destroy unless protected", () => {
    const json = synth((scope) => new FlyApp(scope, "api", props()));
    expect(resource(json, "fly_app", "api")).toEqual(expect.objectContaining({ name: "acme-api", org: "acme" }));
    expect(resource(json, "fly_app", "api").lifecycle).toBeUndefined();
  });

  test("protected apps carry prevent_destroy", () => {
    const json = synth((scope) => new FlyApp(scope, "api", props({ protected: true })));
    expect(resource(json, "fly_app", "api").lifecycle).toEqual({ prevent_destroy: true });
  });

  test("shared IPv4 and IPv6 by default, nothing else", () => {
    const json = synth((scope) => new FlyApp(scope, "api", props()));
    const ips = resources(json, "fly_ip");
    expect(Object.keys(ips).sort()).toEqual(["api_ipv6", "api_shared_ipv4"]);
    expect(ips.api_shared_ipv4).toMatchObject({ app: "${fly_app.api.name}", type: "shared_v4" });
    expect(ips.api_ipv6).toMatchObject({ type: "public_v6" });
  });

  test("dedicated IPv4 and Flycast on request; public addresses can be turned off", () => {
    const json = synth((scope) => new FlyApp(scope, "api", props({ ips: { sharedIpv4: false, ipv6: false, dedicatedIpv4: true, flycast: true } })));
    const ips = resources(json, "fly_ip");
    expect(Object.keys(ips).sort()).toEqual(["api_dedicated_ipv4", "api_flycast"]);
    expect(ips.api_dedicated_ipv4.type).toBe("public_v4");
    expect(ips.api_flycast.type).toBe("private_v6");
  });

  test("machines take min_secrets_version from the app's secrets, and the release hook waits for them", () => {
    const json = synth(
      (scope) =>
        new FlyApp(scope, "api", props({
          secrets: { DATABASE_URL: { version: "1" } },
          groups: { web: { image: "registry.fly.io/acme-api:v1", guest: { cpuKind: "shared", cpus: 1, memoryMb: 256 }, regions: ["iad"], release: { command: ["migrate"] } } },
        })),
    );
    expect(resource(json, "fly_machine", "api_web_iad_1").min_secrets_version).toBe("${fly_secret.api_DATABASE_URL.version}");
    expect(resource(json, "null_resource", "api_web_release").depends_on).toEqual(["fly_secret.api_DATABASE_URL"]);
  });

  test("an apex domain uses the dedicated IPv4 when there is one", () => {
    const dns = { zone: "example.com", cloudflareZoneId: "0123456789abcdef0123456789abcdef" };
    const json = synth((scope) => new FlyApp(scope, "api", props({ dns, domains: ["example.com"], ips: { dedicatedIpv4: true } })));
    expect(resource(json, "cloudflare_dns_record", "api_example_com_a").content).toBe("${fly_ip.api_dedicated_ipv4.address}");
  });

  test("domains without DNS settings, or an app without groups, fail early", () => {
    expect(() => synth((scope) => new FlyApp(scope, "api", props({ domains: ["api.example.com"] })))).toThrow(
      "FlyApp api: domains api.example.com need the environment's dns settings",
    );
    expect(() => synth((scope) => new FlyApp(scope, "api", props({ groups: {} })))).toThrow("FlyApp api: groups is empty");
  });
});
