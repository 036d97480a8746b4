/**
 * The typed configuration of one environment: what `environments/<name>.ts` default-exports.
 *
 * Everything here is plain data decided at synthesis time. Secret *values* never appear:
 * a secret is declared by name and rotation version, and its value reaches Terraform as an
 * ephemeral variable (`TF_VAR_<variable>`) at plan and apply time.
 */
import type { CpuKind } from "../fly/guest";

export interface EnvironmentConfig {
  /** Environment name; must equal the file name (`environments/<name>.ts`). Lowercase letters, digits, dashes. */
  readonly name: string;
  /** Project name, the first segment of every state key (`<project>/<environment>/<stack>.tfstate`). */
  readonly project: string;
  /**
   * A protected environment (production) keeps `prevent_destroy` on apps and volumes, and the
   * deploy tooling refuses plans that delete stateful resources without an explicit allowance.
   * @default false
   */
  readonly protected?: boolean;
  readonly fly: FlyConfig;
  readonly dns: DnsConfig;
  readonly state: StateConfig;
  /** Apps by key. The key names the app in code and in Terraform addresses; `name` is the Fly app name. */
  readonly apps: Readonly<Record<string, AppConfig>>;
  /**
   * Known changes made outside Terraform that `flystack drift` lists as accepted instead of drift,
   * until their `expires` date has passed (then they are drift again, naming the expiry).
   * @default none
   */
  readonly acceptedDrift?: readonly AcceptedDriftConfig[];
  /**
   * How the environment is cut into Terraform stacks (each with its own state, plan and lock):
   * `"per-environment"`, one stack named after the environment; `"per-app"`, one stack per app,
   * named `<environment>_<app key>`, with state at `<project>/<environment>/<app key>.tfstate`, so
   * plans of many apps (one app per customer) run apart and in parallel. Addresses inside a stack
   * are the same either way; moving an environment between the two is `flystack state split`.
   * @default "per-environment"
   */
  readonly stacks?: "per-environment" | "per-app";
  /**
   * The environment's monitoring app: a rule evaluator (vmalert) and an alert router (Alertmanager)
   * on one Fly app, deployed by this stack, evaluating the alerts flystack derives from the apps
   * (platform alerts, and SLO burn-rate alerts for services that declare `slo`) against the
   * organization's Prometheus, and routing what fires to a webhook. `flystack alerts` prints them.
   * @default no monitoring app: no alert is evaluated or sent
   */
  readonly monitoring?: MonitoringConfig;
}

/** The monitoring app (see docs/runbook.md, "Alerts"). Its app key in addresses is `monitoring`. */
export interface MonitoringConfig {
  /** The monitoring app's Fly app name (2–63 lowercase letters, digits and dashes). */
  readonly name: string;
  /** The Fly region its machines run in. */
  readonly region: string;
  /**
   * Rotation version of the secret `FLY_PROMETHEUS_TOKEN`: a read-only Fly token for the
   * organization (`fly tokens create readonly <org>`), with which vmalert queries
   * `https://api.fly.io/prometheus/<org>/`. Its value comes from `TF_VAR_monitoring_FLY_PROMETHEUS_TOKEN`.
   */
  readonly prometheusTokenVersion: string;
  /** Where alerts go: `page` receives the paging alerts (`severity: page`), `ticket` the others. */
  readonly receivers: MonitoringReceivers;
  /**
   * Where the `runbook_url` of every alert points: docs/runbook.md as your team browses it, e.g.
   * `https://github.com/acme/infrastructure/blob/main/docs/runbook.md`; each alert adds its anchor.
   * @default "docs/runbook.md" (a path in this repository)
   */
  readonly runbookUrl?: string;
  /** @default shared CPU, 1 vCPU, 256 MB per machine */
  readonly guest?: GuestConfig;
  /**
   * A third machine running Grafana, with Fly's Prometheus as its data source and the environment's
   * dashboards (`flystack dashboards`) provisioned as files. Private: reach it over Flycast or
   * `fly proxy 3000 --app <monitoring app>`. @default no Grafana: import the dashboards into Fly's managed Grafana
   */
  readonly grafana?: GrafanaConfig;
}

