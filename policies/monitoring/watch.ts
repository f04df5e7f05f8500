// The watch on each DR copy's age, for the policy monitoring-recovery-point-watch (policies/monitoring.ts):
// which CloudWatch alarm or AWS Backup framework watches a store.
import { PolicyResource } from "@pulumi/policy";
import { StoreResilience } from "../resilience/types";
import { regionOf, StoreKindName, storeKindOf, tagsOf } from "../scope";
import { known, Maybe, readProps, UNKNOWN } from "../util";

/** What a watch comes to: watches, may (unknown at preview), or a problem. */
export type Verdict = "ok" | "maybe" | { problem: string };

// A copy job that quietly stopped is found out on the worst day. A failure alert (monitoring-backup-failure-alerts) fires when a
// job fails, not when none runs; so every data store whose recovery points are kept in another region
// needs a watch on the age of its newest copy there: a CloudWatch alarm that names the store and counts
// a period without a reading as a breach, or — where AWS Backup makes the copy — an AWS Backup Audit
// Manager framework with the "last recovery point created" control covering the store. Live replicas
// (global tables, cross-region read replicas) are not copies of this kind: their lag has its own metrics.
//
// Which alarm names a store (generic; no tag decides it): its dimensions — of the metric, or of any
// metric of a metric-math alarm — were built from the store or from a resource its recovery points go
// through (a property dependency), or, built from no resource of the stack, hold as a value the name of
// the store or of a bucket its recovery points go through (the bucket, the cluster, the domain, the
// snapshot repository's bucket, the DR copy bucket). Dimensions built from other resources watch those,
// even where two stores share a name (an Atlas cluster and an OpenSearch domain often do). The metric
// itself is the team's choice (a recovery-point age, S3's ReplicationLatency...).
//
// Unknown at preview, in the stack's favour (judged again at `pulumi up`): a copy's region (a copy that
// may be in the same region needs no watch), dimensions unknown and built from nothing the stack shows,
// a store's name, an alarm's treatMissingData or actions, a framework's controls or scope.

export const WatchTypes = { framework: "aws:backup/framework:Framework" } as const;

/**
 * The AWS Backup Audit Manager control "Last recovery point was created": whether a resource has a
 * recovery point newer than its parameters recoveryPointAgeValue and recoveryPointAgeUnit (hours or
 * days) (AWS Backup Developer Guide, "Choosing your controls" and "Creating frameworks using the AWS
 * Backup API").
 */
export const LAST_RECOVERY_POINT_CONTROL = "BACKUP_LAST_RECOVERY_POINT_CREATED";

/** The property that holds a store's own name, by kind (the name AWS or Atlas knows it by). */
const NAME_PROPERTY: Partial<Record<StoreKindName, string>> = {
    s3Bucket: "bucket",
    atlasCluster: "name",
    searchDomain: "domainName",
    rdsInstance: "identifier",
    rdsCluster: "clusterIdentifier",
    docdbCluster: "clusterIdentifier",
    neptuneCluster: "clusterIdentifier",
    redshiftCluster: "clusterIdentifier",
    dynamodbTable: "name",
    elasticacheReplicationGroup: "replicationGroupId",
    elasticacheCluster: "clusterId",
    memorydbCluster: "name",
};

/**
 * The resource types of a control's scope (ComplianceResourceTypes), by kind, as AWS Backup names
 * them (AWS Backup Developer Guide, "Feature availability by resource").
 */
const BACKUP_RESOURCE_TYPES: Partial<Record<StoreKindName, readonly string[]>> = {
    s3Bucket: ["S3"],
    rdsInstance: ["RDS"],
    rdsCluster: ["Aurora", "RDS"],
    docdbCluster: ["DocumentDB"],
    neptuneCluster: ["Neptune"],
    redshiftCluster: ["Redshift"],
    dynamodbTable: ["DynamoDB"],
    efsFileSystem: ["EFS"],
    ebsVolume: ["EBS"],
};

export type Match = "yes" | "maybe" | "no";
export interface Watched {
    readonly resources: Set<PolicyResource>;
    /** UNKNOWN: a name unknown at preview. */
    readonly names: Maybe<string>[];
}

/** The store and the resources its recovery points go through, and the names they go by. */
export function watchedThings(store: StoreResilience, byUrn: Map<string, PolicyResource>): Watched {
    const resources = new Set<PolicyResource>();
    for (const urn of [store.urn, ...store.protections.flatMap((p) => p.via)]) {
        const r = byUrn.get(urn);
        if (r) resources.add(r);
    }
    const names: Maybe<string>[] = [];
    for (const r of resources) {
        const kind = storeKindOf(r);
        const property = kind ? NAME_PROPERTY[kind] : undefined;
        if (!property) continue;
        const name = readProps(r, (p) => p[property] as string | undefined);
        if (name !== undefined && !names.includes(name)) names.push(name);
    }
    return { resources, names };
}

