// Facts of OpenSearch domains, for the resilience model (./facts.ts): data nodes, zones and replicas,
// the automated snapshots, the snapshot-management policies with their repository bucket and its copies,
// and cross-cluster replication, read with the search policies' readers (../search.ts).
import { PolicyResource } from "@pulumi/policy";
import {
    AUTOMATED_SNAPSHOT_DAYS,
    automatedSnapshotHours,
    crossRegionConnection,
    domainSnapshots,
    replicasOf,
    SearchTypes,
} from "../search";
import { is, known, known0, longestGapHours, UNKNOWN } from "../util";
import { C } from "./constants";
import { elsewhere, FactsContext, hoursOf, KindFacts, regionOfStore, regionText } from "./facts";
import { landing, locked, noncurrentDays, replicationLag, retrievalOf } from "./facts-s3";
import { Protection, Redundancy, RestorePath } from "./types";

const searchRestore = (newDomain: boolean, storageClass?: string): RestorePath => ({
    fixedHours: newDomain ? C.openSearchNewDomainHours.value : 0,
    fixedWhy: newDomain ? "a new domain in the DR region with the repository registered" : "",
    ...retrievalOf(storageClass),
    gibPerHour: C.openSearchRestoreGibPerHour.value,
    rateWhy: C.openSearchRestoreGibPerHour.source,
});

/** The index templates of the stack say how many replicas indices get; OpenSearch's default is 1. */
function replicaCount(domain: PolicyResource, ctx: FactsContext): number {
    const templates = ctx.resources.filter(is(...SearchTypes.indexTemplate));
    const counts = templates
        .map((t) => known(() => replicasOf((t.props.body as any)?.template?.settings ?? (t.props.body as any)?.settings)))
        .filter((n): n is number => typeof n === "number");
    return counts.length > 0 ? Math.min(...counts) : 1;
}

