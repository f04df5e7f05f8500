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
import { PolicyResource, ReportViolation, ResourceValidationPolicy, StackValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { TagKeys } from "../infra/tags";
import {
    backupCopyToOtherRegion,
    ConfiguredExemption,
    exemptionOf,
    exemptionsSetting,
    otherRegion,
    regionOf,
    reportReasonlessExemptions,
    storesInScope,
    tagsOf,
} from "./scope";
import { PolicyReference, resourceType } from "./types";
import { is, known, longestGapHours, Maybe, plural, settingsOf, settingsSchema, UNKNOWN } from "./util";

// Other modules read these from here.
export { regionOf, tagsOf } from "./scope";

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
    lifecycle: [
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
    ],
    logging: ["aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2"],
    replication: ["aws:s3/bucketReplicationConfig:BucketReplicationConfig"],
    location: ["aws:datasync/s3Location:S3Location"],
    task: ["aws:datasync/task:Task"],
} as const;

/** Resources that write logs into a bucket they name. */
export const LogSourceTypes = {
    loadBalancer: ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"],
    classicLoadBalancer: ["aws:elb/loadBalancer:LoadBalancer"],
    trail: ["aws:cloudtrail/trail:Trail"],
    distribution: ["aws:cloudfront/distribution:Distribution"],
    flowLog: ["aws:ec2/flowLog:FlowLog"],
} as const;

// The search tier's repository resource (policies/search.ts imports this module, so the token is named here).
const SNAPSHOT_REPOSITORY = "pulumi-nodejs:dynamic/opensearch:SnapshotRepository";

const nameOf = (bucket: PolicyResource) => known(() => bucket.props.bucket as string | undefined);

/**
 * The bucket name in an S3 ARN (`arn:aws:s3:::name/folder/`, as flow logs take it), in a bucket's
 * host name (`name.s3.amazonaws.com`, as CloudFront logging takes it), or a plain bucket name.
 */
export function bucketNameIn(value: string): string {
    const arn = /^arn:aws[\w-]*:s3:::([^/]+)/.exec(value);
    if (arn) return arn[1];
    const host = /^(.+)\.s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com(?:\.cn)?$/.exec(value);
    return host ? host[1] : value;
}

/**
 * The bucket a resource refers to through `property` (a name, an ARN or a host name): by dependency,
 * or by a name known at preview. UNKNOWN when the value is unknown and no dependency tells.
 */
export function bucketOf(r: PolicyResource, property: string, buckets: PolicyResource[]): PolicyResource | typeof UNKNOWN | undefined {
    const byDependency = (r.propertyDependencies[property] ?? []).find((d) => d !== r && buckets.includes(d));
    if (byDependency) return byDependency;
    const value = known(() => r.props[property] as string | undefined);
    if (value === UNKNOWN) return UNKNOWN;
    if (typeof value !== "string" || value === "") return undefined;
    const name = bucketNameIn(value);
    return buckets.find((b) => nameOf(b) === name);
}

/**
 * The buckets of the stack that a property of `r` names (nested values read by `read`): every bucket
 * it was built from, and every bucket whose name its known values carry. Unknown values name none.
 */
function bucketsNamed(r: PolicyResource, property: string, read: (props: Record<string, any>) => unknown[], buckets: PolicyResource[]): PolicyResource[] {
    const found = new Set((r.propertyDependencies[property] ?? []).filter((d) => d !== r && buckets.includes(d)));
    const values = known(() => read(r.props));
    if (values !== UNKNOWN) {
        for (const v of values) {
            if (typeof v !== "string" || v === "") continue;
            const b = buckets.find((x) => nameOf(x) === bucketNameIn(v));
            if (b) found.add(b);
        }
    }
    return [...found];
}

