/**
 * The Alertmanager configuration of an environment's monitoring app: paging alerts (`severity:
 * page`) to the `page` receiver, the rest to `ticket`. Receiver addresses are secrets: the
 * configuration names files the container writes from them at start, so no secret value is in
 * the configuration, the plan or `flystack alerts`.
 */
import type { MonitoringConfig, ReceiverConfig } from "../../config/types";
import { receiverSecretFile } from "../../config/monitoring";

/** Where the monitoring app's Alertmanager container writes each receiver's secret before it starts: a path inside the container (the image runs as nobody; /tmp is writable). */

/** A receiver's Alertmanager config: each kind reads its address from the file (`*_file` options). */
function receiverConfig(name: string, receiver: ReceiverConfig, secretFile: string, paging: boolean): Record<string, unknown> {
  switch (receiver.kind) {
    case "slack":
      return { name, slack_configs: [{ api_url_file: secretFile, send_resolved: true, title: `${paging ? "[PAGE]" : "[ticket]"} {{ .CommonLabels.alertname }} {{ .CommonLabels.app }}`, text: "{{ range .Alerts }}{{ .Annotations.summary }}\n{{ .Annotations.runbook_url }}\n{{ end }}" }] };
    case "pagerduty":
      // PagerDuty's urgency follows the event's severity: tickets arrive as warnings, not pages.
      return { name, pagerduty_configs: [{ routing_key_file: secretFile, severity: paging ? "critical" : "warning", send_resolved: true }] };
    case "webhook":
      return { name, webhook_configs: [{ url_file: secretFile, send_resolved: true }] };
  }
}

export function alertmanagerConfig(monitoring: MonitoringConfig): Record<string, unknown> {
  const ticket = monitoring.receivers.ticket;
  return {
    route: {
      receiver: "ticket",
      group_by: ["alertname", "environment", "app"],
      group_wait: "30s",
      group_interval: "5m",
      repeat_interval: "4h",
      routes: [{ receiver: "page", matchers: ['severity="page"'], repeat_interval: "1h" }],
    },
    receivers: [
      receiverConfig("page", monitoring.receivers.page, receiverSecretFile("page"), true),
      ticket
        ? receiverConfig("ticket", ticket, receiverSecretFile("ticket"), false)
        : receiverConfig("ticket", monitoring.receivers.page, receiverSecretFile("page"), false),
    ],
  };
}
