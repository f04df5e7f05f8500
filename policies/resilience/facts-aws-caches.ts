// Facts of the in-memory stores: ElastiCache replication groups and clusters, MemoryDB clusters. The
// replica counts are the guard's own (../caches.ts). AWS Backup backs up neither service (../caches.ts:
// its supported resource types), so only their own daily snapshots are recovery points.
import { PolicyResource } from "@pulumi/policy";
import { CacheTypes, groupReplicas, isGroupMember, memberClustersOf } from "../caches";
import { StoreKinds } from "../scope";
import { is, known, plural, UNKNOWN } from "../util";
import { C } from "./constants";
import { awsRestore, FactsContext, hoursOf, KindFacts, regionOfStore, regionText } from "./facts";
import { atHome, known0, Place, placeOf, pointsProtection, replicaProtection, shown } from "./facts-aws-common";
import { Protection, Redundancy } from "./types";

const GLOBAL_GROUP = "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup";

/**
 * Automatic snapshots: once a day in `snapshotWindow` ("the daily time range during which ElastiCache
 * begins taking a daily snapshot", CreateReplicationGroup / CreateCluster; MemoryDB alike), kept
 * `snapshotRetentionLimit` days; 0, the default of both services, turns them off. Unknown counts as on.
 */
function snapshots(
    store: PolicyResource,
    home: string | undefined,
    label: string,
    notes: string[],
    dependsOn: string[] = [],
): Protection[] {
    const limit = known(() => store.props.snapshotRetentionLimit as number | undefined);
    if (limit === undefined || limit === 0) {
        notes.push(`automatic snapshots are off (snapshotRetentionLimit ${limit === undefined ? "unset, default 0" : "0"})`);
        return [];
    }
    return [
        pointsProtection({
            mechanism: "service-snapshots",
            what: `automatic daily snapshots${limit === UNKNOWN ? "" : `, kept ${plural(limit, "day")}`}`,
            via: [store.urn],
            place: atHome(home),
            everyHours: 24,
            retentionDays: known0(limit),
            restore: awsRestore(label),
            dependsOn: [...dependsOn, ...(limit === UNKNOWN ? ["the snapshot retention (snapshotRetentionLimit)"] : [])],
        }),
    ];
}

// --- ElastiCache global datastores -------------------------------------------------------------

/** Whether a global datastore's primary is this group: by dependency or by the id the program set. */
function primaryOf(global: PolicyResource, group: PolicyResource): boolean | typeof UNKNOWN {
    const deps = global.propertyDependencies.primaryReplicationGroupId ?? [];
    if (deps.some((d) => d.urn === group.urn)) return true;
    if (deps.length > 0) return false;
    const named = known(() => global.props.primaryReplicationGroupId as unknown);
    const id = known(() => group.props.replicationGroupId as unknown);
    if (named === UNKNOWN || id === UNKNOWN) return UNKNOWN;
    return typeof named === "string" && typeof id === "string" && named.toLowerCase() === id.toLowerCase();
}

/** Whether a group joins this global datastore as a secondary: by dependency, or an id ending in its suffix. */
function secondaryOf(group: PolicyResource, global: PolicyResource): boolean | typeof UNKNOWN {
    const deps = group.propertyDependencies.globalReplicationGroupId ?? [];
    if (deps.some((d) => d.urn === global.urn)) return true;
    if (deps.length > 0) return false;
    const named = known(() => group.props.globalReplicationGroupId as unknown);
    if (named === undefined) return false;
    const suffix = known(() => global.props.globalReplicationGroupIdSuffix as unknown);
    if (named === UNKNOWN || suffix === UNKNOWN) return UNKNOWN;
    // AWS names a global datastore "<prefix>-<suffix>" (GlobalReplicationGroupIdSuffix).
    return typeof named === "string" && typeof suffix === "string" && named.endsWith(`-${suffix}`);
}

