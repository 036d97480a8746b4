/** Reads everything `flystack import app` needs of one live app through the audit's Fly client. */
import type { FlyCertificateSummary, FlyClient, FlyIpAssignment, FlyMachine, FlySecretName, FlyVolume } from "../../../fly/api/client";

export interface LiveAppSnapshot {
  readonly name: string;
  readonly org?: string;
  readonly machines: readonly FlyMachine[];
  readonly volumes: readonly FlyVolume[];
  readonly ips: readonly FlyIpAssignment[];
  readonly certificates: readonly FlyCertificateSummary[];
  /** Names (and digests) only: Fly never returns a secret's value. */
  readonly secrets: readonly FlySecretName[];
}

/** undefined when Fly has no app of that name. */
export async function readLiveApp(client: FlyClient, name: string): Promise<LiveAppSnapshot | undefined> {
  const app = await client.getApp(name);
  if (!app) return undefined;
  const [machines, volumes, ips, certificates, secrets] = await Promise.all([
    client.listMachines(name),
    client.listVolumes(name),
    client.listIpAssignments(name),
    client.listCertificates(name),
    client.listSecrets(name),
  ]);
  const alive = <T extends { state?: string }>(list: readonly T[]) => list.filter((x) => !["destroyed", "destroying", "pending_destroy"].includes(x.state ?? ""));
  return { name, org: app.organization?.slug, machines: alive(machines), volumes: alive(volumes), ips, certificates, secrets };
}
