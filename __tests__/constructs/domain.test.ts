import { Ip } from "../../.gen/providers/fly/ip";
import { Domain, hostnameKind } from "../../constructs/domain";
import { resource, resources, synth } from "./helpers";

const dns = { zone: "example.com", cloudflareZoneId: "0123456789abcdef0123456789abcdef" };

describe("Domain", () => {
  test("a subdomain gets a cert, one unproxied CNAME to the cert's target, and a validation gated on it", () => {
    const json = synth((scope) => new Domain(scope, "d", { appName: "acme-api", appKey: "api", hostname: "api.example.com", dns }));
    expect(resource(json, "fly_cert", "api_api_example_com")).toMatchObject({ app: "acme-api", hostname: "api.example.com" });
    expect(resources(json, "cloudflare_dns_record")).toEqual({
      api_api_example_com_cname: expect.objectContaining({
        zone_id: dns.cloudflareZoneId,
        name: "api.example.com",
        type: "CNAME",
        content: "${fly_cert.api_api_example_com.cname}",
        proxied: false,
        ttl: 60,
      }),
    });
    expect(resource(json, "fly_cert_validation", "api_api_example_com")).toMatchObject({
      cert_id: "${fly_cert.api_api_example_com.id}",
      validation_dependencies: ["${cloudflare_dns_record.api_api_example_com_cname.id}"],
    });
  });

  test("the apex gets A and AAAA records to the app's addresses (no CNAME at the apex)", () => {
    const json = synth((scope) => {
      const ipv4 = new Ip(scope, "v4", { app: "acme-api", type: "shared_v4" });
      ipv4.overrideLogicalId("api_shared_ipv4");
      const ipv6 = new Ip(scope, "v6", { app: "acme-api", type: "public_v6" });
      ipv6.overrideLogicalId("api_ipv6");
      new Domain(scope, "d", { appName: "acme-api", appKey: "api", hostname: "example.com", dns, ipv4, ipv6 });
    });
    const records = resources(json, "cloudflare_dns_record");
    expect(Object.keys(records).sort()).toEqual(["api_example_com_a", "api_example_com_aaaa"]);
    expect(records.api_example_com_a).toMatchObject({ type: "A", name: "example.com", content: "${fly_ip.api_shared_ipv4.address}", proxied: false });
    expect(records.api_example_com_aaaa).toMatchObject({ type: "AAAA", content: "${fly_ip.api_ipv6.address}", proxied: false });
    expect(resource(json, "fly_cert_validation", "api_example_com").validation_dependencies).toEqual([
      "${cloudflare_dns_record.api_example_com_a.id}",
      "${cloudflare_dns_record.api_example_com_aaaa.id}",
    ]);
  });

  test("the certificate is made after the app's addresses, so its DNS requirements list them from the start; without addresses it waits on nothing", () => {
    const json = synth((scope) => {
      const ipv4 = new Ip(scope, "v4", { app: "acme-api", type: "shared_v4" });
      ipv4.overrideLogicalId("api_shared_ipv4");
      const ipv6 = new Ip(scope, "v6", { app: "acme-api", type: "public_v6" });
      ipv6.overrideLogicalId("api_ipv6");
      new Domain(scope, "d", { appName: "acme-api", appKey: "api", hostname: "api.example.com", dns, ipv4, ipv6 });
      new Domain(scope, "e", { appName: "acme-api", appKey: "api", hostname: "www.example.com", dns });
    });
    expect(resource(json, "fly_cert", "api_api_example_com").depends_on).toEqual(["fly_ip.api_shared_ipv4", "fly_ip.api_ipv6"]);
    expect(resource(json, "fly_cert", "api_www_example_com").depends_on).toBeUndefined();
  });

  test("a wildcard gets its CNAME and the mandatory _acme-challenge CNAME for DNS-01", () => {
    const json = synth((scope) => new Domain(scope, "d", { appName: "acme-api", appKey: "api", hostname: "*.preview.example.com", dns }));
    const records = resources(json, "cloudflare_dns_record");
    expect(records.api_wildcard_preview_example_com_acme_challenge).toMatchObject({
      type: "CNAME",
      name: "_acme-challenge.preview.example.com",
      content: "${fly_cert.api_wildcard_preview_example_com.acme_challenge_target}",
      proxied: false,
    });
    expect(records.api_wildcard_preview_example_com_cname).toMatchObject({ name: "*.preview.example.com", proxied: false });
  });

  test("an apex hostname without the app's public addresses is refused", () => {
    expect(() => synth((scope) => new Domain(scope, "d", { appName: "a", appKey: "api", hostname: "example.com", dns }))).toThrow(
      "Domain example.com: an apex hostname needs the app's public IPv4 and IPv6 addresses",
    );
  });

  test("a hostname outside the zone is refused", () => {
    expect(() => synth((scope) => new Domain(scope, "d", { appName: "a", appKey: "api", hostname: "api.example.org", dns }))).toThrow(
      'Domain api.example.org: outside the DNS zone "example.com"',
    );
  });

  test.each([
    ["example.com", "apex"],
    ["api.example.com", "subdomain"],
    ["*.example.com", "wildcard"],
  ])("hostnameKind(%p) is %p", (hostname, kind) => {
    expect(hostnameKind(hostname, "example.com")).toBe(kind);
  });
});
