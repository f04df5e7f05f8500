// Readers of the stack's S3 buckets and what refers to them, for the storage policies (../storage.ts), the
// search and protection policies, the census and the resilience model: bucket links by dependency or by
// a name known at preview, every copy mechanism (replication rules, DataSync tasks) with its source,
// destination, class and schedule, the log sources, each bucket's role (data, DR copy, logs), and the
// settings resources of a bucket (versioning, encryption, Object Lock, lifecycle). A link or value
// unknown at preview is UNKNOWN here; each policy says what it means.
import { PolicyResource } from "@pulumi/policy";
import { TagKeys } from "../../infra/tags";
import { ConfiguredExemption, exemptionOf, otherRegion, regionOf, tagsOf } from "../scope";
import { is, known, longestGapHours, Maybe, UNKNOWN } from "../util";

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
function bucketsNamed(
    r: PolicyResource,
    property: string,
    read: (props: Record<string, any>) => unknown[],
    buckets: PolicyResource[],
): PolicyResource[] {
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
    type Read = {
        legacy?: unknown;
        prefix?: unknown;
        tag?: { key?: unknown; value?: unknown };
        tags?: Record<string, unknown>;
        and?: { prefix?: unknown; tags?: Record<string, unknown> };
    };
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
    const parts = [
        ...prefixes.map((p) => `prefix '${p}'`),
        ...(tags.length > 0 ? [`${tags.length === 1 ? "tag" : "tags"} ${tags.join(", ")}`] : []),
    ];
    return parts.length > 0 ? parts.join(" and ") : undefined;
}

