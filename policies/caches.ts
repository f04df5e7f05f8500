// In-memory data stores: ElastiCache replication groups and clusters, and MemoryDB clusters. Each one
// fails over automatically to a replica (at least N per shard, in several Availability Zones where
// the service lets the program choose) and keeps automatic snapshots at least N days.
//
// What is judged, and how. Every resource of these types is judged, whoever wrote it (scope.ts):
// - An ElastiCache replication group on its own settings, plus the member clusters a program adds to
//   it (an aws.elasticache.Cluster with `replicationGroupId` is a read replica of that group; it is
//   linked through its property dependency, or through the group id the program set, known at preview).
// - A member cluster is judged through its group, never on its own.
// - A standalone ElastiCache cluster is a single Redis/Valkey node (the API allows one node per
//   Redis cluster) or a Memcached cluster. Memcached has no replication and takes no snapshots at all
//   (the ElastiCache API refuses a snapshot of a Memcached cluster: SnapshotFeatureNotSupportedFault,
//   https://docs.aws.amazon.com/botocore/latest/reference/services/elasticache/client/exceptions/SnapshotFeatureNotSupportedFault.html).
//   The guard cannot tell a cache of rebuildable values from a store of data, so both policies judge
//   it as any store that cannot meet the rule: the message says to keep such data in Redis OSS or
//   Valkey with replicas and snapshots, or to exempt the cache with its reason (tag
//   `continuity-dr = none` plus `continuity-dr-reason`, or the policy's `exemptions` setting).
// - MemoryDB fails over to a replica on its own and spreads a shard's nodes over Availability Zones,
//   so only its replica count (`numReplicasPerShard`, default 1) and snapshot retention are judged.
// A copy in another region (an ElastiCache global datastore, a MemoryDB multi-Region cluster) is not
// required: the tracker issue asks caches for failover and retention only, and a second region
// doubles a cache's cost. AWS Backup does not back up ElastiCache or MemoryDB (its supported resource
// types, API GetSupportedResourceTypes), so only the stores' own snapshots count for retention.
//
// Unknown at preview: a value the engine does not know yet (a replica count, a flag, a retention, a
// member's group id) counts in the stack's favour and is judged again at `pulumi up`. Values are read
// inside `known(() => …)`, so an unknown one never makes the SDK skip the whole stack policy.
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { ConfiguredExemption, exemptionsSetting, StoreKinds, storesInScope } from "./scope";
import { PolicyReference } from "./types";
import { is, known, Maybe, plural, settingsOf, settingsSchema, UNKNOWN } from "./util";

export const CacheTypes = {
    replicationGroup: StoreKinds.elasticacheReplicationGroup.types[0],
    cluster: StoreKinds.elasticacheCluster.types[0],
    memorydb: StoreKinds.memorydbCluster.types[0],
} as const;

const KINDS = ["elasticacheReplicationGroup", "elasticacheCluster", "memorydbCluster"] as const;
const label = {
    [CacheTypes.replicationGroup]: StoreKinds.elasticacheReplicationGroup.label,
    [CacheTypes.cluster]: StoreKinds.elasticacheCluster.label,
    [CacheTypes.memorydb]: StoreKinds.memorydbCluster.label,
} as Record<string, string>;

const EXEMPT_HOW = "exempt the cache with its reason (tags continuity-dr = none and continuity-dr-reason)";

/**
 * Whether an ElastiCache cluster is a member of a replication group: it names one (an unknown id is
 * a computed one, so it names one too) or was built from one.
 */
export function isGroupMember(cluster: PolicyResource): boolean {
    if ((cluster.propertyDependencies.replicationGroupId ?? []).length > 0) return true;
    const id = known(() => cluster.props.replicationGroupId as string | undefined);
    return id === UNKNOWN || (typeof id === "string" && id !== "");
}

/** The clusters of the stack that a program added to this replication group as read replicas. */
export function memberClustersOf(group: PolicyResource, resources: PolicyResource[]): PolicyResource[] {
    const id = known(() => group.props.replicationGroupId as string | undefined);
    return resources.filter(is(CacheTypes.cluster)).filter((c) => {
        const deps = c.propertyDependencies.replicationGroupId ?? [];
        if (deps.some((d) => d.urn === group.urn)) return true;
        const named = known(() => c.props.replicationGroupId as string | undefined);
        // ElastiCache stores the id in lowercase.
        return typeof named === "string" && typeof id === "string" && named.toLowerCase() === id.toLowerCase();
    });
}

/** The engine of a standalone ElastiCache cluster: "memcached", another engine, or unknown. */
const engineOf = (cluster: PolicyResource): Maybe<string | undefined> => known(() => cluster.props.engine as string | undefined);