/** The values of every dimension of an alarm: its metric's, and each metric-math query's metric's. */
export function dimensionValues(alarm: PolicyResource): Maybe<Maybe<unknown>[]> {
    return readProps(alarm, (p) => {
        const maps: Record<string, unknown>[] = [];
        if (p.dimensions) maps.push(p.dimensions);
        const queries = (p.metricQueries ?? []) as { metric?: { dimensions?: Record<string, unknown> } }[];
        for (let i = 0; i < queries.length; i++) {
            const dimensions = queries[i].metric?.dimensions;
            if (dimensions) maps.push(dimensions);
        }
        return maps.flatMap((m) => Object.keys(m).map((k) => known(() => m[k])));
    });
}

/** Whether an alarm's dimensions name the store (see above); "maybe" when preview cannot tell. */
export function namesStore(alarm: PolicyResource, things: Watched): Match {
    const deps = [...(alarm.propertyDependencies.dimensions ?? []), ...(alarm.propertyDependencies.metricQueries ?? [])];
    if (deps.some((d) => things.resources.has(d))) return "yes";
    // Built from other resources of the stack, it watches those, whatever their names (two stores may share one).
    if (deps.length > 0) return "no";
    const values = dimensionValues(alarm);
    const names = things.names.filter((n): n is string => n !== UNKNOWN);
    if (values !== UNKNOWN && values.some((v) => typeof v === "string" && names.includes(v))) return "yes";
    const unknownValue = values === UNKNOWN || values.some((v) => v === UNKNOWN);
    const unknownName = things.names.includes(UNKNOWN) && values !== UNKNOWN && values.length > 0;
    return unknownValue || unknownName ? "maybe" : "no";
}

/** Whether an alarm that names the store is a watch: missing data breaching, an action, actions enabled. */
export function watchVerdict(alarm: PolicyResource): Verdict {
    const missing = readProps(alarm, (p) => p.treatMissingData as string | undefined);
    if (missing !== UNKNOWN && missing !== "breaching") {
        const as = missing === undefined ? "missing (the default)" : missing;
        return { problem: `its alarm '${alarm.name}' treats missing data as ${as}, so a watch that stops reading stays silent` };
    }
    if (readProps(alarm, (p) => p.actionsEnabled) === false) {
        return { problem: `its alarm '${alarm.name}' has its actions disabled (actionsEnabled false)` };
    }
    const actions = readProps(alarm, (p) => ((p.alarmActions ?? []) as unknown[]).length);
    if (actions === 0) return { problem: `its alarm '${alarm.name}' has no alarm action` };
    return missing === UNKNOWN || actions === UNKNOWN ? "maybe" : "ok";
}

/** Whether one control of a framework is the last-recovery-point control and its scope takes in the store. */
interface Control {
    readonly name?: string;
    readonly scope?: { complianceResourceTypes?: string[]; complianceResourceIds?: string[]; tags?: Record<string, string> };
}

export function controlCovers(control: Control, store: PolicyResource, things: Watched): Match {
    const name = known(() => control.name as string | undefined);
    if (name === UNKNOWN) return "maybe";
    if (name !== LAST_RECOVERY_POINT_CONTROL) return "no";
    const scope = known(() => {
        const s = control.scope ?? {};
        return {
            types: [...((s.complianceResourceTypes ?? []) as string[])],
            ids: [...((s.complianceResourceIds ?? []) as string[])],
            tags: { ...((s.tags ?? {}) as Record<string, string>) },
        };
    });
    if (scope === UNKNOWN) return "maybe";
    const types = BACKUP_RESOURCE_TYPES[storeKindOf(store)!] ?? [];
    if (scope.types.length > 0 && !types.some((t) => scope.types.includes(t))) return "no";
    const tags = tagsOf(store);
    if (Object.entries(scope.tags).some(([k, v]) => tags[k] !== v)) return "no";
    if (scope.ids.length === 0) return "yes";
    const names = things.names.filter((n): n is string => n !== UNKNOWN);
    const listed = scope.ids.some((id) => names.some((n) => id === n || id.endsWith(`:${n}`) || id.endsWith(`/${n}`)));
    return listed ? "yes" : things.names.includes(UNKNOWN) ? "maybe" : "no";
}

/** Whether a framework covers the store: a control above, in the store's region (a framework evaluates its own region). */
export function frameworkCovers(framework: PolicyResource, store: PolicyResource, things: Watched): Match {
    const [theirs, ours] = [regionOf(framework), regionOf(store)];
    if (typeof theirs === "string" && typeof ours === "string" && theirs !== ours) return "no";
    const controls = readProps(framework, (p) => (p.controls ?? []) as Control[]);
    if (controls === UNKNOWN) return "maybe";
    // By index: map() would read a control unknown at preview outside known().
    const matches = Array.from({ length: controls.length }, (_, i) => {
        const control = known(() => controls[i]);
        return control === UNKNOWN ? "maybe" : controlCovers(control, store, things);
    });
    return matches.includes("yes") ? "yes" : matches.includes("maybe") ? "maybe" : "no";
}
