// What the database policies (policies/databases.ts) read of RDS, Aurora, DocumentDB and Neptune resources:
// their types and kinds, names and identifiers, regions, clusters and members, and their copies.
import { PolicyResource } from "@pulumi/policy";
import { regionOf, StoreKindName, StoreKinds } from "../scope";
import { is, known, UNKNOWN } from "../util";

export const DatabaseTypes = {
    rdsInstance: "aws:rds/instance:Instance",
    rdsCluster: "aws:rds/cluster:Cluster",
    rdsClusterInstance: "aws:rds/clusterInstance:ClusterInstance",
    rdsGlobalCluster: "aws:rds/globalCluster:GlobalCluster",
    backupsReplication: "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
    docdbCluster: "aws:docdb/cluster:Cluster",
    docdbClusterInstance: "aws:docdb/clusterInstance:ClusterInstance",
    docdbGlobalCluster: "aws:docdb/globalCluster:GlobalCluster",
    neptuneCluster: "aws:neptune/cluster:Cluster",
    neptuneClusterInstance: "aws:neptune/clusterInstance:ClusterInstance",
    neptuneGlobalCluster: "aws:neptune/globalCluster:GlobalCluster",
} as const;

export type ClusterKind = "rdsCluster" | "docdbCluster" | "neptuneCluster";
export type DatabaseKind = "rdsInstance" | ClusterKind;
export const KINDS: readonly DatabaseKind[] = ["rdsInstance", "rdsCluster", "docdbCluster", "neptuneCluster"];

/** The resources that belong to a cluster of each kind: its instances, its global cluster, and what messages call them. */
export const Families: Record<ClusterKind, { member: string; global: string; memberClass: string; globalClass: string }> = {
    rdsCluster: {
        member: DatabaseTypes.rdsClusterInstance,
        global: DatabaseTypes.rdsGlobalCluster,
        memberClass: "aws.rds.ClusterInstance",
        globalClass: "aws.rds.GlobalCluster",
    },
    docdbCluster: {
        member: DatabaseTypes.docdbClusterInstance,
        global: DatabaseTypes.docdbGlobalCluster,
        memberClass: "aws.docdb.ClusterInstance",
        globalClass: "aws.docdb.GlobalCluster",
    },
    neptuneCluster: {
        member: DatabaseTypes.neptuneClusterInstance,
        global: DatabaseTypes.neptuneGlobalCluster,
        memberClass: "aws.neptune.ClusterInstance",
        globalClass: "aws.neptune.GlobalCluster",
    },
};

/**
 * Backup retention when `backupRetentionPeriod` is unset. RDS instance: the provider leaves it to AWS
 * (Optional+Computed in terraform-provider-aws), and CreateDBInstance defaults to 1 day ("If you create
 * a DB instance using the Amazon RDS API or the AWS CLI and if you don't set the backup retention
 * period, the default backup retention period is one day", Amazon RDS User Guide, Backup retention
 * period). Clusters: the provider's own default, `Default 1` (aws.rds.Cluster, aws.docdb.Cluster,
 * aws.neptune.Cluster docs).
 */
export const DEFAULT_RETENTION_DAYS = 1;

export const kindOf = (r: PolicyResource): DatabaseKind => KINDS.find((k) => (StoreKinds[k].types as readonly string[]).includes(r.type))!;
export const label = (r: PolicyResource) => StoreKinds[kindOf(r) as StoreKindName].label;

/** The identifiers a store or global cluster is named by, as far as they are known at preview. */
export function namesOf(r: PolicyResource): string[] {
    const props = ["identifier", "clusterIdentifier", "globalClusterIdentifier", "arn"];
    return props.map((p) => known(() => r.props[p] as unknown)).filter((v): v is string => typeof v === "string" && v.length > 0);
}

/**
 * Whether `from.props[property]` names `to`: by the property's dependency, or by a value known at
 * preview equal to one of `to`'s identifiers or ending an ARN with it. UNKNOWN: the value is unknown and
 * follows no dependency, so it may name any resource.
 */