export interface GrafanaConfig {
  /** Rotation version of the secret `GRAFANA_ADMIN_PASSWORD` (its value from `TF_VAR_monitoring_GRAFANA_ADMIN_PASSWORD`). */
  readonly adminPasswordVersion: string;
  /** @default shared CPU, 1 vCPU, 512 MB (Grafana needs more than vmalert) */
  readonly guest?: GuestConfig;
}

export interface MonitoringReceivers {
  readonly page: ReceiverConfig;
  /** @default the `page` receiver (ticket alerts go to the same place, without paging severity) */
  readonly ticket?: ReceiverConfig;
}

/**
 * One alert destination. Its address is a secret of the monitoring app (`PAGE_RECEIVER`,
 * `TICKET_RECEIVER`), valued from `TF_VAR_monitoring_<NAME>`: a Slack incoming-webhook URL, a
 * PagerDuty Events API v2 integration (routing) key, or any webhook URL (Alertmanager's JSON).
 */
export interface ReceiverConfig {
  readonly kind: "slack" | "pagerduty" | "webhook";
  /** Rotation version of the receiver's secret, as for an app secret. */
  readonly version: string;
}

/** A drift `flystack drift` accepts: a resource address, optionally one attribute, why, and until when. */
export interface AcceptedDriftConfig {
  /** Terraform address, e.g. `fly_machine.api_web_iad_1`. */
  readonly address: string;
  /** Attribute (or nested path, e.g. `guest.cpus`) whose change is accepted. @default every attribute of the resource */
  readonly field?: string;
  /** Why the drift is accepted, at least 10 characters (e.g. an incident reference). */
  readonly reason: string;
  /** Last day (UTC, `YYYY-MM-DD`) the acceptance holds. */
  readonly expires: string;
}

export interface FlyConfig {
  /** Fly organization slug the apps are created in. */
  readonly org: string;
}

export interface DnsConfig {
  /** The Cloudflare zone (apex domain) every hostname of this environment lies in, e.g. `example.com`. */
  readonly zone: string;
  /** The Cloudflare zone ID of `zone` (32 hex characters; not a secret). */
  readonly cloudflareZoneId: string;
}

/** Where Terraform keeps state. Exactly one backend; there is no implicit local state. */
export type StateConfig = S3StateConfig | HcpStateConfig | LocalStateConfig;

export interface S3StateConfig {
  readonly backend: "s3";
  readonly bucket: string;
  /** @default "auto" (what Tigris and Cloudflare R2 expect) */
  readonly region?: string;
  /**
   * S3-compatible endpoint, for Tigris, Cloudflare R2 or MinIO.
   * @default AWS S3 (no custom endpoint)
   */
  readonly endpoint?: string;
}

export interface HcpStateConfig {
  readonly backend: "hcp";
  /** HCP Terraform organization. */
  readonly organization: string;
  /**
   * HCP Terraform host.
   * @default "app.terraform.io"
   */
  readonly hostname?: string;
}

export interface LocalStateConfig {
  readonly backend: "local";
  /**
   * Folder the state files go in, relative to the stack's folder in `cdktf.out`.
   * @default "../../../.state" (outside `cdktf.out`, so a clean synth keeps it)
   */
  readonly directory?: string;
}

export interface AppConfig {
  /** The Fly app name: globally unique across Fly, 2–63 lowercase letters, digits and dashes. */
  readonly name: string;
  readonly ips?: IpConfig;
  /**
   * Secrets by environment-variable name. Values come from `TF_VAR_<app key>_<NAME>` at plan and apply time.
   * @default no secrets
   */
  readonly secrets?: Readonly<Record<string, SecretConfig>>;
  /**
   * Hostnames served by this app, each inside the environment's DNS zone. Each gets a Fly
   * certificate, the Cloudflare records it needs, and a validation gate.
   * @default no custom domains
   */
  readonly domains?: readonly string[];
  /** Process groups by name (`web`, `worker`, …); each becomes a set of machines. */
  readonly groups: Readonly<Record<string, ProcessGroupConfig>>;
  /** Guardrails (policies/) that do not apply to this app and everything in it, each with why. @default none */
  readonly suppressions?: readonly PolicySuppressionConfig[];
  /**
   * Fly resources that already exist and that the first apply imports instead of creating, as
   * `flystack import app` writes them. Once applied, the entries are no-ops and may stay.
   * @default nothing adopted: every resource is created
   */
  readonly adopt?: AdoptConfig;
}

