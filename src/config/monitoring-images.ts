/**
 * The monitoring app's images, pinned by digest (guardrail FLY003): a tag can be moved, a digest
 * cannot. Bump the tag and the digest together, from the registry (`docker buildx imagetools
 * inspect <image>:<tag>` prints the index digest).
 */
export const MONITORING_IMAGES = {
  /** VictoriaMetrics' rule evaluator: runs Prometheus alerting rules against a Prometheus query API. */
  vmalert: "victoriametrics/vmalert:v1.145.0@sha256:5f241da926a531c11f870e7fec6dfa29fc7e34a0bd9ac573d2c9200dd9ab5f36",
  /** Prometheus' alert router: groups, silences and sends alerts to Slack, PagerDuty or a webhook. */
  alertmanager: "prom/alertmanager:v0.33.0@sha256:af26fbe4dd1886ac0efd7bd55cd9027da262e105b137a376522b7c14c3626e4a",
  /** Dashboards (monitoring.grafana): Grafana OSS, its entrypoint /run.sh. */
  grafana: "grafana/grafana:12.3.1@sha256:2175aaa91c96733d86d31cf270d5310b278654b03f5718c59de12a865380a31f",
} as const;
