// Facts of the relational, document, graph and warehouse stores: RDS instances, RDS clusters (Aurora and
// Multi-AZ DB clusters), DocumentDB and Neptune clusters, Redshift clusters. Links between resources are
// the guard's own (../databases.ts, ../redshift.ts), so the model and the policies agree on which replica,
// global cluster or snapshot copy belongs to which store.
import { PolicyResource } from "@pulumi/policy";
import { ClusterKind, copyOf, DatabaseTypes, DEFAULT_RETENTION_DAYS, Families, globalMembers, names } from "../databases/readers";
import { copiesCluster, RedshiftTypes } from "../redshift";
import { StoreKinds, storeKindOf } from "../scope";
import { is, known, plural, UNKNOWN } from "../util";
import { C, Constant } from "./constants";
import { awsRestore, backupProtections, FactsContext, hoursOf, KindFacts, regionOfStore, regionText } from "./facts";
import { atHome, Place, placeIn, placeOf, pointsProtection, replicaProtection, shown } from "./facts-aws-common";
import { Protection, Redundancy } from "./types";

/**
 * Automated backups with point-in-time restore, from `backupRetentionPeriod`: unset is 1 day (the AWS and
 * provider default, ../databases.ts), 0 turns them off. An unknown period counts as on. A read replica
 * starts without automated backups (assumption: RDS creates a read replica with a retention of 0 unless
 * the program sets one), so unset is off there.
 */
function automatedBackups(
    store: PolicyResource,
    home: string | undefined,
    label: string,
    lag: Constant,
    notes: string[],
    replica = false,
): Protection[] {
    const set = known(() => store.props.backupRetentionPeriod as number | undefined);
    if (set === 0 || (replica && set === undefined)) {
        const why = set === 0 ? "0" : "unset on a read replica";
        notes.push(`automated backups are off (backupRetentionPeriod ${why}): no point-in-time restore`);
        return [];
    }
    const days = set === UNKNOWN ? undefined : (set ?? DEFAULT_RETENTION_DAYS);
    const unset = set === undefined ? " (backupRetentionPeriod unset: the AWS default)" : "";
    const kept = days === undefined ? "" : `, kept ${plural(days, "day")}${unset}`;
    return [
        pointsProtection({
            mechanism: "point-in-time",
            what: `automated backups with point-in-time restore${kept}`,
            via: [store.urn],
            place: atHome(home),
            everyHours: 0,
            lag,
            retentionDays: days,
            restore: awsRestore(label),
            dependsOn: set === UNKNOWN ? ["the backup retention (backupRetentionPeriod)"] : [],
        }),
    ];
}

const copyNote = (copy: string | undefined): string[] => (copy ? [`a ${copy}: the data's own backups and copies are its source's`] : []);

// --- RDS instances ----------------------------------------------------------------------------