/** The enabled rules of a replication configuration as copies (rules unknown at preview: one possible copy). */
function replicationCopies(
    via: PolicyResource,
    property: string,
    rules: Maybe<Record<string, any>[]>,
    buckets: PolicyResource[],
    source: Maybe<PolicyResource | undefined>,
): Copy[] {
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
    const locationVia = (task: PolicyResource, property: string) =>
        (task.propertyDependencies[property] ?? []).find((d) => locations.includes(d));

    for (const task of resources.filter(is(...StorageTypes.task))) {
        const from = locationVia(task, "sourceLocationArn");
        const to = locationVia(task, "destinationLocationArn");
        // A source built from another kind of location (EFS, NFS) copies no bucket of the stack.
        const otherSource =
            !from && (task.propertyDependencies.sourceLocationArn ?? []).some((d) => /^aws:datasync\/\w*[lL]ocation\w*:/.test(d.type));
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
        for (const copy of replicationCopies(bucket, "replicationConfiguration", rules, buckets, bucket))
            result.push({ source: bucket, copy });
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
    for (const b of buckets)
        for (const d of b.propertyDependencies.replicationConfiguration ?? []) if (d !== b && buckets.includes(d)) found.add(d);
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
    for (const d of resources.filter(is(...LogSourceTypes.distribution)))
        add(bucketsNamed(d, "loggingConfig", (p) => [p.loggingConfig?.bucket], buckets));
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
export const inOrder = <T extends { what: string }>(list: T[]) => list.sort((a, b) => ORDER.indexOf(a.what) - ORDER.indexOf(b.what));

/** What the messages call a bucket of each role. */
export function labelOf(role: BucketRole, bucket: PolicyResource, repositories: Set<PolicyResource>): string {
    if (role === "copy") return "DR copy bucket";
    if (role === "logs") return "log bucket";
    return repositories.has(bucket) ? "snapshot repository bucket" : "data bucket";
}

/**
 * The buckets that hold data or copies of it, with what the messages call them: data buckets, DR
 * copies and snapshot repositories — not log buckets, and not those these exemptions exempt.
 */
export function protectedBuckets(
    resources: PolicyResource[],
    exemptions: readonly ConfiguredExemption[] = [],
): { bucket: PolicyResource; what: string }[] {
    const repositories = snapshotRepositoryBuckets(resources);
    const found = [...bucketRoles(resources)]
        .filter(([b, role]) => role !== "logs" && exemptionOf(b, exemptions) === undefined)
        .map(([bucket, role]) => ({ bucket, what: labelOf(role, bucket, repositories) }));
    return inOrder(found);
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

// --- settings resources (versioning, encryption, Object Lock, lifecycle) ---------------------------

/** Whether some resource of `types` configures `bucket` and satisfies `ok`; unknown values count as yes. */
export function configured(
    bucket: PolicyResource,
    resources: PolicyResource[],
    types: readonly string[],
    ok: (r: PolicyResource) => Maybe<boolean>,
): boolean {
    const buckets = [bucket];
    return resources.filter(is(...types)).some((r) => {
        const target = bucketOf(r, "bucket", buckets);
        if (target === undefined) return false;
        const verdict = ok(r);
        return verdict === UNKNOWN || verdict;
    });
}

/**
 * Whether `bucket` keeps every version: true (an aws.s3.BucketVersioning of it with status Enabled, or its
 * own `versioning.enabled`), UNKNOWN (a status unknown at preview, or an Enabled versioning resource whose
 * bucket preview cannot tell: it may be this bucket's), else false. `sureLinksOnly` leaves out the
 * versioning resources whose bucket preview cannot tell.
 */
export function versioningOf(bucket: PolicyResource, resources: PolicyResource[], { sureLinksOnly = false } = {}): Maybe<boolean> {
    let result: Maybe<boolean> = false;
    for (const v of resources.filter(is(...StorageTypes.versioning))) {
        const target = bucketOf(v, "bucket", [bucket]);
        if (target === undefined || (sureLinksOnly && target !== bucket)) continue;
        const status = known(() => (v.props.versioningConfiguration as { status?: string } | undefined)?.status);
        if (status === "Enabled" && target === bucket) return true;
        if (status === "Enabled" || status === UNKNOWN) result = UNKNOWN;
    }
    const legacy = known(() => (bucket.props.versioning as { enabled?: boolean } | undefined)?.enabled === true);
    return legacy === true ? true : legacy === UNKNOWN ? UNKNOWN : result;
}

/** The default retention of an Object Lock configuration (its `rule.defaultRetention`). */
export type LockRetention = { mode?: string; days?: number; years?: number };

/**
 * The Object Lock of `bucket`: whether the bucket enables it (`objectLockEnabled`), and the default
 * retention of every aws.s3.BucketObjectLockConfiguration naming it (undefined: one without a default
 * retention; UNKNOWN: one unknown at preview). A configuration whose bucket preview cannot tell may be
 * this bucket's and is listed; `sureLinksOnly` leaves it out.
 */
export function objectLockOf(
    bucket: PolicyResource,
    resources: PolicyResource[],
    { sureLinksOnly = false } = {},
): { enabled: Maybe<boolean>; retentions: Maybe<LockRetention | undefined>[] } {
    const enabled = known(() => bucket.props.objectLockEnabled === true);
    const locks = resources.filter(is(...StorageTypes.objectLock)).filter((l) => {
        const target = bucketOf(l, "bucket", [bucket]);
        return sureLinksOnly ? target === bucket : target !== undefined;
    });
    // Read whole inside known(): an unknown mode or days counts for this bucket, not the whole stack.
    const retentions = locks.map((l) =>
        known((): LockRetention | undefined => {
            const d = (l.props.rule as any)?.defaultRetention as LockRetention | undefined;
            return d === undefined ? undefined : { mode: d.mode, days: d.days, years: d.years };
        }),
    );
    return { enabled, retentions };
}

/** One lifecycle rule that expires current objects: where it comes from, and after how long. */
export interface Expiry {
    rule: string;
    via: PolicyResource;
    days?: number;
    date?: string;
}

/** The enabled lifecycle rules that expire a bucket's current objects (rules unknown at preview: none, in favour). */
export function expiries(bucket: PolicyResource, resources: PolicyResource[]): Expiry[] {
    const read = (
        via: PolicyResource,
        rules: Maybe<Record<string, any>[]>,
        enabled: (rule: Record<string, any>) => Maybe<boolean>,
    ): Expiry[] =>
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
        ...configurations.flatMap((l) =>
            read(
                l,
                known(() => (l.props.rules ?? []) as Record<string, any>[]),
                (r) => known(() => r.status !== "Disabled"),
            ),
        ),
        // A bucket's own (legacy) lifecycle rules: `enabled` is required there.
        ...read(
            bucket,
            known(() => (bucket.props.lifecycleRules ?? []) as Record<string, any>[]),
            (r) => known(() => r.enabled === true),
        ),
    ];
}
