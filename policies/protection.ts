// Protection across tiers: where this environment requires it, the resources that hold data cannot
// be deleted by a `pulumi destroy` or a refactoring gone wrong — the Atlas cluster, the OpenSearch
// domain, the data buckets, their DR copies, snapshot repositories and the KMS keys that encrypt
// them. Either Pulumi's `protect` resource option, or the service's own termination protection
// where it has one (Atlas). A key scheduled for deletion can be cancelled during its waiting period:
// that period is at least N days, in every environment.
//
// Which buckets hold data is read from the stack (tags, copy mechanisms, snapshot repositories), and
// which keys guard them from the encryption settings that depend on them. The protect option is
// always known at preview; a deletion window that is unknown counts in the stack's favour.
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { TagKeys } from "../infra/tags";
import { AtlasTypes } from "./atlas";
import { SearchTypes } from "./search";
import { protectedBuckets, StorageTypes, tagsOf } from "./storage";
import { is, known, plural, settingsOf, UNKNOWN } from "./util";

const KMS_KEY = "aws:kms/key:Key";

/** Buckets that hold data or copies of it: data buckets, DR copies, snapshot repositories. */
function dataBuckets(resources: PolicyResource[]): { bucket: PolicyResource; what: string }[] {
    const found = protectedBuckets(resources);
    const seen = new Set(found.map((f) => f.bucket));
    const repositories = resources.filter(is(...SearchTypes.repository));
    // Known names only: an unknown or unset name on both sides is not a match.
    const named = new Set(repositories.map((r) => known(() => (r.props.body as any)?.settings?.bucket as string | undefined)).filter((n) => typeof n === "string"));
    for (const b of resources.filter(is(...StorageTypes.bucket))) {
        if (seen.has(b)) continue;
        const byTag = tagsOf(b)[TagKeys.role] === "snapshot-repository";
        if (byTag || named.has(known(() => b.props.bucket as string | undefined) as string)) {
            found.push({ bucket: b, what: "snapshot repository bucket" });
            seen.add(b);
        }
    }
    return found;
}

/** The KMS keys of the stack that encrypt those buckets (default encryption, replica encryption). */
function dataKeys(resources: PolicyResource[]): PolicyResource[] {
    const buckets = dataBuckets(resources).map((b) => b.bucket);
    const keys = resources.filter(is(KMS_KEY));
    const used = new Set<PolicyResource>();
    for (const setting of resources.filter(is(...StorageTypes.encryption, ...StorageTypes.replication))) {
        const onBucket = (setting.propertyDependencies.bucket ?? []).some((d) => buckets.includes(d)) ||
            buckets.some((b) => known(() => b.props.bucket) === known(() => setting.props.bucket));
        const replicaTo = StorageTypes.replication.includes(setting.type as never);
        if (!onBucket && !replicaTo) continue;
        for (const d of setting.propertyDependencies.rules ?? []) used.add(d);
    }
    for (const k of keys) if (["primary", "dr-copy", "snapshot-repository"].includes(tagsOf(k)[TagKeys.role]) && tagsOf(k)[TagKeys.tier]) used.add(k);
    return keys.filter((k) => used.has(k));
}

const protectionSchema = { properties: { required: { type: "boolean" as const, default: true } } };

export const protectionStatefulResources: StackValidationPolicy = {
    name: "protection-stateful-resources",
    description:
        "Where required, resources that hold data (Atlas clusters, OpenSearch domains, data buckets, DR copies, snapshot repositories and their KMS keys) are protected from deletion: the protect option, or Atlas termination protection.",
    enforcementLevel: "mandatory",
    configSchema: protectionSchema,
    validateStack: (args, report) => {
        const { required } = settingsOf<{ required: boolean }>(protectionSchema, args.getConfig());
        if (!required) return;
        const unprotected = (r: PolicyResource, what: string, native?: string) => {
            if (r.opts.protect) return;
            const own = native ? known(() => r.props[native] === true) : false;
            if (own === true || own === UNKNOWN) return;
            report(
                `The ${what} '${r.name}' is not protected from deletion: set the protect resource option${native ? ` or ${native}` : ""}; this environment requires it of everything that holds data.`,
                r.urn,
            );
        };
        for (const c of args.resources.filter(is(AtlasTypes.advancedCluster, AtlasTypes.cluster))) unprotected(c, "Atlas cluster", "terminationProtectionEnabled");
        for (const d of args.resources.filter(is(...SearchTypes.domain))) unprotected(d, "OpenSearch domain");
        for (const { bucket, what } of dataBuckets(args.resources)) unprotected(bucket, what);
        for (const k of dataKeys(args.resources)) unprotected(k, "KMS key");
    },
};

const windowSchema = { properties: { minDeletionWindowDays: { type: "integer" as const, minimum: 7, maximum: 30, default: 30 } } };

/** An unknown window counts in the stack's favour; AWS's default when unset is 30 days. */
export const protectionKmsDeletionWindow: StackValidationPolicy = {
    name: "protection-kms-deletion-window",
    description: "KMS keys that encrypt data buckets, DR copies and snapshot repositories wait at least N days before deletion, so a mistaken deletion can be cancelled.",
    enforcementLevel: "mandatory",
    configSchema: windowSchema,
    validateStack: (args, report) => {
        const { minDeletionWindowDays: min } = settingsOf<{ minDeletionWindowDays: number }>(windowSchema, args.getConfig());
        for (const key of dataKeys(args.resources)) {
            const days = known(() => (key.props.deletionWindowInDays as number | undefined) ?? 30);
            if (days !== UNKNOWN && days < min) {
                report(`The KMS key '${key.name}' waits ${plural(days, "day")} before deletion; this environment requires at least ${min}, time to notice and cancel a mistaken deletion.`, key.urn);
            }
        }
    },
};

export const protectionPolicies = [protectionStatefulResources, protectionKmsDeletionWindow];
