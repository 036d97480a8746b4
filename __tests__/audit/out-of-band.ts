/**
 * The audit's fixture environment and the changes made behind Terraform's back (as flyctl would) that
 * the audit must find: shared by the CLI suite (audit-cli.test.ts) and the answer-form suite
 * (audit-variants.test.ts), which runs every case under every form Fly's answers come in.
 */
import type { Finding } from "../../src/features/audit/types";
import type { Loop } from "../fly-in-the-loop/loop";
import { IMAGE_V2, type LoopEnvironment, loopEnvironment } from "../fixtures/environments";

/**
 * The loop fixture, with: a second web group whose service lets Fly Proxy stop its machine; a
 * machine-level check whose interval Fly writes as "1m0s"; a restart policy; a metrics endpoint; a
 * private Flycast address on the database; and an api machine running a command (one container).
 */
export function auditEnvironment(name = "audit"): LoopEnvironment {
  const env = loopEnvironment(name);
  const web = env.apps.web.groups.web;
  // JSON copies: the configuration takes plain data only.
  const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
  web.checks = [{ type: "tcp", port: 8080, interval: "1m", timeout: "5s", gracePeriod: "30s" }];
  web.metrics = { port: 9091 };
  env.apps.web.groups.idle = { ...copy(web), regions: ["iad"], count: 1, services: [{ ...copy(web.services![0]), autostop: "stop" }] };
  env.apps.db.ips = { sharedIpv4: false, ipv6: false, flycast: true };
  // A command makes the machine run one container (with the app's secrets): its fields are audited too.
  env.apps.api.groups.app = { ...copy(env.apps.api.groups.app), command: ["bin/api", "--port", "8080"], restart: { policy: "always" } };
  return env;
}

export interface OutOfBandCase {
  readonly name: string;
  readonly change: () => void | Promise<unknown>;
  readonly undo: () => void | Promise<unknown>;
  readonly expected: Partial<Finding> | Partial<Finding>[];
}

