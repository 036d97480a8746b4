import { compareLock, describeDifferences, lockOf, parseLock, renderLock, statefulAddresses } from "../../src/features/lock/stateful-addresses";

const stack = (resources: Record<string, string[]>) => ({
  resource: Object.fromEntries(Object.entries(resources).map(([type, names]) => [type, Object.fromEntries(names.map((n) => [n, {}]))])),
});

describe("stateful-address lock", () => {
  test("locks apps, volumes, certificates, DNS records and secrets, sorted; machines, IPs and hooks are not locked", () => {
    const json = stack({
      fly_volume: ["db_pg_iad_1"],
      fly_machine: ["db_pg_iad_1"],
      fly_app: ["db", "api"],
      fly_ip: ["api_ipv6"],
      null_resource: ["api_web_release"],
      fly_secret: ["api_TOKEN"],
      fly_cert: ["api_example_com"],
      cloudflare_dns_record: ["api_example_com_a"],
    });
    expect(statefulAddresses(json)).toEqual([
      "cloudflare_dns_record.api_example_com_a",
      "fly_app.api",
      "fly_app.db",
      "fly_cert.api_example_com",
      "fly_secret.api_TOKEN",
      "fly_volume.db_pg_iad_1",
    ]);
    expect(statefulAddresses({})).toEqual([]);
  });

  test("renders and parses back; a file that is not a lock is refused", () => {
    const lock = lockOf([{ name: "qa", json: stack({ fly_app: ["api"] }) }, { name: "dev", json: stack({ fly_volume: ["v"] }) }]);
    const text = renderLock(lock);
    expect(Object.keys(JSON.parse(text).environments)).toEqual(["dev", "qa"]);
    expect(parseLock(text)).toEqual(lock);
    expect(parseLock("{}")).toBeUndefined();
    expect(parseLock("not json")).toBeUndefined();
    expect(parseLock(JSON.stringify({ environments: { qa: [1] } }))).toBeUndefined();
  });

  test("differences name each address that would be destroyed or created, per environment, and new environments", () => {
    const committed = { environments: { qa: ["fly_app.api", "fly_volume.db_pg_iad_1"] } };
    const current = { environments: { qa: ["fly_app.api", "fly_volume.db_pg_lhr_1"], dev: ["fly_app.api"] } };
    const differences = compareLock(committed, current);
    expect(differences).toEqual([
      { environment: "dev", appeared: ["fly_app.api"], disappeared: [] },
      { environment: "qa", appeared: ["fly_volume.db_pg_lhr_1"], disappeared: ["fly_volume.db_pg_iad_1"] },
    ]);
    expect(describeDifferences(differences)).toEqual([
      "dev: fly_app.api is new: Terraform would create it",
      "qa: fly_volume.db_pg_iad_1 is in stateful-addresses.lock.json but no longer synthesized: Terraform would destroy it (and its data)",
      "qa: fly_volume.db_pg_lhr_1 is new: Terraform would create it",
    ]);
    expect(compareLock(current, current)).toEqual([]);
  });
});
