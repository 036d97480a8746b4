import { ENV_VAR_NAME } from "./secret-names";
import { type ConfigRule, groupsOf } from "./rule";
import { keySegment, quote } from "../issue";

const CREDENTIAL_WORDS = ["KEY", "SECRET", "TOKEN", "PASSWORD"];

/** Qualifiers commonly glued to a credential word in one name part (APIKEY, DBPASSWORD, AUTHTOKEN). */
const GLUED = /^(API|ACCESS|AUTH|BOT|CLIENT|DB|MASTER|PRIVATE|REFRESH|ROOT|SESSION|SIGNING)(KEY|SECRET|TOKEN|PASSWORD)S?$/;

/**
 * The credential word a name says, judged per `_`-separated part so that MONKEY_COUNT or
 * TOKENIZER pass: a part that is KEY/SECRET/TOKEN/PASSWORD, its plural, PASSWD, or one of those
 * glued to a common qualifier (APIKEY, DBPASSWORD, AUTHTOKEN, CLIENTSECRET).
 */
export function credentialWord(name: string): string | undefined {
  for (const part of name.split("_")) {
    if (part === "PASSWD") return "PASSWORD";
    const word = CREDENTIAL_WORDS.find((w) => part === w || part === `${w}S`);
    if (word) return word;
    const glued = GLUED.exec(part);
    if (glued) return glued[2];
  }
  return undefined;
}

/** Plain env is readable in config, plans and state; anything named like a credential belongs in secrets. */
export const noCredentialsInEnv: ConfigRule = {
  id: "no-credentials-in-env",
  check: (env) =>
    groupsOf(env).flatMap(({ appKey, group, path }) =>
      Object.keys(group.env ?? {}).flatMap((name) => {
        if (!ENV_VAR_NAME.test(name)) {
          return [{ path: `${path}.env${keySegment(name)}`, message: `${quote(name)} is not a valid environment variable name; use uppercase letters, digits and underscores` }];
        }
        const word = credentialWord(name);
        return word
          ? [{ path: `${path}.env${keySegment(name)}`, message: `${quote(name)} looks like a credential (its name contains ${word}); declare it under apps.${appKey}.secrets instead of plain env` }]
          : [];
      }),
    ),
};
