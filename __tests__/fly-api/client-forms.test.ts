/**
 * The client against the fake Fly API in every answer variant (fakes/README.md): lists followed to the
 * last page, every form read to the same canonical values; and against answers no variant would give
 * (not JSON, the wrong shape, a cursor that repeats): errors that name the request.
 */
import { FakeFlyApi } from "../fakes/fly-api";
import { VARIANT_NAMES } from "../fakes/fly-api/variants";
import { FlyClient } from "../../src/fly/api/client";

const TOKEN = "client-forms-token";
const fly = new FakeFlyApi({ token: TOKEN, startDelayMs: 1 });
let url = "";
const client = () => new FlyClient({ token: TOKEN, baseUrl: url, retry: { sleep: async () => undefined, timeoutMs: 2000 } });
const send = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? undefined : ((await res.json()) as { id?: string });
};

beforeAll(async () => {
  url = await fly.start();
  await send("POST", "/v1/apps", { name: "forms", org_slug: "o" });
  for (const [i, region] of ["iad", "iad", "lhr", "lhr", "ams"].entries()) {
    const volume = await send("POST", "/v1/apps/forms/volumes", { name: `data_${i}`, region, size_gb: 1 });
    await send("POST", "/v1/apps/forms/machines", {
      name: `m-${i}`,
      region,
      config: {
        image: "registry.fly.io/forms:v1",
        mounts: [{ volume: volume!.id, path: "/data" }],
        services: [{ protocol: "tcp", internal_port: 8080, autostop: i % 2 ? "stop" : "off", autostart: true, ports: [{ port: 443, handlers: ["tls", "http"] }], checks: [{ type: "http", port: 8080, path: "/up", interval: "1m", timeout: "5s" }] }],
        checks: { alive: { type: "tcp", port: 8080, interval: "15s", timeout: "2s", grace_period: "30s" } },
        restart: { policy: "on-failure" },
      },
    });
  }
  for (const type of ["shared_v4", "v6", "private_v6"]) await send("POST", "/v1/apps/forms/ip_assignments", { type });
  for (let i = 0; i < 30; i++) await send("POST", "/v1/apps/forms/certificates/acme", { hostname: `h${String(i).padStart(2, "0")}.example.com` });
  await send("POST", "/v1/apps/forms/secrets", { values: { A: "1", B: "2" } });
});
afterAll(() => fly.stop());

/** What the client reads, reduced to what the readers use, in a stable order. */
async function reading() {
  const c = client();
  const machines = (await c.listMachines("forms")).sort((a, b) => String(a.name).localeCompare(String(b.name)));
  return {
    machines: machines.map((m) => ({
      name: m.name,
      autostop: m.config?.services?.[0].autostop ?? "off",
      checkPort: m.config?.services?.[0].checks?.[0].port ?? m.config?.services?.[0].internal_port,
      mounts: m.config?.mounts?.length,
    })),
    volumes: (await c.listVolumes("forms")).map((v) => v.name).sort(),
    ips: (await c.listIpAssignments("forms")).map((ip) => ip.ip).sort(),
    certificates: (await c.listCertificates("forms")).map((x) => x.hostname).sort(),
    secrets: (await c.listSecrets("forms")).map((s) => s.name).sort(),
  };
}

test("every variant reads the same: all 5 machines, 5 volumes, 3 addresses, 30 certificates (past Fly's default page of 25) and 2 secrets", async () => {
  fly.setVariant("canonical");
  const canonical = await reading();
  expect(canonical.machines).toHaveLength(5);
  expect(canonical.machines.map((m) => m.autostop)).toEqual(["off", "stop", "off", "stop", "off"]);
  expect(canonical.certificates).toHaveLength(30);
  for (const variant of VARIANT_NAMES) {
    fly.setVariant(variant);
    expect({ variant, read: await reading() }).toEqual({ variant, read: canonical });
  }
  fly.setVariant("canonical");
});

test("paged variants are really paged: several requests, each page asked with the last cursor, an empty page in between", async () => {
  fly.setVariant("paged-1");
  const since = fly.requests.length;
  expect(await client().listMachines("forms")).toHaveLength(5);
  const pages = fly.requests.slice(since).filter((r) => r.path === "/v1/apps/forms/machines");
  expect(pages.length).toBe(6); // 5 items one per page, plus the empty page after the first
  expect(pages[0].query).toEqual({ limit: "1000" });
  expect(pages.slice(1).every((p) => p.query.cursor && p.query.limit === "1000")).toBe(true);
  fly.setVariant("canonical");
});

describe("answers no variant gives: errors that name the request", () => {
  const stub = (answer: (url: string) => Response) => new FlyClient({ token: TOKEN, baseUrl: "http://fly.invalid", retry: { sleep: async () => undefined }, fetch: (async (input: string | URL | Request) => answer(String(input instanceof Request ? input.url : input))) as typeof fetch });

  test("a truncated answer", async () => {
    await expect(stub(() => new Response('[{"id":', { status: 200 })).listMachines("shop")).rejects.toThrow(/^GET \/v1\/apps\/shop\/machines: the answer is not JSON \(.*\); expected a JSON array of machines$/);
  });

  test("an object where the document has a list (the old failure: live.filter is not a function)", async () => {
    await expect(stub(() => new Response("{}", { status: 200 })).listMachines("shop")).rejects.toThrow("GET /v1/apps/shop/machines: expected a JSON array of machines, got an empty object");
    await expect(stub(() => new Response("[]", { status: 200 })).listIpAssignments("shop")).rejects.toThrow("GET /v1/apps/shop/ip_assignments: expected a JSON object { ips: [IPAssignment] }, got an array of 0");
  });

  test("a cursor that comes back again is an error, never a loop or a silently short list", async () => {
    const looping = stub(() => new Response("[]", { status: 200, headers: { "fly-next-cursor": "same" } }));
    await expect(looping.listVolumes("shop")).rejects.toThrow(/^GET \/v1\/apps\/shop\/volumes: the page cursor "same" came back a second time/);
    const bodyLoop = stub(() => new Response(JSON.stringify({ certificates: [], next_cursor: "again" }), { status: 200 }));
    await expect(bodyLoop.listCertificates("shop")).rejects.toThrow(/^GET \/v1\/apps\/shop\/certificates: the page cursor "again" came back a second time/);
  });

  test("a 404 app is undefined; any other error status names the request", async () => {
    expect(await stub(() => new Response('{"error":"app not found"}', { status: 404 })).getApp("shop")).toBeUndefined();
    await expect(stub(() => new Response('{"error":"nope"}', { status: 422 })).listSecrets("shop")).rejects.toThrow("GET /v1/apps/shop/secrets: Fly API answered 422: nope");
  });
});
