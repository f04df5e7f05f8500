import * as assert from "assert";
import { C } from "../../policies/resilience/constants";
import { hours } from "../../policies/resilience/model";
import { TestResource, UNKNOWN, urnOf } from "../helpers/policy";
import {
    views,
    aws,
    h,
    fmt,
    restoreHours,
    restore,
    LIVE,
    PROMOTE,
    SNAPSHOT_COPY,
    DB_GIB,
    DB_SIZE,
    CACHE_GIB,
    CACHE_SIZE,
    FILES_GIB,
    FILES_SIZE,
    takeover,
} from "../helpers/resilience-facts";

// Another team's data stores, written with plain @pulumi/aws resources and sent as the engine sends them at
// preview (IDs and ARNs of new resources unknown, the property that took them depending on their resource),
// read by the resilience model through the SDK's unknown-checking proxy: the facts of each store (who takes
// over in the region, every protection) and the RPO/RTO the model estimates from them.
type Props = Record<string, unknown>;

// --- fixtures -------------------------------------------------------------------------------------

/** new aws.dynamodb.Table("carts", { hashKey: "id", ..., pointInTimeRecovery: { enabled: true } }) in us-east-1. */
const table = (props: Props = {}, name = "carts"): TestResource => ({
    type: "aws:dynamodb/table:Table",
    name,
    props: {
        name,
        billingMode: "PAY_PER_REQUEST",
        hashKey: "id",
        attributes: [{ name: "id", type: "S" }],
        streamEnabled: true,
        streamViewType: "NEW_AND_OLD_IMAGES",
        region: "us-east-1",
        ...props,
    },
});

const fileSystem = (props: Props = {}, name = "shared"): TestResource => ({
    type: "aws:efs/fileSystem:FileSystem",
    name,
    props: { creationToken: name, encrypted: true, region: "us-west-2", ...props },
});
const efsReplication = (source: TestResource, destination: Props): TestResource => ({
    type: "aws:efs/replicationConfiguration:ReplicationConfiguration",
    name: `${source.name}-replication`,
    props: { sourceFileSystemId: UNKNOWN, destination },
    propertyDependencies: { sourceFileSystemId: [urnOf(source)] },
});
const efsBackupPolicy = (fs: TestResource): TestResource => ({
    type: "aws:efs/backupPolicy:BackupPolicy",
    name: `${fs.name}-backup-policy`,
    props: { fileSystemId: UNKNOWN, backupPolicy: { status: "ENABLED" } },
    propertyDependencies: { fileSystemId: [urnOf(fs)] },
});

/** new aws.ebs.Volume("data", { availabilityZone: "us-west-2a", size: 50, tags: { Snapshot: "true" } }) */
const volume: TestResource = {
    type: "aws:ebs/volume:Volume",
    name: "data",
    props: { availabilityZone: "us-west-2a", size: 50, type: "gp3", encrypted: true, tags: { Name: "data", Snapshot: "true" } },
};
/** A DLM policy snapshotting volumes tagged Snapshot=true daily, kept 14, copied to us-east-1 and kept 30 days there. */
const dlm: TestResource = {
    type: "aws:dlm/lifecyclePolicy:LifecyclePolicy",
    name: "snapshots",
    props: {
        description: "daily snapshots",
        executionRoleArn: UNKNOWN,
        state: "ENABLED",
        region: "us-west-2",
        policyDetails: {
            resourceTypes: ["VOLUME"],
            targetTags: { Snapshot: "true" },
            schedules: [
                {
                    name: "daily",
                    createRule: { interval: 24, intervalUnit: "HOURS", times: "23:45" },
                    retainRule: { count: 14 },
                    crossRegionCopyRules: [{ target: "us-east-1", encrypted: true, retainRule: { interval: 30, intervalUnit: "DAYS" } }],
                },
            ],
        },
    },
};

const group = (name: string, props: Props = {}): TestResource => ({
    type: "aws:elasticache/replicationGroup:ReplicationGroup",
    name,
    props: { replicationGroupId: name, description: name, engine: "redis", nodeType: "cache.r7g.large", region: "us-west-2", ...props },
});
const memcached: TestResource = {
    type: "aws:elasticache/cluster:Cluster",
    name: "sessions",
    props: { clusterId: "sessions", engine: "memcached", nodeType: "cache.t4g.small", numCacheNodes: 2, region: "us-west-2" },
};
const memorydb = (name: string, props: Props = {}): TestResource => ({
    type: "aws:memorydb/cluster:Cluster",
    name,
    props: { name, aclName: "open-access", nodeType: "db.r7g.large", numShards: 1, region: "us-west-2", ...props },
});