/** A way a data bucket gets copied: a DataSync task or a replication rule. */
export interface Copy {
    via: PolicyResource;
    kind: "datasync" | "replication";
    destination: PolicyResource | typeof UNKNOWN | undefined;
    storageClass: Maybe<string | undefined>;
    schedule?: Maybe<string>;
    /** A replication rule that copies only the objects its filter selects: the rule's id and that filter. */
    partial?: { rule: string; filter: string };
}

/**
 * What a replication rule's filter selects when it does not select every object: "prefix 'logs/'",
 * "tag env=prod", "prefix 'a/' and tags k=v". Undefined for an empty filter, and for one unknown at
 * preview (counted as the whole bucket, in the stack's favour).
 */
export function partialFilter(rule: Record<string, any>): string | undefined {
    type Read = { legacy?: unknown; prefix?: unknown; tag?: { key?: unknown; value?: unknown }; tags?: Record<string, unknown>; and?: { prefix?: unknown; tags?: Record<string, unknown> } };
    const f = known((): Read => {
        const filter = (rule.filter ?? {}) as Record<string, any>;
        const copyTags = (t: unknown) => (t && typeof t === "object" ? { ...(t as Record<string, unknown>) } : undefined);
        return {
            legacy: rule.prefix,
            prefix: filter.prefix,
            tag: filter.tag ? { key: filter.tag.key, value: filter.tag.value } : undefined,
            tags: copyTags(filter.tags),
            and: filter.and ? { prefix: filter.and.prefix, tags: copyTags(filter.and.tags) } : undefined,
        };
    });
    if (f === UNKNOWN) return undefined;
    const prefixes = [f.legacy, f.prefix, f.and?.prefix].filter((p): p is string => typeof p === "string" && p !== "");
    const tags = [
        ...(f.tag && typeof f.tag.key === "string" ? [[f.tag.key, f.tag.value]] : []),
        ...Object.entries(f.tags ?? {}),
        ...Object.entries(f.and?.tags ?? {}),
    ].map(([k, v]) => `${String(k)}=${String(v)}`);
    const parts = [...prefixes.map((p) => `prefix '${p}'`), ...(tags.length > 0 ? [`${tags.length === 1 ? "tag" : "tags"} ${tags.join(", ")}`] : [])];
    return parts.length > 0 ? parts.join(" and ") : undefined;
}

/** The enabled rules of a replication configuration as copies (rules unknown at preview: one possible copy). */
function replicationCopies(via: PolicyResource, property: string, rules: Maybe<Record<string, any>[]>, buckets: PolicyResource[], source: Maybe<PolicyResource | undefined>): Copy[] {
    if (rules === UNKNOWN) {
        // Rules unknown at preview may copy anywhere: a possible copy, judged again at `pulumi up`.
        return [{ via, kind: "replication", destination: UNKNOWN, storageClass: UNKNOWN }];
    }
    const built = (via.propertyDependencies[property] ?? []).filter((d) => d !== source && buckets.includes(d));
    return rules.flatMap((rule, i): Copy[] => {
        if (known(() => rule.status) === "Disabled") return [];
        const destinationArn = known(() => rule.destination?.bucket as string | undefined);
        let destination: Copy["destination"];
        if (destinationArn === UNKNOWN) {
            destination = built.length === 1 ? built[0] : UNKNOWN;
        } else {
            destination = destinationArn ? buckets.find((b) => nameOf(b) === bucketNameIn(destinationArn)) : undefined;
            if (destination === undefined && destinationArn) destination = UNKNOWN; // a bucket outside the stack
        }
        const filter = partialFilter(rule);
        const id = known(() => rule.id as string | undefined);
        return [
            {
                via,
                kind: "replication",
                destination,
                storageClass: known(() => (rule.destination?.storageClass as string | undefined) ?? "STANDARD"),
                ...(filter ? { partial: { rule: typeof id === "string" && id !== "" ? id : `rule ${i + 1}`, filter } } : {}),
            },
        ];
    });
}

