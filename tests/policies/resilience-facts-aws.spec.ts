import * as assert from "assert";
import { C } from "../../policies/resilience/constants";
import { hours } from "../../policies/resilience/model";
import { backupPlanFor, TestResource, UNKNOWN, urnOf } from "../helpers/policy";
import {
    views,
    aws,
    h,
    fmt,
    restoreHours,
    restore,
    PITR_LAG,
    CLUSTER_LAG,
    LIVE,
    PROMOTE,
    SNAPSHOT_COPY,
    DB_GIB,
    DB_SIZE,
    takeover,
    pitr,
} from "../helpers/resilience-facts";

// Another team's data stores, written with plain @pulumi/aws resources and sent as the engine sends them at
// preview (IDs and ARNs of new resources unknown, the property that took them depending on their resource),
// read by the resilience model through the SDK's unknown-checking proxy: the facts of each store (who takes
// over in the region, every protection) and the RPO/RTO the model estimates from them.
type Props = Record<string, unknown>;

// --- fixtures -------------------------------------------------------------------------------------

/** new aws.rds.Instance("orders", { engine: "postgres", allocatedStorage: 20, backupRetentionPeriod: 7, ... }) in us-east-1. */
const instance = (name: string, props: Props = {}): TestResource => ({
    type: "aws:rds/instance:Instance",
    name,
    props: {
        identifier: name,
        engine: "postgres",
        instanceClass: "db.t3.micro",
        allocatedStorage: 20,
        username: "app",
        password: "secret",
        region: "us-east-1",
        ...props,
    },
});
/** new aws.rds.InstanceAutomatedBackupsReplication("orders-backups", { sourceDbInstanceArn: orders.arn, region: "us-west-2" }) */
const backupsReplication = (source: TestResource, props: Props = {}): TestResource => ({
    type: "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
    name: `${source.name}-backups`,
    props: { sourceDbInstanceArn: UNKNOWN, region: "us-west-2", ...props },
    propertyDependencies: { sourceDbInstanceArn: [urnOf(source)] },
});
/** new aws.rds.Instance("orders-replica", { replicateSourceDb: orders.arn, ... }, { provider }) */
const readReplica = (source: TestResource, provider: TestResource["provider"], props: Props = {}): TestResource => ({
    type: "aws:rds/instance:Instance",
    name: `${source.name}-replica`,
    props: { identifier: `${source.name}-replica`, replicateSourceDb: UNKNOWN, instanceClass: "db.t3.micro", ...props },
    propertyDependencies: { replicateSourceDb: [urnOf(source)] },
    provider,
});

/** new aws.rds.Cluster(name, { engine: "aurora-postgresql", backupRetentionPeriod: 7, ... }) in us-west-2. */
const cluster = (name: string, props: Props = {}, type = "aws:rds/cluster:Cluster"): TestResource => ({
    type,
    name,
    props: {
        clusterIdentifier: name,
        engine: "aurora-postgresql",
        masterUsername: "app",
        masterPassword: "secret",
        backupRetentionPeriod: 7,
        region: "us-west-2",
        ...props,
    },
});
/** A cluster instance joined by `clusterIdentifier: cluster.id`, unknown at preview. */
const member = (of: TestResource, n: number, props: Props = {}): TestResource => ({
    type: of.type.replace("/cluster:Cluster", "/clusterInstance:ClusterInstance"),
    name: `${of.name}-${n}`,
    props: {
        identifier: `${of.name}-${n}`,
        clusterIdentifier: UNKNOWN,
        instanceClass: "db.r6g.large",
        engine: of.props.engine,
        region: of.props.region,
        ...props,
    },
    propertyDependencies: { clusterIdentifier: [urnOf(of)] },
});
/** Aurora Global Database as the provider's docs write it: a primary with two instances in us-west-2, a headless secondary in us-east-1. */
function auroraGlobal(): TestResource[] {
    const g: TestResource = {
        type: "aws:rds/globalCluster:GlobalCluster",
        name: "catalog-global",
        props: { globalClusterIdentifier: "catalog-global", engine: "aurora-postgresql" },
    };
    const join = (c: TestResource, after: TestResource[] = []): TestResource => ({
        ...c,
        props: { ...c.props, globalClusterIdentifier: UNKNOWN },
        propertyDependencies: { globalClusterIdentifier: [urnOf(g)] },
        dependencies: after.map(urnOf),
    });
    const primary = join(cluster("catalog"));
    const { masterUsername: _u, masterPassword: _p, ...headless } = cluster("catalog-dr", { region: "us-east-1" }).props;
    const secondary = join({ ...cluster("catalog-dr"), props: headless }, [primary]);
    return [g, primary, member(primary, 1), member(primary, 2), secondary];
}