export function rdsInstanceFacts(store: PolicyResource, ctx: FactsContext): KindFacts {
    const home = regionOfStore(store);
    const label = StoreKinds.rdsInstance.label;
    const copy = copyOf(store, ctx.resources);
    const notes = copyNote(copy);
    // An instance of an Aurora, DocumentDB or Neptune cluster: the cluster's volume holds the data (../databases.ts).
    const engine = known(() => store.props.engine as unknown);
    if (typeof engine === "string" && /^(aurora|docdb|neptune)/.test(engine)) {
        notes.push(`an instance of a ${engine} cluster: the cluster's figures are the data's, these the instance's own`);
    }
    const multiAz = known(() => store.props.multiAz as boolean | undefined);
    const redundancy: Redundancy =
        multiAz === true || multiAz === UNKNOWN
            ? {
                  nodes: 2,
                  zones: 2,
                  failoverSeconds: C.rdsMultiAzFailoverSeconds.value,
                  what: "a Multi-AZ deployment, with a standby in another availability zone",
                  source: C.rdsMultiAzFailoverSeconds.source,
                  dependsOn: multiAz === UNKNOWN ? ["whether Multi-AZ is on (multiAz)"] : [],
              }
            : { nodes: 1, zones: 1, failoverSeconds: 0, what: `a single-AZ instance, multiAz ${shown(multiAz)}` };
    const protections = automatedBackups(store, home, label, C.rdsLatestRestorableHours, notes, copy !== undefined);
    for (const r of ctx.resources.filter(is(DatabaseTypes.backupsReplication))) {
        const link = names(r, "sourceDbInstanceArn", store);
        if (link === false) continue;
        const place = placeOf(store, r, `automated-backups replication '${r.name}'`);
        // The provider's default retention for replicated automated backups is 7 days.
        const kept = known(() => r.props.retentionPeriod as number | undefined);
        protections.push(
            pointsProtection({
                mechanism: "service-snapshot-copy",
                what: `automated backups replicated to ${regionText(place.region)} ('${r.name}'), with point-in-time restore there`,
                via: [r.urn],
                place,
                everyHours: 0,
                lag: C.rdsCrossRegionBackupLagHours,
                retentionDays: kept === UNKNOWN ? undefined : (kept ?? 7),
                restore: awsRestore(`${label} in ${regionText(place.region)}`),
                dependsOn: [
                    ...(link === UNKNOWN ? [`which instance '${r.name}' replicates (sourceDbInstanceArn)`] : []),
                    ...(kept === UNKNOWN ? [`the retention of '${r.name}' (retentionPeriod)`] : []),
                ],
            }),
        );
    }
    for (const r of ctx.resources.filter(is(DatabaseTypes.rdsInstance))) {
        if (r === store) continue;
        const link = names(r, "replicateSourceDb", store);
        if (link === false) continue;
        const place = placeOf(store, r, `read replica '${r.name}'`);
        protections.push(
            replicaProtection({
                what: `read replica '${r.name}' in ${regionText(place.region)}`,
                via: [r.urn],
                place,
                lag: C.rdsReadReplicaLagHours,
                promote: "promoting the read replica",
                dependsOn: link === UNKNOWN ? [`which instance '${r.name}' replicates (replicateSourceDb)`] : [],
            }),
        );
    }
    protections.push(...backupProtections(store, ctx.resources, home, awsRestore(label)));
    const storage = known(() => store.props.allocatedStorage as number | undefined);
    const sizeHint =
        typeof storage === "number" && storage > 0
            ? { gib: storage, source: "the instance's allocated storage (allocatedStorage), an upper bound" }
            : undefined;
    return { region: home, redundancy, protections, notes, sizeHint };
}

// --- RDS, Aurora, DocumentDB and Neptune clusters ---------------------------------------------

/**
 * Who takes over inside the region. With two instances in two zones, a reader (unset zones count as zones
 * of their own: AWS spreads a cluster's instances over its zones, ../databases.ts). Otherwise the cluster
 * volume, kept in three zones, survives, and AWS creates a new instance on it.
 */
function clusterRedundancy(store: PolicyResource, kind: ClusterKind, resources: PolicyResource[]): Redundancy {
    const members = resources
        .filter(is(Families[kind].member))
        .map((instance) => ({ instance, link: names(instance, "clusterIdentifier", store) }))
        .filter((m) => m.link !== false);
    const dependsOn = members
        .filter((m) => m.link === UNKNOWN)
        .map((m) => `which cluster instance '${m.instance.name}' belongs to (clusterIdentifier)`);
    const zones = members.map((m) => known(() => m.instance.props.availabilityZone as string | undefined));
    zones.forEach((z, i) => z === UNKNOWN && dependsOn.push(`the availability zone of instance '${members[i].instance.name}'`));
    const pinned = zones.filter((z): z is string => typeof z === "string");
    const distinct = new Set(pinned).size + (zones.length - pinned.length);
    const n = members.length;
    if (n >= 2 && distinct >= 2) {
        return {
            nodes: n,
            zones: distinct,
            failoverSeconds: C.clusterReplicaFailoverSeconds.value,
            what: `${plural(n, "instance")} over ${plural(distinct, "availability zone")} on a cluster volume kept in three`,
            source: C.clusterReplicaFailoverSeconds.source,
            dependsOn,
        };
    }
    const instances = n === 0 ? "no instance in the stack" : n === 1 ? "one instance" : `${plural(n, "instance")} in one zone`;
    return {
        nodes: "managed",
        zones: "managed",
        failoverSeconds: hoursOf(C.clusterInstanceRecreateHours) * 3600,
        what: `the cluster volume keeps copies in three availability zones, and with ${instances} a new instance is created on it`,
        source: C.clusterInstanceRecreateHours.source,
        dependsOn,
    };
}