export function names(from: PolicyResource, property: string, to: PolicyResource): boolean | typeof UNKNOWN {
    const deps = from.propertyDependencies[property] ?? [];
    if (deps.some((d) => d.urn === to.urn)) return true;
    const value = known(() => from.props[property] as unknown);
    if (value === UNKNOWN) return deps.length > 0 ? false : UNKNOWN;
    if (typeof value !== "string" || value.length === 0) return false;
    return namesOf(to).some((n) => value === n || value.endsWith(`:${n}`));
}

/** Whether two resources live in different regions; an unknown or unset region may be another one, unless both use the same provider. */
export function elsewhere(a: PolicyResource, b: PolicyResource): boolean {
    const [ra, rb] = [regionOf(a), regionOf(b)];
    if (typeof ra === "string" && typeof rb === "string") return ra !== rb;
    if (ra === undefined && rb === undefined && a.provider?.urn === b.provider?.urn) return false;
    return true;
}
export const regionText = (r: PolicyResource) => {
    const region = regionOf(r);
    return typeof region === "string" ? region : "the provider's region";
};

/** An RDS instance that is an instance of an Aurora (or DocumentDB, Neptune) cluster: the cluster is judged. */
export function inCluster(r: PolicyResource): boolean {
    if (kindOf(r) !== "rdsInstance") return false;
    const engine = known(() => r.props.engine as unknown);
    return typeof engine === "string" && /^(aurora|docdb|neptune)/.test(engine);
}

/** The clusters of the stack in a global cluster: members for sure, and those whose link is unknown. */
export function globalMembers(global: PolicyResource, clusters: PolicyResource[]): { sure: PolicyResource[]; maybe: PolicyResource[] } {
    const sure: PolicyResource[] = [];
    const maybe: PolicyResource[] = [];
    for (const c of clusters) {
        const verdicts = [names(c, "globalClusterIdentifier", global), names(global, "sourceDbClusterIdentifier", c)];
        if (verdicts.includes(true)) sure.push(c);
        else if (verdicts.includes(UNKNOWN)) maybe.push(c);
    }
    return { sure, maybe };
}

/**
 * The primary of a global cluster's members: the cluster it was created from (sourceDbClusterIdentifier),
 * else the member another member depends on (secondaries wait for the primary), else the one member
 * with master credentials (a secondary takes them from the primary). Undefined when none of that tells.
 */
export function primaryOf(global: PolicyResource, members: PolicyResource[]): PolicyResource | undefined {
    const source = members.find((m) => names(global, "sourceDbClusterIdentifier", m) === true);
    if (source) return source;
    const awaited = members.filter((m) => members.some((o) => o !== m && o.dependencies.some((d) => d.urn === m.urn)));
    if (awaited.length === 1) return awaited[0];
    const credentialed = members.filter((m) =>
        ["masterUsername", "masterPassword", "manageMasterUserPassword"].some((p) => known(() => m.props[p] as unknown) !== undefined),
    );
    return credentialed.length === 1 ? credentialed[0] : undefined;
}

/** Why a store is a copy of another one (a replica or a secondary cluster); undefined for a primary store. */
export function copyOf(store: PolicyResource, resources: PolicyResource[]): string | undefined {
    const kind = kindOf(store);
    if (kind === "rdsInstance") return known(() => store.props.replicateSourceDb) !== undefined ? "read replica" : undefined;
    if (known(() => store.props.replicationSourceIdentifier) !== undefined) return "replica cluster";
    const globalId = known(() => store.props.globalClusterIdentifier as unknown);
    if (globalId === undefined) return undefined;
    const family = Families[kind];
    const clusters = resources.filter(is(...StoreKinds[kind].types));
    const globals = resources.filter(is(family.global));
    const mine = globals.filter(
        (g) => names(store, "globalClusterIdentifier", g) === true || names(g, "sourceDbClusterIdentifier", store) === true,
    );
    // Joined a global cluster outside the stack by its name: a secondary (the primary's stack made the global cluster).
    if (mine.length === 0 && typeof globalId === "string" && (store.propertyDependencies.globalClusterIdentifier ?? []).length === 0)
        return "secondary cluster";
    for (const g of mine) {
        const { sure } = globalMembers(g, clusters);
        const primary = primaryOf(g, sure);
        if (primary && primary !== store) return "secondary cluster";
    }
    return undefined;
}
