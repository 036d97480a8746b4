/** The Fly API client against the fake: retries, Retry-After, auth errors, timeouts, and the token kept out of messages. */
import { FakeFlyApi } from "../fakes/fly-api";
import { FlyClient } from "../../src/fly/api/client";
import { FlyAuthError } from "../../src/fly/api/errors";
import { backoffMs, DEFAULT_RETRY, retryAfterMs } from "../../src/fly/api/retry";

const TOKEN = "client-test-token-0123456789";
const fly = new FakeFlyApi({ token: TOKEN });
let url = "";
const waits: number[] = [];
const client = (token = TOKEN, retry = {}) => new FlyClient({ token, baseUrl: url, retry: { sleep: async (ms: number) => void waits.push(ms), timeoutMs: 1000, ...retry } });

beforeAll(async () => {
  url = await fly.start();
  await fetch(`${url}/v1/apps`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" }, body: JSON.stringify({ name: "c-app", org_slug: "o" }) });
});
afterAll(() => fly.stop());
beforeEach(() => (waits.length = 0));

test("reads an app, and undefined for one that does not exist", async () => {
  expect((await client().getApp("c-app"))?.name).toBe("c-app");
  expect(await client().getApp("nope")).toBeUndefined();
  expect(await client().listMachines("c-app")).toEqual([]);
  expect(await client().listCertificates("c-app")).toEqual([]);
  expect(fly.requests.at(-1)?.path).toBe("/v1/apps/c-app/certificates");
});

test("429 with Retry-After then 503 are retried, waiting Retry-After and then a backoff", async () => {
  fly.inject({ method: "GET", path: /^\/v1\/apps\/c-app\/volumes$/, status: 429, retryAfter: 2 });
  fly.inject({ method: "GET", path: /^\/v1\/apps\/c-app\/volumes$/, status: 503 });
  expect(await client(TOKEN, { random: () => 0.5 }).listVolumes("c-app")).toEqual([]);
  expect(waits).toEqual([2000, 750]);
});

test("gives up after maxTries with the last status", async () => {
  fly.inject({ method: "GET", path: /^\/v1\/apps\/c-app\/secrets$/, status: 500, times: 3 });
  await expect(client(TOKEN, { maxTries: 3 }).listSecrets("c-app")).rejects.toThrow(/GET \/v1\/apps\/c-app\/secrets: Fly API answered 500/);
  expect(waits).toHaveLength(2);
});

test("401 names the app and the token scope, never the token", async () => {
  const error = await client("not-the-token-abc").listMachines("c-app").catch((e: unknown) => e);
  expect(error).toBeInstanceOf(FlyAuthError);
  expect((error as Error).message).toMatch(/FLY_API_TOKEN needs read access to app c-app: a token from `fly tokens create readonly`/);
  expect((error as Error).message).not.toContain("not-the-token-abc");
});

test("a slow answer times out, is retried, and fails clearly", async () => {
  fly.inject({ method: "GET", path: /^\/v1\/apps\/c-app\/ip_assignments$/, delayMs: 300, times: 2 });
  await expect(client(TOKEN, { timeoutMs: 100, maxTries: 2 }).listIpAssignments("c-app")).rejects.toThrow(/GET \/v1\/apps\/c-app\/ip_assignments timed out after 0.1s \(2 tries/);
  await new Promise((resolve) => setTimeout(resolve, 400));
});

test("backoff and Retry-After parsing", () => {
  const policy = { ...DEFAULT_RETRY, random: () => 0 };
  expect([1, 2, 3, 10].map((n) => backoffMs(policy, n))).toEqual([250, 500, 1000, 4000]);
  expect(backoffMs(policy, 1, 60_000)).toBe(30_000);
  expect(retryAfterMs("3")).toBe(3000);
  expect(retryAfterMs(new Date(Date.now() + 5000).toUTCString())).toBeGreaterThan(3000);
  expect(retryAfterMs("soon")).toBeUndefined();
});