/** Every copy mechanism of the stack with the source it copies (UNKNOWN: cannot tell; undefined: none of the stack's buckets). */
function allCopies(resources: PolicyResource[]): { source: Maybe<PolicyResource | undefined>; copy: Copy }[] {
    const buckets = resources.filter(is(...StorageTypes.bucket));
    const locations = resources.filter(is(...StorageTypes.location));
    const result: { source: Maybe<PolicyResource | undefined>; copy: Copy }[] = [];
    const locationVia = (task: PolicyResource, property: string) => (task.propertyDependencies[property] ?? []).find((d) => locations.includes(d));

    for (const task of resources.filter(is(...StorageTypes.task))) {
        const from = locationVia(task, "sourceLocationArn");
        const to = locationVia(task, "destinationLocationArn");
        // A source built from another kind of location (EFS, NFS) copies no bucket of the stack.
        const otherSource = !from && (task.propertyDependencies.sourceLocationArn ?? []).some((d) => /^aws:datasync\/\w*[lL]ocation\w*:/.test(d.type));
        result.push({
            source: from ? bucketOf(from, "s3BucketArn", buckets) : otherSource ? undefined : UNKNOWN,
            copy: {
                via: task,
                kind: "datasync",
                destination: to ? bucketOf(to, "s3BucketArn", buckets) : UNKNOWN,
                storageClass: to ? known(() => (to.props.s3StorageClass as string | undefined) ?? "STANDARD") : UNKNOWN,
                schedule: known(() => (task.props.schedule as { scheduleExpression?: string } | undefined)?.scheduleExpression as string),
            },
        });
    }
    for (const replication of resources.filter(is(...StorageTypes.replication))) {
        const source = bucketOf(replication, "bucket", buckets);
        const rules = known(() => (replication.props.rules ?? []) as Record<string, any>[]);
        for (const copy of replicationCopies(replication, "rules", rules, buckets, source)) result.push({ source, copy });
    }
    // A bucket's own (legacy) replication configuration.
    for (const bucket of buckets) {
        const rules = known(() => (bucket.props.replicationConfiguration?.rules ?? []) as Record<string, any>[]);
        for (const copy of replicationCopies(bucket, "replicationConfiguration", rules, buckets, bucket)) result.push({ source: bucket, copy });
    }
    return result;
}

/** Every copy mechanism of the stack, by the source bucket it copies (UNKNOWN sources under "?"). */
export function copiesBySource(resources: PolicyResource[]): Map<PolicyResource | "?", Copy[]> {
    const result = new Map<PolicyResource | "?", Copy[]>();
    for (const { source, copy } of allCopies(resources)) {
        if (source === undefined) continue;
        const key = source === UNKNOWN ? "?" : source;
        result.set(key, [...(result.get(key) ?? []), copy]);
    }
    return result;
}

/**
 * The buckets copies land in: every known destination, whatever its source (a replication from a
 * bucket outside the stack still fills a copy), and every bucket a replication's rules were built
 * from (a destination whose ARN is unknown at preview).
 */
function copyDestinations(resources: PolicyResource[], buckets: PolicyResource[]): Set<PolicyResource> {
    const found = new Set<PolicyResource>();
    for (const { copy } of allCopies(resources)) if (copy.destination && copy.destination !== UNKNOWN) found.add(copy.destination);
    for (const r of resources.filter(is(...StorageTypes.replication))) {
        const source = bucketOf(r, "bucket", buckets);
        for (const d of r.propertyDependencies.rules ?? []) if (d !== source && buckets.includes(d)) found.add(d);
    }
    for (const b of buckets) for (const d of b.propertyDependencies.replicationConfiguration ?? []) if (d !== b && buckets.includes(d)) found.add(d);
    return found;
}

