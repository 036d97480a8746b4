/** One stack's audit: read each declared app from Fly, compare per resource kind, collect findings. */
import type { FlyCertificateDetail, FlyClient } from "../../fly/api/client";
import { auditCertificates } from "./certificates";
import { type DeclaredApp, declaredApps } from "./desired";
import { auditMachines } from "./machines";
import { auditIps, auditSecrets } from "./network";
import type { Finding, LiveApp } from "./types";
import { auditVolumes } from "./volumes";

export interface StackAudit {
  readonly stack: string;
  readonly status: "clean" | "drift" | "error";
  readonly findings: Finding[];
  readonly error?: string;
}

/** Pure: the findings of one app. */
export function auditApp(app: DeclaredApp, live: LiveApp, now: Date): Finding[] {
  if (!live.exists) return [{ app: app.name, resource: app.address, field: "app", expected: app.name, actual: "missing", severity: "drift" }];
  return [
    ...auditMachines(app.machines, live.machines, live.volumes),
    ...auditVolumes(app.volumes, live.volumes, mountedVolumes(app), adoptedVolumeIds(app)),
    ...auditIps(app.ips, live.ips),
    ...auditCertificates(app.certs, live.certificates, now),
    ...auditSecrets(app.secrets, live.secrets),
  ].map((f) => ({ app: app.name, ...f }));
}

/** Names of the volumes the app's declared machines mount (`volume:<name>` once resolved). */
function mountedVolumes(app: DeclaredApp): Set<string> {
  const mounts = app.machines.flatMap((m) => (Array.isArray(m.attrs.mount) ? (m.attrs.mount as { volume?: unknown }[]) : []));
  return new Set(mounts.map((m) => String(m.volume ?? "")).filter((v) => v.startsWith("volume:")).map((v) => v.slice("volume:".length)));
}

/** Ids of the volumes the app's machines mount by id (adopted volumes, not managed by a fly_volume). */
function adoptedVolumeIds(app: DeclaredApp): Set<string> {
  const mounts = app.machines.flatMap((m) => (Array.isArray(m.attrs.mount) ? (m.attrs.mount as { volume?: unknown }[]) : []));
  return new Set(mounts.map((m) => String(m.volume ?? "")).filter((v) => v !== "" && !v.startsWith("volume:") && !v.startsWith("${")));
}

/** Everything the audit needs of one app from Fly. */
export async function readLiveApp(client: FlyClient, app: DeclaredApp): Promise<LiveApp> {
  const found = await client.getApp(app.name);
  if (!found) return { exists: false, machines: [], volumes: [], ips: [], secrets: [], certificates: new Map() };
  const [machines, volumes, ips, secrets] = await Promise.all([
    client.listMachines(app.name),
    app.volumes.length || app.machines.length ? client.listVolumes(app.name) : [],
    client.listIpAssignments(app.name),
    app.secrets.length ? client.listSecrets(app.name) : [],
  ]);
  const certificates = new Map<string, FlyCertificateDetail | undefined>();
  for (const cert of app.certs) certificates.set(String(cert.attrs.hostname), await client.getCertificate(app.name, String(cert.attrs.hostname)));
  return { exists: true, machines, volumes, ips, secrets, certificates };
}

export async function auditStack(stack: string, json: unknown, client: FlyClient, now = new Date()): Promise<StackAudit> {
  try {
    const findings: Finding[] = [];
    for (const app of declaredApps(json)) findings.push(...auditApp(app, await readLiveApp(client, app), now));
    return { stack, status: findings.some((f) => f.severity === "drift") ? "drift" : "clean", findings };
  } catch (error) {
    return { stack, status: "error", findings: [], error: error instanceof Error ? error.message : String(error) };
  }
}
