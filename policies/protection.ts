// Protection across tiers: where this environment requires it, the resources that hold data cannot
// be deleted by a `pulumi destroy` or a refactoring gone wrong — the Atlas cluster, the OpenSearch
// domain, the data buckets, their DR copies, snapshot repositories and the KMS keys that encrypt
// them. Either Pulumi's `protect` resource option, or the service's own termination protection
// where it has one (Atlas). A key scheduled for deletion can be cancelled during its waiting period:
// that period is at least N days, in every environment.
//
// Which buckets hold data is read from the stack (policies/storage.ts, bucketRoles): every bucket
// but the log buckets — data buckets, DR copies, snapshot repositories — and which keys guard them
// from the encryption settings that depend on them. A store exempted by its tags (continuity-dr =
// none with a reason) or by the policy's `exemptions` setting is not judged, nor is its key for it.
// The protect option is always known at preview; a deletion window that is unknown counts in the
// stack's favour.
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { TagKeys } from "../infra/tags";
import { AtlasTypes } from "./atlas";
import { ConfiguredExemption, exemptionOf, exemptionsSetting, reportReasonlessExemptions } from "./scope";
import { SearchTypes } from "./search";
import { protectedBuckets, StorageTypes, tagsOf } from "./storage";
import { PolicyReference } from "./types";
import { is, known, plural, settingsOf, settingsSchema, UNKNOWN } from "./util";

const KMS_KEY = "aws:kms/key:Key";

/** Buckets that hold data or copies of it (data buckets, DR copies, snapshot repositories), minus the exempted. */
function dataBuckets(resources: PolicyResource[], exemptions: readonly ConfiguredExemption[]): { bucket: PolicyResource; what: string }[] {
    return protectedBuckets(resources, exemptions);
}

/** The KMS keys of the stack that encrypt those buckets (default encryption, replica encryption). */
function dataKeys(resources: PolicyResource[], exemptions: readonly ConfiguredExemption[]): PolicyResource[] {
    const buckets = dataBuckets(resources, exemptions).map((b) => b.bucket);
    const keys = resources.filter(is(KMS_KEY));
    const used = new Set<PolicyResource>();
    for (const setting of resources.filter(is(...StorageTypes.encryption, ...StorageTypes.replication))) {
        // By dependency, or by a name known on both sides (two unknown names are no match).
        const name = known(() => setting.props.bucket as unknown);
        const onBucket =
            (setting.propertyDependencies.bucket ?? []).some((d) => buckets.includes(d)) ||
            (typeof name === "string" && buckets.some((b) => known(() => b.props.bucket) === name));
        const replicaTo = StorageTypes.replication.includes(setting.type as never);
        if (!onBucket && !replicaTo) continue;
        for (const d of setting.propertyDependencies.rules ?? []) used.add(d);
    }
    for (const k of keys)
        if (["primary", "dr-copy", "snapshot-repository"].includes(tagsOf(k)[TagKeys.role]) && tagsOf(k)[TagKeys.tier]) used.add(k);
    return keys.filter((k) => used.has(k) && exemptionOf(k, exemptions) === undefined);
}

const protectionSchema = settingsSchema({ properties: { required: { type: "boolean" as const, default: true }, ...exemptionsSetting } });

export const protectionStatefulResources: StackValidationPolicy = {
    name: "protection-stateful-resources",
    description:
        "Where required, resources that hold data (Atlas clusters, OpenSearch domains, data buckets, DR copies, snapshot repositories and their KMS keys) are protected from deletion: the protect option, or Atlas termination protection.",
    enforcementLevel: "mandatory",
    configSchema: protectionSchema,
    validateStack: (args, report) => {
        const { required, exemptions } = settingsOf<{ required: boolean; exemptions: ConfiguredExemption[] }>(
            protectionSchema,
            args.getConfig(),
        );
        reportReasonlessExemptions("protection-stateful-resources", exemptions, report);
        if (!required) return;
        const unprotected = (r: PolicyResource, what: string, native?: string) => {
            if (r.opts.protect || exemptionOf(r, exemptions)) return;
            const own = native ? known(() => r.props[native] === true) : false;
            if (own === true || own === UNKNOWN) return;
            report(
                `The ${what} '${r.name}' is not protected from deletion: set the protect resource option${native ? ` or ${native}` : ""}; this environment requires it of everything that holds data.`,
                r.urn,
            );
        };
        for (const c of args.resources.filter(is(AtlasTypes.advancedCluster, AtlasTypes.cluster)))
            unprotected(c, "Atlas cluster", "terminationProtectionEnabled");
        for (const d of args.resources.filter(is(...SearchTypes.domain))) unprotected(d, "OpenSearch domain");
        for (const { bucket, what } of dataBuckets(args.resources, exemptions)) unprotected(bucket, what);
        for (const k of dataKeys(args.resources, exemptions)) unprotected(k, "KMS key");
    },
};

const windowSchema = settingsSchema({
    properties: { minDeletionWindowDays: { type: "integer" as const, minimum: 7, maximum: 30, default: 30 }, ...exemptionsSetting },
});

/** An unknown window counts in the stack's favour; AWS's default when unset is 30 days. */
export const protectionKmsDeletionWindow: StackValidationPolicy = {
    name: "protection-kms-deletion-window",
    description:
        "KMS keys that encrypt data buckets, DR copies and snapshot repositories wait at least N days before deletion, so a mistaken deletion can be cancelled.",
    enforcementLevel: "mandatory",
    configSchema: windowSchema,
    validateStack: (args, report) => {
        const { minDeletionWindowDays: min, exemptions } = settingsOf<{ minDeletionWindowDays: number; exemptions: ConfiguredExemption[] }>(
            windowSchema,
            args.getConfig(),
        );
        reportReasonlessExemptions("protection-kms-deletion-window", exemptions, report);
        for (const key of dataKeys(args.resources, exemptions)) {
            const days = known(() => (key.props.deletionWindowInDays as number | undefined) ?? 30);
            if (days !== UNKNOWN && days < min) {
                report(
                    `The KMS key '${key.name}' waits ${plural(days, "day")} before deletion; this environment requires at least ${min}, time to notice and cancel a mistaken deletion.`,
                    key.urn,
                );
            }
        }
    },
};

export const protectionPolicies = [protectionStatefulResources, protectionKmsDeletionWindow];

const FAVOUR = "counts in the stack's favour; judged again at `pulumi up`";
const BUCKETS = [...StorageTypes.bucket];

export const protectionReference: Record<string, PolicyReference> = {
    "protection-stateful-resources": {
        resources: [
            AtlasTypes.advancedCluster,
            AtlasTypes.cluster,
            ...SearchTypes.domain,
            ...BUCKETS,
            KMS_KEY,
            ...SearchTypes.repository,
            ...StorageTypes.encryption,
            ...StorageTypes.replication,
        ],
        unknown: `the protect option is always known; an unknown termination protection ${FAVOUR}`,
        protectsData: true,
        anchors:
            "none: the anchors do not see Pulumi's protect option; this asks it (or Atlas termination protection) of every store, copy and key",
    },
    "protection-kms-deletion-window": {
        resources: [KMS_KEY, ...StorageTypes.encryption, ...StorageTypes.replication, ...BUCKETS],
        unknown: `an unknown window ${FAVOUR}`,
        protectsData: true,
        anchors: "none: the anchors check rotation or scheduled deletion, not the waiting period of the keys that encrypt data",
    },
};
