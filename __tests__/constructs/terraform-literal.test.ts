/**
 * Literal strings from configuration reach Terraform as written: `${` and `%{` are escaped
 * (src/util/terraform-literal.ts) where values enter the constructs, and cdktf's references are not.
 * The last test asks a real Terraform what the escaped value becomes.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App, TerraformOutput, TerraformStack, Testing } from "cdktf";
import { EnvironmentStack } from "../../stacks/environment-stack";
import { hasTemplateSequence, terraformLiteral } from "../../src/util/terraform-literal";
import { validEnvironment, web } from "../config/fixtures";
import type { EnvironmentConfig } from "../../src/config/types";
import { formattedIssuesOf } from "../config/fixtures";
import { terraformAvailable } from "../cli/harness";

const VALUE = "price is ${5} and %{if x}y%{endif}";
const ESCAPED = "price is $${5} and %%{if x}y%%{endif}";

describe("terraformLiteral", () => {
  test.each([
    [VALUE, ESCAPED],
    ["no templates", "no templates"],
    ["$${already}", "$$${already}"],
    ["a $ b % c {d}", "a $ b % c {d}"],
    ["${TfToken[TOKEN.12]}-web-${x}", "${TfToken[TOKEN.12]}-web-$${x}"],
  ])("%s → %s", (input, output) => {
    expect(terraformLiteral(input)).toBe(output);
  });

  test("hasTemplateSequence tells live templates from escaped ones", () => {
    expect(hasTemplateSequence("${var.image}")).toBe(true);
    expect(hasTemplateSequence("a %{if x}")).toBe(true);
    expect(hasTemplateSequence(ESCAPED)).toBe(false);
    expect(hasTemplateSequence("$$${x}")).toBe(false);
  });
});

describe("the constructs escape literal values and keep references", () => {
  function machineOf(env: ReturnType<typeof validEnvironment>): Record<string, unknown> {
    expect(formattedIssuesOf(env)).toEqual([]);
    const app = new App({ stackTraces: false });
    const stack = new EnvironmentStack(app, "staging", { environment: env as EnvironmentConfig });
    const json = JSON.parse(Testing.synth(stack)) as { resource: Record<string, Record<string, Record<string, unknown>>> };
    return json.resource.fly_machine.api_web_iad_1;
  }

  test("env, check paths, a command and the release command", () => {
    const env = validEnvironment();
    web(env).env = { PRICE: VALUE };
    web(env).checks = [{ type: "http", port: 8080, path: "/health?q=${x}" }];
    const machine = machineOf(env);
    expect(machine.env).toEqual({ PRICE: ESCAPED });
    expect((machine.check as { path: string }[])[0].path).toBe("/health?q=$${x}");
    // The references the constructs make stay references.
    expect(machine.app).toBe("${fly_app.api.name}");
    expect(machine.name).toBe("${fly_app.api.name}-web-iad-1");

    web(env).env = undefined;
    web(env).command = ["echo", VALUE];
    web(env).release = { command: ["sh", "-c", "echo %{x}"] };
    const withCommand = machineOf(env);
    expect((withCommand.container as { cmd: string[] }[])[0].cmd).toEqual(["echo", ESCAPED]);
  });

  test("the release hook's command line and triggers", () => {
    const env = validEnvironment();
    web(env).release = { command: ["sh", "-c", "echo ${HOME}"] };
    const app = new App({ stackTraces: false });
    const stack = new EnvironmentStack(app, "staging", { environment: env as EnvironmentConfig });
    const json = JSON.parse(Testing.synth(stack)) as { resource: Record<string, Record<string, Record<string, unknown>>> };
    const hook = json.resource.null_resource.api_web_release as { triggers: Record<string, string>; provisioner: { "local-exec": { command: string } }[] };
    expect(hook.triggers.command).toBe("sh -c echo $${HOME}");
    expect(hook.provisioner[0]["local-exec"].command).toMatch(/^flyctl machine run registry\.fly\.io\/acme-api:v1\.42\.0 --app '\$\{fly_app\.api\.name\}' --region iad --rm .*-- sh -c 'echo \$\$\{HOME\}'$/);
  });
});

describe("real Terraform writes the escaped value back as the literal", () => {
  const available = terraformAvailable();
  (available ? test : test.skip)("terraform apply (local state) then terraform output -json equals the literal", () => {
    // The value as the constructs write it into a machine's env, in a stack Terraform runs without providers.
    const env = validEnvironment();
    const literal = `${VALUE} $\${kept} %%{kept} and a "quote"\nnewline`;
    web(env).env = { PRICE: literal };
    const machineApp = new App({ stackTraces: false });
    const machineStack = new EnvironmentStack(machineApp, "staging", { environment: env as EnvironmentConfig });
    const synthesized = JSON.parse(Testing.synth(machineStack)) as { resource: { fly_machine: Record<string, { env: Record<string, string> }> } };
    const written = synthesized.resource.fly_machine.api_web_iad_1.env.PRICE;

    const app = Testing.app({ stackTraces: false });
    const stack = new TerraformStack(app, "literal");
    new TerraformOutput(stack, "from_helper", { value: terraformLiteral(literal) });
    new TerraformOutput(stack, "from_machine", { value: written });
    stack.addOverride("resource.terraform_data.carrier", { input: terraformLiteral(literal) });
    new TerraformOutput(stack, "from_resource", { value: "${terraform_data.carrier.output}" });

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-literal-"));
    try {
      fs.writeFileSync(path.join(dir, "main.tf.json"), Testing.synth(stack));
      const run = (...args: string[]) => {
        const result = spawnSync("terraform", args, { cwd: dir, encoding: "utf8", env: { ...process.env, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1" } });
        if (result.status !== 0) throw new Error(`terraform ${args.join(" ")} failed:\n${result.stderr}`);
        return result.stdout;
      };
      run("init", "-input=false", "-backend=false");
      run("apply", "-auto-approve", "-input=false", "-no-color");
      const outputs = JSON.parse(run("output", "-json")) as Record<string, { value: string }>;
      expect(outputs.from_helper.value).toBe(literal);
      expect(outputs.from_machine.value).toBe(literal);
      expect(outputs.from_resource.value).toBe(literal);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
