import { ReleaseHook, shellQuote } from "../../constructs/release-hook";
import { resource, synth } from "./helpers";

describe("ReleaseHook", () => {
  const props = {
    appName: "acme-api",
    image: "registry.fly.io/acme-api:v2",
    command: ["node", "dist/migrate.js", "--note", "it's"],
    region: "iad",
    logicalId: "api_web_release",
  };

  test("runs the command in a one-off machine of the image, after `--` so its own flags reach it, triggered by image and command", () => {
    const json = synth((scope) => new ReleaseHook(scope, "r", props));
    const hook = resource(json, "null_resource", "api_web_release");
    expect(hook.triggers).toEqual({ image: "registry.fly.io/acme-api:v2", command: "node dist/migrate.js --note it's" });
    expect(hook.provisioner).toEqual([
      {
        "local-exec": {
          command: `flyctl machine run registry.fly.io/acme-api:v2 --app acme-api --region iad --rm --env RELEASE_COMMAND=1 -- node dist/migrate.js --note 'it'"'"'s'`,
        },
      },
    ]);
  });

  test("as fly deploy runs a release command: with the group's env, RELEASE_COMMAND=1 and the group's size", () => {
    const json = synth((scope) => new ReleaseHook(scope, "r", { ...props, env: { RAILS_ENV: "production", NOTE: "two words" }, guest: { cpuKind: "performance", cpus: 2, memoryMb: 4096 } }));
    const hook = resource(json, "null_resource", "api_web_release") as { provisioner: { "local-exec": { command: string } }[]; triggers: unknown };
    expect(hook.provisioner[0]["local-exec"].command).toBe(
      "flyctl machine run registry.fly.io/acme-api:v2 --app acme-api --region iad --rm --env RAILS_ENV=production --env 'NOTE=two words' --env RELEASE_COMMAND=1 --vm-cpu-kind performance --vm-cpus 2 --vm-memory 4096 -- node dist/migrate.js --note 'it'\"'\"'s'",
    );
    // Env and size are how it runs, not what triggers it: a new image or command runs it again.
    expect(hook.triggers).toEqual({ image: "registry.fly.io/acme-api:v2", command: "node dist/migrate.js --note it's" });
  });

  test("an empty command is refused", () => {
    expect(() => synth((scope) => new ReleaseHook(scope, "r", { ...props, command: [] }))).toThrow("ReleaseHook: command is empty");
  });

  test.each([
    ["plain", "plain"],
    ["with space", "'with space'"],
    ["$HOME", "'$HOME'"],
    ["a'b", `'a'"'"'b'`],
  ])("shellQuote(%p) = %p", (input, quoted) => {
    expect(shellQuote(input)).toBe(quoted);
  });
});