/** The other clusters of the global clusters this one is in, and a global cluster the stack cannot see. */
function globalCopies(store: PolicyResource, kind: ClusterKind, resources: PolicyResource[]): Protection[] {
    const family = Families[kind];
    const clusters = resources.filter(is(...StoreKinds[kind].types));
    const globals = resources.filter(is(family.global));
    const result: Protection[] = [];
    const promote = "a failover of the global cluster to that region";
    let member = false;
    for (const g of globals) {
        const { sure, maybe } = globalMembers(g, clusters);
        if (!sure.includes(store) && !maybe.includes(store)) continue;
        member = true;
        for (const c of [...sure, ...maybe].filter((c) => c !== store)) {
            const place = placeOf(store, c, `cluster '${c.name}'`);
            const unsure = maybe.includes(c) || maybe.includes(store);
            result.push(
                replicaProtection({
                    what: `cluster '${c.name}' of global cluster '${g.name}' in ${regionText(place.region)}`,
                    via: [g.urn, c.urn],
                    place,
                    lag: C.liveReplicaLagHours,
                    promote,
                    dependsOn: unsure
                        ? [`whether '${c.name}' is in global cluster '${g.name}' with '${store.name}' (globalClusterIdentifier)`]
                        : [],
                }),
            );
        }
    }
    const id = known(() => store.props.globalClusterIdentifier as string | undefined);
    const linked = (store.propertyDependencies.globalClusterIdentifier ?? []).length > 0;
    if (member || linked || id === undefined) return result;
    // Named by a value unknown at preview: it may be a global cluster with a secondary elsewhere. Named by a
    // known identifier no global cluster of the stack has: a global cluster made by another stack, whose
    // other clusters are in other regions (AWS puts each cluster of a global database in its own region).
    const outside: Place =
        id === UNKNOWN
            ? { region: undefined, elsewhere: "unknown", dependsOn: ["the global cluster it joins (globalClusterIdentifier)"] }
            : { region: undefined, elsewhere: true, dependsOn: [] };
    const what =
        id === UNKNOWN ? "a global cluster unknown at preview" : `global cluster '${id}', made outside this stack, in other regions`;
    result.push(replicaProtection({ what, via: [store.urn], place: outside, lag: C.liveReplicaLagHours, promote }));
    return result;
}

export function clusterFacts(store: PolicyResource, ctx: FactsContext): KindFacts {
    const kind = storeKindOf(store) as ClusterKind;
    const label = StoreKinds[kind].label;
    const home = regionOfStore(store);
    const notes = copyNote(copyOf(store, ctx.resources));
    // A Multi-AZ DB cluster (mysql or postgres with a DB cluster instance class): a writer and two readers in three zones.
    const instanceClass = kind === "rdsCluster" ? known(() => store.props.dbClusterInstanceClass as unknown) : undefined;
    const multiAzCluster = instanceClass !== undefined;
    const redundancy: Redundancy = multiAzCluster
        ? {
              nodes: 3,
              zones: 3,
              failoverSeconds: C.rdsClusterFailoverSeconds.value,
              what: "a Multi-AZ DB cluster: a writer and two readable standbys in three availability zones",
              source: C.rdsClusterFailoverSeconds.source,
              dependsOn: instanceClass === UNKNOWN ? ["whether it is a Multi-AZ DB cluster (dbClusterInstanceClass)"] : [],
          }
        : clusterRedundancy(store, kind, ctx.resources);
    const protections = automatedBackups(store, home, label, C.clusterLatestRestorableHours, notes);
    protections.push(...globalCopies(store, kind, ctx.resources));
    for (const c of ctx.resources.filter(is(...StoreKinds[kind].types)).filter((c) => c !== store)) {
        const link = names(c, "replicationSourceIdentifier", store);
        if (link === false) continue;
        const place = placeOf(store, c, `replica cluster '${c.name}'`);
        protections.push(
            replicaProtection({
                what: `replica cluster '${c.name}' in ${regionText(place.region)}`,
                via: [c.urn],
                place,
                lag: C.rdsReadReplicaLagHours,
                promote: "promoting the replica cluster",
                dependsOn: link === UNKNOWN ? [`which cluster '${c.name}' replicates (replicationSourceIdentifier)`] : [],
            }),
        );
    }
    protections.push(...backupProtections(store, ctx.resources, home, awsRestore(label)));
    const storage = multiAzCluster ? known(() => store.props.allocatedStorage as number | undefined) : undefined;
    const sizeHint =
        typeof storage === "number" && storage > 0
            ? { gib: storage, source: "the cluster's allocated storage (allocatedStorage), an upper bound" }
            : undefined;
    return { region: home, redundancy, protections, notes, sizeHint };
}

// --- Redshift ------------------------------------------------------------------------------------

