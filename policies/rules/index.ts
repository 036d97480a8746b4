import type { PolicyRule } from "../rule";
import { fly001 } from "./fly001-protected-prevent-destroy";
import { fly002 } from "./fly002-volume-snapshots";
import { fly003 } from "./fly003-pinned-images";
import { fly004 } from "./fly004-public-redundancy";
import { fly005 } from "./fly005-service-health-checks";
import { fly006 } from "./fly006-guest-size";
import { fly007 } from "./fly007-no-credentials-in-env";
import { fly008 } from "./fly008-encrypted-volumes";
import { fly009 } from "./fly009-https-only";
import { fly010 } from "./fly010-unproxied-validation-records";
import { fly011 } from "./fly011-state-encrypted-locked";
import { fly012 } from "./fly012-pinned-providers";

/** The flystack guardrails, by ID. FLY000 (valid suppressions) is not listed: the evaluator always runs it. */
export const FLYSTACK_RULES: readonly PolicyRule[] = [fly001, fly002, fly003, fly004, fly005, fly006, fly007, fly008, fly009, fly010, fly011, fly012];
