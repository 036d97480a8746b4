import { FakeFlyApi } from "./fly-api";

const TOKEN = "test-token-123";
let api: FakeFlyApi;
let base: string;
let dns: Record<string, string[]>;

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: any; headers: Headers }> {
  const res = await fetch(`${base}/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined, headers: res.headers };
}

beforeEach(async () => {
  dns = {};
  api = new FakeFlyApi({ token: TOKEN, startDelayMs: 20, dnsLookup: (name, type) => dns[`${type} ${name}`] ?? [] });
  base = await api.start();
  expect((await call("POST", "/apps", { name: "web", org_slug: "acme" })).status).toBe(201);
});
afterEach(() => api.stop());

test("the base URL has no /v1 (the provider's base_url) and every request needs the bearer token", async () => {
  expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const anonymous = await fetch(`${base}/v1/apps/web`);
  expect(anonymous.status).toBe(401);
  const wrong = await fetch(`${base}/v1/apps/web`, { headers: { authorization: "Bearer nope" } });
  expect(wrong.status).toBe(401);
  expect((await call("GET", "/apps/web")).json).toMatchObject({ name: "web", organization: { slug: "acme" } });
  expect((await call("GET", "/nothing/here")).status).toBe(404);
  expect((await call("PATCH", "/apps/web")).status).toBe(404);
});

test("a body with an unknown field or a wrong type is a 400 in Fly's error shape", async () => {
  const unknown = await call("POST", "/apps/web/machines", { config: { image: "nginx", imagee: "typo" } });
  expect(unknown.status).toBe(400);
  expect(unknown.json.error).toMatch(/unknown field "imagee"/);
  const wrongType = await call("POST", "/apps/web/volumes", { name: "data", region: "iad", size_gb: "10" });
  expect(wrongType.status).toBe(400);
  expect(wrongType.json).toEqual({ error: expect.stringMatching(/size_gb/) });
  const nested = await call("POST", "/apps/web/machines", { config: { image: "nginx", guest: { cpus: 1, cpu_kind: "shared", memory_mb: "256" } } });
  expect(nested.status).toBe(400);
  expect(api.machinesOf("web")).toEqual([]);
});

test("an existing app is a 422 name_taken, as the provider's CreateApp expects", async () => {
  const again = await call("POST", "/apps", { name: "web", org_slug: "acme" });
  expect(again.status).toBe(422);
  expect(again.json.status).toBe("name_taken");
  expect((await call("GET", "/apps?org_slug=acme")).json.apps.map((a: { name: string }) => a.name)).toEqual(["web"]);
});

test("a machine is created, starts after the delay, and wait answers started or 408 at its timeout", async () => {
  const created = await call("POST", "/apps/web/machines", { name: "web-1", region: "ams", config: { image: "registry.fly.io/web:v1", checks: { http: { type: "http", port: 8080, path: "/" } } } });
  expect(created.status).toBe(200);
  const m = created.json;
  expect(m).toMatchObject({ name: "web-1", region: "ams", state: "created", image_ref: { repository: "web", tag: "v1", digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) } });
  const start = Date.now();
  const waited = await call("GET", `/apps/web/machines/${m.id}/wait?state=started&timeout=5&version=${m.instance_id}`);
  expect(waited.status).toBe(200);
  expect(waited.json).toMatchObject({ ok: true, state: "started" });
  expect(Date.now() - start).toBeLessThan(2000);
  expect((await call("GET", `/apps/web/machines/${m.id}`)).json.checks).toEqual([expect.objectContaining({ name: "http", status: "passing" })]);
  expect((await call("GET", `/apps/web/machines/${m.id}/wait?state=stopped&timeout=1`)).status).toBe(408);
  expect((await call("POST", "/apps/web/machines", { name: "web-1", config: { image: "nginx" } })).status).toBe(422);
});

test("checks fail only for the machines the test names", async () => {
  api.failChecks("web", (name) => name === "bad");
  const ids: Record<string, string> = {};
  for (const name of ["good", "bad"]) ids[name] = (await call("POST", "/apps/web/machines", { name, config: { image: "nginx", services: [{ internal_port: 80, protocol: "tcp", checks: [{ type: "tcp" }] }] } })).json.id;
  for (const id of Object.values(ids)) expect((await call("GET", `/apps/web/machines/${id}/wait?state=started&timeout=5`)).status).toBe(200);
  expect((await call("GET", `/apps/web/machines/${ids.good}`)).json.checks[0].status).toBe("passing");
  expect((await call("GET", `/apps/web/machines/${ids.bad}`)).json.checks[0]).toMatchObject({ name: "servicecheck-00-tcp-80", status: "critical" });
});

test("a leased machine refuses an update or delete without the lease's nonce (409)", async () => {
  const m = (await call("POST", "/apps/web/machines", { config: { image: "nginx:1" } })).json;
  const lease = await call("POST", `/apps/web/machines/${m.id}/lease`, { ttl: 60 });
  expect(lease.status).toBe(201);
  const nonce = lease.json.nonce as string;
  expect(nonce).toMatch(/^[0-9a-f]{16}$/);
  expect((await call("POST", `/apps/web/machines/${m.id}`, { config: { image: "nginx:2" } })).status).toBe(409);
  expect((await call("POST", `/apps/web/machines/${m.id}`, { config: { image: "nginx:2" } }, { "fly-machine-lease-nonce": "wrong" })).status).toBe(409);
  expect((await call("DELETE", `/apps/web/machines/${m.id}?force=true`)).status).toBe(409);
  const updated = await call("POST", `/apps/web/machines/${m.id}`, { config: { image: "nginx:2" } }, { "fly-machine-lease-nonce": nonce });
  expect(updated.status).toBe(200);
  expect(updated.json.instance_id).not.toBe(m.instance_id);
  expect(updated.json.config.image).toBe("nginx:2");
  expect((await call("DELETE", `/apps/web/machines/${m.id}/lease`, undefined, { "fly-machine-lease-nonce": nonce })).status).toBe(200);
  expect((await call("DELETE", `/apps/web/machines/${m.id}?force=true`)).status).toBe(200);
  expect((await call("GET", `/apps/web/machines/${m.id}`)).status).toBe(404);
});

test("a volume mounts on one machine only, its mount cannot be swapped in place, and it cannot be destroyed while attached", async () => {
  const vol = (await call("POST", "/apps/web/volumes", { name: "data", region: "iad", size_gb: 1 })).json;
  const other = (await call("POST", "/apps/web/volumes", { name: "data", region: "iad", size_gb: 1 })).json;
  expect(vol).toMatchObject({ name: "data", encrypted: true, fstype: "ext4", auto_backup_enabled: true, snapshot_retention: 5, state: "created" });
  const mount = (volume: string) => ({ region: "iad", config: { image: "postgres", mounts: [{ volume, path: "/data" }] } });
  const first = await call("POST", "/apps/web/machines", mount(vol.id));
  expect(first.status).toBe(200);
  expect((await call("GET", `/apps/web/volumes/${vol.id}`)).json.attached_machine_id).toBe(first.json.id);
  const second = await call("POST", "/apps/web/machines", mount(vol.id));
  expect(second.status).toBe(400);
  expect(second.json.error).toMatch(/already attached/);
  const swap = await call("POST", `/apps/web/machines/${first.json.id}`, { config: mount(other.id).config });
  expect(swap.status).toBe(400);
  expect((await call("DELETE", `/apps/web/volumes/${vol.id}`)).status).toBe(412);
  expect((await call("PUT", `/apps/web/volumes/${vol.id}/extend`, { size_gb: 3 })).json.volume.size_gb).toBe(3);
  expect((await call("PUT", `/apps/web/volumes/${vol.id}/extend`, { size_gb: 2 })).status).toBe(400);
});

test("secrets keep only a digest: no value is ever answered, and each change bumps the version", async () => {
  const set = await call("POST", "/apps/web/secrets", { values: { DATABASE_URL: "postgres://u:hunter2@db/x", API_KEY: "k-1" } });
  expect(set.status).toBe(200);
  expect(set.json.version).toBe(1);
  const listed = await call("GET", "/apps/web/secrets?show_secrets=true");
  expect(listed.json.secrets.map((s: { name: string }) => s.name).sort()).toEqual(["API_KEY", "DATABASE_URL"]);
  expect(JSON.stringify(listed.json)).not.toMatch(/hunter2|k-1/);
  expect(listed.json.secrets[0].digest).toMatch(/^[0-9a-f]{16}$/);
  expect((await call("DELETE", "/apps/web/secrets/API_KEY")).json).toEqual({ version: 2 });
  expect((await call("DELETE", "/apps/web/secrets/API_KEY")).status).toBe(404);
  expect(JSON.stringify(api.requests)).not.toMatch(/hunter2|k-1|test-token-123/);
  expect(api.requests.find((r) => r.method === "POST" && r.path === "/v1/apps/web/secrets")?.body).toEqual({ values: { DATABASE_URL: "[redacted]", API_KEY: "[redacted]" } });
});

test("the request log redacts the token wherever it appears and records order and timing", async () => {
  await call("POST", "/apps", { name: `x-${TOKEN}`, org_slug: "acme" });
  const entry = api.requests[api.requests.length - 1];
  expect(entry).toMatchObject({ method: "POST", path: "/v1/apps", status: 201, body: { name: "[redacted]", org_slug: "acme" } });
  expect(entry.end).toBeGreaterThanOrEqual(entry.time);
  expect(api.requests[0].time).toBeLessThanOrEqual(entry.time);
});

test("a certificate is configured only once DNS has the records, and lists the app's addresses", async () => {
  const v4 = (await call("POST", "/apps/web/ip_assignments", { type: "v4" })).json.ip;
  const v6 = (await call("POST", "/apps/web/ip_assignments", { type: "v6" })).json.ip;
  expect(v4).toMatch(/^203\.0\.113\.\d+$/);
  expect(v6).toMatch(/^2001:db8:/);
  const created = await call("POST", "/apps/web/certificates/acme", { hostname: "www.example.com" });
  expect(created.status).toBe(201);
  expect(created.json).toMatchObject({ configured: false, dns_requirements: { cname: "web.fly.dev", a: [v4], aaaa: [v6] } });
  expect((await call("POST", "/apps/web/certificates/www.example.com/check")).json.configured).toBe(false);
  dns["CNAME www.example.com"] = ["web.fly.dev."];
  const read = await call("GET", "/apps/web/certificates/www.example.com");
  expect(read.json).toMatchObject({ configured: true, status: "Ready", certificates: [{ status: "active" }] });

  const wildcard = (await call("POST", "/apps/web/certificates/acme", { hostname: "*.example.com" })).json;
  expect(wildcard.dns_requirements.acme_challenge.name).toBe("_acme-challenge.example.com");
  dns["CNAME *.example.com"] = ["web.fly.dev"];
  expect((await call("GET", "/apps/web/certificates/*.example.com")).json.configured).toBe(false);
  dns["CNAME _acme-challenge.example.com"] = [wildcard.dns_requirements.acme_challenge.target];
  expect((await call("POST", "/apps/web/certificates/*.example.com/check")).json.configured).toBe(true);
  expect((await call("POST", "/apps/web/certificates/acme", { hostname: "www.example.com" })).status).toBe(422);
});

test("an expired certificate is re-validated against DNS on the next read", async () => {
  dns["CNAME api.example.com"] = ["web.fly.dev"];
  await call("POST", "/apps/web/certificates/acme", { hostname: "api.example.com" });
  expect((await call("GET", "/apps/web/certificates/api.example.com")).json.configured).toBe(true);
  delete dns["CNAME api.example.com"];
  api.expireCertificate("api.example.com", 10);
  const soon = (await call("GET", "/apps/web/certificates/api.example.com")).json;
  expect(soon.configured).toBe(true);
  expect(new Date(soon.certificates[0].expires_at).getTime() - Date.now()).toBeLessThan(11 * 86_400_000);
  api.expireCertificate("api.example.com", -1);
  expect((await call("GET", "/apps/web/certificates/api.example.com")).json.configured).toBe(false);
});

test("an injected 429 carries Retry-After, lasts `times` requests, and then the API answers again", async () => {
  api.inject({ method: "GET", path: /\/apps\/web$/, status: 429, retryAfter: 2, times: 2 });
  for (let i = 0; i < 2; i++) {
    const limited = await call("GET", "/apps/web");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("2");
  }
  expect((await call("GET", "/apps/web")).status).toBe(200);
  api.inject({ path: /\/apps\/web$/, status: 500 });
  expect((await call("GET", "/apps/web")).status).toBe(500);
  expect((await call("GET", "/apps/web")).status).toBe(200);
});

test("a delayed answer overlaps a fast one in the log", async () => {
  api.inject({ path: /\/apps\/web$/, delayMs: 150 });
  // The fast request is sent once the slow one is in the log (arrived, not yet answered): a fixed
  // wait raced the slow request's own connection on a busy machine.
  const arrived = async () => {
    while (!api.requests.some((r) => r.path === "/v1/apps/web")) await new Promise((r) => setTimeout(r, 2));
  };
  await Promise.all([call("GET", "/apps/web"), arrived().then(() => call("GET", "/apps?org_slug=acme"))]);
  const slow = api.requests.find((r) => r.path === "/v1/apps/web")!;
  const fast = api.requests.find((r) => r.path === "/v1/apps" && r.method === "GET")!;
  expect(fast.time).toBeGreaterThan(slow.time);
  expect(fast.end).toBeLessThan(slow.end);
});

test("deleting an app deletes its machines, volumes, IPs, certificates and secrets", async () => {
  const vol = (await call("POST", "/apps/web/volumes", { name: "data", region: "iad", size_gb: 1 })).json;
  const m = (await call("POST", "/apps/web/machines", { region: "iad", config: { image: "nginx", mounts: [{ volume: vol.id, path: "/data" }] } })).json;
  await call("POST", "/apps/web/ip_assignments", { type: "shared_v4" });
  await call("POST", "/apps/web/certificates/acme", { hostname: "www.example.com" });
  await call("POST", "/apps/web/secrets", { values: { A: "1" } });
  expect((await call("DELETE", "/apps/web")).status).toBe(202);
  expect(api.machine(m.id)).toBeUndefined();
  expect(api.volume(vol.id)).toBeUndefined();
  expect((await call("GET", "/apps/web")).status).toBe(404);
  await call("POST", "/apps", { name: "web", org_slug: "acme" });
  expect((await call("GET", "/apps/web/ip_assignments")).json).toEqual({ ips: [] });
  expect((await call("GET", "/apps/web/certificates")).json.certificates).toEqual([]);
  expect((await call("GET", "/apps/web/secrets")).json).toEqual({ secrets: [] });
  expect((await call("GET", "/apps/web/machines")).json).toEqual([]);
});

test("out-of-band changes show on the next read, as flyctl's would", async () => {
  const m = (await call("POST", "/apps/web/machines", { name: "w", config: { image: "nginx:1", env: { A: "1" } } })).json;
  await call("GET", `/apps/web/machines/${m.id}/wait?state=started&timeout=5`);
  api.updateMachineOutOfBand(m.id, { image: "nginx:2" });
  const changed = (await call("GET", `/apps/web/machines/${m.id}`)).json;
  expect(changed).toMatchObject({ state: "started", config: { image: "nginx:2", env: { A: "1" } }, image_ref: { tag: "2" } });
  expect(changed.instance_id).not.toBe(m.instance_id);
  api.stopMachineOutOfBand(m.id);
  expect((await call("GET", `/apps/web/machines/${m.id}`)).json.state).toBe("stopped");
  const clone = api.cloneMachineOutOfBand(m.id);
  expect((await call("GET", "/apps/web/machines")).json.map((x: { id: string }) => x.id).sort()).toEqual([m.id, clone].sort());
  api.destroyMachineOutOfBand(clone);
  expect((await call("GET", `/apps/web/machines/${clone}`)).status).toBe(404);
});

describe("answer variants: the same state in each documented form (fakes/README.md)", () => {
  async function seed(): Promise<void> {
    const volume = (await call("POST", "/apps/web/volumes", { name: "data", region: "iad", size_gb: 1 })).json as { id: string };
    await call("POST", "/apps/web/machines", {
      name: "m1",
      region: "iad",
      config: {
        image: "registry.fly.io/web:v1",
        mounts: [{ volume: volume.id, path: "/data" }],
        services: [{ protocol: "tcp", internal_port: 8080, autostop: "off", autostart: true, ports: [{ port: 443, handlers: ["tls", "http"] }], checks: [{ type: "http", port: 8080, path: "/up", interval: "1m", timeout: "5s" }] }],
        checks: { alive: { type: "tcp", port: 8080, interval: "90s", grace_period: "30s" } },
      },
    });
    await call("POST", "/apps/web/machines", { name: "m2", region: "iad", config: { image: "registry.fly.io/web:v1", services: [{ internal_port: 8080, autostop: "stop", ports: [] }] } });
    await call("POST", "/apps/web/ip_assignments", { type: "private_v6", org_slug: "acme" });
  }
  const machines = async () => (await call("GET", "/apps/web/machines")).json as { name: string; config: any }[];
  const first = async () => (await machines()).find((m) => m.name === "m1")!.config;

  test("canonical: the document's declared types; a Flycast address in fdaa: with its network", async () => {
    await seed();
    expect((await first()).services[0]).toMatchObject({ autostop: "off", autostart: true, protocol: "tcp", checks: [{ port: 8080, interval: "1m" }] });
    expect((await call("GET", "/apps/web/ip_assignments")).json.ips).toEqual([expect.objectContaining({ ip: expect.stringMatching(/^fdaa:/), network: { name: "", org_slug: "acme" } })]);
  });

  test("each variant writes what its source documents", async () => {
    await seed();
    api.setVariant("autostop-booleans");
    expect((await machines()).map((m) => m.config.services[0].autostop).sort()).toEqual([false, true]);
    api.setVariant("go-durations");
    expect((await first()).services[0].checks[0].interval).toBe("1m0s");
    expect((await first()).checks.alive).toMatchObject({ interval: "1m30s", grace_period: "30s" });
    api.setVariant("nanosecond-durations");
    expect((await first()).services[0].checks[0]).toMatchObject({ interval: 60_000_000_000, timeout: 5_000_000_000 });
    api.setVariant("omitted-defaults");
    const omitted = (await first()).services[0];
    expect([omitted.autostop, omitted.autostart, omitted.checks[0].port]).toEqual([undefined, undefined, undefined]);
    expect((await machines()).find((m) => m.name === "m2")!.config.services[0].ports).toEqual([]);
    api.setVariant("nulls");
    expect((await first()).env).toBeNull();
    expect((await call("GET", "/apps/web/secrets")).json.secrets).toBeNull();
    api.setVariant("flycast-without-network");
    expect((await call("GET", "/apps/web/ip_assignments")).json.ips[0]).not.toHaveProperty("network");
    api.setVariant("unknown-fields");
    expect((await first()).fake_future_field).toBeDefined();
    expect((await call("GET", "/apps/web/volumes")).json[0].host_dedication_key).toBe("");
  });

  test("paged: pages of 1 with an empty page after the first, cursors in fly-next-cursor; whole without limit", async () => {
    await seed();
    api.setVariant("paged-1");
    expect(await machines()).toHaveLength(2);
    const names: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await call("GET", `/apps/web/machines?limit=10${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.status).toBe(200);
      names.push(...(page.json as { name: string }[]).map((m) => m.name));
      cursor = page.headers.get("fly-next-cursor");
      pages += 1;
    } while (cursor);
    expect({ names: names.sort(), pages }).toEqual({ names: ["m1", "m2"], pages: 3 });
    expect((await call("GET", "/apps/web/machines?cursor=abc")).status).toBe(400);
    expect((await call("GET", "/apps/web/machines?limit=0")).status).toBe(400);
  });

  test("certificates page at Fly's default of 25 without a limit, the next cursor in next_cursor", async () => {
    for (let i = 0; i < 27; i++) await call("POST", "/apps/web/certificates/acme", { hostname: `h${i}.example.com` });
    const page = (await call("GET", "/apps/web/certificates")).json;
    expect({ count: page.certificates.length, total: page.total_count, next: typeof page.next_cursor }).toEqual({ count: 25, total: 27, next: "string" });
    const rest = (await call("GET", `/apps/web/certificates?cursor=${page.next_cursor}`)).json;
    expect({ count: rest.certificates.length, next: rest.next_cursor }).toEqual({ count: 2, next: undefined });
  });
});
