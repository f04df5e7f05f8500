// Every constant the resilience model uses, with where it comes from. Figures from a provider's
// documentation say so; the rest are assumptions, marked as such, to be replaced by what a DR drill
// measures (the drill record gives the real restore time per store). Change a figure here and both
// the pack's targets policy and the DR report follow.

export interface Constant {
    readonly value: number;
    readonly unit: "hours" | "seconds" | "GiB/hour" | "GiB" | "GiB/day";
    readonly source: string;
}

const doc = (value: number, unit: Constant["unit"], source: string): Constant => ({ value, unit, source });
const assumption = (value: number, unit: Constant["unit"], why: string): Constant => ({ value, unit, source: `assumption: ${why}` });

export const C = {
    // --- Takeover inside a region --------------------------------------------------------------
    atlasElectionSeconds: doc(
        12,
        "seconds",
        "MongoDB manual, Replica Set Elections: the median time before a cluster elects a new primary should not typically exceed 12 seconds",
    ),
    rdsMultiAzFailoverSeconds: doc(
        120,
        "seconds",
        "Amazon RDS User Guide, Failing over a Multi-AZ DB instance: failover times are typically 60–120 seconds",
    ),
    rdsClusterFailoverSeconds: doc(
        35,
        "seconds",
        "Amazon RDS User Guide, Failing over a Multi-AZ DB cluster: failover times are typically under 35 seconds",
    ),
    openSearchShardPromotionSeconds: assumption(
        60,
        "seconds",
        "a replica shard is promoted when its node leaves the cluster; OpenSearch waits for the node-left timeout (60 s default, index.unassigned.node_left.delayed_timeout) before reallocating",
    ),
    cacheFailoverSeconds: doc(
        60,
        "seconds",
        "Amazon ElastiCache User Guide, Minimizing downtime with Multi-AZ: failover to a replica typically completes within a minute",
    ),
    managedSeconds: doc(
        0,
        "seconds",
        "the service stores every write in several availability zones of its region (S3, DynamoDB, EFS Regional: AWS documentation of each)",
    ),

    // --- Copies reaching another region ------------------------------------------------------
    s3ReplicationRtcHours: doc(
        0.25,
        "hours",
        "Amazon S3 User Guide, S3 Replication Time Control: 99.99 % of new objects replicated within 15 minutes",
    ),
    s3ReplicationHours: assumption(
        2,
        "hours",
        "without Replication Time Control S3 gives no bound; most objects replicate within 15 minutes, some take hours (S3 User Guide, replication overview)",
    ),
    atlasSnapshotCopyHours: assumption(
        2,
        "hours",
        "Atlas copies a snapshot to the other region after it is taken; Atlas gives no bound, the CPS_COPY_SNAPSHOT_FAILED alert reports a copy that fails",
    ),
    atlasOplogCopyHours: assumption(
        1,
        "hours",
        "with point-in-time restore, Atlas ships oplog slices to the copy region continuously; the CPS_OPLOG_BEHIND alert fires when they fall behind",
    ),
    awsBackupCopyHours: assumption(
        2,
        "hours",
        "an AWS Backup copy job starts after the backup completes; AWS gives no bound (AWS Backup Developer Guide, Creating backup copies across AWS Regions)",
    ),
    serviceSnapshotCopyHours: assumption(
        2,
        "hours",
        "a cross-region snapshot or automated-backup copy (RDS, Redshift, DocumentDB, DLM) arrives after the snapshot; no documented bound",
    ),
    rdsCrossRegionBackupLagHours: doc(
        0.25,
        "hours",
        "Amazon RDS User Guide, Replicating automated backups to another AWS Region: transaction logs are replicated every few minutes (restore to within ≈ 5–10 minutes)",
    ),
    liveReplicaLagHours: doc(
        0.0003,
        "hours",
        "asynchronous cross-region replication (Aurora Global Database, DynamoDB global tables, Atlas multi-region replica sets) typically lags about a second (AWS and MongoDB documentation)",
    ),

    // --- Getting the data back ---------------------------------------------------------------
    deepArchiveStandardHours: doc(
        12,
        "hours",
        "Amazon S3 User Guide, Archive retrieval options: S3 Glacier Deep Archive standard retrieval within 12 hours (bulk: 48 hours)",
    ),
    glacierStandardHours: doc(
        5,
        "hours",
        "Amazon S3 User Guide, Archive retrieval options: S3 Glacier Flexible Retrieval standard retrieval in 3–5 hours",
    ),
    s3CopyGibPerHour: assumption(
        1000,
        "GiB/hour",
        "S3 Batch Operations copying restored objects back; throughput depends on object sizes and counts — measure it in the drill",
    ),
    atlasRestoreGibPerHour: assumption(
        200,
        "GiB/hour",
        "an Atlas restore job from a snapshot; Atlas gives no rate, it depends on the tier's disk throughput — measure it in the drill",
    ),
    atlasNewClusterHours: assumption(
        0.5,
        "hours",
        "creating the target cluster in the copy region before the restore (Atlas deploys a dedicated cluster in minutes; no documented bound)",
    ),
    openSearchNewDomainHours: assumption(
        0.5,
        "hours",
        "creating an OpenSearch Service domain (typically 15–30 minutes) and registering the snapshot repository",
    ),
    openSearchRestoreGibPerHour: assumption(
        100,
        "GiB/hour",
        "restoring indices from an S3 snapshot repository; depends on the data nodes and shards — measure it in the drill",
    ),
    awsRestoreGibPerHour: assumption(
        100,
        "GiB/hour",
        "an AWS Backup or snapshot restore into a new resource; AWS documents no rate — measure it in the drill",
    ),
    awsRestoreFixedHours: assumption(
        0.5,
        "hours",
        "creating the restored resource (instance, cluster, table, file system) before data is served",
    ),
    promoteReplicaHours: assumption(
        0.25,
        "hours",
        "promoting a cross-region replica by hand (Aurora global database failover, Atlas priority change, pointing clients at the replica)",
    ),
    managedRecreateHours: assumption(
        0.25,
        "hours",
        "a managed service (S3, DynamoDB, EFS) re-serves from its own redundant copies; the time is the service's",
    ),

    // --- Sizes when neither the stack nor the pack config says --------------------------------
    defaultGib: {
        database: assumption(100, "GiB", "default size of a database when neither the store nor the config says"),
        objects: assumption(500, "GiB", "default size of a bucket when neither its tags nor the config say"),
        search: assumption(50, "GiB", "default size of a search domain's primary data"),
        files: assumption(100, "GiB", "default size of a file system or volume"),
        cache: assumption(10, "GiB", "default size of a cache"),
    },
    defaultDailyChangeShare: assumption(0.02, "GiB/day", "2 % of a store's size changed per day, when neither its tags nor the config say"),

    // --- The AWS kinds of ./facts-aws*.ts: RDS, Aurora, DocumentDB, Neptune, DynamoDB, EFS, EBS, ElastiCache, MemoryDB, Redshift
    rdsLatestRestorableHours: doc(
        5 / 60,
        "hours",
        "Amazon RDS User Guide, Restoring a DB instance to a specified time: the latest restorable time is " +
            "typically within 5 minutes of the current time",
    ),
    clusterLatestRestorableHours: assumption(
        5 / 60,
        "hours",
        "Aurora, DocumentDB, Neptune and Multi-AZ DB clusters upload log records to Amazon S3 continuously " +
            "and document no bound for the latest restorable time; taken as an RDS instance's 5 minutes",
    ),
    dynamodbLatestRestorableHours: doc(
        5 / 60,
        "hours",
        "Amazon DynamoDB API Reference, PointInTimeRecoveryDescription: LatestRestorableDateTime is typically" +
            " 5 minutes before the current time",
    ),
    clusterReplicaFailoverSeconds: doc(
        120,
        "seconds",
        "Amazon Aurora User Guide and Amazon DocumentDB Developer Guide, fault tolerance of a DB cluster: " +
            "with a replica instance, service is typically restored in less than 120 seconds, often less than 60",
    ),
    clusterInstanceRecreateHours: doc(
        0.25,
        "hours",
        "Amazon Aurora FAQ and Amazon Neptune FAQ: without a replica instance a new instance is created on " +
            "the cluster volume, in the same Availability Zone or else another, typically in under 15 minutes " +
            "(DocumentDB: 'can take a few minutes')",
    ),
    rdsReadReplicaLagHours: assumption(
        0.05,
        "hours",
        "an RDS read replica or replica cluster replicates asynchronously; the lag is usually seconds, " +
            "watched by the ReplicaLag metric, with no documented bound (3 minutes assumed)",
    ),
    efsReplicationRpoHours: doc(
        0.25,
        "hours",
        "AWS News Blog, New – Replication for Amazon Elastic File System (EFS): most changes are replicated " +
            "within a minute, with an overall RPO of 15 minutes for most file systems",
    ),
    redshiftSnapshotEveryHours: doc(
        8,
        "hours",
        "Amazon Redshift Management Guide, Automated snapshots: by default a snapshot about every eight hours" +
            " or following every 5 GB per node of data changes, whichever comes first",
    ),
    redshiftNodeReplacementHours: assumption(
        0.5,
        "hours",
        "Amazon Redshift replaces a failed node of a multi-node cluster by itself and the cluster is " +
            "unavailable until the node is provisioned (AWS re:Post, Redshift node replacement); no documented " +
            "duration",
    ),
    redshiftRelocationHours: doc(
        0.25,
        "hours",
        "AWS Big Data Blog, Build a resilient Amazon Redshift architecture with automatic recovery enabled: " +
            "relocating an RA3 cluster to another Availability Zone takes under 15 minutes on average, subject to" +
            " capacity",
    ),
    redshiftMultiAzFailoverSeconds: assumption(
        300,
        "seconds",
        "a Redshift Multi-AZ deployment fails over to the compute in its second Availability Zone with RPO 0 " +
            "(Redshift Management Guide, Failing over Multi-AZ deployment); no documented RTO",
    ),
    memorydbFailoverSeconds: assumption(
        60,
        "seconds",
        "MemoryDB fails over to a replica after making it consistent with the Multi-AZ transaction log " +
            "(MemoryDB Developer Guide, Mitigating failures); no documented duration, taken as ElastiCache's " +
            "minute",
    ),
    memorydbNodeRecoveryHours: assumption(
        0.25,
        "hours",
        "a MemoryDB shard without a replica gets a new node that synchronizes from the Multi-AZ transaction " +
            "log (MemoryDB Developer Guide, Mitigating failures); no documented duration",
    ),
    memorydbMultiRegionLagHours: doc(
        0.0003,
        "hours",
        "Amazon MemoryDB Developer Guide, MemoryDB Multi-Region: data is replicated asynchronously and " +
            "typically propagated within a second",
    ),
    cacheGlobalLagHours: doc(
        0.0003,
        "hours",
        "AWS Disaster Recovery workshop, ElastiCache Global Datastore: RPO generally less than 1 second, RTO " + "about a minute",
    ),
} as const;

/** A constant as the reasoning shows it: "12 h (Amazon S3 User Guide, …)". */
export function cite(c: Constant): string {
    return c.source;
}