/** Each case changes one thing and undoes it, leaving the environment as deployed. */
export function outOfBandCases(loop: Loop, env: LoopEnvironment): OutOfBandCase[] {
  const web = env.apps.web.name;
  const db = env.apps.db.name;
  const machineNamed = (app: string, name: string) => loop.fly.machinesOf(app).find((m) => m.name === name)!;
  const webMachine = () => machineNamed(web, `${web}-web-iad-1`);
  const idleMachine = () => machineNamed(web, `${web}-idle-iad-1`);
  const apiMachine = () => machineNamed(env.apps.api.name, `${env.apps.api.name}-app-iad-1`);
  const dbVolume = () => loop.fly.volumesOf(db)[0];
  const withService = (m: ReturnType<typeof webMachine>, patch: Record<string, unknown>) => ({ services: m.config!.services!.map((s) => ({ ...s, ...patch })) });
  return [
    {
      name: "image changed out of band",
      change: () => loop.fly.updateMachineOutOfBand(webMachine().id!, { image: IMAGE_V2 }),
      undo: () => loop.fly.updateMachineOutOfBand(webMachine().id!, { image: env.apps.web.groups.web.image }),
      expected: { app: web, resource: "fly_machine.web_web_iad_1", field: "image", actual: IMAGE_V2 },
    },
    {
      name: "guest resized",
      change: () => loop.fly.updateMachineOutOfBand(webMachine().id!, { guest: { ...webMachine().config!.guest, memory_mb: 1024 } }),
      undo: () => loop.fly.updateMachineOutOfBand(webMachine().id!, { guest: { ...webMachine().config!.guest, memory_mb: 256 } }),
      expected: { app: web, resource: "fly_machine.web_web_iad_1", field: "guest.memory_mb", expected: 256, actual: 1024 },
    },
    {
      name: "env var added",
      change: () => loop.fly.updateMachineOutOfBand(webMachine().id!, { env: { ...webMachine().config!.env, DEBUG: "1" } }),
      undo: () => {
        const { DEBUG: _debug, ...rest } = webMachine().config!.env ?? {};
        loop.fly.updateMachineOutOfBand(webMachine().id!, { env: rest });
      },
      expected: { app: web, resource: "fly_machine.web_web_iad_1", field: "env", actual: "added DEBUG" },
    },
    {
      name: "autostop turned on (fly scale / fly deploy with auto_stop_machines)",
      change: () => loop.fly.updateMachineOutOfBand(webMachine().id!, withService(webMachine(), { autostop: "stop" })),
      undo: () => loop.fly.updateMachineOutOfBand(webMachine().id!, withService(webMachine(), { autostop: "off" })),
      expected: { app: web, resource: "fly_machine.web_web_iad_1", field: "services" },
    },
    {
      name: "autostop turned off where the code allows it",
      change: () => loop.fly.updateMachineOutOfBand(idleMachine().id!, withService(idleMachine(), { autostop: "off" })),
      undo: () => loop.fly.updateMachineOutOfBand(idleMachine().id!, withService(idleMachine(), { autostop: "stop" })),
      expected: { app: web, resource: "fly_machine.web_idle_iad_1", field: "services" },
    },
    {
      name: "a service check's interval changed",
      change: () => loop.fly.updateMachineOutOfBand(webMachine().id!, { services: webMachine().config!.services!.map((s) => ({ ...s, checks: s.checks!.map((c) => ({ ...c, interval: "30s" })) })) }),
      undo: () => loop.fly.updateMachineOutOfBand(webMachine().id!, { services: webMachine().config!.services!.map((s) => ({ ...s, checks: s.checks!.map((c) => ({ ...c, interval: "10s" })) })) }),
      expected: { app: web, resource: "fly_machine.web_web_iad_1", field: "services" },
    },
    {
      name: "a machine check's grace period changed",
      change: () => loop.fly.updateMachineOutOfBand(webMachine().id!, { checks: Object.fromEntries(Object.entries(webMachine().config!.checks!).map(([k, c]) => [k, { ...c, grace_period: "1m" }])) }),
      undo: () => loop.fly.updateMachineOutOfBand(webMachine().id!, { checks: Object.fromEntries(Object.entries(webMachine().config!.checks!).map(([k, c]) => [k, { ...c, grace_period: "30s" }])) }),
      expected: { app: web, resource: "fly_machine.web_web_iad_1", field: "checks" },
    },
    {
      name: "machine added by hand (clone)",
      change: () => void loop.fly.cloneMachineOutOfBand(webMachine().id!, "by-hand"),
      undo: () => loop.fly.destroyMachineOutOfBand(machineNamed(web, "by-hand").id!),
      expected: { app: web, field: "machine", expected: "none" },
    },
    {
      name: "volume extended",
      change: () => loop.fly.resizeVolumeOutOfBand(dbVolume().id!, 10),
      undo: () => loop.fly.resizeVolumeOutOfBand(dbVolume().id!, 3),
      expected: { app: db, resource: "fly_volume.db_pg_iad_1", field: "size_gb", expected: 3, actual: 10 },
    },
    {
      name: "certificate expiring in 5 days",
      change: () => loop.fly.expireCertificate(`web-${env.name}.example.net`, 5),
      undo: () => loop.fly.expireCertificate(`web-${env.name}.example.net`, 80),
      expected: { app: web, field: "expires_at" },
    },
    {
      name: "a container's command changed",
      change: () => loop.fly.updateMachineOutOfBand(apiMachine().id!, { containers: apiMachine().config!.containers!.map((c) => ({ ...c, cmd: ["bin/api", "--debug"] })) }),
      undo: () => loop.fly.updateMachineOutOfBand(apiMachine().id!, { containers: apiMachine().config!.containers!.map((c) => ({ ...c, cmd: ["bin/api", "--port", "8080"] })) }),
      expected: { app: env.apps.api.name, resource: "fly_machine.api_app_iad_1", field: "containers.app.cmd", expected: ["bin/api", "--port", "8080"], actual: ["bin/api", "--debug"] },
    },
    {
      name: "snapshot retention lowered (fly volumes update --snapshot-retention 1)",
      change: () => loop.send("PUT", `/v1/apps/${db}/volumes/${dbVolume().id}`, { snapshot_retention: 1 }),
      undo: () => loop.send("PUT", `/v1/apps/${db}/volumes/${dbVolume().id}`, { snapshot_retention: 7 }),
      expected: { app: db, resource: "fly_volume.db_pg_iad_1", field: "snapshot_retention", expected: 7, actual: 1 },
    },
    {
      name: "a public IPv4 allocated by hand (fly ips allocate-v4)",
      change: () => loop.send("POST", `/v1/apps/${db}/ip_assignments`, { type: "v4" }),
      undo: async () => {
        for (const ip of loop.fly.ipsOf(db).filter((i) => !i.ip?.startsWith("fdaa:"))) await loop.send("DELETE", `/v1/apps/${db}/ip_assignments/${ip.ip}`);
      },
      expected: { app: db, field: "ip", expected: "none" },
    },
    {
      name: "the database's Flycast address released (fly ips release)",
      change: async () => {
        for (const ip of loop.fly.ipsOf(db)) await loop.send("DELETE", `/v1/apps/${db}/ip_assignments/${ip.ip}`);
      },
      undo: () => loop.send("POST", `/v1/apps/${db}/ip_assignments`, { type: "private_v6", org_slug: env.fly.org }),
      expected: { app: db, resource: "fly_ip.db_flycast", field: "ip", expected: "private_v6", actual: "missing" },
    },
    {
      name: "a certificate that fails validation (expired, its DNS gone)",
      change: () => {
        loop.fly.setDnsLookup(() => []);
        loop.fly.expireCertificate(`web-${env.name}.example.net`, -1);
      },
      undo: () => loop.restoreDns(),
      expected: [
        { app: web, resource: `fly_cert.web_web_${env.name}_example_net`, field: "configured", expected: true },
        { app: web, resource: `fly_cert.web_web_${env.name}_example_net`, field: "validation_errors", expected: "none" },
      ],
    },
  ];
}