/** Whether a load balancer writes these logs: ALB/NLB logs are off unless enabled, a classic ELB's on unless disabled. */
function logsEnabled(lb: PolicyResource, property: string): boolean {
    const enabled = known(() => lb.props[property]?.enabled as boolean | undefined);
    if (enabled === UNKNOWN) return true;
    // pulumi-aws: lb.LoadBalancer accessLogs/connectionLogs/healthCheckLogs `enabled` "Defaults to false, even
    // when bucket is specified"; elb.LoadBalancer accessLogs `enabled` "Default is true".
    return is(...LogSourceTypes.classicLoadBalancer)(lb) ? enabled !== false : enabled === true;
}

/** The buckets of the stack that receive logs from a log source of the stack. */
function logTargets(resources: PolicyResource[], buckets: PolicyResource[]): Set<PolicyResource> {
    const found = new Set<PolicyResource>();
    const add = (bs: PolicyResource[]) => bs.forEach((b) => found.add(b));
    for (const r of resources.filter(is(...StorageTypes.logging))) add(bucketsNamed(r, "targetBucket", (p) => [p.targetBucket], buckets));
    for (const b of buckets) {
        add(bucketsNamed(b, "logging", (p) => [p.logging?.targetBucket], buckets));
        add(bucketsNamed(b, "loggings", (p) => ((p.loggings ?? []) as any[]).map((l) => l.targetBucket), buckets));
    }
    for (const lb of resources.filter(is(...LogSourceTypes.loadBalancer, ...LogSourceTypes.classicLoadBalancer))) {
        for (const property of ["accessLogs", "connectionLogs", "healthCheckLogs"]) {
            if (logsEnabled(lb, property)) add(bucketsNamed(lb, property, (p) => [p[property]?.bucket], buckets));
        }
    }
    for (const t of resources.filter(is(...LogSourceTypes.trail))) add(bucketsNamed(t, "s3BucketName", (p) => [p.s3BucketName], buckets));
    // CloudFront names the bucket by its host name: "<bucket>.s3.amazonaws.com".
    for (const d of resources.filter(is(...LogSourceTypes.distribution))) add(bucketsNamed(d, "loggingConfig", (p) => [p.loggingConfig?.bucket], buckets));
    for (const f of resources.filter(is(...LogSourceTypes.flowLog))) {
        // A flow log goes to S3 only with logDestinationType "s3" (the default is CloudWatch Logs).
        const type = known(() => f.props.logDestinationType as string | undefined);
        if (type === "s3" || type === UNKNOWN) add(bucketsNamed(f, "logDestination", (p) => [p.logDestination], buckets));
    }
    return found;
}

export type BucketRole = "data" | "copy" | "logs";

/**
 * The role of every S3 bucket of the stack: "copy" (a copy mechanism's destination, or tagged
 * role=dr-copy), else "logs" (a log source's target, or tagged role=access-logs), else "data".
 * Exemptions are not applied here: each policy applies its own.
 */
export function bucketRoles(resources: PolicyResource[]): Map<PolicyResource, "data" | "copy" | "logs"> {
    const buckets = resources.filter(is(...StorageTypes.bucket));
    const copies = copyDestinations(resources, buckets);
    const logs = logTargets(resources, buckets);
    return new Map(
        buckets.map((b): [PolicyResource, BucketRole] => {
            const role = tagsOf(b)[TagKeys.role];
            if (copies.has(b) || role === "dr-copy") return [b, "copy"];
            if (logs.has(b) || role === "access-logs") return [b, "logs"];
            return [b, "data"];
        }),
    );
}