export function domainFacts(domain: PolicyResource, ctx: FactsContext): KindFacts {
    const home = regionOfStore(domain);
    const cluster = known(() => (domain.props.clusterConfig ?? {}) as Record<string, any>);
    const nodes = cluster === UNKNOWN ? 3 : known(() => (cluster.instanceCount as number | undefined) ?? 1);
    const zoneAware = cluster === UNKNOWN ? true : known(() => cluster.zoneAwarenessEnabled === true);
    const zones =
        zoneAware === true || zoneAware === UNKNOWN
            ? cluster === UNKNOWN
                ? 3
                : known(() => cluster.zoneAwarenessConfig?.availabilityZoneCount ?? 2)
            : 1;
    const replicas = replicaCount(domain, ctx);
    const n = nodes === UNKNOWN ? 3 : nodes;
    const copiesPerShard = Math.min(n, replicas + 1);
    const z = zones === UNKNOWN ? 3 : zones;
    const redundancy: Redundancy = {
        nodes: copiesPerShard,
        zones: Math.min(z, copiesPerShard),
        failoverSeconds: hoursOf(C.openSearchShardPromotionSeconds) * 3600,
        what: `${n} data node${n === 1 ? "" : "s"} over ${z} zone${z === 1 ? "" : "s"}, ${replicas} replica${replicas === 1 ? "" : "s"} per shard`,
        source: C.openSearchShardPromotionSeconds.source,
        dependsOn: [
            ...(cluster === UNKNOWN || nodes === UNKNOWN ? ["the domain's data nodes"] : []),
            ...(zones === UNKNOWN || zoneAware === UNKNOWN ? ["the domain's zones"] : []),
        ],
    };
    const ebs = known(() => (domain.props.ebsOptions?.volumeSize as number | undefined) ?? undefined);
    const sizeHint =
        typeof ebs === "number"
            ? {
                  gib: (ebs * n) / (replicas + 1),
                  source: `the domain's EBS volumes (${n} × ${ebs} GiB ÷ ${replicas + 1} copies per shard), an upper bound`,
              }
            : undefined;
    const protections: Protection[] = [];
    const automated = automatedSnapshotHours(domain);
    protections.push({
        mechanism: "opensearch-snapshots",
        what: `automated snapshots every ${automated} h (kept ${AUTOMATED_SNAPSHOT_DAYS} days in ${regionText(home)})`,
        via: [domain.urn],
        kind: "points",
        region: home,
        elsewhere: false,
        everyHours: automated,
        lagHours: 0,
        retentionDays: AUTOMATED_SNAPSHOT_DAYS,
        immutable: false,
        restore: searchRestore(false),
    });
    for (const s of domainSnapshots(domain, ctx.resources)) {
        const dependsOn = [
            ...(s.everyHours === UNKNOWN ? [`the schedule of '${s.policy.name}'`] : []),
            ...(s.bucket === UNKNOWN ? [`the repository of '${s.policy.name}'`] : []),
        ];
        if (s.everyHours === undefined) continue;
        const every = s.everyHours === UNKNOWN ? 24 : s.everyHours;
        const kept = s.keptDays === UNKNOWN || s.keptDays === undefined || !Number.isFinite(s.keptDays) ? undefined : s.keptDays;
        const bucket = s.bucket === UNKNOWN ? undefined : s.bucket;
        const bucketRegion = bucket ? regionOfStore(bucket) : home;
        protections.push({
            mechanism: "opensearch-snapshots",
            what: `snapshot policy '${s.policy.name}' every ${every} h${bucket ? ` into bucket '${bucket.name}'` : ""}`,
            via: [s.policy.urn, ...(bucket ? [bucket.urn] : [])],
            kind: "points",
            region: bucketRegion,
            elsewhere: elsewhere(home, bucketRegion),
            everyHours: every,
            lagHours: 0,
            retentionDays: kept,
            immutable: false,
            restore: searchRestore(false),
            dependsOn,
        });
        if (!bucket) continue;
        for (const copy of ctx.copies.get(bucket) ?? []) {
            if (copy.partial) continue;
            const { destination, region, storageClass } = landing(copy);
            const lag = copy.kind === "replication" ? replicationLag(copy) : C.s3ReplicationHours;
            protections.push({
                mechanism: "opensearch-snapshot-copy",
                what: `snapshots of '${s.policy.name}' copied by ${copy.kind === "replication" ? "S3 replication" : "DataSync"} into ${storageClass ?? "?"} in ${regionText(known0(region))}`,
                via: [s.policy.urn, copy.via.urn, ...(destination ? [destination.urn] : [])],
                kind: "points",
                region: known0(region),
                elsewhere: elsewhere(home, region),
                everyHours:
                    copy.kind === "datasync" && typeof copy.schedule === "string"
                        ? Math.max(every, longestGapHours(copy.schedule) ?? every)
                        : every,
                lagHours: lag.value,
                lagWhy: lag.source,
                retentionDays: destination ? (noncurrentDays(destination, ctx.resources) ?? kept) : kept,
                immutable: destination ? locked(destination, ctx.resources) !== false : false,
                storageClass,
                restore: searchRestore(true, storageClass),
                dependsOn: [...dependsOn, ...(region === UNKNOWN ? ["the copy's destination bucket"] : [])],
            });
        }
    }
    const connection = crossRegionConnection(domain, ctx.resources);
    if (connection.connected && ctx.resources.some(is(...SearchTypes.outboundConnection))) {
        protections.push({
            mechanism: "opensearch-cross-cluster",
            what: "cross-cluster replication to a domain in another region",
            via: ctx.resources.filter(is(...SearchTypes.outboundConnection)).map((c) => c.urn),
            kind: "replica",
            region: undefined,
            elsewhere: true,
            everyHours: 0,
            lagHours: C.liveReplicaLagHours.value,
            lagWhy: C.liveReplicaLagHours.source,
            immutable: false,
            restore: {
                fixedHours: C.promoteReplicaHours.value,
                fixedWhy: "stopping replication and pointing clients at the follower",
                retrievalHours: 0,
            },
        });
    }
    return { region: home, redundancy, protections, notes: [], sizeHint };
}