function redshiftRedundancy(store: PolicyResource): Redundancy {
    const multiAz = known(() => store.props.multiAz as boolean | undefined);
    if (multiAz === true || multiAz === UNKNOWN) {
        return {
            nodes: "managed",
            zones: 2,
            failoverSeconds: C.redshiftMultiAzFailoverSeconds.value,
            what: "a Multi-AZ deployment: compute in two availability zones over Redshift managed storage",
            source: C.redshiftMultiAzFailoverSeconds.source,
            dependsOn: multiAz === UNKNOWN ? ["whether Multi-AZ is on (multiAz)"] : [],
        };
    }
    const type = known(() => store.props.clusterType as string | undefined);
    const count = known(() => store.props.numberOfNodes as number | undefined);
    const dependsOn = [
        ...(type === UNKNOWN ? ["the cluster type (clusterType)"] : []),
        ...(count === UNKNOWN ? ["the number of nodes (numberOfNodes)"] : []),
    ];
    // numberOfNodes defaults to 1 (@pulumi/aws redshift/cluster.d.ts); unknown counts as several nodes.
    const nodes = type === "single-node" ? 1 : count === UNKNOWN || type === UNKNOWN ? 2 : (count ?? 1);
    if (nodes <= 1) {
        // A single-node cluster's failed node cannot be replaced: it is restored from a snapshot
        // (AWS re:Post Knowledge Center, "Why did Amazon Redshift replace a node in my cluster?").
        return { nodes: 1, zones: 1, failoverSeconds: 0, what: "a single-node cluster, restored from a snapshot when its node fails" };
    }
    const replace = hoursOf(C.redshiftNodeReplacementHours) * 3600;
    const relocation = known(() => store.props.availabilityZoneRelocationEnabled as boolean | undefined);
    if (relocation === UNKNOWN) dependsOn.push("whether relocation is on (availabilityZoneRelocationEnabled)");
    if (relocation === true || relocation === UNKNOWN) {
        return {
            nodes: "managed",
            zones: "managed",
            failoverSeconds: Math.max(replace, hoursOf(C.redshiftRelocationHours) * 3600),
            what: "a multi-node cluster whose failed nodes Redshift replaces, relocated to another availability zone when its own fails",
            source: `${C.redshiftNodeReplacementHours.source}; ${C.redshiftRelocationHours.source}`,
            dependsOn,
        };
    }
    return {
        nodes: "managed",
        zones: 1,
        failoverSeconds: replace,
        what: "a multi-node cluster in one availability zone, whose failed nodes Redshift replaces",
        source: C.redshiftNodeReplacementHours.source,
        dependsOn,
    };
}

export function redshiftFacts(store: PolicyResource, ctx: FactsContext): KindFacts {
    const home = regionOfStore(store);
    const label = StoreKinds.redshiftCluster.label;
    const notes: string[] = [];
    const protections: Protection[] = [];
    const every = C.redshiftSnapshotEveryHours;
    // automatedSnapshotRetentionPeriod defaults to 1 and 0 turns automated snapshots off (redshift/cluster.d.ts).
    const period = known(() => store.props.automatedSnapshotRetentionPeriod as number | undefined);
    if (period === 0) notes.push("automated snapshots are off (automatedSnapshotRetentionPeriod 0)");
    else {
        const days = period === UNKNOWN ? undefined : (period ?? 1);
        protections.push(
            pointsProtection({
                mechanism: "service-snapshots",
                what: `automated snapshots about every ${every.value} h${days === undefined ? "" : `, kept ${plural(days, "day")}`}`,
                via: [store.urn],
                place: atHome(home),
                everyHours: every.value,
                retentionDays: days,
                restore: awsRestore(label),
                dependsOn: period === UNKNOWN ? ["the snapshot retention (automatedSnapshotRetentionPeriod)"] : [],
            }),
        );
    }
    for (const copy of ctx.resources.filter(is(RedshiftTypes.snapshotCopy))) {
        const link = copiesCluster(copy, store);
        if (link === false) continue;
        const region = known(() => copy.props.destinationRegion as string | undefined);
        const place = placeIn(home, region, `the destination region of '${copy.name}' (destinationRegion)`);
        // Copied automated snapshots are kept 7 days unless retentionPeriod says otherwise (EnableSnapshotCopy).
        const kept = known(() => copy.props.retentionPeriod as number | undefined);
        protections.push(
            pointsProtection({
                mechanism: "service-snapshot-copy",
                what: `snapshots copied to ${regionText(place.region)} ('${copy.name}')`,
                via: [copy.urn],
                place,
                everyHours: every.value,
                lag: C.serviceSnapshotCopyHours,
                retentionDays: kept === UNKNOWN ? undefined : (kept ?? 7),
                restore: awsRestore(`${label} in ${regionText(place.region)}`),
                dependsOn: link === UNKNOWN ? [`which cluster '${copy.name}' copies (clusterIdentifier)`] : [],
            }),
        );
    }
    protections.push(...backupProtections(store, ctx.resources, home, awsRestore(label)));
    return { region: home, redundancy: redshiftRedundancy(store), protections, notes };
}
