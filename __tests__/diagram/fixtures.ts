/**
 * Small hand-written stacks in the shape `cdk.tf.json` has (see cdktf.out/stacks/<env>/): only
 * the attributes the diagram reads, with references written as CDKTF writes them.
 */

type Body = Record<string, unknown>;
type Resources = Record<string, Record<string, Body>>;

export interface StackJson {
  readonly resource: Resources;
}

/** Merges resource maps type by type; later bodies win for the same logical ID. */
export function stack(...parts: readonly Resources[]): StackJson {
  const resource: Resources = {};
  for (const part of parts) {
    for (const [type, bodies] of Object.entries(part)) resource[type] = { ...resource[type], ...bodies };
  }
  return { resource };
}

export const ref = (type: string, key: string, attribute: string): string => `\${${type}.${key}.${attribute}}`;

export function app(key: string, name: string): Resources {
  return { fly_app: { [key]: { name, org: "acme" } } };
}

export function ip(appKey: string, kind: string, type: string): Resources {
  return { fly_ip: { [`${appKey}_${kind}`]: { app: ref("fly_app", appKey, "name"), type } } };
}

export interface MachineOptions {
  readonly guest?: { readonly cpuKind: string; readonly cpus: number; readonly memoryMb: number };
  /** Volume name from the environment file; gives each machine `<name>_<region>_<n>`. */
  readonly volume?: { readonly name: string; readonly sizeGb: number; readonly path: string };
  readonly release?: string;
}

/** `count` machines of one group in one region, named and wired as flystack's ProcessGroup does. */
export function machines(appKey: string, group: string, region: string, count: number, options: MachineOptions = {}): Resources {
  const guest = options.guest ?? { cpuKind: "shared", cpus: 1, memoryMb: 512 };
  const resources: Resources = { fly_machine: {}, fly_volume: {}, null_resource: {} };
  const releaseKey = `${appKey}_${group}_release`.replace(/[^A-Za-z0-9_-]/g, "_");
  if (options.release !== undefined) {
    resources.null_resource[releaseKey] = { triggers: { command: options.release, image: "registry.fly.io/x:v1" } };
  }
  for (let n = 1; n <= count; n += 1) {
    // Logical IDs are Terraform-safe, as src/fly/naming.ts makes them; labels keep the real names.
    const key = `${appKey}_${group}_${region}_${n}`.replace(/[^A-Za-z0-9_-]/g, "_");
    const body: Body = {
      app: ref("fly_app", appKey, "name"),
      region,
      guest: { cpu_kind: guest.cpuKind, cpus: guest.cpus, memory_mb: guest.memoryMb },
      metadata: { fly_process_group: group, flystack_group: group },
    };
    if (options.release !== undefined) body.depends_on = [`null_resource.${releaseKey}`];
    if (options.volume !== undefined) {
      resources.fly_volume[key] = {
        app: ref("fly_app", appKey, "name"),
        name: `${options.volume.name}_${region}_${n}`,
        region,
        size_gb: options.volume.sizeGb,
      };
      body.mount = [{ path: options.volume.path, volume: ref("fly_volume", key, "id") }];
    }
    resources.fly_machine[key] = body;
  }
  return resources;
}

const logicalHost = (hostname: string): string => hostname.replace(/^\*\./, "wildcard_").replace(/[^A-Za-z0-9]/g, "_");

/**
 * A hostname as flystack's Domain construct writes it: the certificate, its records by kind
 * (apex: A and AAAA to the app's IPs; subdomain: CNAME; wildcard: CNAME and `_acme-challenge`),
 * and the validation gate that waits for those records.
 */
