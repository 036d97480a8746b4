import type { ConfigRule } from "./rule";
import { quote } from "../issue";

/** Fly app names are global: two apps of one environment cannot share one. (Across environments: see cross-environment.ts.) */
export const uniqueAppNames: ConfigRule = {
  id: "unique-app-names",
  check: (env) => {
    const firstKey = new Map<string, string>();
    return Object.entries(env.apps).flatMap(([key, app]) => {
      const other = firstKey.get(app.name);
      if (other === undefined) {
        firstKey.set(app.name, key);
        return [];
      }
      return [{ path: `apps.${key}.name`, message: `Fly app name ${quote(app.name)} is already used by apps.${other}; Fly app names are global` }];
    });
  },
};
