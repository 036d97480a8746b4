/**
 * The monitoring files as a synthesized stack deploys them: read back from the monitoring machines'
 * container `file` blocks in cdk.tf.json (base64 `raw_value`), so `flystack alerts` shows exactly
 * what a plan of that stack would write into the machines.
 */
import { isObject } from "../../util/json-object";
import { MONITORING_FILES } from "../../config/monitoring";

export interface DeployedMonitoring {
  /** The monitoring app's Fly name. */
  readonly app: string;
  /** The rule file vmalert evaluates. */
  readonly rules: string;
  /** Alertmanager's configuration. */
  readonly alertmanager: string;
}

/** The monitoring app's files in a stack (or an environment's stacks merged), or undefined when it deploys none. */
export function deployedMonitoring(stackJson: unknown): DeployedMonitoring | undefined {
  const resource = isObject(stackJson) && isObject(stackJson.resource) ? stackJson.resource : {};
  const machines = isObject(resource.fly_machine) ? Object.values(resource.fly_machine) : [];
  const apps = isObject(resource.fly_app) ? resource.fly_app : {};
  const files = new Map<string, string>();
  let app: string | undefined;
  for (const machine of machines) {
    if (!isObject(machine) || !Array.isArray(machine.container)) continue;
    for (const container of machine.container) {
      if (!isObject(container) || !Array.isArray(container.file)) continue;
      for (const file of container.file) {
        if (!isObject(file) || typeof file.guest_path !== "string" || typeof file.raw_value !== "string") continue;
        if (file.guest_path !== MONITORING_FILES.rules && file.guest_path !== MONITORING_FILES.alertmanager) continue;
        files.set(file.guest_path, Buffer.from(file.raw_value, "base64").toString("utf8"));
        app ??= appName(machine.app, apps);
      }
    }
  }
  const rules = files.get(MONITORING_FILES.rules);
  const alertmanager = files.get(MONITORING_FILES.alertmanager);
  if (rules === undefined || alertmanager === undefined) return undefined;
  return { app: app ?? "", rules, alertmanager };
}

/** `${fly_app.monitoring.name}` → the app's configured name. */
function appName(reference: unknown, apps: Record<string, unknown>): string {
  const match = typeof reference === "string" ? /^\$\{fly_app\.([\w-]+)\.name\}$/.exec(reference) : null;
  const app = match ? apps[match[1]] : undefined;
  return isObject(app) && typeof app.name === "string" ? app.name : String(reference);
}
