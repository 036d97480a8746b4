/**
 * The words on the diagram's nodes, as plain text (escaping for Mermaid is `mermaid-text.ts`'s
 * job). Sizes read the way Fly names them (`shared-cpu-1x`, `performance-2x`), so a label can be
 * compared with `fly machine list` and Fly's pricing page.
 */
import type { App, DnsRecord, GuestSize, MachinePlacement, ProcessGroup, VolumeSet } from "./model";
import { compareText } from "./stack-json";

/** `shared-cpu-1x 512MB`, `performance-2x 4GB`; a machine without a `guest` block gets Fly's default. */
export function guestLabel(guest: GuestSize | undefined): string {
  if (guest === undefined) return "default size";
  const cpu = guest.cpuKind === "shared" ? `shared-cpu-${guest.cpus}x` : `${guest.cpuKind}-${guest.cpus}x`;
  return `${cpu} ${memoryLabel(guest.memoryMb)}`;
}

/** Whole gigabytes as `GB` (Fly's memory steps are 256 MB for shared CPUs, 1 GB for performance). */
export function memoryLabel(memoryMb: number): string {
  return memoryMb >= 1024 && memoryMb % 1024 === 0 ? `${memoryMb / 1024}GB` : `${memoryMb}MB`;
}

function placementLabel(placement: MachinePlacement): string {
  return `${placement.count}× ${guestLabel(placement.guest)} in ${placement.region}`;
}

/** Placements per label line: a group in ten regions stays a block of text, not one very wide node. */
export const PLACEMENTS_PER_LINE = 3;

/**
 * `web: 2× shared-cpu-1x 512MB in iad, 2× shared-cpu-1x 512MB in lhr`, wrapped after every
 * PLACEMENTS_PER_LINE placements, then one line per release command.
 */
export function groupLabelLines(group: ProcessGroup): string[] {
  const placements = group.placements.map(placementLabel);
  const lines: string[] = [];
  for (let start = 0; start < placements.length; start += PLACEMENTS_PER_LINE) {
    const chunk = placements.slice(start, start + PLACEMENTS_PER_LINE).join(", ");
    const last = start + PLACEMENTS_PER_LINE >= placements.length;
    lines.push(`${start === 0 ? `${group.name}: ` : ""}${chunk}${last ? "" : ","}`);
  }
  if (lines.length === 0) lines.push(`${group.name}: no machines`);
  for (const command of group.releaseCommands) lines.push(`release: ${command}`);
  return lines;
}

/** `pg_data ×2, 40 GB each, iad`; a single volume reads `pg_data, 40 GB, iad`. */
export function volumeLabel(volumes: VolumeSet): string {
  const size = volumes.sizeGb === undefined ? "size not set" : `${volumes.sizeGb} GB`;
  if (volumes.count === 1) return `${volumes.name}, ${size}, ${volumes.region}`;
  return `${volumes.name} ×${volumes.count}, ${size}${volumes.sizeGb === undefined ? "" : " each"}, ${volumes.region}`;
}

// Types as `fly_ip.type` takes them; `v4`/`v6` are the names flyctl and older providers use.
const IP_TYPES: ReadonlyMap<string, string> = new Map([
  ["shared_v4", "shared IPv4"],
  ["public_v4", "dedicated IPv4"],
  ["v4", "dedicated IPv4"],
  ["public_v6", "IPv6"],
  ["v6", "IPv6"],
  ["private_v6", "Flycast"],
]);

// Public before private, IPv4 before IPv6: the order a request from the internet tries them.
const IP_ORDER: readonly string[] = ["shared IPv4", "dedicated IPv4", "IPv6", "Flycast"];
const ipRank = (name: string): number => (IP_ORDER.includes(name) ? IP_ORDER.indexOf(name) : IP_ORDER.length);

/** `IPs: shared IPv4, IPv6`, or `no IPs` for an app without any (reachable over 6PN only). */
export function ipsLabel(app: App): string {
  const names = [...new Set(app.ips.map((ip) => IP_TYPES.get(ip.type) ?? ip.type))].sort(
    (a, b) => ipRank(a) - ipRank(b) || compareText(a, b),
  );
  return names.length === 0 ? "no IPs" : `IPs: ${names.join(", ")}`;
}

/** The app node: its Fly app name (the key when the name is not a plain string) and its IPs. */
export function appLabelLines(app: App): string[] {
  return [app.name ?? app.key, ipsLabel(app)];
}

/** `CNAME api.example.com`; Cloudflare-proxied records say so (flystack never proxies its own). */
export function recordLabel(record: DnsRecord): string {
  return `${record.type} ${record.name}${record.proxied ? " (proxied)" : ""}`;
}