/**
 * What an app adopts from Fly. Slots are `<group>-<region>-<n>` (the app's machine and volume
 * naming, without the app name); adopted machines and volumes keep their Fly names.
 */
export interface AdoptConfig {
  /**
   * The app's config (without `adopt`) as it was when adopted, hashed (`sha256:…`). While the
   * config still hashes to it, the adopted machines' config is left as Fly runs it (the provider
   * reads back only a machine's identity, so an import would otherwise plan an update of every
   * machine); any change to the app makes the next plan update them with the declared config.
   */
  readonly fingerprint: string;
  /** @default none */
  readonly machines?: Readonly<Record<string, AdoptedResource>>;
  /** @default none */
  readonly volumes?: Readonly<Record<string, AdoptedResource>>;
  /** Addresses by kind, as `ips` names them. @default none */
  readonly ips?: Readonly<Partial<Record<"sharedIpv4" | "ipv6" | "dedicatedIpv4" | "flycast", string>>>;
  /**
   * Hostnames whose certificate exists on Fly: imported, and given no DNS records or validation
   * gate (the certificate is already issued; its DNS records stay as they are). @default none
   */
  readonly certificates?: readonly string[];
}

/** A Fly resource's id and its name on Fly. */
export interface AdoptedResource {
  readonly id: string;
  readonly name: string;
}

/** An exception to a flystack guardrail: the rule ID and why it does not apply (at least 10 characters). */
export interface PolicySuppressionConfig {
  /** e.g. `FLY009` */
  readonly id: string;
  readonly reason: string;
}

export interface IpConfig {
  /** @default true */
  readonly sharedIpv4?: boolean;
  /** @default true */
  readonly ipv6?: boolean;
  /** A dedicated IPv4 address (billed monthly). @default false */
  readonly dedicatedIpv4?: boolean;
  /** A private Flycast address for traffic from other apps in the organization. @default false */
  readonly flycast?: boolean;
}

export interface SecretConfig {
  /**
   * Rotation marker: change it whenever the secret's value changes, and Terraform re-sends the
   * value and restarts the machines on the new secrets version. Not secret itself; it is kept in state.
   */
  readonly version: string;
}

export interface GuestConfig {
  readonly cpuKind: CpuKind;
  readonly cpus: number;
  readonly memoryMb: number;
}

export interface ProcessGroupConfig {
  /** Container image, pinned by digest (`@sha256:…`) or by a tag other than `latest`. */
  readonly image: string;
  /**
   * Command to run instead of the image's default. The provider has no machine-level command, so
   * the machine runs one container named after the group with this command, its env and the
   * app's secrets. Not combinable with `volume` (the provider's containers take no mounts).
   * @default the image's CMD
   */
  readonly command?: readonly string[];
  readonly guest: GuestConfig;
  /** Regions to run in; the first is the primary region. */
  readonly regions: readonly string[];
  /** Machines per region. @default 1 */
  readonly count?: number;
  /** Plain environment variables. Never credentials: declare those under the app's `secrets`. @default none */
  readonly env?: Readonly<Record<string, string>>;
  /** Services Fly Proxy routes to these machines. @default none (not reachable through the proxy) */
  readonly services?: readonly ServiceConfig[];
  /** Machine-level health checks, for groups without a service. @default none */
  readonly checks?: readonly CheckConfig[];
  /** @default Fly's default: on-failure with 10 retries */
  readonly restart?: RestartConfig;
  /** A persistent volume per machine, mounted at `path`. @default no volume */
  readonly volume?: VolumeConfig;
  /** @default { strategy: "rolling" } */
  readonly deploy?: DeployConfig;
  /** A command run once per image change before the group rolls, e.g. database migrations. @default none */
  readonly release?: ReleaseConfig;
  /**
   * Files written into each machine (in its container when the group has a `command`).
   * @default none
   */
  readonly files?: readonly FileConfig[];
  /** Guardrails (policies/) that do not apply to this group's machines and volumes, each with why. @default none */
  readonly suppressions?: readonly PolicySuppressionConfig[];
  /**
   * The group's own Prometheus metrics, as fly.toml's `[metrics]`: Fly scrapes every machine at
   * `http://<machine>:<port><path>` every 15 s into the organization's Prometheus.
   * @default not scraped (Fly's built-in metrics only)
   */
  readonly metrics?: MetricsConfig;
}

