// RPO and RTO targets, enforced at preview: the resilience model (./resilience/) estimates for every
// data store and disruption how much data would be lost and how long until it serves again; this
// policy compares those estimates with the environment's targets and reports every miss, naming the
// store, the disruption, the estimate, the target and the reasoning. The same model and the same
// settings give the DR report (npm run report) its RPO/RTO table, so both always agree.
//
// Settings: `targets` per store class and disruption (over the defaults of ./resilience/targets.ts),
// `stores` per named store, `sizes` per named store (after the store's own size tags), `exemptions`.
import { StackValidationPolicy } from "@pulumi/policy";
import { ConfiguredExemption, DATA_STORE_TYPES, exemptionsSetting, StoreKinds, storesInScope, StoreKindName } from "./scope";
import { hours, ModelSettings, resilienceOf, SizeTags } from "./resilience/model";
import { DEFAULT_TARGETS, missesOf, targetsFor, TargetSettings } from "./resilience/targets";
import { DISRUPTION_LABELS, DISRUPTIONS, STORE_CLASSES } from "./resilience/types";
import { PolicyReference } from "./types";
import { settingsOf, settingsSchema } from "./util";

const hoursSchema = { type: "number" as const, minimum: 0, maximum: 87_600 };
const targetSchema = {
    type: "object" as const,
    additionalProperties: false,
    required: ["rpoHours", "rtoHours"],
    properties: { rpoHours: hoursSchema, rtoHours: hoursSchema },
};
const classTargetsSchema = {
    type: "object" as const,
    additionalProperties: false,
    properties: Object.fromEntries(DISRUPTIONS.map((d) => [d, targetSchema])),
};
const GIB_MAX = 1_048_576; // 1 PiB

const schema = settingsSchema({
    properties: {
        targets: {
            type: "object" as const,
            description: `RPO and RTO targets in hours per store class (${STORE_CLASSES.join(", ")}) and disruption (${DISRUPTIONS.join(", ")}); what is not given keeps the default.`,
            additionalProperties: false,
            properties: Object.fromEntries(STORE_CLASSES.map((c) => [c, classTargetsSchema])),
        },
        stores: {
            type: "array" as const,
            description: "Targets for named stores (name or URN glob, optionally a type), over their class's.",
            items: {
                type: "object" as const,
                additionalProperties: false,
                required: ["name", "targets"],
                properties: {
                    name: { type: "string" as const, minLength: 1 },
                    type: { type: "string" as const },
                    targets: classTargetsSchema,
                },
            },
        },
        sizes: {
            type: "array" as const,
            description: `Sizes of named stores (name or URN glob), used where the store has no ${SizeTags.gib} tag.`,
            items: {
                type: "object" as const,
                additionalProperties: false,
                required: ["name", "sizeGiB"],
                properties: {
                    name: { type: "string" as const, minLength: 1 },
                    type: { type: "string" as const },
                    sizeGiB: { type: "number" as const, exclusiveMinimum: 0, maximum: GIB_MAX },
                    dailyChangeGiB: { type: "number" as const, minimum: 0, maximum: GIB_MAX },
                },
            },
        },
        ...exemptionsSetting,
    },
});

export type RecoveryObjectivesSettings = TargetSettings & ModelSettings & { exemptions: ConfiguredExemption[] };

const KINDS = Object.keys(StoreKinds) as StoreKindName[];

const sentence = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const text = (h: number | null) => (h === null ? "unbounded" : hours(h));

/**
 * Values unknown at preview enter the estimates in the stack's favour (a copy whose region is
 * unknown counts as elsewhere, an unknown schedule as daily, an unknown class as instantly
 * readable); an estimate that misses its target even so is reported, the rest judged at `pulumi up`.
 */
export const drRecoveryObjectives: StackValidationPolicy = {
    name: "dr-recovery-objectives",
    description:
        "Every data store meets the environment's RPO and RTO targets for a lost node, a lost zone, a lost region and corrupted or deleted data, as the resilience model estimates them from the stack.",
    enforcementLevel: "mandatory",
    configSchema: schema,
    validateStack: (args, report) => {
        const settings = settingsOf<RecoveryObjectivesSettings>(schema, args.getConfig());
        const judged = new Set(storesInScope(args, report, "dr-recovery-objectives", KINDS, settings.exemptions).map((r) => r.urn));
        for (const store of resilienceOf(args.resources, settings)) {
            if (!judged.has(store.urn)) continue;
            const targets = targetsFor(store, settings);
            const misses = missesOf(store, targets);
            for (const d of DISRUPTIONS) {
                const mine = misses.filter((m) => m.disruption === d);
                if (mine.length === 0) continue;
                const parts = mine.map((m) => `${m.measure} ${text(m.estimate)} against a target of ${hours(m.target)}`);
                report(
                    `The ${store.label} '${store.name}' misses its ${store.storeClass} targets for ${DISRUPTION_LABELS[d]}: ${parts.join("; ")}. ${sentence(mine[0].reasoning)}.`,
                    store.urn,
                );
            }
        }
    },
};

export const resiliencePolicies = [drRecoveryObjectives];

export const resilienceReference: Record<string, PolicyReference> = {
    "dr-recovery-objectives": {
        resources: DATA_STORE_TYPES,
        unknown:
            "reads the copies, replicas, schedules and backups the other data rules read; values unknown at preview enter the estimates in the stack's favour (an unknown copy region counts as another region, an unknown schedule as daily, an unknown storage class as instantly readable); an estimate that misses even so is reported",
        protectsData: true,
        anchors:
            "none: AWS Resilience Hub assesses RPO/RTO only after deployment and for AWS alone; this compares estimates with targets before deploy, Atlas included",
    },
};

export { DEFAULT_TARGETS };
