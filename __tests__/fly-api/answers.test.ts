/**
 * Readers of Fly's answers, on every form Fly's sources document for the same value (our own fixtures,
 * one per form; sources in __tests__/fakes/README.md): each reads to one spelling, and an answer that
 * is not what the document describes is an error naming the request and what was expected.
 */
import { canonicalAutostop, canonicalMachine, readMachines } from "../../src/fly/api/answers/machines";
import { ipKind, readIpAssignments } from "../../src/fly/api/answers/ips";
import { readVolumes } from "../../src/fly/api/answers/volumes";
import { readCertificateDetail, readCertificatePage } from "../../src/fly/api/answers/certificates";
import { readApp, readSecretNames } from "../../src/fly/api/answers/apps";
import { parseAnswer, withoutNulls } from "../../src/fly/api/answers/json";
import { FlyAnswerError } from "../../src/fly/api/errors";
import { durationMs, formatDuration, goDuration } from "../../src/fly/duration";

const AT = "GET /v1/apps/shop/machines";

describe("autostop: a boolean (what Fly answers for off and stop) or a string", () => {
  test.each([
    [true, "stop"],
    [false, "off"],
    ["off", "off"],
    ["stop", "stop"],
    ["suspend", "suspend"],
    [undefined, undefined],
  ])("%p reads as %p", (given, read) => expect(canonicalAutostop(given)).toBe(read));

  test("a value flystack does not know is kept, for its readers to name (never read as off)", () => {
    expect(canonicalAutostop("hibernate")).toBe("hibernate");
    expect(canonicalAutostop(2)).toBe("2");
  });
});

describe("durations: Go's spelling, one-unit strings, or nanoseconds", () => {
  test.each([
    ["15s", 15_000],
    ["1m0s", 60_000],
    ["1m30s", 90_000],
    ["1h0m0s", 3_600_000],
    ["500ms", 500],
    ["0s", 0],
    [15_000_000_000, 15_000],
    [500_000_000, 500],
  ])("%p is %p ms", (given, ms) => expect(durationMs(given)).toBe(ms));

  test("anything else is unreadable, not zero", () => {
    for (const bad of ["soon", "15", "1m30", "", "-5s", true, {}]) expect(durationMs(bad)).toBeUndefined();
  });

  test("written in the configuration's one-unit form, and in Go's", () => {
    expect([15_000, 60_000, 90_000, 3_600_000, 500, 0].map(formatDuration)).toEqual(["15s", "1m", "90s", "1h", "500ms", "0s"]);
    expect([15_000, 60_000, 90_000, 3_600_000, 5_400_000, 500, 0].map(goDuration)).toEqual(["15s", "1m0s", "1m30s", "1h0m0s", "1h30m0s", "500ms", "0s"]);
  });
});

describe("a machine in canonical form", () => {
  const service = (extra: object) => ({ internal_port: 8080, ports: [{ port: 443, handlers: ["tls", "http"] }], ...extra });

  test("autostop booleans become strings; nanosecond durations become strings; Go spellings stay for comparison by length", () => {
    const m = canonicalMachine({
      id: "m1",
      config: {
        services: [service({ autostop: true, checks: [{ type: "http", interval: 15_000_000_000, timeout: "2s", grace_period: "1m0s" }] })],
        checks: { alive: { type: "tcp", port: 8080, interval: 10_000_000_000 } },
        stop_config: { timeout: 5_000_000_000, signal: "SIGTERM" },
      },
    });
    expect(m.config?.services?.[0]).toMatchObject({ autostop: "stop", checks: [{ interval: "15s", timeout: "2s", grace_period: "1m0s" }] });
    expect(m.config?.checks?.alive).toMatchObject({ interval: "10s" });
    expect(m.config?.stop_config).toEqual({ timeout: "5s", signal: "SIGTERM" });
  });

  test("null is absent, at any depth; an empty restart policy (older answers) is absent; unknown fields are kept", () => {
    const m = canonicalMachine({
      id: "m1",
      nonce: null,
      config: { env: null, metadata: null, init: { exec: null, cmd: null, entrypoint: null, tty: false }, restart: { policy: "" }, services: [service({ force_instance_key: null, checks: null })], future: { x: 1 } },
    });
    expect(m).toEqual({ id: "m1", config: { init: { tty: false }, restart: {}, services: [service({})], future: { x: 1 } } });
  });

  test("an unreachable host's incomplete_config is read in the same forms, and config stays absent", () => {
    const m = canonicalMachine({ id: "m1", host_status: "unreachable", incomplete_config: { services: [service({ autostop: false })] } });
    expect(m.config).toBeUndefined();
    expect(m.incomplete_config?.services?.[0].autostop).toBe("off");
  });

  test("the list: null is none; an object, or an item that is not an object, is an error naming the request", () => {
    expect(readMachines(null, AT)).toEqual([]);
    expect(() => readMachines({}, AT)).toThrow(new FlyAnswerError(AT, "expected a JSON array of machines, got an empty object"));
    expect(() => readMachines({ machines: [] }, AT)).toThrow(/^GET \/v1\/apps\/shop\/machines: expected a JSON array of machines, got an object with keys machines$/);
    expect(() => readMachines([{ id: "a" }, "b"], AT)).toThrow(/GET \/v1\/apps\/shop\/machines: expected each item to be a machine object \(item 1\), got a string/);
  });
});

