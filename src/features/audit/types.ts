import type { FlyCertificateDetail, FlyIpAssignment, FlyMachine, FlySecretName, FlyVolume } from "../../fly/api/client";

export type Severity = "drift" | "warning" | "info";

/** One difference between what a stack declares and what Fly runs. */
export interface Finding {
  readonly app: string;
  /** A Terraform address (fly_machine.web_web_iad_1) or, for something undeclared, the live id. */
  readonly resource: string;
  readonly field: string;
  readonly expected?: unknown;
  readonly actual?: unknown;
  readonly severity: Severity;
}

/** What Fly answered about one app; `exists: false` when the app itself is missing. */
export interface LiveApp {
  readonly exists: boolean;
  readonly machines: readonly FlyMachine[];
  readonly volumes: readonly FlyVolume[];
  readonly ips: readonly FlyIpAssignment[];
  readonly secrets: readonly FlySecretName[];
  /** By hostname; undefined: no certificate. */
  readonly certificates: ReadonlyMap<string, FlyCertificateDetail | undefined>;
}
