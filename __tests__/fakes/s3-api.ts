/**
 * A fake of the part of the S3 API that Terraform's S3 backend uses with `use_lockfile = true`
 * (Terraform 1.10+, S3-native locking), path-style (`/<bucket>/<key>`): GetObject, PutObject (with
 * `If-None-Match: *` answered 412 when the object exists: that conditional PUT is the lock),
 * HeadObject, DeleteObject, ListObjectsV2 (`?list-type=2`, for workspaces) and HeadBucket. It listens
 * on 127.0.0.1 only, accepts any SigV4 Authorization header (it checks no signature), keeps objects
 * in memory, and records every request so tests can see what Terraform called.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { createHash } from "node:crypto";

export interface S3Request {
  readonly method: string;
  readonly bucket: string;
  readonly key: string;
  readonly query: string;
  readonly ifNoneMatch?: string;
  readonly status: number;
}

interface S3Object {
  /** The bytes, one latin1 char each. */
  readonly body: string;
  readonly etag: string;
  readonly lastModified: Date;
}

export class FakeS3Api {
  /** Objects by `<bucket>/<key>`. */
  readonly objects = new Map<string, S3Object>();
  readonly buckets = new Set<string>();
  readonly requests: S3Request[] = [];
  private server?: http.Server;
  url = "";

  constructor(buckets: readonly string[] = []) {
    for (const b of buckets) this.buckets.add(b);
  }

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** The object's text, or undefined. */
  get(bucket: string, key: string): string | undefined {
    const body = this.objects.get(`${bucket}/${key}`)?.body;
    return body === undefined ? undefined : Buffer.from(body, "latin1").toString("utf8");
  }

  keys(bucket: string): string[] {
    return [...this.objects.keys()].filter((k) => k.startsWith(`${bucket}/`)).map((k) => k.slice(bucket.length + 1)).sort();
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    // Bytes as latin1 text (one char per byte): this @types/node's Buffer does not type-check as Uint8Array.
    req.setEncoding("latin1");
    let raw = "";
    for await (const chunk of req) raw += chunk as string;
    const body = decodeBody(raw, req.headers);
    const url = new URL(req.url ?? "/", "http://localhost");
    const [, bucket = "", ...rest] = url.pathname.split("/");
    const key = decodeURIComponent(rest.join("/"));
    const method = req.method ?? "GET";
    const ifNoneMatch = header(req.headers["if-none-match"]);
    const send = (status: number, text = "", headers: Record<string, string> = {}) => {
      this.requests.push({ method, bucket, key, query: url.search, ifNoneMatch, status });
      res.writeHead(status, { "x-amz-request-id": "fake", ...(text && method !== "HEAD" ? { "content-type": "application/xml" } : {}), ...headers });
      res.end(method === "HEAD" ? undefined : text, "latin1");
    };
    const error = (status: number, code: string, message: string) =>
      send(status, `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><Resource>${url.pathname}</Resource><RequestId>fake</RequestId></Error>`);

    if (!req.headers.authorization?.startsWith("AWS4-HMAC-SHA256")) return error(403, "AccessDenied", "no SigV4 Authorization header");
    if (!this.buckets.has(bucket)) return error(404, "NoSuchBucket", "The specified bucket does not exist");
    const id = `${bucket}/${key}`;

    if (key === "") {
      if (method === "HEAD") return send(200);
      if (method === "GET" && url.searchParams.get("list-type") === "2") return send(200, this.list(bucket, url.searchParams));
      return error(405, "MethodNotAllowed", `${method} on a bucket is not faked`);
    }
    const object = this.objects.get(id);
    switch (method) {
      case "GET":
      case "HEAD":
        if (!object) return error(404, "NoSuchKey", "The specified key does not exist.");
        return send(200, object.body, {
          etag: object.etag,
          "last-modified": object.lastModified.toUTCString(),
          "content-length": String(object.body.length),
          "content-type": "application/octet-stream",
        });
      case "PUT": {
        if (ifNoneMatch === "*" && object) return error(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
        const etag = `"${createHash("md5").update(body, "latin1").digest("hex")}"`;
        this.objects.set(id, { body, etag, lastModified: new Date() });
        return send(200, "", { etag });
      }
      case "DELETE":
        this.objects.delete(id);
        return send(204);
      default:
        return error(405, "MethodNotAllowed", `${method} is not faked`);
    }
  }

  private list(bucket: string, params: URLSearchParams): string {
    const prefix = params.get("prefix") ?? "";
    const keys = this.keys(bucket).filter((k) => k.startsWith(prefix));
    const contents = keys
      .map((k) => {
        const o = this.objects.get(`${bucket}/${k}`)!;
        return `<Contents><Key>${escapeXml(k)}</Key><LastModified>${o.lastModified.toISOString()}</LastModified><ETag>${escapeXml(o.etag)}</ETag><Size>${o.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
      })
      .join("");
    return `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${bucket}</Name><Prefix>${escapeXml(prefix)}</Prefix><KeyCount>${keys.length}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>${contents}</ListBucketResult>`;
  }
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/**
 * The payload of a PUT. With `x-amz-content-sha256: STREAMING-…` (aws-chunked encoding, which the
 * AWS SDK uses for trailing checksums) the body is framed as `<hex size>[;chunk-signature=…]\r\n<data>\r\n`
 * chunks; anything else is the body as sent.
 */
function decodeBody(raw: string, headers: http.IncomingHttpHeaders): string {
  const sha = header(headers["x-amz-content-sha256"]) ?? "";
  const encoding = header(headers["content-encoding"]) ?? "";
  if (!sha.startsWith("STREAMING-") && !encoding.includes("aws-chunked")) return raw;
  let body = "";
  let at = 0;
  while (at < raw.length) {
    const lineEnd = raw.indexOf("\r\n", at);
    if (lineEnd === -1) break;
    const size = parseInt(raw.slice(at, lineEnd).split(";")[0], 16);
    if (!Number.isFinite(size) || size === 0) break;
    body += raw.slice(lineEnd + 2, lineEnd + 2 + size);
    at = lineEnd + 2 + size + 2;
  }
  return body;
}