describe("JSON itself", () => {
  test("a truncated answer names the request and what was expected", () => {
    expect(() => parseAnswer('[{"id": "m1", "config": {', AT, "a JSON array of machines")).toThrow(/^GET \/v1\/apps\/shop\/machines: the answer is not JSON \(.+; 25 bytes\); expected a JSON array of machines$/);
    expect(() => parseAnswer("", AT, "a JSON array of machines")).toThrow(/the answer is not JSON/);
  });

  test("withoutNulls drops null fields and null list items only", () => {
    expect(withoutNulls({ a: null, b: [1, null, { c: null, d: 0 }], e: false, f: "" })).toEqual({ b: [1, { d: 0 }], e: false, f: "" });
  });
});

describe("IP assignments and their kinds (fly-go IPAssignment.Type order)", () => {
  const at = "GET /v1/apps/shop/ip_assignments";
  test.each([
    [{ ip: "fdaa:0:1:f::3", network: { name: "", org_slug: "acme" } }, "private_v6"],
    [{ ip: "fdaa:0:1:f::3" }, "private_v6"],
    [{ ip: "FDAA:0:1:F::3" }, "private_v6"],
    [{ ip: "fdaa:0:1:f::3", network: undefined }, "private_v6"],
    [{ ip: "203.0.113.9", shared: true }, "shared_v4"],
    [{ ip: "203.0.113.9" }, "v4"],
    [{ ip: "203.0.113.9", shared: false }, "v4"],
    [{ ip: "2001:db8::9" }, "v6"],
    [{ ip: "203.0.113.9", egress: true, region: "ams" }, "egress_v4"],
    [{ ip: "2001:db8::9", egress: true, region: "ams" }, "egress_v6"],
  ])("%j is %s", (ip, kind) => expect(ipKind(ip)).toBe(kind));

  test("the answer: { ips } with null for none and null fields read as absent; anything else names the request", () => {
    expect(readIpAssignments({ ips: null }, at)).toEqual([]);
    expect(readIpAssignments({ ips: [{ ip: "203.0.113.9", network: null, shared: false }] }, at)).toEqual([{ ip: "203.0.113.9", shared: false }]);
    expect(() => readIpAssignments([], at)).toThrow(/^GET \/v1\/apps\/shop\/ip_assignments: expected a JSON object \{ ips: \[IPAssignment\] \}, got an array of 0$/);
    expect(() => readIpAssignments({ ips: {} }, at)).toThrow(/whose ips is a list, got an empty object/);
  });
});

describe("volumes, certificates, apps and secrets", () => {
  test("volumes: null is none; a detached volume's null attachment is absent", () => {
    expect(readVolumes(null, "GET /v1/apps/shop/volumes")).toEqual([]);
    expect(readVolumes([{ id: "vol_1", attached_machine_id: null, attached_alloc_id: null, size_gb: 3 }], "GET /v1/apps/shop/volumes")).toEqual([{ id: "vol_1", size_gb: 3 }]);
    expect(() => readVolumes({ volumes: [] }, "GET /v1/apps/shop/volumes")).toThrow(/^GET \/v1\/apps\/shop\/volumes: expected a JSON array of volumes/);
  });

  test("a certificate page: the next cursor when there is one (an empty one is none); null lists are empty", () => {
    const at = "GET /v1/apps/shop/certificates";
    expect(readCertificatePage({ certificates: [{ hostname: "a.example.com" }], next_cursor: "abc", total_count: 30 }, at)).toEqual({ certificates: [{ hostname: "a.example.com" }], next: "abc" });
    expect(readCertificatePage({ certificates: null, next_cursor: "" }, at)).toEqual({ certificates: [], next: undefined });
    expect(readCertificatePage({ certificates: [] }, at)).toEqual({ certificates: [], next: undefined });
    expect(() => readCertificatePage([{ hostname: "a.example.com" }], at)).toThrow(/^GET \/v1\/apps\/shop\/certificates: expected a JSON object \{ certificates/);
    expect(readCertificateDetail({ hostname: "a.example.com", rate_limited_until: null, certificates: null }, at)).toEqual({ hostname: "a.example.com" });
  });

  test("an app, and its secrets' names (never values); the older bare array of secret keys is refused by name", () => {
    expect(readApp({ name: "shop", network: null, organization: { slug: "acme" } }, "GET /v1/apps/shop")).toEqual({ name: "shop", organization: { slug: "acme" } });
    const at = "GET /v1/apps/shop/secrets";
    expect(readSecretNames({ secrets: [{ name: "A", digest: "d1", value: null }, { name: "" }, { digest: "x" }] }, at)).toEqual([{ name: "A", digest: "d1" }]);
    expect(readSecretNames({ secrets: null }, at)).toEqual([]);
    expect(() => readSecretNames([{ label: "A", type: "secret" }], at)).toThrow(/^GET \/v1\/apps\/shop\/secrets: expected a JSON object \{ secrets: \[\{ name, digest \}\] \}, got an array of 1$/);
  });
});
