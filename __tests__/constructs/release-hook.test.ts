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

  test("runs the command in a one-off machine of the image, triggered by image and command", () => {
    const json = synth((scope) => new ReleaseHook(scope, "r", props));
    const hook = resource(json, "null_resource", "api_web_release");
    expect(hook.triggers).toEqual({ image: "registry.fly.io/acme-api:v2", command: "node dist/migrate.js --note it's" });
    expect(hook.provisioner).toEqual([
      {
        "local-exec": {
          command: `flyctl machine run registry.fly.io/acme-api:v2 node dist/migrate.js --note 'it'"'"'s' --app acme-api --region iad --rm`,
        },
      },
    ]);
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