/** new aws.redshift.Cluster("warehouse", { nodeType: "dc2.large", clusterType: "multi-node", numberOfNodes: 2, ... }) */
const warehouse = (props: Props = {}): TestResource => ({
    type: "aws:redshift/cluster:Cluster",
    name: "warehouse",
    props: {
        clusterIdentifier: "warehouse",
        nodeType: "dc2.large",
        clusterType: "multi-node",
        numberOfNodes: 2,
        masterUsername: "admin",
        region: "us-west-2",
        ...props,
    },
});
/** new aws.redshift.SnapshotCopy("warehouse-copy", { clusterIdentifier: warehouse.clusterIdentifier, destinationRegion: "us-east-1" }) */
const snapshotCopy = (of: TestResource, props: Props = {}): TestResource => ({
    type: "aws:redshift/snapshotCopy:SnapshotCopy",
    name: `${of.name}-copy`,
    props: { clusterIdentifier: of.props.clusterIdentifier, destinationRegion: "us-east-1", region: "us-west-2", ...props },
    propertyDependencies: { clusterIdentifier: [urnOf(of)] },
});

describe("resilience facts of the AWS stores (policies/resilience/facts-aws-databases.ts)", () => {
    describe("RDS instances", () => {
        it("single-AZ with 7 days of backups and no copy: 5 minutes lost with a node or a zone, everything with the region", async () => {
            const single = pitr(7);
            const lost = `continuous + ${fmt(C.rdsLatestRestorableHours)} to arrive → up to ${fmt(C.rdsLatestRestorableHours)} lost`;
            assert.deepStrictEqual(await views([instance("orders", { backupRetentionPeriod: 7 })]), [
                {
                    store:
                        "RDS instance 'orders' in us-east-1, 20 GiB (the instance's allocated storage (allocatedStorage), an " +
                        "upper bound)",
                    redundancy: "nodes 1, zones 1, 0 s: a single-AZ instance, multiAz unset",
                    protections: [`points point-in-time in us-east-1 (elsewhere false) every 0 h, lag ${PITR_LAG} h, kept 7 d: ${single}`],
                    notes: [],
                    estimates: [
                        `node: RPO ${PITR_LAG} h, RTO ${restoreHours(20)} h: no second node takes over (a single-AZ instance, ` +
                            `multiAz unset); ${single}: ${lost}; ${restore("RDS instance", 20)}`,
                        `zone: RPO ${PITR_LAG} h, RTO ${restoreHours(20)} h: no second zone takes over (a single-AZ instance, ` +
                            `multiAz unset); ${single}: ${lost}; ${restore("RDS instance", 20)}`,
                        "region: RPO null h, RTO null h: no copy outside us-east-1: the data is lost with the region",
                        `corruption: RPO 0 h, RTO ${restoreHours(20)} h: ${single}: continuous → nothing lost; only if the damage is ` +
                            `found within 7 days; ${restore("RDS instance", 20)}`,
                    ],
                },
            ]);
        });

        it("Multi-AZ, automated backups replicated to us-west-2: a standby takes over, 15 minutes lost with the region", async () => {
            const orders = instance("orders", { multiAz: true, backupRetentionPeriod: 14 });
            const copy = "automated backups replicated to us-west-2 ('orders-backups'), with point-in-time restore there";
            const standby = "a Multi-AZ deployment, with a standby in another availability zone";
            const [v] = await views([orders, backupsReplication(orders)]);
            assert.deepStrictEqual(v.redundancy, `nodes 2, zones 2, 120 s: ${standby}`);
            assert.deepStrictEqual(v.protections, [
                `points point-in-time in us-east-1 (elsewhere false) every 0 h, lag ${PITR_LAG} h, kept 14 d: ${pitr(14)}`,
                `points service-snapshot-copy in us-west-2 (elsewhere true) every 0 h, lag 0.25 h, kept 7 d: ${copy}`,
            ]);
            assert.deepStrictEqual(v.estimates, [
                `node: RPO 0 h, RTO ${120 / 3600} h: ${takeover(standby, C.rdsMultiAzFailoverSeconds)}`,
                `zone: RPO 0 h, RTO ${120 / 3600} h: ${takeover(standby, C.rdsMultiAzFailoverSeconds)}`,
                `region: RPO 0.25 h, RTO ${restoreHours(20)} h: ${copy}: continuous + 15 min to arrive → up to 15 min lost; ` +
                    `${restore("RDS instance in us-west-2", 20)}`,
                `corruption: RPO 0 h, RTO ${restoreHours(20)} h: ${pitr(14)}: continuous → nothing lost; only if the damage is found ` +
                    `within 14 days; ${restore("RDS instance", 20)}`,
            ]);
            assert.strictEqual(C.rdsCrossRegionBackupLagHours.value, 0.25);
        });

        it("a read replica under another region's provider: its region from the provider, minutes lost with the region", async () => {
            const orders = instance("orders", { multiAz: true });
            const [source, replica] = await views([orders, readReplica(orders, aws("eu-west-1"))]);
            const what = "read replica 'orders-replica' in eu-west-1";
            assert.deepStrictEqual(source.protections, [
                `points point-in-time in us-east-1 (elsewhere false) every 0 h, lag ${PITR_LAG} h, kept 1 d: ` +
                    `${pitr(1, " (backupRetentionPeriod unset: the AWS default)")}`,
                `replica cross-region-replica in eu-west-1 (elsewhere true) every 0 h, lag ${h(C.rdsReadReplicaLagHours)} h, kept - ` +
                    `d: ${what}`,
            ]);
            assert.deepStrictEqual(
                source.estimates[2],
                `region: RPO ${h(C.rdsReadReplicaLagHours)} h, RTO ${PROMOTE} h: ${what} → up to ${fmt(C.rdsReadReplicaLagHours)} ` +
                    `lost; promoting the read replica ${fmt(C.promoteReplicaHours)} → RTO ≈ ${fmt(C.promoteReplicaHours)}`,
            );
            // The replica is the source's copy (the source lists it), not a store the model estimates on its own.
            assert.strictEqual(replica, undefined);
        });
    });

    describe("RDS, Aurora, DocumentDB and Neptune clusters", () => {
        it("an Aurora global database: two instances take over in the region, a second's writes lost with the region", async () => {
            const [primary, secondary] = await views(auroraGlobal());
            const local = "2 instances over 2 availability zones on a cluster volume kept in three";
            const dr = "cluster 'catalog-dr' of global cluster 'catalog-global' in us-east-1";
            assert.deepStrictEqual(primary, {
                store: `RDS cluster 'catalog' in us-west-2, ${DB_SIZE}`,
                redundancy: `nodes 2, zones 2, 120 s: ${local}`,
                protections: [
                    `points point-in-time in us-west-2 (elsewhere false) every 0 h, lag ${CLUSTER_LAG} h, kept 7 d: ${pitr(7)}`,
                    `replica cross-region-replica in us-east-1 (elsewhere true) every 0 h, lag ${LIVE} h, kept - d: ${dr}`,
                ],
                notes: [],
                estimates: [
                    `node: RPO 0 h, RTO ${120 / 3600} h: ${takeover(local, C.clusterReplicaFailoverSeconds)}`,
                    `zone: RPO 0 h, RTO ${120 / 3600} h: ${takeover(local, C.clusterReplicaFailoverSeconds)}`,
                    `region: RPO ${LIVE} h, RTO ${PROMOTE} h: ${dr} → up to ${fmt(C.liveReplicaLagHours)} lost; a failover of the ` +
                        `global cluster to that region ${fmt(C.promoteReplicaHours)} → RTO ≈ ${fmt(C.promoteReplicaHours)}`,
                    `corruption: RPO 0 h, RTO ${restoreHours(DB_GIB)} h: ${pitr(7)}: continuous → nothing lost; only if the damage ` +
                        `is found within 7 days; ${restore("RDS cluster", DB_GIB)}`,
                ],
            });
            const headless =
                "the cluster volume keeps copies in three availability zones, and with no instance in the stack a new instance is " +
                "created on it";
            assert.deepStrictEqual(
                secondary.redundancy,
                `nodes managed, zones managed, ${h(C.clusterInstanceRecreateHours) * 3600} s: ${headless}`,
            );
            assert.deepStrictEqual(secondary.notes, ["a secondary cluster: the data's own backups and copies are its source's"]);
            assert.deepStrictEqual(
                secondary.protections[1],
                `replica cross-region-replica in us-west-2 (elsewhere true) every 0 h, lag ${LIVE} h, kept - d: cluster 'catalog' of ` +
                    `global cluster 'catalog-global' in us-west-2`,
            );
        });

        it("Aurora with one instance: the volume survives a node or a zone and gets a new instance; no copy elsewhere", async () => {
            const ledger = cluster("ledger");
            const [v] = await views([ledger, member(ledger, 1)]);
            const volume =
                "the cluster volume keeps copies in three availability zones, and with one instance a new instance is created on it";
            assert.deepStrictEqual(v.redundancy, `nodes managed, zones managed, 900 s: ${volume}`);
            assert.deepStrictEqual(v.estimates.slice(0, 3), [
                `node: RPO 0 h, RTO 0.25 h: ${takeover(volume, C.clusterInstanceRecreateHours)}`,
                `zone: RPO 0 h, RTO 0.25 h: ${takeover(volume, C.clusterInstanceRecreateHours)}`,
                "region: RPO null h, RTO null h: no copy outside us-west-2: the data is lost with the region",
            ]);
        });

        it("a Multi-AZ DB cluster: three instances in three zones, 35 s to fail over; its allocated storage as its size", async () => {
            const multiAz = { engine: "postgres", dbClusterInstanceClass: "db.m6gd.large", allocatedStorage: 100, iops: 1000 };
            const events = cluster("events", multiAz);
            const [v] = await views([events]);
            const what = "a Multi-AZ DB cluster: a writer and two readable standbys in three availability zones";
            assert.deepStrictEqual(
                v.store,
                "RDS cluster 'events' in us-west-2, 100 GiB (the cluster's allocated storage (allocatedStorage), an upper bound)",
            );
            assert.deepStrictEqual(v.redundancy, `nodes 3, zones 3, 35 s: ${what}`);
            assert.deepStrictEqual(v.estimates[0], `node: RPO 0 h, RTO ${35 / 3600} h: ${takeover(what, C.rdsClusterFailoverSeconds)}`);
        });

        it("DocumentDB copied by an AWS Backup plan to us-east-1: a day and the copy's transfer lost with the region", async () => {
            const profiles = cluster("profiles", { engine: "docdb" }, "aws:docdb/cluster:Cluster");
            const [v] = await views([profiles, member(profiles, 1), member(profiles, 2), ...backupPlanFor(profiles, "us-east-1")]);
            const copyLag = h(C.awsBackupCopyHours);
            const copy = "AWS Backup copy of rule 'daily' to us-east-1";
            assert.deepStrictEqual(v.protections, [
                `points point-in-time in us-west-2 (elsewhere false) every 0 h, lag ${CLUSTER_LAG} h, kept 7 d: ${pitr(7)}`,
                "points aws-backup in us-west-2 (elsewhere false) every 24 h, lag 0 h, kept 35 d: AWS Backup plan 'backup' rule 'daily'",
                `points aws-backup-copy in us-east-1 (elsewhere true) every 24 h, lag ${copyLag} h, kept 35 d: ${copy}`,
            ]);
            assert.deepStrictEqual(
                v.estimates[2],
                `region: RPO ${24 + copyLag} h, RTO ${restoreHours(DB_GIB)} h: ${copy}: a point every 24 h + ${hours(copyLag)} to ` +
                    `arrive → up to ${hours(24 + copyLag)} lost; ${restore("DocumentDB cluster", DB_GIB)}`,
            );
        });

        it("Neptune with both instances pinned in one zone: a zone's loss waits for a new instance", async () => {
            const graph = cluster("graph", { engine: "neptune" }, "aws:neptune/cluster:Cluster");
            const zone = { availabilityZone: "us-west-2a" };
            const [v] = await views([graph, member(graph, 1, zone), member(graph, 2, zone)]);
            const volume =
                "the cluster volume keeps copies in three availability zones, and with 2 instances in one zone a new instance is " +
                "created on it";
            assert.deepStrictEqual(v.redundancy, `nodes managed, zones managed, 900 s: ${volume}`);
            assert.deepStrictEqual(v.estimates[1], `zone: RPO 0 h, RTO 0.25 h: ${takeover(volume, C.clusterInstanceRecreateHours)}`);
        });
    });

    describe("Redshift", () => {
        it("a multi-node cluster copying snapshots to us-east-1: 8 h lost with a zone, 8 h and the transfer with the region", async () => {
            const w = warehouse({ automatedSnapshotRetentionPeriod: 7 });
            const [v] = await views([w, snapshotCopy(w)]);
            const nodes = "a multi-node cluster in one availability zone, whose failed nodes Redshift replaces";
            const local = "automated snapshots about every 8 h, kept 7 days";
            const copy = "snapshots copied to us-east-1 ('warehouse-copy')";
            assert.deepStrictEqual(v, {
                store: `Redshift cluster 'warehouse' in us-west-2, ${DB_SIZE}`,
                redundancy: `nodes managed, zones 1, ${h(C.redshiftNodeReplacementHours) * 3600} s: ${nodes}`,
                protections: [
                    `points service-snapshots in us-west-2 (elsewhere false) every 8 h, lag 0 h, kept 7 d: ${local}`,
                    `points service-snapshot-copy in us-east-1 (elsewhere true) every 8 h, lag ${SNAPSHOT_COPY} h, kept 7 d: ${copy}`,
                ],
                notes: [],
                estimates: [
                    `node: RPO 0 h, RTO ${h(C.redshiftNodeReplacementHours)} h: ${takeover(nodes, C.redshiftNodeReplacementHours)}`,
                    `zone: RPO 8 h, RTO ${restoreHours(DB_GIB)} h: no second zone takes over (${nodes}); ${local}: a point every 8 h ` +
                        `→ up to 8 h lost; ${restore("Redshift cluster", DB_GIB)}`,
                    `region: RPO ${8 + SNAPSHOT_COPY} h, RTO ${restoreHours(DB_GIB)} h: ${copy}: a point every 8 h + ` +
                        `${hours(SNAPSHOT_COPY)} to arrive → up to ${hours(8 + SNAPSHOT_COPY)} lost; ` +
                        `${restore("Redshift cluster in us-east-1", DB_GIB)}`,
                    `corruption: RPO 8 h, RTO ${restoreHours(DB_GIB)} h: ${local}: a point every 8 h → up to 8 h lost; only if the ` +
                        `damage is found within 7 days; ${restore("Redshift cluster", DB_GIB)}`,
                ],
            });
            assert.strictEqual(C.redshiftSnapshotEveryHours.value, 8);
        });

        it("a single-node cluster is restored from a snapshot when its node fails; an RA3 Multi-AZ one fails over", async () => {
            const [single] = await views([warehouse({ clusterType: "single-node", numberOfNodes: undefined })]);
            const one = "a single-node cluster, restored from a snapshot when its node fails";
            const daily = "automated snapshots about every 8 h, kept 1 day";
            assert.deepStrictEqual(single.redundancy, `nodes 1, zones 1, 0 s: ${one}`);
            assert.deepStrictEqual(
                single.estimates[0],
                `node: RPO 8 h, RTO ${restoreHours(DB_GIB)} h: no second node takes over (${one}); ${daily}: a point every 8 h → up ` +
                    `to 8 h lost; ${restore("Redshift cluster", DB_GIB)}`,
            );
            const [multiAz] = await views([warehouse({ nodeType: "ra3.xlplus", multiAz: true })]);
            const two = "a Multi-AZ deployment: compute in two availability zones over Redshift managed storage";
            assert.deepStrictEqual(multiAz.redundancy, `nodes managed, zones 2, ${C.redshiftMultiAzFailoverSeconds.value} s: ${two}`);
            assert.deepStrictEqual(
                multiAz.estimates[1],
                `zone: RPO 0 h, RTO ${C.redshiftMultiAzFailoverSeconds.value / 3600} h: ${takeover(two, C.redshiftMultiAzFailoverSeconds)}`,
            );
        });
    });

    describe("values unknown at preview", () => {
        it("count in the stack's favour and are named: Multi-AZ, retention, the region of a replica's provider", async () => {
            const orders = instance("orders", { multiAz: UNKNOWN, backupRetentionPeriod: UNKNOWN });
            const replica = readReplica(orders, { type: "pulumi:providers:aws", name: "dr", props: { region: UNKNOWN } });
            const [v] = await views([orders, replica]);
            const standby = "a Multi-AZ deployment, with a standby in another availability zone";
            const what = "read replica 'orders-replica' in an unknown region";
            assert.deepStrictEqual(v.redundancy, `nodes 2, zones 2, 120 s: ${standby} [depends on whether Multi-AZ is on (multiAz)]`);
            assert.deepStrictEqual(v.protections, [
                `points point-in-time in us-east-1 (elsewhere false) every 0 h, lag ${PITR_LAG} h, kept - d: automated backups with ` +
                    `point-in-time restore [depends on the backup retention (backupRetentionPeriod)]`,
                `replica cross-region-replica in ? (elsewhere unknown) every 0 h, lag ${h(C.rdsReadReplicaLagHours)} h, kept - d: ` +
                    `${what} [depends on the region of read replica 'orders-replica']`,
            ]);
            assert.deepStrictEqual(v.estimates, [
                `node: RPO 0 h, RTO ${120 / 3600} h: ${takeover(standby, C.rdsMultiAzFailoverSeconds)} [depends on whether Multi-AZ ` +
                    `is on (multiAz)]`,
                `zone: RPO 0 h, RTO ${120 / 3600} h: ${takeover(standby, C.rdsMultiAzFailoverSeconds)} [depends on whether Multi-AZ ` +
                    `is on (multiAz)]`,
                `region: RPO ${h(C.rdsReadReplicaLagHours)} h, RTO ${PROMOTE} h: ${what} → up to ${fmt(C.rdsReadReplicaLagHours)} ` +
                    `lost; promoting the read replica ${fmt(C.promoteReplicaHours)} → RTO ≈ ${fmt(C.promoteReplicaHours)} [depends ` +
                    `on the region of read replica 'orders-replica']`,
                `corruption: RPO 0 h, RTO ${restoreHours(20)} h: automated backups with point-in-time restore: continuous → nothing ` +
                    `lost; ${restore("RDS instance", 20)} [depends on the backup retention (backupRetentionPeriod)]`,
            ]);
        });

        it("an unknown Redshift relocation may move the cluster; an unknown instance class may make a Multi-AZ DB cluster", async () => {
            const [w] = await views([warehouse({ nodeType: "ra3.4xlarge", availabilityZoneRelocationEnabled: UNKNOWN })]);
            const moved =
                "a multi-node cluster whose failed nodes Redshift replaces, relocated to another availability zone when its own fails";
            const seconds = Math.max(h(C.redshiftNodeReplacementHours), h(C.redshiftRelocationHours)) * 3600;
            const relocation = "[depends on whether relocation is on (availabilityZoneRelocationEnabled)]";
            assert.deepStrictEqual(w.redundancy, `nodes managed, zones managed, ${seconds} s: ${moved} ${relocation}`);
            const [events] = await views([cluster("events", { engine: "postgres", dbClusterInstanceClass: UNKNOWN })]);
            assert.deepStrictEqual(
                events.redundancy,
                "nodes 3, zones 3, 35 s: a Multi-AZ DB cluster: a writer and two readable standbys in three availability zones " +
                    "[depends on whether it is a Multi-AZ DB cluster (dbClusterInstanceClass)]",
            );
        });

        it("a cluster joined to a global cluster by a value unknown at preview may have a secondary elsewhere", async () => {
            const [v] = await views([cluster("catalog", { globalClusterIdentifier: UNKNOWN })]);
            assert.deepStrictEqual(
                v.protections[1],
                `replica cross-region-replica in ? (elsewhere unknown) every 0 h, lag ${LIVE} h, kept - d: a global cluster unknown ` +
                    `at preview [depends on the global cluster it joins (globalClusterIdentifier)]`,
            );
            assert.deepStrictEqual(
                v.estimates[2],
                `region: RPO ${LIVE} h, RTO ${PROMOTE} h: a global cluster unknown at preview → up to ${fmt(C.liveReplicaLagHours)} ` +
                    `lost; a failover of the global cluster to that region ${fmt(C.promoteReplicaHours)} → RTO ≈ ` +
                    `${fmt(C.promoteReplicaHours)} ` +
                    "[depends on the global cluster it joins (globalClusterIdentifier)]",
            );
        });
    });
});