export interface MetricsConfig {
  readonly port: number;
  /** @default "/metrics" */
  readonly path?: string;
  /** Scrape over https. @default false (http on the private network) */
  readonly https?: boolean;
}

/**
 * Service-level objectives over 30 days, measured on Fly's edge metrics of the app
 * (`fly_edge_http_responses_count`, `fly_edge_http_response_time_seconds`), which cover every
 * HTTP service of the app: at most one service of an app declares them.
 */
export interface SloConfig {
  /** Percentage of requests answered without a 5xx status, e.g. 99.9 (from 50 to 99.999). @default no availability objective */
  readonly availability?: number;
  /** `p` percent of requests answered in under `under` milliseconds, e.g. `{ p: 99, under: 500 }`. @default no latency objective */
  readonly latencyMs?: LatencyObjective;
}

export interface LatencyObjective {
  /** Percentage of requests that must be fast enough (from 50 to 99.999). */
  readonly p: number;
  /**
   * The threshold in milliseconds. It must be a bucket boundary of Fly's edge latency histogram
   * (the `le` label, in seconds); if it is not, the SLO cannot be measured and the alert
   * `SLOLatencyUnmeasurable` says so.
   */
  readonly under: number;
}

export interface ServiceConfig {
  readonly internalPort: number;
  /** @default "tcp" */
  readonly protocol?: "tcp" | "udp";
  /** Public ports with their handlers. */
  readonly ports: readonly PortConfig[];
  /**
   * Stop idle machines ("stop"/"suspend"), or keep them running ("off").
   * @default "off"
   */
  readonly autostop?: "off" | "stop" | "suspend";
  /** Start stopped machines on incoming requests. @default true */
  readonly autostart?: boolean;
  /**
   * Machines kept running in the primary region when autostop is on: the first N machines there
   * are created with autostop off.
   * @default 0
   */
  readonly minMachinesRunning?: number;
  /** @default Fly's default concurrency */
  readonly concurrency?: ConcurrencyConfig;
  /** @default none */
  readonly checks?: readonly CheckConfig[];
  /**
   * Objectives that page when the error budget burns too fast (see SloConfig). Only for a public
   * service with an `http` handler: Fly's edge metrics count only HTTP through its public proxy.
   * @default no objective (the app still gets the platform alerts)
   */
  readonly slo?: SloConfig;
}

export interface PortConfig {
  readonly port: number;
  /**
   * Fly Proxy handlers. There is no `forceHttps`: provider ampbase-io/fly 0.2 cannot send Fly's
   * `force_https` flag, so HTTPS-only means exposing no plain `http` port (see docs/architecture.md).
   * @default none (raw TCP)
   */
  readonly handlers?: readonly ("http" | "tls" | "proxy_proto" | "pg_tls")[];
}

export interface ConcurrencyConfig {
  readonly type: "connections" | "requests";
  readonly softLimit: number;
  readonly hardLimit: number;
}

