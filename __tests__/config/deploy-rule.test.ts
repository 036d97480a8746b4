import { formattedIssuesOf, loose, validEnvironment, validService, web } from "./fixtures";

const CANARY = { window: "10m", maxErrorRatio: 2, maxLatencyRatio: 1.5 };

describe("rule deploy: strategies that can run", () => {
  it("accepts blue-green on a group without a volume, and a canary on a rolling group with an http service", () => {
    const env = validEnvironment();
    web(env).deploy = { strategy: "bluegreen" };
    expect(formattedIssuesOf(env)).toEqual([]);
    web(env).deploy = { canary: CANARY };
    web(env).services = [validService()];
    expect(formattedIssuesOf(env)).toEqual([]);
  });

  it("refuses blue-green with a volume, saying why and what to use", () => {
    const env = validEnvironment();
    web(env).deploy = { strategy: "bluegreen" };
    web(env).volume = { name: "data", path: "/data", sizeGb: 1 };
    expect(formattedIssuesOf(env)).toEqual([
      'staging: apps.api.groups.web.deploy.strategy: "bluegreen" needs a group without a volume: a volume attaches to one machine, so the new set could not mount it while the old one runs; use "rolling" (each machine updated in place on its own volume)',
    ]);
  });

  it("refuses blue-green on adopted machines, and names that would pass Fly's 63 characters", () => {
    const env = validEnvironment();
    env.apps.api.name = `acme-${"x".repeat(44)}`;
    web(env).deploy = { strategy: "bluegreen" };
    expect(formattedIssuesOf(env)).toEqual([
      `staging: apps.api.groups.web.deploy.strategy: "bluegreen" names each set's machines <name>-<generation>: "acme-${"x".repeat(44)}-web-iad-1" would grow to 68 characters, over Fly's 63; shorten the app or group name`,
    ]);
    const adopted = loose(validEnvironment());
    adopted.apps.api.groups.web.deploy = { strategy: "bluegreen" };
    adopted.apps.api.adopt = { fingerprint: `sha256:${"0".repeat(64)}`, machines: { "web-iad-1": { id: "e286000000000a", name: "live-web" } } };
    expect(formattedIssuesOf(adopted)).toContain('staging: apps.api.groups.web.deploy.strategy: "bluegreen" replaces every machine under a new name; adopt the group\'s machines with "rolling" first, then switch');
  });

  it("refuses a canary on another strategy, without an http service, or with a window outside 1m to 60m", () => {
    const env = validEnvironment();
    web(env).deploy = { strategy: "immediate", canary: { ...CANARY, window: "90m" } };
    expect(formattedIssuesOf(env)).toEqual([
      'staging: apps.api.groups.web.deploy.canary: canary analysis needs strategy "rolling" (the first machine is the canary), not "immediate"',
      'staging: apps.api.groups.web.deploy.canary.window: "90m" is not a window from 1m to 60m',
      "staging: apps.api.groups.web.deploy.canary: canary analysis needs a service with an http handler: Fly's per-machine series (fly_app_http_responses_count, fly_app_http_response_time_seconds) count only HTTP traffic",
    ]);
  });

  it("the schema states the canary's bounds", () => {
    const env = loose(validEnvironment());
    env.apps.api.groups.web.deploy = { canary: { window: "soon", maxErrorRatio: 0.5, maxLatencyRatio: 1, onInsufficientData: "maybe" } };
    const issues = formattedIssuesOf(env);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringContaining('deploy.canary.window: must be a duration in seconds or minutes, e.g. "600s" or "10m"'),
        expect.stringContaining("deploy.canary.maxErrorRatio: must be at least 1 (the canary may err as often as the others)"),
        expect.stringContaining("deploy.canary.onInsufficientData"),
      ]),
    );
  });
});