/** How many replicas each shard of a replication group has (the smallest), and where that number comes from. */
export function groupReplicas(group: PolicyResource, resources: PolicyResource[]): Maybe<{ replicas: number; from: string }> {
    const numNodeGroups = known(() => group.props.numNodeGroups as number | undefined);
    const perGroup = known(() => group.props.replicasPerNodeGroup as number | undefined);
    const configs = known(() => ((group.props.nodeGroupConfigurations ?? []) as { replicaCount?: number }[]).map((c) => c.replicaCount));
    if (numNodeGroups === UNKNOWN || perGroup === UNKNOWN || configs === UNKNOWN) return UNKNOWN;
    if (numNodeGroups !== undefined || perGroup !== undefined || configs.length > 0) {
        // Sharded: each node group has its own replicas (an unset replicasPerNodeGroup adds none).
        const counts = configs.length > 0 ? configs.map((c) => c ?? perGroup ?? 0) : [perGroup ?? 0];
        const replicas = Math.min(...counts);
        const from = configs.some((c) => c !== undefined)
            ? "nodeGroupConfigurations replicaCount"
            : `replicasPerNodeGroup ${perGroup ?? "unset"}`;
        return { replicas, from };
    }
    const clusters = known(() => group.props.numCacheClusters as number | undefined);
    if (clusters === UNKNOWN) return UNKNOWN;
    // numCacheClusters counts the primary and its replicas; it defaults to 1 (provider docs).
    const members = memberClustersOf(group, resources).length;
    const from = `numCacheClusters ${clusters ?? "unset, default 1"}${members > 0 ? ` and ${plural(members, "member cluster")}` : ""}`;
    return { replicas: (clusters ?? 1) - 1 + members, from };
}

interface FailoverSettings {
    minReplicas: number;
    requireMultiAz: boolean;
    exemptions: ConfiguredExemption[];
}

const failoverSchema = settingsSchema({
    properties: {
        minReplicas: {
            type: "integer" as const,
            minimum: 1,
            maximum: 5,
            default: 1,
            description: "Replicas each shard keeps (ElastiCache and MemoryDB allow up to 5).",
        },
        requireMultiAz: {
            type: "boolean" as const,
            default: true,
            description: "ElastiCache replication groups place their replicas in several Availability Zones (multiAzEnabled).",
        },
        ...exemptionsSetting,
    },
});

/**
 * Unknown flags, counts and links count in the stack's favour. Sources: ReplicationGroup
 * `automaticFailoverEnabled` and `multiAzEnabled` default to false, `numCacheClusters` to 1; MemoryDB
 * `numReplicasPerShard` defaults to 1 (@pulumi/aws 7 elasticache/replicationGroup.d.ts,
 * memorydb/cluster.d.ts).
 */
export const cacheAutomaticFailover: StackValidationPolicy = {
    name: "cache-automatic-failover",
    description:
        "ElastiCache replication groups fail over automatically to at least N replicas per shard, in several Availability Zones; MemoryDB clusters keep at least N replicas per shard; standalone ElastiCache clusters (one node, or Memcached) have no replica and are refused unless exempted.",
    enforcementLevel: "mandatory",
    configSchema: failoverSchema,
    validateStack: (args, report) => {
        const { minReplicas, requireMultiAz, exemptions } = settingsOf<FailoverSettings>(failoverSchema, args.getConfig());
        const least = `at least ${plural(minReplicas, "replica")}`;
        for (const store of storesInScope(args, report, cacheAutomaticFailover.name, KINDS, exemptions)) {
            const what = `The ${label[store.type]} '${store.name}'`;
            if (store.type === CacheTypes.replicationGroup) {
                const failover = known(() => store.props.automaticFailoverEnabled as boolean | undefined);
                if (failover !== UNKNOWN && failover !== true) {
                    report(
                        `${what} has automatic failover off (automaticFailoverEnabled is ${failover === undefined ? "unset, default false" : "false"}); this environment requires it, so that a replica takes over when the primary fails.`,
                        store.urn,
                    );
                }
                const count = groupReplicas(store, args.resources);
                if (count !== UNKNOWN && count.replicas < minReplicas) {
                    report(
                        `${what} has ${plural(count.replicas, "replica")} per shard (${count.from}); this environment requires ${least} per shard.`,
                        store.urn,
                    );
                }
                const multiAz = known(() => store.props.multiAzEnabled as boolean | undefined);
                if (requireMultiAz && multiAz !== UNKNOWN && multiAz !== true) {
                    report(
                        `${what} does not spread its nodes over Availability Zones (multiAzEnabled is ${multiAz === undefined ? "unset, default false" : "false"}); this environment requires Multi-AZ, so that losing one zone leaves a replica to fail over to.`,
                        store.urn,
                    );
                }
            } else if (store.type === CacheTypes.cluster) {
                if (isGroupMember(store)) continue; // judged through its replication group
                const engine = engineOf(store);
                if (engine === "memcached") {
                    report(
                        `${what} runs Memcached, which has no replicas and no failover; this environment requires data to sit in Redis OSS or Valkey (an aws.elasticache.ReplicationGroup with automatic failover and ${least}), or else ${EXEMPT_HOW} when it holds nothing that needs recovering.`,
                        store.urn,
                    );
                } else {
                    report(
                        `${what} is a single node outside any replication group, so it has no replica to fail over to; this environment requires an aws.elasticache.ReplicationGroup with automatic failover and ${least}, or else ${EXEMPT_HOW}.`,
                        store.urn,
                    );
                }
            } else {
                const replicas = known(() => store.props.numReplicasPerShard as number | undefined);
                if (replicas === UNKNOWN) continue;
                const n = replicas ?? 1;
                if (n < minReplicas) {
                    report(
                        `${what} has ${plural(n, "replica")} per shard (numReplicasPerShard ${replicas ?? "unset, default 1"}); this environment requires ${least} per shard, so that a replica takes over when a primary fails.`,
                        store.urn,
                    );
                }
            }
        }
    },
};

