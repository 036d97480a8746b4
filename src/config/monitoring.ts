/**
 * The monitoring app an environment deploys when it sets `monitoring`: plain app configuration, so
 * the stack builds it with the same constructs as every app (FlyApp, ProcessGroup, AppSecrets) and
 * validation, cost, the diagram, drift, the audit and the guardrails treat it like any other.
 *
 * Two machines, each one container from a pinned image, their configuration written as files:
 *   vmalert       evaluates the rule file against `https://api.fly.io/prometheus/<org>` every minute
 *                 with the read-only token FLY_PROMETHEUS_TOKEN, and sends what fires to Alertmanager;
 *   alertmanager  groups and routes the alerts to the receivers (PAGE_RECEIVER, TICKET_RECEIVER).
 * The app has no public address: vmalert reaches Alertmanager over the organization's private
 * network at `alertmanager.process.<app>.internal`.
 */
import type { AppConfig, EnvironmentConfig, GuestConfig, MonitoringConfig } from "./types";
import { MONITORING_IMAGES } from "./monitoring-images";

/** The monitoring app's key: its addresses (`fly_app.monitoring`), per-app stack and TF_VAR_monitoring_* names. */
export const MONITORING_APP_KEY = "monitoring";
export const PROMETHEUS_TOKEN_SECRET = "FLY_PROMETHEUS_TOKEN";
export const DEFAULT_MONITORING_GUEST: GuestConfig = { cpuKind: "shared", cpus: 1, memoryMb: 256 };
export const DEFAULT_RUNBOOK_URL = "docs/runbook.md";

/** Where the configuration files are written in the machines. */
export const MONITORING_FILES = {
  rules: "/etc/flystack/alerts.yml",
  alertmanager: "/etc/flystack/alertmanager.yml",
  alertmanagerStart: "/etc/flystack/start-alertmanager.sh",
  grafanaStart: "/etc/flystack/start-grafana.sh",
  grafanaDatasources: "/etc/grafana/provisioning/datasources/flystack.yml",
  grafanaDashboardProvider: "/etc/grafana/provisioning/dashboards/flystack.yml",
  /** Each dashboard as `<dir>/<name>.json`, byte for byte what `flystack dashboards` writes. */
  grafanaDashboards: "/etc/flystack/dashboards",
} as const;

export const GRAFANA_PORT = 3000;
export const GRAFANA_ADMIN_SECRET = "GRAFANA_ADMIN_PASSWORD";
export const DEFAULT_GRAFANA_GUEST: GuestConfig = { cpuKind: "shared", cpus: 1, memoryMb: 512 };

/** The receivers' addresses: app secrets, written by the start script to files Alertmanager reads (`*_file`). */
export const RECEIVER_SECRET_DIR = "/tmp/flystack";
export const RECEIVER_SECRETS = { page: "PAGE_RECEIVER", ticket: "TICKET_RECEIVER" } as const;

export function receiverSecretFile(which: keyof typeof RECEIVER_SECRETS): string {
  return `${RECEIVER_SECRET_DIR}/${RECEIVER_SECRETS[which].toLowerCase()}`;
}

export const VMALERT_PORT = 8880;
export const ALERTMANAGER_PORT = 9093;

/** A file a container gets at `guestPath`, as the provider's `file` block writes it. */
export interface ContainerFile {
  readonly guestPath: string;
  readonly content: string;
  /** @default Fly's 0644 */
  readonly mode?: number;
}

/** What a container of a flystack-composed group gets beyond ProcessGroupConfig. */
export interface ContainerExtras {
  /** @default none */
  readonly files?: readonly ContainerFile[];
  /** @default the image's ENTRYPOINT */
  readonly entrypoint?: readonly string[];
  /** App secrets the container gets, by secret name, with the environment variable each is read as. @default every app secret, under its own name */
  readonly secretEnv?: Readonly<Record<string, string>>;
}