function globalDatastoreCopies(group: PolicyResource, resources: PolicyResource[]): Protection[] {
    const groups = resources.filter(is(CacheTypes.replicationGroup));
    const result: Protection[] = [];
    const promote = "promoting the secondary cluster of the global datastore";
    let member = false;
    for (const g of resources.filter(is(GLOBAL_GROUP))) {
        const linkOf = (m: PolicyResource): boolean | typeof UNKNOWN => {
            const [primary, secondary] = [primaryOf(g, m), secondaryOf(m, g)];
            return primary === true || secondary === true ? true : primary === UNKNOWN || secondary === UNKNOWN ? UNKNOWN : false;
        };
        const members = groups.map((m) => ({ m, link: linkOf(m) }));
        const mine = members.find((x) => x.m === group);
        if (!mine || mine.link === false) continue;
        member = true;
        for (const { m, link } of members.filter((x) => x.m !== group && x.link !== false)) {
            const place = placeOf(group, m, `replication group '${m.name}'`);
            const unsure = link === UNKNOWN || mine.link === UNKNOWN;
            result.push(
                replicaProtection({
                    what: `replication group '${m.name}' of global datastore '${g.name}' in ${regionText(place.region)}`,
                    via: [g.urn, m.urn],
                    place,
                    lag: C.cacheGlobalLagHours,
                    promote,
                    dependsOn: unsure ? [`whether '${m.name}' and '${group.name}' are in global datastore '${g.name}'`] : [],
                }),
            );
        }
    }
    const id = known(() => group.props.globalReplicationGroupId as string | undefined);
    if (member || id === undefined || (group.propertyDependencies.globalReplicationGroupId ?? []).length > 0) return result;
    // A secondary of a global datastore this stack does not hold: its primary is in another region (a
    // secondary "needs to be in a different AWS Region than the primary cluster", ElastiCache User Guide).
    const place: Place =
        id === UNKNOWN
            ? { region: undefined, elsewhere: "unknown", dependsOn: ["the global datastore it joins (globalReplicationGroupId)"] }
            : { region: undefined, elsewhere: true, dependsOn: [] };
    const what =
        id === UNKNOWN ? "a global datastore unknown at preview" : `global datastore '${id}', made outside this stack, in another region`;
    result.push(replicaProtection({ what, via: [group.urn], place, lag: C.cacheGlobalLagHours, promote }));
    return result;
}

// --- ElastiCache replication groups and clusters -------------------------------------------------

function groupRedundancy(group: PolicyResource, resources: PolicyResource[]): Redundancy {
    const failover = known(() => group.props.automaticFailoverEnabled as boolean | undefined);
    if (failover !== true && failover !== UNKNOWN) {
        const what = `automatic failover is off, automaticFailoverEnabled ${shown(failover)}, so no replica takes over by itself`;
        return { nodes: 1, zones: 1, failoverSeconds: 0, what };
    }
    const dependsOn = failover === UNKNOWN ? ["whether automatic failover is on (automaticFailoverEnabled)"] : [];
    const count = groupReplicas(group, resources);
    if (count === UNKNOWN) dependsOn.push("the replicas per shard");
    const replicas = count === UNKNOWN ? 1 : count.replicas;
    const from = count === UNKNOWN ? "unknown at preview" : count.from;
    if (replicas < 1) return { nodes: 1, zones: 1, failoverSeconds: 0, what: `no replica per shard, by ${from}`, dependsOn };
    const multiAz = known(() => group.props.multiAzEnabled as boolean | undefined);
    if (multiAz === UNKNOWN) dependsOn.push("whether Multi-AZ is on (multiAzEnabled)");
    const zones = multiAz === true || multiAz === UNKNOWN ? 2 : 1;
    return {
        nodes: replicas + 1,
        zones,
        failoverSeconds: C.cacheFailoverSeconds.value,
        what:
            `${plural(replicas, "replica")} per shard, by ${from}, with automatic failover, ` +
            (zones === 2 ? "Multi-AZ" : `in one availability zone, multiAzEnabled ${shown(multiAz)}`),
        source: C.cacheFailoverSeconds.source,
        dependsOn,
    };
}

export function groupFacts(group: PolicyResource, ctx: FactsContext): KindFacts {
    const home = regionOfStore(group);
    const notes: string[] = [];
    const protections = snapshots(group, home, StoreKinds.elasticacheReplicationGroup.label, notes);
    protections.push(...globalDatastoreCopies(group, ctx.resources));
    return { region: home, redundancy: groupRedundancy(group, ctx.resources), protections, notes };
}

export function cacheClusterFacts(cluster: PolicyResource, ctx: FactsContext): KindFacts {
    const home = regionOfStore(cluster);
    if (isGroupMember(cluster)) {
        // A read replica a program added to a replication group: the group's figures are its figures.
        const groups = ctx.resources.filter(is(CacheTypes.replicationGroup));
        const group = groups.find((g) => memberClustersOf(g, ctx.resources).includes(cluster));
        if (group) {
            const facts = groupFacts(group, ctx);
            return { ...facts, notes: [`a read replica in replication group '${group.name}', whose figures these are`, ...facts.notes] };
        }
        return {
            region: home,
            redundancy: { nodes: 1, zones: 1, failoverSeconds: 0, what: "a member of a replication group this stack does not hold" },
            protections: [],
            notes: ["a member of a replication group this stack does not hold: its group's figures apply"],
        };
    }
    const engine = known(() => cluster.props.engine as string | undefined);
    if (engine === "memcached") {
        const count = known(() => cluster.props.numCacheNodes as number | undefined);
        const nodes = typeof count === "number" ? plural(count, "node") : "its nodes";
        return {
            region: home,
            redundancy: {
                nodes: 1,
                zones: 1,
                failoverSeconds: 0,
                what: `Memcached with ${nodes}, each holding its own share of the keys and no replica`,
            },
            protections: [],
            // The ElastiCache API refuses a snapshot of a Memcached cluster (../caches.ts).
            notes: ["Memcached takes no snapshots: the keys of a lost node are gone"],
        };
    }
    const notes: string[] = [];
    const dependsOn = engine === UNKNOWN ? ["the cluster's engine (engine)"] : [];
    const protections = snapshots(cluster, home, StoreKinds.elasticacheCluster.label, notes, dependsOn);
    return {
        region: home,
        redundancy: { nodes: 1, zones: 1, failoverSeconds: 0, what: "a single node outside any replication group", dependsOn },
        protections,
        notes,
    };
}

