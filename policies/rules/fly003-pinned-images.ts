import { imagePinProblem } from "../../src/fly/image";
import type { PolicyRule, RuleResult } from "../rule";
import { quote } from "../../src/config/issue";
import { addressOf, blocksOf, isExpression, isResourceOf } from "../values";

/**
 * FLY003 · What: a machine or container image is not pinned by digest or by a tag other than `latest`.
 * Why: an unpinned image changes under the same plan, so what runs is neither reviewed nor reproducible.
 * Error in protected environments, warning elsewhere (a staging environment may track a moving tag on purpose).
 */
export const fly003: PolicyRule = {
  id: "FLY003",
  level: "error",
  title: "pinned images",
  what: "A machine or container image is not pinned by digest (@sha256:…) or by a tag other than latest.",
  why: "An unpinned image changes under the same plan, so what runs is neither reviewed nor reproducible.",
  appliesTo: (node) => isResourceOf(node, "fly_machine"),
  check: (node, context) => {
    if (!isResourceOf(node, "fly_machine")) return [];
    const config = context.config(node);
    if (!config) return [];
    const level = context.protected ? "error" : "warning";
    const images: [string, unknown][] = [
      ["image", config.image],
      ...blocksOf(config.container).map((c, i): [string, unknown] => [`container[${i}] (${String(c.name)}) image`, c.image]),
    ];
    const results: RuleResult[] = [];
    for (const [where, image] of images) {
      if (typeof image !== "string") continue;
      const problem = isExpression(image)
        ? `image ${quote(image)} is a Terraform expression; its pin cannot be checked at synthesis`
        : imagePinProblem(image);
      if (problem) results.push({ level, message: `${addressOf(node)} ${where}: ${problem}` });
    }
    return results;
  },
};