/** The monitoring app's configuration, or undefined when the environment has none. */
export function monitoringAppConfig(env: EnvironmentConfig): AppConfig | undefined {
  const monitoring = env.monitoring;
  if (!monitoring) return undefined;
  const guest = monitoring.guest ?? DEFAULT_MONITORING_GUEST;
  const secrets: Record<string, { version: string }> = {
    [PROMETHEUS_TOKEN_SECRET]: { version: monitoring.prometheusTokenVersion },
    [RECEIVER_SECRETS.page]: { version: monitoring.receivers.page.version },
    ...(monitoring.receivers.ticket ? { [RECEIVER_SECRETS.ticket]: { version: monitoring.receivers.ticket.version } } : {}),
    ...(monitoring.grafana ? { [GRAFANA_ADMIN_SECRET]: { version: monitoring.grafana.adminPasswordVersion } } : {}),
  };
  return {
    name: monitoring.name,
    // Private: nothing outside the organization talks to it.
    ips: { sharedIpv4: false, ipv6: false },
    secrets,
    groups: {
      vmalert: {
        image: MONITORING_IMAGES.vmalert,
        command: [
          `-rule=${MONITORING_FILES.rules}`,
          `-datasource.url=https://api.fly.io/prometheus/${env.fly.org}`,
          `-notifier.url=http://alertmanager.process.${monitoring.name}.internal:${ALERTMANAGER_PORT}`,
          "-evaluationInterval=1m",
          `-httpListenAddr=:${VMALERT_PORT}`,
          // The token arrives as the environment variable datasource_bearerToken (see monitoringContainers).
          "-envflag.enable",
        ],
        guest,
        regions: [monitoring.region],
        restart: { policy: "always" },
        checks: [{ type: "http", port: VMALERT_PORT, path: "/health", interval: "15s", timeout: "5s", gracePeriod: "30s" }],
        metrics: { port: VMALERT_PORT, path: "/metrics" },
      },
      alertmanager: {
        image: MONITORING_IMAGES.alertmanager,
        command: [MONITORING_FILES.alertmanagerStart],
        guest,
        regions: [monitoring.region],
        restart: { policy: "always" },
        checks: [{ type: "http", port: ALERTMANAGER_PORT, path: "/-/healthy", interval: "15s", timeout: "5s", gracePeriod: "30s" }],
        metrics: { port: ALERTMANAGER_PORT, path: "/metrics" },
      },
      ...(monitoring.grafana
        ? {
            grafana: {
              image: MONITORING_IMAGES.grafana,
              command: [MONITORING_FILES.grafanaStart],
              guest: monitoring.grafana.guest ?? DEFAULT_GRAFANA_GUEST,
              regions: [monitoring.region],
              restart: { policy: "always" as const },
              checks: [{ type: "http" as const, port: GRAFANA_PORT, path: "/api/health", interval: "15s", timeout: "5s", gracePeriod: "60s" }],
              metrics: { port: GRAFANA_PORT, path: "/metrics" },
            },
          }
        : {}),
    },
  };
}

/**
 * Grafana's provisioning: Fly's Prometheus as the data source (the read-only token as the
 * Authorization header, FlyV1 for Fly's macaroon tokens, as Fly's metrics docs say), and the
 * dashboards folder. The start script computes the header from the secret and starts Grafana with
 * the admin password from its secret.
 */