interface RetentionSettings {
    minRetentionDays: number;
    exemptions: ConfiguredExemption[];
}

const retentionSchema = settingsSchema({
    properties: {
        // ElastiCache and MemoryDB keep automatic snapshots at most 35 days.
        minRetentionDays: {
            type: "integer" as const,
            minimum: 1,
            maximum: 35,
            default: 7,
            description: "Days the automatic snapshots are kept.",
        },
        ...exemptionsSetting,
    },
});

/**
 * `snapshotRetentionLimit` 0 turns automatic snapshots off, and it is the default of ElastiCache
 * (CreateReplicationGroup: "Default: 0 (i.e., automatic backups are disabled for this cluster)") and
 * of MemoryDB (memorydb/cluster.d.ts). An unknown retention counts in the stack's favour.
 */
export const cacheSnapshotRetention: StackValidationPolicy = {
    name: "cache-snapshot-retention",
    description:
        "ElastiCache replication groups and standalone clusters, and MemoryDB clusters, keep automatic snapshots at least N days; Memcached, which takes none, is refused unless exempted.",
    enforcementLevel: "mandatory",
    configSchema: retentionSchema,
    validateStack: (args, report) => {
        const { minRetentionDays: min, exemptions } = settingsOf<RetentionSettings>(retentionSchema, args.getConfig());
        const required = `at least ${plural(min, "day")}`;
        for (const store of storesInScope(args, report, cacheSnapshotRetention.name, KINDS, exemptions)) {
            const what = `The ${label[store.type]} '${store.name}'`;
            if (store.type === CacheTypes.cluster) {
                if (isGroupMember(store)) continue; // its group takes the snapshots
                if (engineOf(store) === "memcached") {
                    report(
                        `${what} runs Memcached, which takes no snapshots; this environment requires snapshots kept ${required}, so data must sit in Redis OSS or Valkey, or else ${EXEMPT_HOW} when it holds nothing that needs recovering.`,
                        store.urn,
                    );
                    continue;
                }
            }
            const limit = known(() => store.props.snapshotRetentionLimit as number | undefined);
            if (limit === UNKNOWN) continue;
            const days = limit ?? 0;
            if (days >= min) continue;
            const found =
                days === 0
                    ? `has automatic snapshots turned off (snapshotRetentionLimit ${limit === undefined ? "unset, default 0" : "0"})`
                    : `keeps automatic snapshots ${plural(days, "day")} (snapshotRetentionLimit ${days})`;
            report(`${what} ${found}; this environment requires ${required}.`, store.urn);
        }
    },
};

export const cachePolicies = [cacheAutomaticFailover, cacheSnapshotRetention];

const TYPES = [CacheTypes.replicationGroup, CacheTypes.cluster, CacheTypes.memorydb];
const FAVOUR = "counts in the stack's favour; judged again at `pulumi up`";

export const cacheReference: Record<string, PolicyReference> = {
    "cache-automatic-failover": {
        resources: TYPES,
        unknown: `an unknown failover or Multi-AZ flag, replica count or member cluster's group ${FAVOUR}`,
        protectsData: true,
        anchors:
            "AWS Config elasticache-repl-grp-auto-failover-enabled; beyond it: replicas per shard, Multi-AZ, standalone and Memcached clusters, MemoryDB replicas",
    },
    "cache-snapshot-retention": {
        resources: TYPES,
        unknown: `an unknown snapshot retention ${FAVOUR}`,
        protectsData: true,
        anchors:
            "AWS Config elasticache-redis-cluster-automatic-backup-check, elasticache-automatic-backup-check-enabled; Checkov CKV_AWS_134; beyond them: MemoryDB clusters, Memcached clusters",
    },
};