// --- MemoryDB ------------------------------------------------------------------------------------

/** Whether two MemoryDB clusters belong to the same Multi-Region cluster: the same resource, or the same known name. */
function sameMultiRegion(a: PolicyResource, b: PolicyResource): boolean | typeof UNKNOWN {
    const [da, db] = [a.propertyDependencies.multiRegionClusterName ?? [], b.propertyDependencies.multiRegionClusterName ?? []];
    if (da.some((d) => db.includes(d))) return true;
    const [na, nb] = [known(() => a.props.multiRegionClusterName as unknown), known(() => b.props.multiRegionClusterName as unknown)];
    if (na === undefined || nb === undefined) return false;
    if (na === UNKNOWN || nb === UNKNOWN) return da.length > 0 && db.length > 0 ? false : UNKNOWN;
    return na === nb;
}

export function memorydbFacts(cluster: PolicyResource, ctx: FactsContext): KindFacts {
    const home = regionOfStore(cluster);
    const notes: string[] = [];
    const set = known(() => cluster.props.numReplicasPerShard as number | undefined);
    // numReplicasPerShard defaults to 1 (../caches.ts); unknown counts as 1. Every write is kept in a
    // Multi-AZ transaction log before it is acknowledged; replicas give Multi-AZ (MemoryDB Developer
    // Guide, Understanding MemoryDB replication; Mitigating failures).
    const replicas = set === UNKNOWN ? 1 : (set ?? 1);
    const dependsOn = set === UNKNOWN ? ["the replicas per shard (numReplicasPerShard)"] : [];
    const redundancy: Redundancy =
        replicas >= 1
            ? {
                  nodes: replicas + 1,
                  zones: 2,
                  failoverSeconds: C.memorydbFailoverSeconds.value,
                  what: `${plural(replicas, "replica")} per shard in other availability zones, over a Multi-AZ transaction log`,
                  source: C.memorydbFailoverSeconds.source,
                  dependsOn,
              }
            : {
                  nodes: "managed",
                  zones: "managed",
                  failoverSeconds: hoursOf(C.memorydbNodeRecoveryHours) * 3600,
                  what: "no replica (numReplicasPerShard 0): a new node is restored from the Multi-AZ transaction log",
                  source: C.memorydbNodeRecoveryHours.source,
                  dependsOn,
              };
    const protections = snapshots(cluster, home, StoreKinds.memorydbCluster.label, notes);
    const others = ctx.resources.filter(is(CacheTypes.memorydb)).filter((c) => c !== cluster);
    const promote = "pointing clients at the cluster in that region (a Multi-Region cluster takes writes in every region)";
    let joined = false;
    for (const c of others) {
        const link = sameMultiRegion(cluster, c);
        if (link === false) continue;
        joined = true;
        const place = placeOf(cluster, c, `cluster '${c.name}'`);
        protections.push(
            replicaProtection({
                what: `cluster '${c.name}' of the same Multi-Region cluster in ${regionText(place.region)}`,
                via: [c.urn],
                place,
                lag: C.memorydbMultiRegionLagHours,
                promote,
                dependsOn: link === UNKNOWN ? [`whether '${c.name}' is in the same Multi-Region cluster (multiRegionClusterName)`] : [],
            }),
        );
    }
    const name = known(() => cluster.props.multiRegionClusterName as unknown);
    if (!joined && name === UNKNOWN && (cluster.propertyDependencies.multiRegionClusterName ?? []).length === 0) {
        // Named by a value unknown at preview: it may join a Multi-Region cluster with a cluster elsewhere.
        const place: Place = {
            region: undefined,
            elsewhere: "unknown",
            dependsOn: ["the Multi-Region cluster it joins (multiRegionClusterName)"],
        };
        const what = "a Multi-Region cluster unknown at preview";
        protections.push(replicaProtection({ what, via: [cluster.urn], place, lag: C.memorydbMultiRegionLagHours, promote }));
    } else if (!joined && name !== undefined) {
        notes.push("part of a Multi-Region cluster with no other regional cluster in this stack");
    }
    return { region: home, redundancy, protections, notes };
}
