// Object storage: every data bucket is versioned, KMS-encrypted, and copied to another region into a
// deep-freeze storage class at least every N days; the copies sit under Object Lock; replication
// never carries delete markers.
//
// A data bucket is a bucket tagged tier=storage, role=primary; a DR copy is the destination of a
// copy mechanism or a bucket tagged role=dr-copy (infra/tags.ts). Links at preview: a setting, a
// DataSync location or a replication rule is tied to its bucket through its property dependencies,
// or through the bucket name we set (known at preview) — never through ARNs the provider computes.
// A value that is unknown at preview counts in the stack's favour and is judged again at `pulumi up`.
import { PolicyResource, ReportViolation, ResourceValidationPolicy, StackValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { TagKeys } from "../infra/tags";
import { resourceType } from "./types";
import { is, known, plural, settingsOf, UNKNOWN } from "./util";

export const StorageTypes = {
    bucket: ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"],
    versioning: ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"],
    encryption: [
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    ],
    objectLock: [
        "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
        "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2",
    ],
    replication: ["aws:s3/bucketReplicationConfig:BucketReplicationConfig"],
    location: ["aws:datasync/s3Location:S3Location"],
    task: ["aws:datasync/task:Task"],
} as const;


/**
 * A resource's tags whose values are known: an unknown tag counts as unset, which leaves the resource
 * out of what its tags would make it (in the stack's favour at preview), instead of the SDK skipping
 * the policy for the whole stack.
 */
export function tagsOf(r: PolicyResource): Record<string, string> {
    const tags = known(() => (r.props.tags ?? {}) as Record<string, string>);
    if (tags === UNKNOWN) return {};
    return Object.fromEntries(Object.keys(tags).flatMap((k) => {
        const v = known(() => tags[k]);
        return typeof v === "string" ? [[k, v]] : [];
    }));
}

const isDataBucket = (r: PolicyResource) =>
    is(...StorageTypes.bucket)(r) && tagsOf(r)[TagKeys.tier] === "storage" && tagsOf(r)[TagKeys.role] === "primary";

/** The region a resource lives in: its own `region` (aws v7), else its provider's. */
export function regionOf(r: PolicyResource): string | typeof UNKNOWN | undefined {
    const own = known(() => r.props.region as string | undefined);
    if (own !== undefined) return own;
    return r.provider ? known(() => r.provider!.props.region as string | undefined) : undefined;
}

const nameOf = (bucket: PolicyResource) => known(() => bucket.props.bucket as string | undefined);

/**
 * The bucket a resource refers to through `property` (a name or an ARN): by dependency, or by a name
 * known at preview. UNKNOWN when the value is unknown and no dependency tells.
 */
function bucketOf(r: PolicyResource, property: string, buckets: PolicyResource[]): PolicyResource | typeof UNKNOWN | undefined {
    const byDependency = (r.propertyDependencies[property] ?? []).find((d) => buckets.includes(d));
    if (byDependency) return byDependency;
    const value = known(() => r.props[property] as string | undefined);
    if (value === UNKNOWN) return UNKNOWN;
    if (value === undefined) return undefined;
    const name = value.startsWith("arn:aws:s3:::") ? value.slice("arn:aws:s3:::".length) : value;
    return buckets.find((b) => nameOf(b) === name);
}

/** A way a data bucket gets copied: a DataSync task or a replication rule. */
export interface Copy {
    via: PolicyResource;
    kind: "datasync" | "replication";
    destination: PolicyResource | typeof UNKNOWN | undefined;
    storageClass: string | typeof UNKNOWN | undefined;
    schedule?: string | typeof UNKNOWN;
}

/** Every copy mechanism of the stack, by the source bucket it copies (UNKNOWN sources under "?"). */
export function copiesBySource(resources: PolicyResource[]): Map<PolicyResource | "?", Copy[]> {
    const buckets = resources.filter(is(...StorageTypes.bucket));
    const locations = resources.filter(is(...StorageTypes.location));
    const result = new Map<PolicyResource | "?", Copy[]>();
    const add = (source: PolicyResource | typeof UNKNOWN | undefined, copy: Copy) => {
        if (source === undefined) return;
        const key = source === UNKNOWN ? "?" : source;
        result.set(key, [...(result.get(key) ?? []), copy]);
    };
    const locationVia = (task: PolicyResource, property: string) =>
        (task.propertyDependencies[property] ?? []).find((d) => locations.includes(d));

    for (const task of resources.filter(is(...StorageTypes.task))) {
        const from = locationVia(task, "sourceLocationArn");
        const to = locationVia(task, "destinationLocationArn");
        // A source built from another kind of location (EFS, NFS) copies no bucket of the stack.
        const otherSource = !from && (task.propertyDependencies.sourceLocationArn ?? []).some((d) => /^aws:datasync\/\w*[lL]ocation\w*:/.test(d.type));
        add(from ? bucketOf(from, "s3BucketArn", buckets) : otherSource ? undefined : UNKNOWN, {
            via: task,
            kind: "datasync",
            destination: to ? bucketOf(to, "s3BucketArn", buckets) : UNKNOWN,
            storageClass: to ? known(() => (to.props.s3StorageClass as string | undefined) ?? "STANDARD") : UNKNOWN,
            schedule: known(() => (task.props.schedule as { scheduleExpression?: string } | undefined)?.scheduleExpression as string),
        });
    }
    for (const replication of resources.filter(is(...StorageTypes.replication))) {
        const rules = known(() => (replication.props.rules ?? []) as Record<string, any>[]);
        const source = bucketOf(replication, "bucket", buckets);
        if (rules === UNKNOWN) {
            // Rules unknown at preview may copy anywhere: a possible copy, judged again at `pulumi up`.
            add(source, { via: replication, kind: "replication", destination: UNKNOWN, storageClass: UNKNOWN });
            continue;
        }
        for (const rule of rules) {
            if (known(() => rule.status) === "Disabled") continue;
            const destinationArn = known(() => rule.destination?.bucket as string | undefined);
            let destination: Copy["destination"];
            if (destinationArn === UNKNOWN) {
                const deps = (replication.propertyDependencies.rules ?? []).filter((d) => buckets.includes(d));
                destination = deps.length === 1 ? deps[0] : UNKNOWN;
            } else {
                destination = destinationArn ? buckets.find((b) => nameOf(b) === destinationArn.replace("arn:aws:s3:::", "")) : undefined;
                if (destination === undefined && destinationArn) destination = UNKNOWN; // a bucket outside the stack
            }
            add(source, {
                via: replication,
                kind: "replication",
                destination,
                storageClass: known(() => (rule.destination?.storageClass as string | undefined) ?? "STANDARD"),
            });
        }
    }
    return result;
}

/** Whether a copy lands in another region than its source bucket's; an unknown region counts as yes. */
export function leavesRegion(source: PolicyResource, copy: Copy): boolean {
    const home = regionOf(source);
    const region = copy.destination === UNKNOWN || copy.destination === undefined ? UNKNOWN : regionOf(copy.destination);
    return region === UNKNOWN || home === UNKNOWN || region === undefined || home === undefined || region !== home;
}

/** The longest gap, in days, between two runs of an EventBridge schedule expression; UNKNOWN if unreadable. */
export function longestGapDays(expression: string): number | undefined {
    const rate = /^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$/.exec(expression.trim());
    if (rate) {
        const n = Number(rate[1]);
        return rate[2].startsWith("day") ? n : rate[2].startsWith("hour") ? n / 24 : n / 1440;
    }
    const cron = /^cron\((.+)\)$/.exec(expression.trim());
    if (!cron) return undefined;
    const fields = cron[1].trim().split(/\s+/);
    if (fields.length !== 6) return undefined;
    const [, , dayOfMonth, month, dayOfWeek] = fields;
    if (month !== "*") return 366;
    if (dayOfMonth !== "*" && dayOfMonth !== "?") return 31;
    if (dayOfWeek === "*" || dayOfWeek === "?") return 1;
    // EventBridge numbers days 1 (SUN) to 7 (SAT).
    const names = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
    // A name is the whole token: FRI#2 (the second Friday) and 5L (the last Thursday) run monthly.
    const day = (d: string) => (/^[1-7]$/.test(d) ? Number(d) - 1 : names.indexOf(d));
    const days = new Set<number>();
    for (const part of dayOfWeek.toUpperCase().split(",")) {
        const [first, last] = part.split("-").map(day);
        if (first < 0 || (last !== undefined && last < 0)) return undefined;
        for (let d = first; ; d = (d + 1) % 7) {
            days.add(d);
            if (last === undefined || d === last) break;
        }
    }
    const sorted = [...days].sort((x, y) => x - y);
    return Math.max(...sorted.map((d, i) => ((sorted[(i + 1) % sorted.length] - d + 7) % 7) || 7));
}

// --- settings resources (versioning, encryption) -----------------------------------------------

/** Whether some resource of `types` configures `bucket` and satisfies `ok`; unknown values count as yes. */
function configured(bucket: PolicyResource, resources: PolicyResource[], types: readonly string[], ok: (r: PolicyResource) => boolean | typeof UNKNOWN): boolean {
    const buckets = [bucket];
    return resources.filter(is(...types)).some((r) => {
        const target = bucketOf(r, "bucket", buckets);
        if (target === undefined) return false;
        const verdict = ok(r);
        return verdict === UNKNOWN || verdict;
    });
}

export function protectedBuckets(resources: PolicyResource[]): { bucket: PolicyResource; what: string }[] {
    const data = resources.filter(isDataBucket).map((bucket) => ({ bucket, what: "data bucket" }));
    const copies = new Set<PolicyResource>();
    for (const list of copiesBySource(resources).values()) {
        for (const c of list) if (c.destination && c.destination !== UNKNOWN) copies.add(c.destination);
    }
    for (const b of resources.filter(is(...StorageTypes.bucket))) if (tagsOf(b)[TagKeys.role] === "dr-copy") copies.add(b);
    return [...data, ...[...copies].map((bucket) => ({ bucket, what: "DR copy bucket" }))];
}

export const storageBucketVersioning: StackValidationPolicy = {
    name: "storage-bucket-versioning",
    description: "Data buckets and their DR copies keep every version (versioning enabled).",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        for (const { bucket, what } of protectedBuckets(args.resources)) {
            const on = configured(bucket, args.resources, StorageTypes.versioning, (v) =>
                known(() => (v.props.versioningConfiguration as { status?: string } | undefined)?.status === "Enabled"),
            );
            const legacy = known(() => (bucket.props.versioning as { enabled?: boolean } | undefined)?.enabled === true);
            if (!on && legacy !== true && legacy !== UNKNOWN) {
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
    description: "Data buckets and their DR copies encrypt by default with a KMS key.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        for (const { bucket, what } of protectedBuckets(args.resources)) {
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

const copySchema = {
    properties: {
        storageClasses: { type: "array" as const, items: { type: "string" as const }, default: ["DEEP_ARCHIVE", "GLACIER"] },
        maxCopyIntervalDays: { type: "integer" as const, minimum: 1, default: 7 },
    },
};

/** Unknown destination, region, class or schedule: counts in the stack's favour at preview. */
export const storageDrCopy: StackValidationPolicy = {
    name: "storage-dr-copy",
    description:
        "Every data bucket is copied (DataSync task or S3 replication) to a bucket in another region, into a deep-freeze storage class, at least every N days.",
    enforcementLevel: "mandatory",
    configSchema: copySchema,
    validateStack: (args, report) => {
        const { storageClasses, maxCopyIntervalDays } = settingsOf<{ storageClasses: string[]; maxCopyIntervalDays: number }>(copySchema, args.getConfig());
        const copies = copiesBySource(args.resources);
        const unknownSources = copies.get("?") ?? [];
        for (const bucket of args.resources.filter(isDataBucket)) {
            const mine = copies.get(bucket) ?? [];
            if (mine.length === 0) {
                if (unknownSources.length > 0) continue; // a copy whose source is unknown may be this bucket's
                report(
                    `The data bucket '${bucket.name}' has no copy in another region (a DataSync task or S3 replication); this environment requires one.`,
                    bucket.urn,
                );
                continue;
            }
            const home = regionOf(bucket);
            const good = mine.filter((c) => leavesRegion(bucket, c));
            if (good.length === 0) {
                const to = mine[0].destination as PolicyResource;
                report(
                    `The DR copy of data bucket '${bucket.name}' goes to '${to.name}' in ${String(home)}, the bucket's own region; the copy must be in another region.`,
                    bucket.urn,
                );
                continue;
            }
            for (const c of good) {
                if (c.storageClass !== UNKNOWN && c.storageClass !== undefined && !storageClasses.includes(c.storageClass)) {
                    report(
                        `The DR copy of data bucket '${bucket.name}' by '${c.via.name}' is stored as ${c.storageClass}; this environment requires one of ${storageClasses.join(", ")}.`,
                        c.via.urn,
                    );
                }
                if (c.kind === "datasync" && c.schedule !== UNKNOWN) {
                    const gap = c.schedule === undefined ? undefined : longestGapDays(c.schedule);
                    if (c.schedule === undefined) {
                        report(
                            `The DataSync task '${c.via.name}' copying data bucket '${bucket.name}' has no schedule, so it only runs by hand; this environment requires a copy at least every ${plural(maxCopyIntervalDays, "day")}.`,
                            c.via.urn,
                        );
                    } else if (gap === undefined || gap > maxCopyIntervalDays) {
                        const every = gap === undefined ? "on a schedule this guard cannot read" : `up to ${plural(gap, "day")} apart`;
                        report(
                            `The DataSync task '${c.via.name}' copying data bucket '${bucket.name}' runs ${c.schedule}, ${every}; this environment requires a copy at least every ${plural(maxCopyIntervalDays, "day")}.`,
                            c.via.urn,
                        );
                    }
                }
            }
        }
    },
};

const lockSchema = {
    properties: {
        minRetentionDays: { type: "integer" as const, minimum: 1, default: 30 },
        requireComplianceMode: { type: "boolean" as const, default: true },
    },
};

/** A lock whose mode or days are unknown counts in the stack's favour at preview. */
export const storageDrObjectLock: StackValidationPolicy = {
    name: "storage-dr-object-lock",
    description: "DR copy buckets keep their objects under S3 Object Lock for at least N days (compliance mode where required).",
    enforcementLevel: "mandatory",
    configSchema: lockSchema,
    validateStack: (args, report) => {
        const { minRetentionDays: min, requireComplianceMode } = settingsOf<{ minRetentionDays: number; requireComplianceMode: boolean }>(
            lockSchema,
            args.getConfig(),
        );
        for (const { bucket, what } of protectedBuckets(args.resources)) {
            if (what !== "DR copy bucket") continue;
            const enabled = known(() => bucket.props.objectLockEnabled === true);
            if (enabled === false) {
                report(
                    `The DR copy bucket '${bucket.name}' has no Object Lock (objectLockEnabled is not true); this environment requires it so that no one can delete the copies early.`,
                    bucket.urn,
                );
                continue;
            }
            const locks = args.resources.filter(is(...StorageTypes.objectLock)).filter((l) => bucketOf(l, "bucket", [bucket]) !== undefined);
            // Read whole inside known(): an unknown mode or days counts for this bucket, not the whole stack.
            type Retention = { mode?: string; days?: number; years?: number };
            const retention = locks.map((l) =>
                known((): Retention | undefined => {
                    const d = (l.props.rule as any)?.defaultRetention as Retention | undefined;
                    return d === undefined ? undefined : { mode: d.mode, days: d.days, years: d.years };
                }),
            );
            if (retention.some((r) => r === UNKNOWN)) continue;
            const rules = retention.filter((r): r is Retention => r !== undefined && r !== UNKNOWN);
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
                    report(`The DR copy bucket '${bucket.name}' locks objects ${plural(total, "day")}; this environment requires at least ${plural(min, "day")}.`, bucket.urn);
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

interface ReplicationProps {
    rules: { id?: string; status?: string; deleteMarkerReplication?: { status?: string } }[];
}
const BucketReplicationConfig = resourceType<ReplicationProps>(StorageTypes.replication[0]);

/** Unknown rules: skipped at preview by the SDK, judged at `pulumi up`. */
export const storageReplicationNoDeleteMarkers: ResourceValidationPolicy = {
    name: "storage-replication-no-delete-markers",
    description: "S3 replication to a DR copy does not replicate delete markers.",
    enforcementLevel: "mandatory",
    validateResource: validateResourceOfType(BucketReplicationConfig, (config, args, report: ReportViolation) => {
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
    storageReplicationNoDeleteMarkers,
];