describe("resilience facts of the AWS stores (policies/resilience/facts-aws-storage.ts, facts-aws-caches.ts)", () => {
    describe("DynamoDB, EFS, EBS", () => {
        it("a DynamoDB table with point-in-time recovery and a replica in eu-west-1: nothing lost to a corruption", async () => {
            const [v] = await views([table({ pointInTimeRecovery: { enabled: true }, replicas: [{ regionName: "eu-west-1" }] })]);
            const managed = "DynamoDB stores the table in several availability zones";
            const replica = "global table replica in eu-west-1";
            assert.deepStrictEqual(v, {
                store: `DynamoDB table 'carts' in us-east-1, ${DB_SIZE}`,
                redundancy: `nodes managed, zones managed, 0 s: ${managed}`,
                protections: [
                    `points point-in-time in us-east-1 (elsewhere false) every 0 h, lag ${h(C.dynamodbLatestRestorableHours)} h, ` +
                        `kept 35 d: point-in-time recovery, kept 35 days`,
                    `replica cross-region-replica in eu-west-1 (elsewhere true) every 0 h, lag ${LIVE} h, kept - d: ${replica}`,
                ],
                notes: [],
                estimates: [
                    `node: RPO 0 h, RTO 0 h: ${managed} → nothing lost; no takeover needed`,
                    `zone: RPO 0 h, RTO 0 h: ${managed} → nothing lost; no takeover needed`,
                    `region: RPO ${LIVE} h, RTO ${PROMOTE} h: ${replica} → up to ${fmt(C.liveReplicaLagHours)} lost; pointing ` +
                        `clients at the replica (every replica of a global table takes writes) ${fmt(C.promoteReplicaHours)} → RTO ≈ ` +
                        `${fmt(C.promoteReplicaHours)}`,
                    `corruption: RPO 0 h, RTO ${restoreHours(DB_GIB)} h: point-in-time recovery, kept 35 days: continuous → nothing ` +
                        `lost; only if the damage is found within 35 days; ${restore("DynamoDB table", DB_GIB)}`,
                ],
            });
        });

        it("an EFS file system replicated to us-east-1: 15 minutes lost with the region; no recovery point for a corruption", async () => {
            const shared = fileSystem();
            const [v] = await views([shared, efsReplication(shared, { region: "us-east-1" })]);
            const replica = "EFS replication 'shared-replication' to us-east-1";
            assert.deepStrictEqual(v.store, `EFS file system 'shared' in us-west-2, ${FILES_SIZE}`);
            assert.deepStrictEqual(v.redundancy, "nodes managed, zones managed, 0 s: EFS Regional, stored in several availability zones");
            assert.deepStrictEqual(v.protections, [
                `replica cross-region-replica in us-east-1 (elsewhere true) every 0 h, lag 0.25 h, kept - d: ${replica}`,
            ]);
            assert.deepStrictEqual(v.estimates.slice(2), [
                `region: RPO 0.25 h, RTO ${PROMOTE} h: ${replica} → up to 15 min lost; deleting the replication configuration, which ` +
                    `makes the replica writable, and pointing clients at it ${fmt(C.promoteReplicaHours)} → RTO ≈ ` +
                    `${fmt(C.promoteReplicaHours)}`,
                "corruption: RPO null h, RTO null h: no recovery points (snapshots, versions, point-in-time restore): a deletion or " +
                    "corruption is final",
            ]);
            assert.strictEqual(C.efsReplicationRpoHours.value, 0.25);
        });

        it("EFS One Zone with automatic backups: a zone's loss falls back to yesterday's backup", async () => {
            const shared = fileSystem({ availabilityZoneName: "us-west-2b" });
            const [v] = await views([shared, efsBackupPolicy(shared)]);
            const zone = "EFS One Zone in us-west-2b, stored redundantly within that availability zone only";
            const daily = "automatic backups ('shared-backup-policy'): AWS Backup's default EFS plan, daily, kept 35 days";
            assert.deepStrictEqual(v.redundancy, `nodes managed, zones 1, 0 s: ${zone}`);
            assert.deepStrictEqual(v.protections, [
                `points aws-backup in us-west-2 (elsewhere false) every 24 h, lag 0 h, kept 35 d: ${daily}`,
            ]);
            assert.deepStrictEqual(v.estimates.slice(0, 2), [
                `node: RPO 0 h, RTO 0 h: ${zone} → nothing lost; no takeover needed`,
                `zone: RPO 24 h, RTO ${restoreHours(FILES_GIB)} h: no second zone takes over (${zone}); ${daily}: a point every 24 h ` +
                    `→ up to 24 h lost; ${restore("EFS file system", FILES_GIB)}`,
            ]);
        });

        it("an EBS volume whose DLM policy copies daily snapshots to us-east-1: a day plus the transfer lost with the region", async () => {
            const [v] = await views([volume, dlm]);
            const local = "DLM policy 'snapshots' schedule 'daily', a snapshot every 24 h";
            const copy = "DLM policy 'snapshots' schedule 'daily', copied to us-east-1";
            const single = "an EBS volume, replicated within its availability zone only";
            assert.deepStrictEqual(v, {
                store: "EBS volume 'data' in us-west-2, 50 GiB (the volume's size (size))",
                redundancy: `nodes 1, zones 1, 0 s: ${single}`,
                protections: [
                    `points service-snapshots in us-west-2 (elsewhere false) every 24 h, lag 0 h, kept 14 d: ${local}`,
                    `points service-snapshot-copy in us-east-1 (elsewhere true) every 24 h, lag ${SNAPSHOT_COPY} h, kept 30 d: ${copy}`,
                ],
                notes: [],
                estimates: [
                    `node: RPO 24 h, RTO ${restoreHours(50)} h: no second node takes over (${single}); ${local}: a point every 24 h ` +
                        `→ up to 24 h lost; ${restore("EBS volume", 50)}`,
                    `zone: RPO 24 h, RTO ${restoreHours(50)} h: no second zone takes over (${single}); ${local}: a point every 24 h ` +
                        `→ up to 24 h lost; ${restore("EBS volume", 50)}`,
                    `region: RPO ${24 + SNAPSHOT_COPY} h, RTO ${restoreHours(50)} h: ${copy}: a point every 24 h + ` +
                        `${hours(SNAPSHOT_COPY)} to arrive → up to ${hours(24 + SNAPSHOT_COPY)} lost; ` +
                        `${restore("EBS volume in us-east-1", 50)}`,
                    `corruption: RPO 24 h, RTO ${restoreHours(50)} h: ${local}: a point every 24 h → up to 24 h lost; only if the ` +
                        `damage is found within 14 days; ${restore("EBS volume", 50)}`,
                ],
            });
        });
    });

    describe("ElastiCache and MemoryDB", () => {
        it("a Multi-AZ replication group with a replica and daily snapshots: a replica takes over; a day lost to corruption", async () => {
            const props = { automaticFailoverEnabled: true, multiAzEnabled: true, numCacheClusters: 2, snapshotRetentionLimit: 7 };
            const [v] = await views([group("sessions", props)]);
            const failover = "1 replica per shard, by numCacheClusters 2, with automatic failover, Multi-AZ";
            const daily = "automatic daily snapshots, kept 7 days";
            assert.deepStrictEqual(v, {
                store: `ElastiCache replication group 'sessions' in us-west-2, ${CACHE_SIZE}`,
                redundancy: `nodes 2, zones 2, 60 s: ${failover}`,
                protections: [`points service-snapshots in us-west-2 (elsewhere false) every 24 h, lag 0 h, kept 7 d: ${daily}`],
                notes: [],
                estimates: [
                    `node: RPO 0 h, RTO ${60 / 3600} h: ${takeover(failover, C.cacheFailoverSeconds)}`,
                    `zone: RPO 0 h, RTO ${60 / 3600} h: ${takeover(failover, C.cacheFailoverSeconds)}`,
                    "region: RPO null h, RTO null h: no copy outside us-west-2: the data is lost with the region",
                    `corruption: RPO 24 h, RTO ${restoreHours(CACHE_GIB)} h: ${daily}: a point every 24 h → up to 24 h lost; only if ` +
                        `the damage is found within 7 days; ${restore("ElastiCache replication group", CACHE_GIB)}`,
                ],
            });
        });

        it("a replication group without failover nor snapshots, in a global datastore with a secondary in eu-west-1", async () => {
            const primary = group("sessions");
            const global: TestResource = {
                type: "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup",
                name: "sessions-global",
                props: { globalReplicationGroupIdSuffix: "sessions", primaryReplicationGroupId: UNKNOWN },
                propertyDependencies: { primaryReplicationGroupId: [urnOf(primary)] },
            };
            const secondary: TestResource = {
                ...group("sessions-eu", { globalReplicationGroupId: UNKNOWN, region: "eu-west-1" }),
                propertyDependencies: { globalReplicationGroupId: [urnOf(global)] },
            };
            const [v] = await views([primary, global, secondary]);
            const alone = "automatic failover is off, automaticFailoverEnabled unset, so no replica takes over by itself";
            const dr = "replication group 'sessions-eu' of global datastore 'sessions-global' in eu-west-1";
            assert.deepStrictEqual(v.redundancy, `nodes 1, zones 1, 0 s: ${alone}`);
            const lag = h(C.cacheGlobalLagHours);
            const replica = `replica cross-region-replica in eu-west-1 (elsewhere true) every 0 h, lag ${lag} h, kept - d: ${dr}`;
            assert.deepStrictEqual(v.protections, [replica]);
            assert.deepStrictEqual(v.notes, ["automatic snapshots are off (snapshotRetentionLimit unset, default 0)"]);
            const promoted =
                `${dr} → up to ${fmt(C.cacheGlobalLagHours)} lost; promoting the secondary cluster of the global datastore ` +
                `${fmt(C.promoteReplicaHours)} → RTO ≈ ${fmt(C.promoteReplicaHours)}`;
            assert.deepStrictEqual(v.estimates, [
                `node: RPO ${h(C.cacheGlobalLagHours)} h, RTO ${PROMOTE} h: no second node takes over (${alone}); ${promoted}`,
                `zone: RPO ${h(C.cacheGlobalLagHours)} h, RTO ${PROMOTE} h: no second zone takes over (${alone}); ${promoted}`,
                `region: RPO ${h(C.cacheGlobalLagHours)} h, RTO ${PROMOTE} h: ${promoted}`,
                "corruption: RPO null h, RTO null h: no recovery points (snapshots, versions, point-in-time restore): a deletion or " +
                    "corruption is final",
            ]);
        });

        it("a Memcached cluster: no replica and no snapshot, so every disruption loses its data", async () => {
            const [v] = await views([memcached]);
            const what = "Memcached with 2 nodes, each holding its own share of the keys and no replica";
            assert.deepStrictEqual(v, {
                store: `ElastiCache cluster 'sessions' in us-west-2, ${CACHE_SIZE}`,
                redundancy: `nodes 1, zones 1, 0 s: ${what}`,
                protections: [],
                notes: ["Memcached takes no snapshots: the keys of a lost node are gone"],
                estimates: [
                    `node: RPO null h, RTO null h: no second node takes over (${what}); no copy to restore from: the data is lost ` +
                        `with the node`,
                    `zone: RPO null h, RTO null h: no second zone takes over (${what}); no copy to restore from: the data is lost ` +
                        `with the node`,
                    "region: RPO null h, RTO null h: no copy outside us-west-2: the data is lost with the region",
                    "corruption: RPO null h, RTO null h: no recovery points (snapshots, versions, point-in-time restore): a deletion " +
                        "or corruption is final",
                ],
            });
        });

        it("MemoryDB with the default replica and a Multi-Region cluster member in eu-west-1", async () => {
            const multi: TestResource = {
                type: "aws:memorydb/multiRegionCluster:MultiRegionCluster",
                name: "ledger-global",
                props: { multiRegionClusterNameSuffix: "ledger", nodeType: "db.r7g.large" },
            };
            const joined = (c: TestResource): TestResource => ({
                ...c,
                props: { ...c.props, multiRegionClusterName: UNKNOWN },
                propertyDependencies: { multiRegionClusterName: [urnOf(multi)] },
            });
            const ledger = joined(memorydb("ledger", { snapshotRetentionLimit: 7 }));
            const [v] = await views([multi, ledger, joined(memorydb("ledger-eu", { region: "eu-west-1" }))]);
            const local = "1 replica per shard in other availability zones, over a Multi-AZ transaction log";
            const other = "cluster 'ledger-eu' of the same Multi-Region cluster in eu-west-1";
            assert.deepStrictEqual(v.redundancy, `nodes 2, zones 2, 60 s: ${local}`);
            assert.deepStrictEqual(v.protections, [
                "points service-snapshots in us-west-2 (elsewhere false) every 24 h, lag 0 h, kept 7 d: automatic daily snapshots, " +
                    "kept 7 days",
                `replica cross-region-replica in eu-west-1 (elsewhere true) every 0 h, lag ${h(C.memorydbMultiRegionLagHours)} h, ` +
                    `kept - d: ${other}`,
            ]);
            assert.deepStrictEqual(v.estimates.slice(0, 3), [
                `node: RPO 0 h, RTO ${60 / 3600} h: ${takeover(local, C.memorydbFailoverSeconds)}`,
                `zone: RPO 0 h, RTO ${60 / 3600} h: ${takeover(local, C.memorydbFailoverSeconds)}`,
                `region: RPO ${h(C.memorydbMultiRegionLagHours)} h, RTO ${PROMOTE} h: ${other} → up to ` +
                    `${fmt(C.memorydbMultiRegionLagHours)} lost; pointing clients at the cluster in that region (a Multi-Region ` +
                    `cluster takes writes in every region) ${fmt(C.promoteReplicaHours)} → RTO ≈ ${fmt(C.promoteReplicaHours)}`,
            ]);
        });

        it("MemoryDB without replicas: the transaction log keeps the data while a new node is made", async () => {
            const [v] = await views([memorydb("queue", { numReplicasPerShard: 0 })]);
            const log = "no replica (numReplicasPerShard 0): a new node is restored from the Multi-AZ transaction log";
            assert.deepStrictEqual(v.redundancy, `nodes managed, zones managed, ${h(C.memorydbNodeRecoveryHours) * 3600} s: ${log}`);
            assert.deepStrictEqual(v.notes, ["automatic snapshots are off (snapshotRetentionLimit unset, default 0)"]);
            assert.deepStrictEqual(
                v.estimates[0],
                `node: RPO 0 h, RTO ${h(C.memorydbNodeRecoveryHours)} h: ${takeover(log, C.memorydbNodeRecoveryHours)}`,
            );
        });
    });

    describe("values unknown at preview", () => {
        it("a DynamoDB table whose point-in-time recovery and replica link are unknown: on, and replicated", async () => {
            const carts = table({ pointInTimeRecovery: UNKNOWN });
            const replica: TestResource = {
                type: "aws:dynamodb/tableReplica:TableReplica",
                name: "carts-eu",
                props: { globalTableArn: UNKNOWN },
                provider: aws("eu-west-1", "eu"),
            };
            const [v] = await views([carts, replica]);
            assert.deepStrictEqual(v.protections, [
                `points point-in-time in us-east-1 (elsewhere false) every 0 h, lag ${h(C.dynamodbLatestRestorableHours)} h, kept - d: ` +
                    "point-in-time recovery " +
                    "[depends on whether point-in-time recovery is on (pointInTimeRecovery.enabled); the recovery period " +
                    "(pointInTimeRecovery.recoveryPeriodInDays)]",
                `replica cross-region-replica in eu-west-1 (elsewhere true) every 0 h, lag ${LIVE} h, kept - d: ` +
                    "table replica 'carts-eu' in eu-west-1 " +
                    "[depends on which table 'carts-eu' replicates (globalTableArn)]",
            ]);
            assert.deepStrictEqual(v.estimates.slice(2), [
                `region: RPO ${LIVE} h, RTO ${PROMOTE} h: table replica 'carts-eu' in eu-west-1 → ` +
                    `up to ${fmt(C.liveReplicaLagHours)} lost; ` +
                    "pointing clients at the replica (every replica of a global table takes writes) " +
                    `${fmt(C.promoteReplicaHours)} → RTO ≈ ${fmt(C.promoteReplicaHours)} ` +
                    "[depends on which table 'carts-eu' replicates (globalTableArn)]",
                `corruption: RPO 0 h, RTO ${restoreHours(DB_GIB)} h: point-in-time recovery: continuous → nothing lost; ` +
                    `${restore("DynamoDB table", DB_GIB)} ` +
                    "[depends on whether point-in-time recovery is on (pointInTimeRecovery.enabled); the recovery period " +
                    "(pointInTimeRecovery.recoveryPeriodInDays)]",
            ]);
        });
    });
});