export interface CheckConfig {
  readonly type: "http" | "tcp";
  /** Port to check. @default the service's internal port (required for machine-level checks) */
  readonly port?: number;
  /** HTTP path, for `http` checks. */
  readonly path?: string;
  /** HTTP method, for `http` checks (upper case). @default "GET" */
  readonly method?: string;
  /** @default "15s" */
  readonly interval?: string;
  /** @default "5s" */
  readonly timeout?: string;
  /** Time after start before checks count, for machine-level checks. @default "10s" */
  readonly gracePeriod?: string;
  /**
   * The check's name on Fly, for machine-level checks (Fly keys them by name, and tools look them up
   * by it: flyctl's Postgres commands find the primary by the check named `role`). Service checks
   * have no name.
   * @default `<type>_<port>_<index>` (e.g. `http_8080_0`)
   */
  readonly name?: string;
}

export interface RestartConfig {
  readonly policy: "no" | "always" | "on-failure";
  /** Only with `on-failure`. @default Fly's default (10) */
  readonly maxRetries?: number;
}

export interface VolumeConfig {
  /** Volume name prefix: lowercase letters, digits, underscores. Each machine's volume is `<name>_<region>_<n>`. */
  readonly name: string;
  /** Mount path inside the machine. */
  readonly path: string;
  readonly sizeGb: number;
  /** @default true */
  readonly encrypted?: boolean;
  /** Days Fly keeps automatic snapshots, 1–60. @default 7 */
  readonly snapshotRetentionDays?: number;
  /** @default true */
  readonly autoBackup?: boolean;
}

export interface DeployConfig {
  /**
   * `rolling` updates one machine at a time, each waiting for its checks, the first acting as
   * canary; `immediate` updates them all at once; `bluegreen` (groups without a volume) creates a
   * whole new set of machines beside the old one and destroys the old set only once every new
   * machine passed its checks.
   * @default "rolling"
   */
  readonly strategy?: "rolling" | "immediate" | "bluegreen";
  /**
   * With `rolling`: after the first machine is updated and healthy, hold the roll for `window` and
   * judge that canary by its metrics against the group's other machines (Fly's Prometheus); the rest
   * of the group is updated only when it passes. @default no metric analysis: checks alone gate the roll
   */
  readonly canary?: CanaryConfig;
}

/** How a canary is judged (`bin/flystack canary-gate`, run by a gate between the first machine and the rest). */
export interface CanaryConfig {
  /** How long to watch the canary, e.g. "10m" (1 to 60 minutes). */
  readonly window: string;
  /** Most the canary's 5xx ratio may be, as a multiple of the other machines' (e.g. 2: at most twice theirs). */
  readonly maxErrorRatio: number;
  /** Most the canary's latency quantile may be, as a multiple of the other machines' (e.g. 1.5). */
  readonly maxLatencyRatio: number;
  /** The latency quantile compared. @default 0.99 */
  readonly quantile?: number;
  /** Fewest requests the canary must have served in the window to be judged. @default 100 */
  readonly minRequests?: number;
  /** What too little traffic to judge means: pass the gate (and say so) or fail it. @default "fail" */
  readonly onInsufficientData?: "pass" | "fail";
}

/**
 * A file Fly writes into each of the group's machines before it starts (fly.toml's `[[files]]`): its
 * content given inline, or held by an app secret. Exactly one of `rawValue` and `secretName`.
 */
export interface FileConfig {
  /** Absolute path inside the machine, e.g. "/etc/app/config.json". */
  readonly guestPath: string;
  /** The content, base64-encoded (as Fly takes it; `flystack import fly-toml` reads `local_path` files into it). At most 256 KiB. */
  readonly rawValue?: string;
  /** An app secret (declared under the app's `secrets`) whose value is the base64-encoded content. */
  readonly secretName?: string;
  /** Permission bits, e.g. 0o600 (384). @default Fly's (0o644) */
  readonly mode?: number;
}

export interface ReleaseConfig {
  /** Command run with the group's image in a one-off machine (`flyctl machine run … --rm`), with the group's env. */
  readonly command: readonly string[];
  /** The one-off machine's size (fly.toml's `[deploy] release_command_vm`). @default the group's guest */
  readonly guest?: GuestConfig;
}
