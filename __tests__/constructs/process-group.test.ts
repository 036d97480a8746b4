import { ProcessGroup, type ProcessGroupProps } from "../../constructs/process-group";
import { resource, resources, synth } from "./helpers";

const IMAGE = "registry.fly.io/acme-api:v1.0.0";

function props(overrides: Partial<ProcessGroupProps> = {}): ProcessGroupProps {
  return {
    appName: "acme-api",
    appKey: "api",
    groupName: "web",
    environment: "staging",
    image: IMAGE,
    guest: { cpuKind: "shared", cpus: 1, memoryMb: 512 },
    regions: ["iad", "lhr"],
    count: 2,
    ...overrides,
  };
}

describe("ProcessGroup", () => {
  test("count machines per region, primary region first, named and addressed by app, group, region and index", () => {
    const json = synth((scope) => new ProcessGroup(scope, "g", props()));
    expect(Object.keys(resources(json, "fly_machine"))).toEqual(["api_web_iad_1", "api_web_iad_2", "api_web_lhr_1", "api_web_lhr_2"]);
    expect(resource(json, "fly_machine", "api_web_lhr_2")).toMatchObject({
      app: "acme-api",
      name: "acme-api-web-lhr-2",
      region: "lhr",
      image: IMAGE,
      guest: { cpu_kind: "shared", cpus: 1, memory_mb: 512 },
    });
  });

  test("metadata marks each machine as managed by flystack and names its group", () => {
    const json = synth((scope) => new ProcessGroup(scope, "g", props()));
    expect(resource(json, "fly_machine", "api_web_iad_1").metadata).toEqual({
      fly_process_group: "web",
      flystack_managed_by: "flystack",
      flystack_environment: "staging",
      flystack_group: "web",
    });
  });

  test("rolling (the default) chains each machine on the one before it, the first acting as canary", () => {
    const json = synth((scope) => new ProcessGroup(scope, "g", props()));
    const dependsOn = (id: string) => resource(json, "fly_machine", id).depends_on;
    expect(dependsOn("api_web_iad_1")).toBeUndefined();
    expect(dependsOn("api_web_iad_2")).toEqual(["fly_machine.api_web_iad_1"]);
    expect(dependsOn("api_web_lhr_1")).toEqual(["fly_machine.api_web_iad_2"]);
    expect(dependsOn("api_web_lhr_2")).toEqual(["fly_machine.api_web_lhr_1"]);
  });

  test("immediate updates all machines at once: no chain", () => {
    const json = synth((scope) => new ProcessGroup(scope, "g", props({ deploy: { strategy: "immediate" } })));
    for (const machine of Object.values(resources(json, "fly_machine"))) expect(machine.depends_on).toBeUndefined();
  });

  test("a release command runs before every machine of the group", () => {
    const json = synth((scope) => new ProcessGroup(scope, "g", props({ release: { command: ["npm", "run", "migrate"] }, deploy: { strategy: "immediate" } })));
    expect(resource(json, "null_resource", "api_web_release").triggers).toEqual({ image: IMAGE, command: "npm run migrate" });
    for (const machine of Object.values(resources(json, "fly_machine"))) expect(machine.depends_on).toEqual(["null_resource.api_web_release"]);
  });

  test("a volume per machine, in the machine's region, mounted by that machine only", () => {
    const json = synth((scope) =>
      new ProcessGroup(scope, "g", props({ volume: { name: "data", path: "/data", sizeGb: 3 }, regions: ["iad"], count: 2 })),
    );
    expect(Object.keys(resources(json, "fly_volume"))).toEqual(["api_web_iad_1", "api_web_iad_2"]);
    expect(resource(json, "fly_volume", "api_web_iad_2")).toMatchObject({ name: "data_iad_2", region: "iad", size_gb: 3, compute: { cpu_kind: "shared", cpus: 1, memory_mb: 512 } });
    expect(resource(json, "fly_machine", "api_web_iad_2").mount).toEqual([{ volume: "${fly_volume.api_web_iad_2.id}", path: "/data" }]);
  });

  test("a machine is replaced with its volume (Fly cannot swap a mount in place); a machine without a volume has no trigger", () => {
    const json = synth((scope) => {
      new ProcessGroup(scope, "g", props({ volume: { name: "data", path: "/data", sizeGb: 3 }, regions: ["iad"], count: 2 }));
      new ProcessGroup(scope, "h", props({ appKey: "worker", groupName: "jobs", regions: ["iad"], count: 1 }));
    });
    expect(resource(json, "fly_machine", "api_web_iad_1").lifecycle).toEqual({ replace_triggered_by: ["fly_volume.api_web_iad_1.id"] });
    expect(resource(json, "fly_machine", "api_web_iad_2").lifecycle).toEqual({ replace_triggered_by: ["fly_volume.api_web_iad_2.id"] });
    expect(resource(json, "fly_machine", "worker_jobs_iad_1").lifecycle).toBeUndefined();
  });

  test("minMachinesRunning keeps autostop off on the first machines of the primary region only", () => {
    const service = { internalPort: 8080, ports: [{ port: 443, handlers: ["tls" as const, "http" as const] }], autostop: "stop" as const, minMachinesRunning: 1 };
    const json = synth((scope) => new ProcessGroup(scope, "g", props({ services: [service] })));
    const autostop = (id: string) => (resource(json, "fly_machine", id).service as { autostop: string }[])[0].autostop;
    expect([autostop("api_web_iad_1"), autostop("api_web_iad_2"), autostop("api_web_lhr_1"), autostop("api_web_lhr_2")]).toEqual(["off", "stop", "stop", "stop"]);
  });

  test("a service maps ports, handlers, concurrency and checks (defaulting the check port to the internal port)", () => {
    const service = {
      internalPort: 8080,
      ports: [{ port: 443, handlers: ["tls" as const, "http" as const] }],
      concurrency: { type: "requests" as const, softLimit: 20, hardLimit: 25 },
      checks: [{ type: "http" as const, path: "/health" }],
    };
    const json = synth((scope) => new ProcessGroup(scope, "g", props({ services: [service], regions: ["iad"], count: 1 })));
    expect(resource(json, "fly_machine", "api_web_iad_1").service).toEqual([
      {
        internal_port: 8080,
        protocol: "tcp",
        autostart: true,
        autostop: "off",
        port: [{ port: 443, handlers: ["tls", "http"] }],
        concurrency: [{ type: "requests", soft_limit: 20, hard_limit: 25 }],
        check: [{ type: "http", port: 8080, path: "/health", interval: "15s", timeout: "5s" }],
      },
    ]);
  });

  test("machine-level checks get unique names and defaults", () => {
    const json = synth((scope) => new ProcessGroup(scope, "g", props({ checks: [{ type: "tcp", port: 9090 }], regions: ["iad"], count: 1 })));
    expect(resource(json, "fly_machine", "api_web_iad_1").check).toEqual([
      { name: "tcp_9090_0", type: "tcp", port: 9090, interval: "15s", timeout: "5s", grace_period: "10s" },
    ]);
  });

  test("a group named as Fly allows (web_service) keeps its name in metadata; its machines' names write it as a hostname label", () => {
    const json = synth((scope) => new ProcessGroup(scope, "g", props({ groupName: "web_service", regions: ["iad"], count: 1 })));
    const machine = resource(json, "fly_machine", "api_web_service_iad_1") as { name: string; metadata: Record<string, string> };
    expect(machine.name).toBe("acme-api-web-service-iad-1");
    expect(machine.metadata.fly_process_group).toBe("web_service");
  });

  test("a machine-level check keeps the name it is given (tools look checks up by name, e.g. flyctl's Postgres commands by `role`)", () => {
    const json = synth((scope) => new ProcessGroup(scope, "g", props({ checks: [{ type: "http", port: 5500, path: "/flycheck/role", name: "role" }, { type: "tcp", port: 5432 }], regions: ["iad"], count: 1 })));
    expect((resource(json, "fly_machine", "api_web_iad_1").check as { name: string }[]).map((c) => c.name)).toEqual(["role", "tcp_5432_1"]);
  });

  test("without a command the machine runs the image with plain env; with one, a single container carries command, env and secrets", () => {
    const plain = synth((scope) => new ProcessGroup(scope, "g", props({ env: { A: "1" }, regions: ["iad"], count: 1 })));
    expect(resource(plain, "fly_machine", "api_web_iad_1")).toMatchObject({ env: { A: "1" } });
    expect(resource(plain, "fly_machine", "api_web_iad_1").container).toBeUndefined();

    const withCommand = synth((scope) =>
      new ProcessGroup(scope, "g", props({ env: { A: "1" }, command: ["node", "server.js"], secretNames: ["DATABASE_URL"], regions: ["iad"], count: 1 })),
    );
    const machine = resource(withCommand, "fly_machine", "api_web_iad_1");
    expect(machine.env).toBeUndefined();
    expect(machine.container).toEqual([
      { name: "web", image: IMAGE, cmd: ["node", "server.js"], env: { A: "1" }, secret: [{ env_var: "DATABASE_URL", name: "DATABASE_URL" }] },
    ]);
  });

  test("minSecretsVersion is passed to every machine", () => {
    const json = synth((scope) => new ProcessGroup(scope, "g", props({ minSecretsVersion: 4, regions: ["iad"], count: 1 })));
    expect(resource(json, "fly_machine", "api_web_iad_1").min_secrets_version).toBe(4);
  });

  test.each([
    [{ count: 0 }, "ProcessGroup web: count is 0; it must be a whole number of at least 1"],
    [{ regions: [] }, "ProcessGroup web: regions is empty; list at least one Fly region"],
    [{ guest: { cpuKind: "performance" as const, cpus: 1, memoryMb: 1024 } }, "ProcessGroup web: 1024 MB is not valid for performance-cpu-1x: allowed 2048 to 8192 MB in steps of 1024 MB"],
  ])("bad props fail early: %p", (overrides, message) => {
    expect(() => synth((scope) => new ProcessGroup(scope, "g", props(overrides)))).toThrow(message);
  });
});
