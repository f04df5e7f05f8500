// Object storage. Every S3 bucket of the stack is judged, whoever wrote it and whatever its tags say,
// in one of three roles (bucketRoles):
// - a DR copy: the destination of an S3 replication rule (its own resource or a bucket's inline
//   replicationConfiguration) or of a DataSync task, or a bucket tagged role=dr-copy. Copies are
//   versioned, KMS-encrypted and under Object Lock; they are not asked for a copy of their own.
// - a log bucket: the target of S3 server access logging (aws.s3.BucketLogging, a bucket's own
//   logging), of a load balancer's access, connection or health-check logs, of a CloudTrail trail,
//   of a CloudFront distribution's logging or of a VPC flow log to S3, or a bucket tagged
//   role=access-logs. Logs are judged by lighter rules: no DR copy, versioning or KMS (an ALB's
//   access logs can only be written with SSE-S3), but a lifecycle may not expire them before N days.
// - a data bucket: every other bucket, snapshot repositories of OpenSearch included. Data is
//   versioned, KMS-encrypted and copied, whole, to another region into a deep-freeze storage class at
//   least every N days (S3 replication, DataSync, or an AWS Backup copy action). A replication rule
//   with a prefix or tag filter copies part of the bucket only and is no copy of it.
// A bucket exempted by its tags (continuity-dr = none with a reason) or by a policy's `exemptions`
// setting is not judged by that policy; replication never carries delete markers.
//
// Links at preview: a setting, a log source, a DataSync location or a replication rule is tied to its
// bucket through its property dependencies, or through a bucket name known at preview (ours are) —
// never through ARNs the provider computes. A value that is unknown at preview counts in the stack's
// favour and is judged again at `pulumi up`; a link that is unknown and has no dependency ties
// nothing (a log source whose bucket cannot be told leaves every bucket a data bucket).
//
// The readers of buckets and of what refers to them (links, copies, log sources, roles, settings) are in
// ./storage/readers.ts; other modules import them from here.
import { PolicyResource, ReportViolation, ResourceValidationPolicy, StackValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import {
    backupCopyToOtherRegion,
    ConfiguredExemption,
    exemptionOf,
    exemptionsSetting,
    regionOf,
    reportReasonlessExemptions,
    storesInScope,
} from "./scope";
import { PolicyReference, resourceType } from "./types";
import { known, plural, settingsOf, settingsSchema, UNKNOWN } from "./util";
import {
    BucketRole,
    bucketRoles,
    configured,
    copiesBySource,
    expiries,
    inOrder,
    labelOf,
    leavesRegion,
    LockRetention,
    LogSourceTypes,
    longestGapDays,
    objectLockOf,
    snapshotRepositoryBuckets,
    StorageTypes,
    versioningOf,
} from "./storage/readers";

// Other modules read these from here.
export { regionOf, tagsOf } from "./scope";
export {
    bucketNameIn,
    bucketOf,
    type BucketRole,
    bucketRoles,
    type Copy,
    copiesBySource,
    leavesRegion,
    type LockRetention,
    LogSourceTypes,
    longestGapDays,
    objectLockOf,
    partialFilter,
    protectedBuckets,
    snapshotRepositoryBuckets,
    StorageTypes,
    versioningOf,
} from "./storage/readers";

/** The buckets a storage policy judges, by role: every bucket minus those exempted (reasonless entries reported). */
function judgedBuckets(
    args: { resources: PolicyResource[] },
    report: ReportViolation,
    policy: string,
    exemptions: readonly ConfiguredExemption[],
): { bucket: PolicyResource; role: BucketRole; what: string }[] {
    const inScope = new Set(storesInScope(args, report, policy, ["s3Bucket"], exemptions));
    const repositories = snapshotRepositoryBuckets(args.resources);
    return [...bucketRoles(args.resources)]
        .filter(([b]) => inScope.has(b))
        .map(([bucket, role]) => ({ bucket, role, what: labelOf(role, bucket, repositories) }));
}

const exemptionsSchema = settingsSchema({ properties: { ...exemptionsSetting } });

export const storageBucketVersioning: StackValidationPolicy = {
    name: "storage-bucket-versioning",
    description: "Data buckets and their DR copies keep every version (versioning enabled); log buckets need not.",
    enforcementLevel: "mandatory",
    configSchema: exemptionsSchema,
    validateStack: (args, report) => {
        const { exemptions } = settingsOf<{ exemptions: ConfiguredExemption[] }>(exemptionsSchema, args.getConfig());
        for (const { bucket, what } of inOrder(
            judgedBuckets(args, report, "storage-bucket-versioning", exemptions).filter((b) => b.role !== "logs"),
        )) {
            // A status, or a bucket link, unknown at preview counts in the stack's favour.
            if (versioningOf(bucket, args.resources) === false) {
                report(
                    `The ${what} '${bucket.name}' has no versioning (an aws.s3.BucketVersioning with status Enabled); an overwritten or deleted object could not be recovered.`,
                    bucket.urn,
                );
            }
        }
    },
};

export const storageBucketKmsEncryption: StackValidationPolicy = {
    name: "storage-bucket-kms-encryption",
    description:
        "Data buckets and their DR copies encrypt by default with a KMS key; log buckets need not (an ALB writes its access logs only into SSE-S3 buckets).",
    enforcementLevel: "mandatory",
    configSchema: exemptionsSchema,
    validateStack: (args, report) => {
        const { exemptions } = settingsOf<{ exemptions: ConfiguredExemption[] }>(exemptionsSchema, args.getConfig());
        for (const { bucket, what } of inOrder(
            judgedBuckets(args, report, "storage-bucket-kms-encryption", exemptions).filter((b) => b.role !== "logs"),
        )) {
            const kms = configured(bucket, args.resources, StorageTypes.encryption, (e) =>
                known(() =>
                    ((e.props.rules ?? []) as any[]).some((r) =>
                        ["aws:kms", "aws:kms:dsse"].includes(r.applyServerSideEncryptionByDefault?.sseAlgorithm),
                    ),
                ),
            );
            if (!kms) {
                report(
                    `The ${what} '${bucket.name}' is not encrypted with a KMS key by default (an aws.s3.BucketServerSideEncryptionConfiguration with sseAlgorithm aws:kms); this environment requires KMS on data and copies.`,
                    bucket.urn,
                );
            }
        }
    },
};

const copySchema = settingsSchema({
    properties: {
        storageClasses: { type: "array" as const, items: { type: "string" as const }, default: ["DEEP_ARCHIVE", "GLACIER"] },
        maxCopyIntervalDays: { type: "integer" as const, minimum: 1, default: 7 },
        ...exemptionsSetting,
    },
});

/**
 * Unknown destination, region, class, schedule, filter or source: counts in the stack's favour at
 * preview. An AWS Backup plan whose rule copies the bucket's recovery points to a vault in another
 * region is a copy of the whole bucket; its schedule and retention are the Backup policies' to judge.
 * A snapshot repository's copy may be in any storage class: OpenSearch restores only from a class
 * it can read at once (S3 repository `storage_class`: standard, standard_ia, onezone_ia,
 * intelligent_tiering), so a deep-freeze copy of snapshots would be no DR copy at all.
 */
export const storageDrCopy: StackValidationPolicy = {
    name: "storage-dr-copy",
    description:
        "Every data bucket is copied whole (S3 replication without a prefix or tag filter, a DataSync task, or an AWS Backup copy action) to another region, into a deep-freeze storage class, at least every N days.",
    enforcementLevel: "mandatory",
    configSchema: copySchema,
    validateStack: (args, report) => {
        const { storageClasses, maxCopyIntervalDays, exemptions } = settingsOf<{
            storageClasses: string[];
            maxCopyIntervalDays: number;
            exemptions: ConfiguredExemption[];
        }>(copySchema, args.getConfig());
        const copies = copiesBySource(args.resources);
        const unknownSources = copies.get("?") ?? [];
        for (const { bucket, role, what } of judgedBuckets(args, report, "storage-dr-copy", exemptions)) {
            if (role !== "data") continue;
            const mine = copies.get(bucket) ?? [];
            // A copy whose source is unknown may be this bucket's.
            if (mine.length === 0 && unknownSources.length > 0) continue;
            const away = mine.filter((c) => leavesRegion(bucket, c));
            const whole = away.filter((c) => c.partial === undefined);
            if (whole.length === 0) {
                const backup = backupCopyToOtherRegion(bucket, args.resources);
                if (backup.copied) continue;
                if (mine.length === 0) {
                    report(
                        `The ${what} '${bucket.name}' has no copy in another region (S3 replication, a DataSync task or an AWS Backup copy action): ${backup.found}; this environment requires one.`,
                        bucket.urn,
                    );
                } else if (away.length === 0) {
                    const to = mine[0].destination as PolicyResource;
                    report(
                        `The DR copy of ${what} '${bucket.name}' goes to '${to.name}' in ${String(regionOf(bucket))}, the bucket's own region; the copy must be in another region.`,
                        bucket.urn,
                    );
                } else {
                    const parts = away.map(
                        (c) => `rule '${c.partial!.rule}' of '${c.via.name}' copies only objects with ${c.partial!.filter}`,
                    );
                    report(
                        `The ${what} '${bucket.name}' is copied to another region only in part: ${parts.join("; ")}; ${backup.found}; this environment requires a copy of every object (a replication rule without a filter, a DataSync task or an AWS Backup copy action).`,
                        bucket.urn,
                    );
                }
                continue;
            }
            for (const c of whole) {
                const anyClass = what === "snapshot repository bucket";
                if (!anyClass && c.storageClass !== UNKNOWN && c.storageClass !== undefined && !storageClasses.includes(c.storageClass)) {
                    report(
                        `The DR copy of ${what} '${bucket.name}' by '${c.via.name}' is stored as ${c.storageClass}; this environment requires one of ${storageClasses.join(", ")}.`,
                        c.via.urn,
                    );
                }
                if (c.kind === "datasync" && c.schedule !== UNKNOWN) {
                    const gap = c.schedule === undefined ? undefined : longestGapDays(c.schedule);
                    if (c.schedule === undefined) {
                        report(
                            `The DataSync task '${c.via.name}' copying ${what} '${bucket.name}' has no schedule, so it only runs by hand; this environment requires a copy at least every ${plural(maxCopyIntervalDays, "day")}.`,
                            c.via.urn,
                        );
                    } else if (gap === undefined || gap > maxCopyIntervalDays) {
                        const every = gap === undefined ? "on a schedule this guard cannot read" : `up to ${plural(gap, "day")} apart`;
                        report(
                            `The DataSync task '${c.via.name}' copying ${what} '${bucket.name}' runs ${c.schedule}, ${every}; this environment requires a copy at least every ${plural(maxCopyIntervalDays, "day")}.`,
                            c.via.urn,
                        );
                    }
                }
            }
        }
    },
};

const lockSchema = settingsSchema({
    properties: {
        minRetentionDays: { type: "integer" as const, minimum: 1, default: 30 },
        requireComplianceMode: { type: "boolean" as const, default: true },
        ...exemptionsSetting,
    },
});

/** A lock whose mode or days are unknown counts in the stack's favour at preview. */
export const storageDrObjectLock: StackValidationPolicy = {
    name: "storage-dr-object-lock",
    description: "DR copy buckets keep their objects under S3 Object Lock for at least N days (compliance mode where required).",
    enforcementLevel: "mandatory",
    configSchema: lockSchema,
    validateStack: (args, report) => {
        const {
            minRetentionDays: min,
            requireComplianceMode,
            exemptions,
        } = settingsOf<{ minRetentionDays: number; requireComplianceMode: boolean; exemptions: ConfiguredExemption[] }>(
            lockSchema,
            args.getConfig(),
        );
        for (const { bucket, role } of judgedBuckets(args, report, "storage-dr-object-lock", exemptions)) {
            if (role !== "copy") continue;
            // A configuration whose bucket is unknown at preview may be this bucket's: it is judged too.
            const { enabled, retentions: retention } = objectLockOf(bucket, args.resources);
            if (enabled === false) {
                report(
                    `The DR copy bucket '${bucket.name}' has no Object Lock (objectLockEnabled is not true); this environment requires it so that no one can delete the copies early.`,
                    bucket.urn,
                );
                continue;
            }
            if (retention.some((r) => r === UNKNOWN)) continue;
            const rules = retention.filter((r): r is LockRetention => r !== undefined && r !== UNKNOWN);
            if (rules.length === 0) {
                report(
                    `The DR copy bucket '${bucket.name}' has no default Object Lock retention (an aws.s3.BucketObjectLockConfiguration); this environment requires at least ${plural(min, "day")}.`,
                    bucket.urn,
                );
                continue;
            }
            // Every lock configuration naming the bucket is judged: whichever AWS applies last wins.
            for (const { mode, days, years } of rules) {
                const total = (days ?? 0) + (years ?? 0) * 365;
                if (total < min) {
                    report(
                        `The DR copy bucket '${bucket.name}' locks objects ${plural(total, "day")}; this environment requires at least ${plural(min, "day")}.`,
                        bucket.urn,
                    );
                }
                if (requireComplianceMode && mode !== "COMPLIANCE") {
                    report(
                        `The DR copy bucket '${bucket.name}' locks objects in ${mode ?? "no"} mode; this environment requires COMPLIANCE mode, which not even the account root can lift.`,
                        bucket.urn,
                    );
                }
            }
        }
    },
};

const logRetentionSchema = settingsSchema({
    properties: { minRetentionDays: { type: "integer" as const, minimum: 1, default: 90 }, ...exemptionsSetting },
});

/**
 * Log buckets are judged by lighter rules than data: no DR copy, versioning or KMS (an ALB writes
 * access logs only into a bucket encrypted with SSE-S3), but their logs are kept long enough to
 * investigate an incident: a lifecycle rule may expire them, not before N days. A bucket without a
 * lifecycle keeps its logs for ever. Unknown rules, days or bucket links count in the stack's favour.
 */
export const storageLogBucketRetention: StackValidationPolicy = {
    name: "storage-log-bucket-retention",
    description:
        "Log buckets (targets of S3 access logging, load balancer logs, CloudTrail, CloudFront logging or VPC flow logs, or tagged role=access-logs) keep their logs at least N days: no lifecycle rule expires them sooner.",
    enforcementLevel: "mandatory",
    configSchema: logRetentionSchema,
    validateStack: (args, report) => {
        const { minRetentionDays: min, exemptions } = settingsOf<{ minRetentionDays: number; exemptions: ConfiguredExemption[] }>(
            logRetentionSchema,
            args.getConfig(),
        );
        for (const { bucket, role } of judgedBuckets(args, report, "storage-log-bucket-retention", exemptions)) {
            if (role !== "logs") continue;
            for (const e of expiries(bucket, args.resources)) {
                const where =
                    e.via === bucket ? `lifecycle rule '${e.rule}' of the bucket` : `lifecycle rule '${e.rule}' of '${e.via.name}'`;
                if (e.date !== undefined) {
                    report(
                        `The log bucket '${bucket.name}' expires its objects on ${e.date} (${where}), after which logs are deleted as they arrive; this environment requires keeping logs at least ${plural(min, "day")}.`,
                        bucket.urn,
                    );
                } else if (e.days! < min) {
                    report(
                        `The log bucket '${bucket.name}' expires its objects after ${plural(e.days!, "day")} (${where}); this environment requires keeping logs at least ${plural(min, "day")}.`,
                        bucket.urn,
                    );
                }
            }
        }
    },
};

interface ReplicationProps {
    rules: { id?: string; status?: string; deleteMarkerReplication?: { status?: string } }[];
}
const BucketReplicationConfig = resourceType<ReplicationProps>(StorageTypes.replication[0]);

/** Unknown rules: skipped at preview by the SDK, judged at `pulumi up`. */
export const storageReplicationNoDeleteMarkers: ResourceValidationPolicy = {
    name: "storage-replication-no-delete-markers",
    description: "S3 replication to a DR copy does not replicate delete markers.",
    enforcementLevel: "mandatory",
    configSchema: exemptionsSchema,
    validateResource: validateResourceOfType(BucketReplicationConfig, (config, args, report: ReportViolation) => {
        const { exemptions } = settingsOf<{ exemptions: ConfiguredExemption[] }>(exemptionsSchema, args.getConfig());
        reportReasonlessExemptions("storage-replication-no-delete-markers", exemptions, report);
        // The replication itself may be exempted by the setting (it has no tags).
        if (exemptionOf({ type: args.type, name: args.name, urn: args.urn, props: {} } as unknown as PolicyResource, exemptions)) return;
        for (const rule of config.rules ?? []) {
            if (rule.status !== "Disabled" && rule.deleteMarkerReplication?.status === "Enabled") {
                report(
                    `The S3 replication '${args.name}' replicates delete markers (rule '${rule.id ?? "?"}'); a delete at the source would then hide the objects in the copy.`,
                );
            }
        }
    }),
};

export const storagePolicies = [
    storageBucketVersioning,
    storageBucketKmsEncryption,
    storageDrCopy,
    storageDrObjectLock,
    storageLogBucketRetention,
    storageReplicationNoDeleteMarkers,
];

const SKIPPED = "skipped by the SDK with an advisory note; judged at `pulumi up`";
const FAVOUR = "counts in the stack's favour; judged again at `pulumi up`";
const BUCKETS = [...StorageTypes.bucket];
/** What decides a bucket's role (bucketRoles): copy mechanisms and log sources. */
const ROLE_LINKS = [
    ...StorageTypes.replication,
    ...StorageTypes.task,
    ...StorageTypes.location,
    ...StorageTypes.logging,
    ...Object.values(LogSourceTypes).flat(),
];

export const storageReference: Record<string, PolicyReference> = {
    "storage-bucket-versioning": {
        resources: [...BUCKETS, ...StorageTypes.versioning, ...ROLE_LINKS],
        unknown: `an unknown status or bucket link ${FAVOUR}`,
        protectsData: true,
        anchors: "S3_BUCKET_VERSIONING_ENABLED, CKV_AWS_21 (on data and copies; log buckets left out)",
    },
    "storage-bucket-kms-encryption": {
        resources: [...BUCKETS, ...StorageTypes.encryption, ...ROLE_LINKS],
        unknown: `unknown rules or bucket link ${FAVOUR}`,
        protectsData: true,
        anchors: "S3_DEFAULT_ENCRYPTION_KMS, CKV_AWS_145 (on data and copies; log buckets left out)",
    },
    "storage-dr-copy": {
        resources: [...BUCKETS, ...ROLE_LINKS, "aws:backup/plan:Plan", "aws:backup/selection:Selection", "aws:backup/vault:Vault"],
        unknown: `an unknown destination, region, class, schedule, filter or source ${FAVOUR}`,
        protectsData: true,
        anchors:
            "S3_BUCKET_CROSS_REGION_REPLICATION_ENABLED, S3_BUCKET_REPLICATION_ENABLED, CKV_AWS_144; goes beyond: a rule filtered by prefix or tag is no copy of the bucket, DataSync and AWS Backup copies count, deep-freeze class and copy interval",
    },
    "storage-dr-object-lock": {
        resources: [...BUCKETS, ...StorageTypes.objectLock, ...ROLE_LINKS],
        unknown: `an unknown lock mode or retention ${FAVOUR}`,
        protectsData: true,
        anchors: "S3_BUCKET_DEFAULT_LOCK_ENABLED, CKV_AWS_143; goes beyond: on every copy, with a minimum retention and compliance mode",
    },
    "storage-log-bucket-retention": {
        resources: [...BUCKETS, ...StorageTypes.lifecycle, ...ROLE_LINKS],
        unknown: `unknown lifecycle rules, days or bucket link ${FAVOUR}`,
        protectsData: true,
        anchors: "none: the anchors ask for a lifecycle (CKV2_AWS_61), not that it keeps logs at least N days",
    },
    "storage-replication-no-delete-markers": {
        resources: [...StorageTypes.replication],
        unknown: SKIPPED,
        protectsData: true,
        anchors: "none: no anchor checks that delete markers stay out of the copy",
    },
};