export function domain(appKey: string, hostname: string, kind: "apex" | "subdomain" | "wildcard"): Resources {
  const certKey = `${appKey}_${logicalHost(hostname)}`;
  const records: Record<string, Body> = {};
  const record = (suffix: string, type: string, name: string, content: string): void => {
    records[`${certKey}_${suffix}`] = { name, type, content, proxied: false, ttl: 60, zone_id: "zone" };
  };
  if (kind === "apex") {
    record("a", "A", hostname, ref("fly_ip", `${appKey}_shared_ipv4`, "address"));
    record("aaaa", "AAAA", hostname, ref("fly_ip", `${appKey}_ipv6`, "address"));
  } else {
    record("cname", "CNAME", hostname, ref("fly_cert", certKey, "cname"));
  }
  if (kind === "wildcard") {
    record("acme_challenge", "CNAME", `_acme-challenge.${hostname.slice(2)}`, ref("fly_cert", certKey, "acme_challenge_target"));
  }
  return {
    fly_cert: { [certKey]: { app: ref("fly_app", appKey, "name"), hostname } },
    fly_cert_validation: {
      [certKey]: {
        cert_id: ref("fly_cert", certKey, "id"),
        validation_dependencies: Object.keys(records).map((key) => ref("cloudflare_dns_record", key, "id")),
      },
    },
    cloudflare_dns_record: records,
  };
}

/** One app serving an apex, a subdomain and a wildcard hostname. */
export const domainsStack = (): StackJson =>
  stack(
    app("web", "acme-web"),
    ip("web", "shared_ipv4", "shared_v4"),
    ip("web", "ipv6", "public_v6"),
    machines("web", "web", "iad", 1),
    domain("web", "example.com", "apex"),
    domain("web", "www.example.com", "subdomain"),
    domain("web", "*.preview.example.com", "wildcard"),
  );

/** A database whose machines each mount a volume, in two regions. */
export const volumesStack = (): StackJson =>
  stack(
    app("db", "acme-db"),
    ip("db", "flycast", "private_v6"),
    machines("db", "postgres", "iad", 2, {
      guest: { cpuKind: "performance", cpus: 1, memoryMb: 2048 },
      volume: { name: "pg_data", sizeGb: 40, path: "/data" },
    }),
    machines("db", "postgres", "lhr", 1, {
      guest: { cpuKind: "performance", cpus: 1, memoryMb: 2048 },
      volume: { name: "pg_data", sizeGb: 40, path: "/data" },
    }),
  );

/** Two apps, one with two groups across three regions and a release command. */
export const multiRegionStack = (): StackJson =>
  stack(
    app("api", "acme-api"),
    ip("api", "shared_ipv4", "shared_v4"),
    ip("api", "ipv6", "public_v6"),
    machines("api", "web", "lhr", 2, { release: "node dist/migrate.js" }),
    machines("api", "web", "iad", 3, { release: "node dist/migrate.js" }),
    machines("api", "web", "syd", 1, { release: "node dist/migrate.js" }),
    machines("api", "worker", "iad", 2, { guest: { cpuKind: "shared", cpus: 2, memoryMb: 1024 } }),
    app("worker", "acme-worker"),
    machines("worker", "worker", "iad", 1, { guest: { cpuKind: "shared", cpus: 1, memoryMb: 256 } }),
    domain("api", "api.example.com", "subdomain"),
  );

/** `count` machines spread over `regions`, each with a volume: the size a diagram must stay readable at. */
export const largeStack = (regions: readonly string[], perRegion: number): StackJson =>
  stack(
    app("api", "acme-api"),
    ...regions.map((region) => machines("api", "web", region, perRegion, { volume: { name: "cache", sizeGb: 1, path: "/cache" } })),
  );

/**
 * Names chosen to break naive output: Mermaid keywords as keys, quotes, entity codes, HTML,
 * backticks and a pipe in labels, and two hostnames whose sanitized IDs are equal.
 */
export const hostileStack = (): StackJson =>
  stack(
    { fly_app: { end: { name: 'acme "beta" <b>#1</b> & `co` | x' } } },
    machines("end", 'o"x', "iad", 1, { release: 'sh -c "echo #quot; > /srv/a"', volume: { name: "v`1", sizeGb: 1, path: '/da"ta' } }),
    machines("end", "style", "iad", 1),
    {
      fly_cert: {
        a: { app: ref("fly_app", "end", "name"), hostname: "x-y.example.com" },
        b: { app: ref("fly_app", "end", "name"), hostname: "x.y.example.com" },
      },
      cloudflare_dns_record: {
        "x-y": { name: "x-y.example.com", type: "CNAME", content: ref("fly_cert", "a", "cname"), proxied: true },
        x_y: { name: "x.y.example.com", type: "CNAME", content: ref("fly_cert", "b", "cname") },
      },
    },
  );