/** The buckets that hold OpenSearch snapshots: tagged role=snapshot-repository, or named by a repository of the stack. */
export function snapshotRepositoryBuckets(resources: PolicyResource[]): Set<PolicyResource> {
    const buckets = resources.filter(is(...StorageTypes.bucket));
    const found = new Set(buckets.filter((b) => tagsOf(b)[TagKeys.role] === "snapshot-repository"));
    for (const repo of resources.filter(is(SNAPSHOT_REPOSITORY))) {
        // Known names only: an unknown or unset name on both sides is not a match.
        const name = known(() => (repo.props.body as any)?.settings?.bucket as string | undefined);
        const named = typeof name === "string" ? buckets.filter((b) => nameOf(b) === name) : [];
        const built = (repo.propertyDependencies.body ?? []).filter((d) => buckets.includes(d));
        for (const b of named.length > 0 ? named : built.length === 1 ? built : []) found.add(b);
    }
    return found;
}

/** Data, copies, snapshot repositories in that order (stable within each): the order the messages come in. */
const ORDER = ["data bucket", "DR copy bucket", "snapshot repository bucket"];
const inOrder = <T extends { what: string }>(list: T[]) => list.sort((a, b) => ORDER.indexOf(a.what) - ORDER.indexOf(b.what));

/** What the messages call a bucket of each role. */
function labelOf(role: BucketRole, bucket: PolicyResource, repositories: Set<PolicyResource>): string {
    if (role === "copy") return "DR copy bucket";
    if (role === "logs") return "log bucket";
    return repositories.has(bucket) ? "snapshot repository bucket" : "data bucket";
}

/**
 * The buckets that hold data or copies of it, with what the messages call them: data buckets, DR
 * copies and snapshot repositories — not log buckets, and not those these exemptions exempt.
 */
export function protectedBuckets(resources: PolicyResource[], exemptions: readonly ConfiguredExemption[] = []): { bucket: PolicyResource; what: string }[] {
    const repositories = snapshotRepositoryBuckets(resources);
    const found = [...bucketRoles(resources)]
        .filter(([b, role]) => role !== "logs" && exemptionOf(b, exemptions) === undefined)
        .map(([bucket, role]) => ({ bucket, what: labelOf(role, bucket, repositories) }));
    return inOrder(found);
}

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

/** Whether a copy lands in another region than its source bucket's; an unknown region counts as yes. */
export function leavesRegion(source: PolicyResource, copy: Copy): boolean {
    const home = regionOf(source);
    const region = copy.destination === UNKNOWN || copy.destination === undefined ? UNKNOWN : regionOf(copy.destination);
    return otherRegion(region, home);
}

/** The longest gap, in days, between two runs of an EventBridge schedule expression; undefined if unreadable. */
export function longestGapDays(expression: string): number | undefined {
    const hours = longestGapHours(expression);
    return hours === undefined ? undefined : hours / 24;
}

// --- settings resources (versioning, encryption) -----------------------------------------------

/** Whether some resource of `types` configures `bucket` and satisfies `ok`; unknown values count as yes. */
function configured(bucket: PolicyResource, resources: PolicyResource[], types: readonly string[], ok: (r: PolicyResource) => Maybe<boolean>): boolean {
    const buckets = [bucket];
    return resources.filter(is(...types)).some((r) => {
        const target = bucketOf(r, "bucket", buckets);
        if (target === undefined) return false;
        const verdict = ok(r);
        return verdict === UNKNOWN || verdict;
    });
}



const exemptionsSchema = settingsSchema({ properties: { ...exemptionsSetting } });