function grafanaFiles(org: string, dashboards: Readonly<Record<string, string>>): ContainerFile[] {
  const datasources = [
    "# Written by flystack (src/config/monitoring.ts).",
    "apiVersion: 1",
    "datasources:",
    "  - name: Fly Prometheus",
    `    uid: ${FLY_DATASOURCE_UID}`,
    "    type: prometheus",
    "    access: proxy",
    `    url: https://api.fly.io/prometheus/${org}`,
    "    isDefault: true",
    "    editable: false",
    "    jsonData:",
    "      httpHeaderName1: Authorization",
    "      timeInterval: 15s",
    "    secureJsonData:",
    "      httpHeaderValue1: $__env{FLY_PROMETHEUS_AUTHORIZATION}",
    "",
  ].join("\n");
  const provider = [
    "# Written by flystack (src/config/monitoring.ts).",
    "apiVersion: 1",
    "providers:",
    "  - name: flystack",
    "    folder: flystack",
    "    type: file",
    "    disableDeletion: true",
    "    allowUiUpdates: false",
    "    options:",
    `      path: ${MONITORING_FILES.grafanaDashboards}`,
    "",
  ].join("\n");
  const start = [
    "#!/bin/sh",
    "# Written by flystack (src/config/monitoring.ts): Fly's org and read-only tokens are macaroons",
    "# (FlyV1 …); the Prometheus API takes them as \"Authorization: FlyV1 <token>\", others as Bearer.",
    "set -eu",
    `case "$${PROMETHEUS_TOKEN_SECRET}" in`,
    `  "FlyV1 "*) FLY_PROMETHEUS_AUTHORIZATION="$${PROMETHEUS_TOKEN_SECRET}" ;;`,
    `  fm1*|fm2_*) FLY_PROMETHEUS_AUTHORIZATION="FlyV1 $${PROMETHEUS_TOKEN_SECRET}" ;;`,
    `  *) FLY_PROMETHEUS_AUTHORIZATION="Bearer $${PROMETHEUS_TOKEN_SECRET}" ;;`,
    "esac",
    "export FLY_PROMETHEUS_AUTHORIZATION",
    `export GF_SECURITY_ADMIN_PASSWORD="$${GRAFANA_ADMIN_SECRET}"`,
    `export GF_SERVER_HTTP_PORT=${GRAFANA_PORT}`,
    "export GF_ANALYTICS_REPORTING_ENABLED=false GF_ANALYTICS_CHECK_FOR_UPDATES=false GF_USERS_ALLOW_SIGN_UP=false",
    "exec /run.sh",
    "",
  ].join("\n");
  return [
    { guestPath: MONITORING_FILES.grafanaStart, content: start, mode: 0o755 },
    { guestPath: MONITORING_FILES.grafanaDatasources, content: datasources },
    { guestPath: MONITORING_FILES.grafanaDashboardProvider, content: provider },
    ...Object.entries(dashboards)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, content]) => ({ guestPath: `${MONITORING_FILES.grafanaDashboards}/${name}.json`, content })),
  ];
}

/** The provisioned data source's uid: the dashboards' `datasource` variable selects it by default. */
export const FLY_DATASOURCE_UID = "fly-prometheus";

/** The containers' files, entrypoints and secrets, given the rendered rule file, Alertmanager configuration and (with Grafana) dashboards by name. */
export function monitoringContainers(
  monitoring: MonitoringConfig,
  files: { readonly rules: string; readonly alertmanager: string; readonly dashboards?: Readonly<Record<string, string>> },
  org = "",
): Record<string, ContainerExtras> {
  const receivers = monitoring.receivers.ticket ? (["page", "ticket"] as const) : (["page"] as const);
  const receiverLines = receivers.map((which) => `printf '%s' "$${RECEIVER_SECRETS[which]}" > ${receiverSecretFile(which)}`);
  const start = [
    "#!/bin/sh",
    "# Written by flystack (src/config/monitoring.ts). Alertmanager reads receiver addresses",
    "# from files (*_file options); Fly gives the container its secrets as environment variables.",
    "set -eu",
    "umask 077",
    `mkdir -p ${RECEIVER_SECRET_DIR}`,
    ...receiverLines,
    `exec /bin/alertmanager --config.file=${MONITORING_FILES.alertmanager} --storage.path=/alertmanager --web.listen-address=[::]:${ALERTMANAGER_PORT} --cluster.listen-address=`,
    "",
  ].join("\n");
  return {
    vmalert: {
      files: [{ guestPath: MONITORING_FILES.rules, content: files.rules }],
      secretEnv: { [PROMETHEUS_TOKEN_SECRET]: "datasource_bearerToken" },
    },
    alertmanager: {
      files: [
        { guestPath: MONITORING_FILES.alertmanager, content: files.alertmanager },
        { guestPath: MONITORING_FILES.alertmanagerStart, content: start, mode: 0o755 },
      ],
      entrypoint: ["/bin/sh"],
      secretEnv: Object.fromEntries(receivers.map((w) => [RECEIVER_SECRETS[w], RECEIVER_SECRETS[w]])),
    },
    ...(monitoring.grafana
      ? {
          grafana: {
            files: grafanaFiles(org, files.dashboards ?? {}),
            entrypoint: ["/bin/sh"],
            secretEnv: { [PROMETHEUS_TOKEN_SECRET]: PROMETHEUS_TOKEN_SECRET, [GRAFANA_ADMIN_SECRET]: GRAFANA_ADMIN_SECRET },
          },
        }
      : {}),
  };
}

/** Every app the environment deploys, by key: its own apps, then the monitoring app. */
export function deployedApps(env: EnvironmentConfig): Readonly<Record<string, AppConfig>> {
  const monitoring = monitoringAppConfig(env);
  return monitoring ? { ...env.apps, [MONITORING_APP_KEY]: monitoring } : env.apps;
}
