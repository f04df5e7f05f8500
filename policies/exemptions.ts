// Exemptions are part of the verdict: a data store tagged `continuity-dr = none` is left alone by
// every data rule of the pack, but only with a reason in `continuity-dr-reason` — a tag without one
// exempts nothing and is reported here. (A policy's own `exemptions` setting is checked by that
// policy: an entry without a reason is its violation.) An unknown tag value is no exemption.
import { StackValidationPolicy } from "@pulumi/policy";
import { TagKeys } from "../infra/tags";
import { DATA_STORE_TYPES, StoreKinds, storeKindOf, tagExemption } from "./scope";
import { PolicyReference } from "./types";

export const dataExemptionReasons: StackValidationPolicy = {
    name: "data-exemption-reasons",
    description: `A data store exempted from the data rules by the tag ${TagKeys.dr} = none says why, in the tag ${TagKeys.drReason}.`,
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        for (const r of args.resources) {
            const kind = storeKindOf(r);
            if (kind === undefined) continue;
            const exemption = tagExemption(r);
            if (exemption && exemption.reason === undefined) {
                report(
                    `The ${StoreKinds[kind].label} '${r.name}' is tagged ${TagKeys.dr} = none without a reason in the tag ${TagKeys.drReason}; an exemption needs one, so the store is judged as any other.`,
                    r.urn,
                );
            }
        }
    },
};

export const exemptionPolicies = [dataExemptionReasons];

export const exemptionReference: Record<string, PolicyReference> = {
    "data-exemption-reasons": {
        resources: DATA_STORE_TYPES,
        unknown: "an unknown tag is no exemption: the store is judged by the other rules",
        protectsData: true,
        anchors: "none: the anchors have no exemption with a stated reason",
    },
};
