/** Splitting one state into per-app states: every resource lands in exactly one stack, or nothing is written. Pure. */
import { parseState, splitState, StateFileError, targetOf } from "../../src/features/state/split";

const resource = (type: string, name: string) => ({ mode: "managed", type, name, provider: 'provider["registry.terraform.io/ampbase-io/fly"]', instances: [{ attributes: { id: `${type}-${name}` } }] });
const source = {
  version: 4,
  terraform_version: "1.11.4",
  serial: 9,
  lineage: "old",
  outputs: { web_hostnames: { value: ["a"], type: ["list", "string"] }, db_hostnames: { value: ["b"], type: ["list", "string"] } },
  resources: [resource("fly_app", "web"), resource("fly_machine", "web_web_iad_1"), resource("fly_app", "db"), resource("fly_volume", "db_pg_iad_1")],
};
const web = targetOf("prod_web", { resource: { fly_app: { web: {} }, fly_machine: { web_web_iad_1: {} } }, output: { web_hostnames: {} } });
const db = targetOf("prod_db", { resource: { fly_app: { db: {} }, fly_volume: { db_pg_iad_1: {} } }, output: { db_hostnames: {} } });

test("each stack gets the resources and outputs it declares, in a new lineage at serial 1", () => {
  const result = splitState(source, [web, db]);
  expect({ leftovers: result.leftovers, twice: result.claimedTwice }).toEqual({ leftovers: [], twice: [] });
  const w = result.states.get("prod_web")!;
  expect(w.resources?.map((r) => `${r.type}.${r.name}`)).toEqual(["fly_app.web", "fly_machine.web_web_iad_1"]);
  expect(Object.keys(w.outputs ?? {})).toEqual(["web_hostnames"]);
  expect({ version: w.version, serial: w.serial, tf: w.terraform_version }).toEqual({ version: 4, serial: 1, tf: "1.11.4" });
  expect(w.lineage).not.toBe("old");
  expect(w.lineage).not.toBe(result.states.get("prod_db")!.lineage);
  expect(w.resources?.[0]).toBe(source.resources[0]);
});

test("a resource no stack declares, or one two declare, is reported", () => {
  expect(splitState(source, [web]).leftovers).toEqual(["fly_app.db", "fly_volume.db_pg_iad_1"]);
  expect(splitState(source, [web, db, targetOf("prod_x", { resource: { fly_app: { db: {} } } })]).claimedTwice).toEqual(["fly_app.db"]);
});

test("what is not a format-4 state is refused with what was expected", () => {
  expect(() => parseState("nope", "f.tfstate")).toThrow(new StateFileError('f.tfstate is not JSON: expected the output of "terraform state pull"'));
  expect(() => parseState(JSON.stringify({ version: 3, resources: [] }), "f.tfstate")).toThrow(/not a Terraform state of format version 4/);
  expect(parseState(JSON.stringify(source), "f").resources).toHaveLength(4);
});