export const storageBucketVersioning: StackValidationPolicy = {
    name: "storage-bucket-versioning",
    description: "Data buckets and their DR copies keep every version (versioning enabled); log buckets need not.",
    enforcementLevel: "mandatory",
    configSchema: exemptionsSchema,
    validateStack: (args, report) => {
        const { exemptions } = settingsOf<{ exemptions: ConfiguredExemption[] }>(exemptionsSchema, args.getConfig());
        for (const { bucket, what } of inOrder(judgedBuckets(args, report, "storage-bucket-versioning", exemptions).filter((b) => b.role !== "logs"))) {
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
    description:
        "Data buckets and their DR copies encrypt by default with a KMS key; log buckets need not (an ALB writes its access logs only into SSE-S3 buckets).",
    enforcementLevel: "mandatory",
    configSchema: exemptionsSchema,
    validateStack: (args, report) => {
        const { exemptions } = settingsOf<{ exemptions: ConfiguredExemption[] }>(exemptionsSchema, args.getConfig());
        for (const { bucket, what } of inOrder(judgedBuckets(args, report, "storage-bucket-kms-encryption", exemptions).filter((b) => b.role !== "logs"))) {
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
        const { storageClasses, maxCopyIntervalDays, exemptions } = settingsOf<{ storageClasses: string[]; maxCopyIntervalDays: number; exemptions: ConfiguredExemption[] }>(
            copySchema,
            args.getConfig(),
        );
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
                    const parts = away.map((c) => `rule '${c.partial!.rule}' of '${c.via.name}' copies only objects with ${c.partial!.filter}`);
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
        const { minRetentionDays: min, requireComplianceMode, exemptions } = settingsOf<{ minRetentionDays: number; requireComplianceMode: boolean; exemptions: ConfiguredExemption[] }>(
            lockSchema,
            args.getConfig(),
        );
        for (const { bucket, role } of judgedBuckets(args, report, "storage-dr-object-lock", exemptions)) {
            if (role !== "copy") continue;
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

const logRetentionSchema = settingsSchema({ properties: { minRetentionDays: { type: "integer" as const, minimum: 1, default: 90 }, ...exemptionsSetting } });

/** One lifecycle rule that expires current objects: where it comes from, and after how long. */
interface Expiry {
    rule: string;
    via: PolicyResource;
    days?: number;
    date?: string;
}

/** The enabled lifecycle rules that expire a bucket's current objects (rules unknown at preview: none, in favour). */
function expiries(bucket: PolicyResource, resources: PolicyResource[]): Expiry[] {
    const read = (via: PolicyResource, rules: Maybe<Record<string, any>[]>, enabled: (rule: Record<string, any>) => Maybe<boolean>): Expiry[] =>
        rules === UNKNOWN
            ? []
            : rules.flatMap((rule, i): Expiry[] => {
                  const on = enabled(rule);
                  const expiration = known(() => ({ days: rule.expiration?.days as unknown, date: rule.expiration?.date as unknown }));
                  if (on !== true || expiration === UNKNOWN) return [];
                  const id = known(() => rule.id as string | undefined);
                  const name = typeof id === "string" && id !== "" ? id : `rule ${i + 1}`;
                  if (typeof expiration.date === "string" && expiration.date !== "") return [{ rule: name, via, date: expiration.date }];
                  if (typeof expiration.days === "number" && expiration.days > 0) return [{ rule: name, via, days: expiration.days }];
                  return [];
              });
    const configurations = resources.filter(is(...StorageTypes.lifecycle)).filter((l) => {
        const target = bucketOf(l, "bucket", [bucket]);
        return target !== undefined && target !== UNKNOWN;
    });
    return [
        ...configurations.flatMap((l) => read(l, known(() => (l.props.rules ?? []) as Record<string, any>[]), (r) => known(() => r.status !== "Disabled"))),
        // A bucket's own (legacy) lifecycle rules: `enabled` is required there.
        ...read(bucket, known(() => (bucket.props.lifecycleRules ?? []) as Record<string, any>[]), (r) => known(() => r.enabled === true)),
    ];
}

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
        const { minRetentionDays: min, exemptions } = settingsOf<{ minRetentionDays: number; exemptions: ConfiguredExemption[] }>(logRetentionSchema, args.getConfig());
        for (const { bucket, role } of judgedBuckets(args, report, "storage-log-bucket-retention", exemptions)) {
            if (role !== "logs") continue;
            for (const e of expiries(bucket, args.resources)) {
                const where = e.via === bucket ? `lifecycle rule '${e.rule}' of the bucket` : `lifecycle rule '${e.rule}' of '${e.via.name}'`;
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
