/** The diagram's model: what model.ts reads from a synthesized stack, and mermaid.ts draws. */

export interface GuestSize {
  /** `shared` or `performance` today; kept as a string so another kind is shown, not dropped. */
  readonly cpuKind: string;
  readonly cpus: number;
  readonly memoryMb: number;
}

/** Machines of one process group in one region with one guest size. */
export interface MachinePlacement {
  readonly region: string;
  /** Absent when the machine has no complete `guest` block (Fly then picks its default size). */
  readonly guest: GuestSize | undefined;
  readonly count: number;
}

/** Volumes of one group (or one app, when no machine mounts them) alike in name, region, size and mount. */
export interface VolumeSet {
  /** The volume name without flystack's `_<region>_<n>` suffix: `pg_data` for `pg_data_iad_1`. */
  readonly name: string;
  readonly region: string;
  readonly sizeGb: number | undefined;
  /** Where the machines mount it; absent for volumes no machine mounts. */
  readonly mountPath: string | undefined;
  readonly count: number;
}

/** One Fly process group (`metadata.fly_process_group`) of an app. */
export interface ProcessGroup {
  readonly name: string;
  readonly machineCount: number;
  /** Sorted by region, then guest size. */
  readonly placements: readonly MachinePlacement[];
  readonly volumes: readonly VolumeSet[];
  /** Commands of the release hooks (`null_resource`) its machines wait for, sorted. */
  readonly releaseCommands: readonly string[];
}

export interface AppIp {
  /** The `fly_ip` logical ID. */
  readonly key: string;
  /** `shared_v4`, `public_v4`, `public_v6`, `private_v6` (Flycast), or whatever the stack says. */
  readonly type: string;
}

export interface App {
  /** The `fly_app` logical ID, which is the app's key in the environment file. */
  readonly key: string;
  /** The Fly app name; absent when the stack does not give it as a plain string. */
  readonly name: string | undefined;
  readonly ips: readonly AppIp[];
  readonly groups: readonly ProcessGroup[];
  /** Volumes of the app that no machine mounts (left over, or about to be attached by hand). */
  readonly unmountedVolumes: readonly VolumeSet[];
}

/** What a DNS record's `content` points at. */
export type DnsTarget =
  /** `${fly_cert.<certKey>.<attribute>}`: `cname` or `acme_challenge_target`. */
  | { readonly kind: "cert"; readonly certKey: string; readonly attribute: string }
  /** `${fly_ip.<ipKey>.address}`, an address of the app `appKey`. */
  | { readonly kind: "ip"; readonly ipKey: string; readonly appKey: string | undefined }
  /** A literal or an expression this reader does not follow. */
  | { readonly kind: "other"; readonly content: string | undefined };

export interface DnsRecord {
  /** The `cloudflare_dns_record` logical ID. */
  readonly key: string;
  /** `A`, `AAAA`, `CNAME`, … */
  readonly type: string;
  readonly name: string;
  readonly proxied: boolean;
  readonly target: DnsTarget;
}

/** A hostname with a Fly certificate, and the DNS records that serve it. */
export interface Domain {
  /** The `fly_cert` logical ID. */
  readonly certKey: string;
  readonly hostname: string;
  /** The app the certificate belongs to; absent when the stack does not say which. */
  readonly appKey: string | undefined;
  readonly wildcard: boolean;
  /** Sorted by name, then type. */
  readonly records: readonly DnsRecord[];
}

export interface DiagramModel {
  /** Sorted by key. */
  readonly apps: readonly App[];
  /** Sorted by hostname. */
  readonly domains: readonly Domain[];
  /** DNS records that serve no certificate's hostname, sorted by name, then type. */
  readonly unattachedRecords: readonly DnsRecord[];
  /** What the reader could not place, one sentence each, naming the Terraform address. */
  readonly notes: readonly string[];
}

/** Thrown when the input is not a synthesized stack at all; odd resources become notes instead. */
