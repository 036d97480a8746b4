/**
 * A fake of the part of Cloudflare's v4 API that the real cloudflare/cloudflare provider uses for
 * `cloudflare_dns_record`: create, read, update (PUT and PATCH) and delete of a zone's DNS records,
 * in the v4 envelope ({ success, errors, messages, result }). It listens on 127.0.0.1 only, keeps
 * records in memory, and lets tests change a record behind Terraform's back to simulate drift.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";

export interface FakeDnsRecord {
  id: string;
  zone_id: string;
  name: string;
  type: string;
  content: string;
  ttl: number;
  proxied: boolean;
  proxiable: boolean;
  comment: string | null;
  tags: string[];
  settings: Record<string, unknown>;
  meta: Record<string, unknown>;
  created_on: string;
  modified_on: string;
  comment_modified_on?: string;
  tags_modified_on?: string;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization?: string;
}

const WRITABLE = ["name", "type", "content", "ttl", "proxied", "comment", "tags", "settings"] as const;

export class FakeCloudflareApi {
  readonly records = new Map<string, FakeDnsRecord>();
  readonly requests: RecordedRequest[] = [];
  private server?: http.Server;

  /** The base URL to give the provider (`base_url`), ending in /client/v4/ like Cloudflare's. */
  url = "";

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}/client/v4/`;
    return this.url;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** Changes a record as someone in the Cloudflare dashboard would. */
  editOutOfBand(name: string, change: Partial<Pick<FakeDnsRecord, "content" | "ttl" | "proxied">>): void {
    const record = [...this.records.values()].find((r) => r.name === name);
    if (!record) throw new Error(`fake Cloudflare: no record named ${name}`);
    Object.assign(record, change, { modified_on: new Date().toISOString() });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = url.pathname.replace(/^\/client\/v4/, "");
    this.requests.push({ method: req.method ?? "GET", path, authorization: req.headers.authorization });
    const body = await readBody(req);
    const match = /^\/zones\/([^/]+)\/dns_records(?:\/([^/]+))?\/?$/.exec(path);
    if (!match) return send(res, 404, failure(7003, `No route for that URI: ${req.method} ${path}`));
    if (!req.headers.authorization && !req.headers["x-auth-key"]) return send(res, 403, failure(10000, "Authentication error"));
    const [, zoneId, id] = match;

    if (!id && req.method === "POST") {
      const now = new Date().toISOString();
      const record: FakeDnsRecord = {
        id: randomUUID().replace(/-/g, ""),
        zone_id: zoneId,
        name: String(body.name ?? ""),
        type: String(body.type ?? ""),
        content: String(body.content ?? ""),
        ttl: typeof body.ttl === "number" ? body.ttl : 1,
        proxied: body.proxied === true,
        proxiable: ["A", "AAAA", "CNAME"].includes(String(body.type)),
        comment: typeof body.comment === "string" ? body.comment : null,
        tags: Array.isArray(body.tags) ? body.tags.map(String) : [],
        settings: typeof body.settings === "object" && body.settings !== null ? (body.settings as Record<string, unknown>) : {},
        meta: {},
        created_on: now,
        modified_on: now,
      };
      if (!record.name || !record.type || !record.content) return send(res, 400, failure(9000, "name, type and content are required"));
      this.records.set(record.id, record);
      return send(res, 200, success(record));
    }
    if (!id && req.method === "GET") {
      return send(res, 200, { ...success([...this.records.values()].filter((r) => r.zone_id === zoneId)), result_info: { page: 1, per_page: 100, count: this.records.size, total_count: this.records.size } });
    }
    const record = id ? this.records.get(id) : undefined;
    if (!record || record.zone_id !== zoneId) return send(res, 404, failure(81044, "Record does not exist."));
    switch (req.method) {
      case "GET":
        return send(res, 200, success(record));
      case "PUT":
      case "PATCH":
        for (const key of WRITABLE) if (key in body) (record as unknown as Record<string, unknown>)[key] = body[key];
        record.modified_on = new Date().toISOString();
        return send(res, 200, success(record));
      case "DELETE":
        this.records.delete(record.id);
        return send(res, 200, success({ id: record.id }));
      default:
        return send(res, 405, failure(10000, `method ${req.method} not allowed`));
    }
  }
}

function success(result: unknown) {
  return { success: true, errors: [], messages: [], result };
}

function failure(code: number, message: string) {
  return { success: false, errors: [{ code, message }], messages: [], result: null };
}

function send(res: http.ServerResponse, status: number, payload: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(payload));
}

async function readBody(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  let text = "";
  for await (const chunk of req) text += String(chunk);
  if (!text) return {};
  const parsed: unknown = JSON.parse(text);
  return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
}
