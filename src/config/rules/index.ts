import type { ConfigRule } from "./rule";
import { knownRegions } from "./known-regions";
import { guestSize } from "./guest-size";
import { pinnedImages } from "./pinned-images";
import { volumePerMachine } from "./volume-per-machine";
import { uniqueAppNames } from "./unique-app-names";
import { hostnamesInZone } from "./hostnames-in-zone";
import { secretNames } from "./secret-names";
import { noCredentialsInEnv } from "./no-credentials-in-env";
import { services } from "./services";
import { uniqueAddresses } from "./unique-addresses";
import { acceptedDrift } from "./accepted-drift";
import { adopt } from "./adopt";
import { slo } from "./slo";
import { monitoring } from "./monitoring";
import { groupFiles } from "./group-files";
import { deploy } from "./deploy";

/** Every rule that runs on each environment after the structural schema. */
export const CONFIG_RULES: readonly ConfigRule[] = [
  knownRegions,
  guestSize,
  pinnedImages,
  volumePerMachine,
  uniqueAppNames,
  hostnamesInZone,
  secretNames,
  noCredentialsInEnv,
  services,
  uniqueAddresses,
  acceptedDrift,
  adopt,
  slo,
  monitoring,
  groupFiles,
  deploy,
];
