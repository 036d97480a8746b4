import { Construct } from "constructs";
import type { EnvironmentConfig } from "../src/config/types";
import { type MonitoringFiles, monitoringFiles } from "../src/features/alerts";
import { MONITORING_APP_KEY, monitoringAppConfig, monitoringContainers } from "../src/config/monitoring";
import { dashboardJson, environmentDashboards } from "../src/features/dashboards/build";
import { FlyApp } from "./fly-app";

export interface MonitoringAppProps {
  /** The environment it watches: its `monitoring` settings, and the apps the alerts are derived from. */
  readonly environment: EnvironmentConfig;
}

/**
 * An environment's monitoring app (see src/config/monitoring.ts): a FlyApp whose vmalert
 * and Alertmanager containers get the environment's rule file and Alertmanager configuration as
 * files, and (with `monitoring.grafana`) whose Grafana gets its data source and the dashboards. The files are derived from configuration at synthesis, so a change to an app's groups or
 * objectives is a reviewed change of the monitoring machines in the same plan.
 */
export class MonitoringApp extends Construct {
  public readonly app: FlyApp;
  /** What the machines get, as `flystack alerts` prints it. */
  public readonly files: MonitoringFiles;

  constructor(scope: Construct, id: string, props: MonitoringAppProps) {
    super(scope, id);
    const env = props.environment;
    const config = monitoringAppConfig(env);
    const files = monitoringFiles(env);
    if (!config || !files || !env.monitoring) throw new Error(`MonitoringApp: environment ${env.name} sets no monitoring`);
    this.files = files;
    this.app = new FlyApp(this, MONITORING_APP_KEY, {
      ...config,
      appKey: MONITORING_APP_KEY,
      org: env.fly.org,
      environment: env.name,
      protected: env.protected ?? false,
      // With Grafana: the dashboards, byte for byte what `flystack dashboards` writes.
      containers: monitoringContainers(
        env.monitoring,
        { ...files, dashboards: env.monitoring.grafana ? Object.fromEntries(environmentDashboards(env).map((d) => [d.name, dashboardJson(d.dashboard)])) : undefined },
        env.fly.org,
      ),
    });
  }
}
