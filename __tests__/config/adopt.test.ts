/** `adopt` in an app entry: the schema's shapes and the rule that everything adopted is something the app declares. */
import { formattedIssuesOf, loose, validEnvironment } from "./fixtures";

const FINGERPRINT = `sha256:${"0".repeat(64)}`;
function withAdopt(adopt: unknown, edit: (env: ReturnType<typeof loose>) => void = () => undefined) {
  const env = loose(validEnvironment());
  env.apps.api.adopt = adopt;
  edit(env);
  return env;
}

test("machines and volumes by slot, addresses of declared kinds and declared domains are valid", () => {
  const env = withAdopt(
    { fingerprint: FINGERPRINT, machines: { "web-iad-1": { id: "3d8d9e1b", name: "acme-1" } }, volumes: { "web-iad-1": { id: "vol_123", name: "data" } }, ips: { sharedIpv4: "203.0.113.1", ipv6: "2001:db8::1" }, certificates: ["api.example.com"] },
    (e) => {
      e.apps.api.groups.web.volume = { name: "data", path: "/data", sizeGb: 1 };
      e.apps.api.domains = ["api.example.com"];
    },
  );
  expect(formattedIssuesOf(env)).toEqual([]);
});

test("each adopted thing the app does not declare is named, with what is allowed", () => {
  const env = withAdopt({
    fingerprint: FINGERPRINT,
    machines: { "web-ams-1": { id: "m1", name: "a" }, "web-iad-1": { id: "m1", name: "b" } },
    volumes: { "web-iad-1": { id: "vol_1", name: "data" } },
    ips: { dedicatedIpv4: "203.0.113.7" },
    certificates: ["other.example.com"],
  });
  expect(formattedIssuesOf(env)).toEqual([
    expect.stringMatching(/apps\.api\.adopt\.machines\.web-ams-1: no machine slot "web-ams-1" in this app; its slots are web-iad-1/),
    expect.stringMatching(/apps\.api\.adopt\.machines\.web-iad-1\.id: "m1" is adopted twice \(also by web-ams-1\)/),
    expect.stringMatching(/apps\.api\.adopt\.volumes\.web-iad-1: the group of slot "web-iad-1" declares no volume/),
    expect.stringMatching(/apps\.api\.adopt\.ips\.dedicatedIpv4: the app does not declare ips\.dedicatedIpv4/),
    expect.stringMatching(/apps\.api\.adopt\.certificates\.0: "other\.example\.com" is not one of the app's domains/),
  ]);
});

test("the schema refuses a malformed fingerprint and slot", () => {
  const issues = formattedIssuesOf(withAdopt({ fingerprint: "abc", machines: { web: { id: "m1", name: "a" } } }));
  expect(issues).toEqual(expect.arrayContaining([expect.stringMatching(/adopt\.fingerprint: must be "sha256:" and 64 hex digits/), expect.stringMatching(/must be a slot "<group>-<region>-<n>"/)]));
});
