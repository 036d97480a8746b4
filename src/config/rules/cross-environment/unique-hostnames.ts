import { quote } from "../../issue";
import { type Claim, type CrossEnvironmentRule, describeClaim, domainsOf } from "./rule";

/**
 * A custom hostname belongs to one environment.
 *
 * What is wrong: two environments list the same hostname in their apps' `domains` (typically an
 * environment file copied from another one with its hostnames left as they were).
 * Why it matters: each environment would request its own Fly certificate for the hostname and
 * point its DNS at its own app, so whichever applies last silently takes the other's traffic and
 * certificate; destroying either environment would take the hostname down for both. This holds
 * even when the two environments use different DNS zones (a zone delegated inside another).
 */
export const uniqueHostnames: CrossEnvironmentRule = {
  id: "cross-environment-hostnames",
  check: (environments) => {
    const owner = new Map<string, Claim>();
    return environments.flatMap(({ file, config }) =>
      domainsOf(config).flatMap(({ hostname, path }) => {
        const other = owner.get(hostname);
        if (other === undefined) {
          owner.set(hostname, { file, path });
          return [];
        }
        // Twice in one environment is hostnames-in-zone's to report.
        if (other.file === file) return [];
        return [{ environment: file, path, message: `hostname ${quote(hostname)} is also claimed by ${describeClaim(other)}; each environment needs its own hostnames` }];
      }),
    );
  },
};
