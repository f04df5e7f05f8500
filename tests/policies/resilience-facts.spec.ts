import * as assert from "assert";
import { C } from "../../policies/resilience/constants";
import { awsRegionName } from "../../policies/resilience/facts";
import { TestResource, UNKNOWN, urnOf } from "../helpers/policy";
import { modelled, h } from "../helpers/resilience-facts";
import { Protection } from "../../policies/resilience/types";

// Another team's S3 buckets, Atlas clusters and OpenSearch domains, written with plain @pulumi/aws and
// @pulumi/mongodbatlas resources and sent as the engine sends them at preview, read by the resilience
// model: each store's redundancy, every protection (schedule, lag, retention, immutability, region) and
// a few of the estimates' reasoning. Expected figures come from the model's constants.
type Props = Record<string, unknown>;

// --- S3 -------------------------------------------------------------------------------------------

const bucket = (name: string, region: string, props: Props = {}): TestResource => ({
    type: "aws:s3/bucketV2:BucketV2",
    name,
    props: { bucket: name, region, ...props },
});
/** new aws.s3.BucketVersioningV2(`${b}-versioning`, { bucket: b.id, versioningConfiguration: { status: "Enabled" } }) */
const versioning = (of: TestResource, status: unknown = "Enabled"): TestResource => ({
    type: "aws:s3/bucketVersioningV2:BucketVersioningV2",
    name: `${of.name}-versioning`,
    props: { bucket: UNKNOWN, versioningConfiguration: { status } },
    propertyDependencies: { bucket: [urnOf(of)] },
});
const lifecycle = (of: TestResource, noncurrentDays: number, id = "expire"): TestResource => ({
    type: "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
    name: `${of.name}-lifecycle-${id}`,
    props: { bucket: UNKNOWN, rules: [{ id, status: "Enabled", noncurrentVersionExpiration: { noncurrentDays } }] },
    propertyDependencies: { bucket: [urnOf(of)] },
});
const objectLock = (of: TestResource): TestResource => ({
    type: "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2",
    name: `${of.name}-lock`,
    props: { bucket: UNKNOWN, rule: { defaultRetention: { mode: "COMPLIANCE", days: 30 } } },
    propertyDependencies: { bucket: [urnOf(of)] },
});
const arnOf = (name: string) => `arn:aws:s3:::${name}`;
const replication = (from: TestResource, to: string, rule: Props = {}, destination: Props = {}): TestResource => ({
    type: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    name: `${from.name}-replication`,
    props: {
        bucket: from.props.bucket,
        role: "arn:aws:iam::123456789012:role/replication",
        rules: [{ id: "dr", status: "Enabled", destination: { bucket: arnOf(to), storageClass: "GLACIER", ...destination }, ...rule }],
    },
});
/** A DataSync task with its two S3 locations, linked as a program links them. */
function datasync(from: TestResource, to: TestResource, task: Props = {}): TestResource[] {
    const src: TestResource = {
        type: "aws:datasync/s3Location:S3Location",
        name: `${from.name}-src`,
        props: { s3BucketArn: UNKNOWN },
        propertyDependencies: { s3BucketArn: [urnOf(from)] },
    };
    const dst: TestResource = {
        type: "aws:datasync/s3Location:S3Location",
        name: `${from.name}-dst`,
        props: { s3BucketArn: UNKNOWN, s3StorageClass: "DEEP_ARCHIVE" },
        propertyDependencies: { s3BucketArn: [urnOf(to)] },
    };
    const t: TestResource = {
        type: "aws:datasync/task:Task",
        name: `${from.name}-task`,
        props: {
            sourceLocationArn: UNKNOWN,
            destinationLocationArn: UNKNOWN,
            schedule: { scheduleExpression: "cron(0 4 ? * SAT *)" },
            ...task,
        },
        propertyDependencies: { sourceLocationArn: [urnOf(src)], destinationLocationArn: [urnOf(dst)] },
    };
    return [src, dst, t];
}


// --- Atlas ----------------------------------------------------------------------------------------

const ADVANCED = "mongodbatlas:index/advancedCluster:AdvancedCluster";
const region = (regionName: string, priority = 7) => ({
    providerName: "AWS",
    regionName,
    priority,
    electableSpecs: { instanceSize: "M10", nodeCount: 3, diskSizeGb: 40 },
});
const cluster = (props: Props = {}): TestResource => ({
    type: ADVANCED,
    name: "db",
    props: {
        name: "db",
        projectId: "p1",
        clusterType: "REPLICASET",
        backupEnabled: true,
        pitEnabled: true,
        replicationSpecs: [{ regionConfigs: [region("US_WEST_2")] }],
        ...props,
    },
});
const copySetting = (props: Props = {}) => ({
    cloudProvider: "AWS",
    regionName: "US_EAST_1",
    shouldCopyOplogs: true,
    copyPolicyItems: [
        { frequencyType: "hourly", retentionUnit: "days", retentionValue: 7 },
        { frequencyType: "weekly", retentionUnit: "weeks", retentionValue: 4 },
    ],
    ...props,
});
const schedule = (props: Props = {}): TestResource => ({
    type: "mongodbatlas:index/cloudBackupSchedule:CloudBackupSchedule",
    name: "db-backup",
    props: {
        projectId: "p1",
        clusterName: "db",
        restoreWindowDays: 3,
        policyItemHourly: { frequencyInterval: 6, retentionUnit: "days", retentionValue: 7 },
        policyItemWeeklies: [{ frequencyInterval: 6, retentionUnit: "weeks", retentionValue: 4 }],
        copyPolicyItemsEnabled: true,
        copySettings: [copySetting()],
        ...props,
    },
});
const compliance: TestResource = {
    type: "mongodbatlas:index/backupCompliancePolicy:BackupCompliancePolicy",
    name: "compliance",
    props: { projectId: "p1", authorizedEmail: "dr@example.com", copyProtectionEnabled: true, pitEnabled: true },
};

// --- OpenSearch -----------------------------------------------------------------------------------

const DYNAMIC = "pulumi-nodejs:dynamic/opensearch";
const domain = (props: Props = {}, type = "aws:opensearch/domain:Domain"): TestResource => ({
    type,
    name: "search",
    props: {
        domainName: "search",
        region: "us-west-2",
        clusterConfig: { instanceCount: 3, zoneAwarenessEnabled: true, zoneAwarenessConfig: { availabilityZoneCount: 3 } },
        ebsOptions: { ebsEnabled: true, volumeSize: 100 },
        ...props,
    },
});
const rest = (kind: string, name: string, restName: string, body: unknown, on: TestResource = domain()): TestResource => ({
    type: `${DYNAMIC}:${kind}`,
    name,
    props: { endpoint: UNKNOWN, region: "us-west-2", kind, name: restName, body },
    propertyDependencies: { endpoint: [urnOf(on)] },
});
const smPolicy = rest("SnapshotPolicy", "daily", "search-daily", {
    enabled: true,
    creation: { schedule: { cron: { expression: "0 2 * * *", timezone: "UTC" } } },
    deletion: { schedule: { cron: { expression: "0 3 * * *", timezone: "UTC" } }, condition: { max_age: "14d", min_count: 14 } },
    snapshot_config: { repository: "snapshots", indices: "*" },
});
const repository = rest("SnapshotRepository", "repo", "snapshots", {
    type: "s3",
    settings: { bucket: "search-snapshots", region: "us-west-2", role_arn: UNKNOWN },
});
const template = (replicas: number) =>
    rest("IndexTemplate", `app-template-${replicas}`, `app-${replicas}`, {
        index_patterns: ["app-*"],
        template: { settings: { number_of_shards: 3, number_of_replicas: replicas } },
    });

// --- expected ------------------------------------------------------------------------------------

type Shown = "mechanism" | "what" | "region" | "elsewhere" | "everyHours" | "lagHours" | "retentionDays" | "immutable" | "storageClass";
type Fields = Pick<Protection, Shown> & {
    dependsOn: readonly string[];
};
const fields = (p: Protection): Fields => ({
    mechanism: p.mechanism,
    what: p.what,
    region: p.region,
    elsewhere: p.elsewhere,
    everyHours: p.everyHours,
    lagHours: p.lagHours,
    retentionDays: p.retentionDays,
    immutable: p.immutable,
    storageClass: p.storageClass,
    dependsOn: p.dependsOn ?? [],
});
/** A protection as expected: in its region, continuous, no lag, kept forever, mutable, unless said. */
const expected = (mechanism: Protection["mechanism"], what: string, region: string | undefined, more: Partial<Fields> = {}): Fields => ({
    mechanism,
    what,
    region,
    elsewhere: false,
    everyHours: 0,
    lagHours: 0,
    retentionDays: undefined,
    immutable: false,
    storageClass: undefined,
    dependsOn: [],
    ...more,
});
async function stores(resources: TestResource[]) {
    return (await modelled(resources)).map((s) => ({ ...s, fields: s.protections.map(fields) }));
}
const reasoning = (s: { estimates: readonly { disruption: string; reasoning: string }[] }, d: string) =>
    s.estimates.find((e) => e.disruption === d)?.reasoning;

const S3_RATE = C.s3CopyGibPerHour.value;
const OBJECTS_GIB = C.defaultGib.objects.value;
const S3_REDUNDANCY = {
    nodes: "managed",
    zones: "managed",
    failoverSeconds: 0,
    what: "S3 keeps every object in at least three availability zones",
    source: C.managedSeconds.source,
};

describe("resilience facts of S3, Atlas and OpenSearch (policies/resilience/facts.ts)", () => {
    it("awsRegionName writes Atlas region names as AWS does and leaves others alone", () => {
        assert.strictEqual(awsRegionName("US_WEST_2"), "us-west-2");
        assert.strictEqual(awsRegionName("AP_SOUTHEAST_2"), "ap-southeast-2");
        assert.strictEqual(awsRegionName("eu-central-1"), "eu-central-1");
        assert.strictEqual(awsRegionName("CENTRAL_US"), "CENTRAL_US");
        assert.strictEqual(awsRegionName("us_west_2"), "us_west_2");
    });

    describe("S3", () => {
        const data = bucket("data", "us-west-2");
        const dr = bucket("data-dr", "us-east-1", { objectLockEnabled: true });

        it("versioning kept for the shortest noncurrent expiration, replication into a locked bucket in another region", async () => {
            const rs = [
                ...[data, versioning(data), lifecycle(data, 30), lifecycle(data, 90, "long")],
                ...[dr, versioning(dr), lifecycle(dr, 60), objectLock(dr), replication(data, "data-dr")],
            ];
            const [s] = await stores(rs);
            assert.strictEqual(s.name, "data");
            assert.deepStrictEqual(s.redundancy, S3_REDUNDANCY);
            assert.deepStrictEqual(s.fields, [
                expected("s3-versioning", "S3 versioning", "us-west-2", { retentionDays: 30 }),
                expected("s3-replication", "S3 replication into GLACIER in us-east-1", "us-east-1", {
                    elsewhere: true,
                    lagHours: h(C.s3ReplicationHours),
                    retentionDays: 60,
                    immutable: true,
                    storageClass: "GLACIER",
                }),
            ]);
            assert.strictEqual(s.protections[1].lagWhy, C.s3ReplicationHours.source);
            assert.deepStrictEqual(s.protections[1].restore, {
                fixedHours: 0,
                fixedWhy: "",
                retrievalHours: C.glacierStandardHours.value,
                retrievalWhy: "GLACIER standard retrieval",
                gibPerHour: S3_RATE,
                rateWhy: C.s3CopyGibPerHour.source,
            });
            assert.deepStrictEqual(s.notes, []);
            assert.strictEqual(
                reasoning(s, "region"),
                `S3 replication into GLACIER in us-east-1: continuous + ${h(C.s3ReplicationHours)} h to arrive → ` +
                    `up to ${h(C.s3ReplicationHours)} h lost; GLACIER standard retrieval ${C.glacierStandardHours.value} h + ` +
                    `${OBJECTS_GIB} GiB at ${S3_RATE} GiB/h 30 min → RTO ≈ 5.5 h`,
            );
            assert.strictEqual(
                reasoning(s, "corruption"),
                "S3 versioning: continuous → nothing lost; only if the damage is found within 30 days; " +
                    `${OBJECTS_GIB} GiB at ${S3_RATE} GiB/h 30 min → RTO ≈ 30 min`,
            );
        });

        it("Replication Time Control shortens the lag; a destination without a lock configuration is not immutable", async () => {
            const rtc = {
                replicationTime: { status: "Enabled", time: { minutes: 15 } },
                metrics: { status: "Enabled", eventThreshold: { minutes: 15 } },
            };
            const [s] = await stores([data, versioning(data), dr, versioning(dr), replication(data, "data-dr", {}, rtc)]);
            assert.deepStrictEqual(s.fields, [
                expected("s3-versioning", "S3 versioning", "us-west-2"),
                expected("s3-replication", "S3 replication into GLACIER in us-east-1 with Replication Time Control", "us-east-1", {
                    elsewhere: true,
                    lagHours: C.s3ReplicationRtcHours.value,
                    storageClass: "GLACIER",
                }),
            ]);
            assert.strictEqual(s.protections[1].lagWhy, C.s3ReplicationRtcHours.source);
            const disabled = { replicationTime: { status: "Disabled", time: { minutes: 15 } } };
            const [off] = await stores([data, dr, objectLock(dr), replication(data, "data-dr", {}, disabled)]);
            assert.deepStrictEqual(off.fields, [
                expected("s3-replication", "S3 replication into GLACIER in us-east-1", "us-east-1", {
                    elsewhere: true,
                    lagHours: h(C.s3ReplicationHours),
                    immutable: true,
                    storageClass: "GLACIER",
                }),
            ]);
            assert.deepStrictEqual(off.notes, ["versioning is off: an overwritten or deleted object is gone"]);
        });

        it("a prefix-filtered replication rule is noted, not counted", async () => {
            const [s] = await stores([data, dr, replication(data, "data-dr", { filter: { prefix: "logs/" } })]);
            assert.deepStrictEqual(s.fields, []);
            assert.deepStrictEqual(s.notes, [
                "versioning is off: an overwritten or deleted object is gone",
                "replication rule dr copies only prefix 'logs/'",
            ]);
            assert.strictEqual(reasoning(s, "region"), "no copy outside us-west-2: the data is lost with the region");
        });

        it("a weekly DataSync task into DEEP_ARCHIVE; versioning unknown at preview counts and is named", async () => {
            const [s] = await stores([data, versioning(data, UNKNOWN), dr, ...datasync(data, dr)]);
            assert.deepStrictEqual(s.fields, [
                expected("s3-versioning", "S3 versioning", "us-west-2", { dependsOn: ["the bucket's versioning status"] }),
                expected("datasync", "DataSync task 'data-task' into DEEP_ARCHIVE in us-east-1", "us-east-1", {
                    elsewhere: true,
                    everyHours: 24 * 7,
                    immutable: false,
                    storageClass: "DEEP_ARCHIVE",
                }),
            ]);
            assert.strictEqual(s.protections[1].restore.retrievalHours, C.deepArchiveStandardHours.value);
            assert.strictEqual(
                reasoning(s, "region"),
                `DataSync task 'data-task' into DEEP_ARCHIVE in us-east-1: a point every 168 h → up to 168 h lost; ` +
                    `DEEP_ARCHIVE standard retrieval ${C.deepArchiveStandardHours.value} h + ` +
                    `${OBJECTS_GIB} GiB at ${S3_RATE} GiB/h 30 min → RTO ≈ 12.5 h`,
            );
        });

        it("a DataSync task without a schedule counts weekly; one unknown at preview counts as continuous and is named", async () => {
            const dr = bucket("data-dr", "us-east-1");
            const copy = (more: Partial<Fields>) =>
                expected("datasync", "DataSync task 'data-task' into DEEP_ARCHIVE in us-east-1", "us-east-1", {
                    elsewhere: true,
                    storageClass: "DEEP_ARCHIVE",
                    ...more,
                });
            const [manual] = await stores([data, dr, ...datasync(data, dr, { schedule: undefined })]);
            assert.deepStrictEqual(manual.fields, [copy({ everyHours: 168 })]);
            assert.deepStrictEqual((await stores([data, dr, ...datasync(data, dr, { schedule: UNKNOWN })]))[0].fields, [
                copy({ dependsOn: ["the DataSync task's schedule"] }),
            ]);
        });

        it("a replication destination unknown at preview counts in the stack's favour and is named", async () => {
            const unknownDestination: TestResource = {
                ...replication(data, "x"),
                props: {
                    bucket: "data",
                    role: "r",
                    rules: [{ id: "dr", status: "Enabled", destination: { bucket: UNKNOWN, storageClass: "GLACIER" } }],
                },
            };
            const [s] = await stores([data, unknownDestination]);
            assert.deepStrictEqual(s.fields, [
                expected("s3-replication", "S3 replication into GLACIER in an unknown region", undefined, {
                    elsewhere: "unknown",
                    lagHours: h(C.s3ReplicationHours),
                    immutable: true,
                    storageClass: "GLACIER",
                    dependsOn: ["the copy's destination bucket"],
                }),
            ]);
        });
    });

    describe("Atlas", () => {
        const ATLAS_RATE = C.atlasRestoreGibPerHour.value;
        const redundancy = (nodes: number) => ({
            nodes,
            zones: 3,
            failoverSeconds: C.atlasElectionSeconds.value,
            what: `${nodes} electable nodes per shard, spread over availability zones`,
            source: C.atlasElectionSeconds.source,
            dependsOn: [],
        });
        const snapshots = (more: Partial<Fields> = {}) =>
            expected("atlas-snapshots", "Atlas snapshots (db-backup) every 6 h", "us-west-2", { everyHours: 6, retentionDays: 7, ...more });
        const pit = (more: Partial<Fields> = {}) =>
            expected("point-in-time", "Atlas continuous cloud backup (point-in-time restore)", "us-west-2", { retentionDays: 3, ...more });

        it("PIT, hourly and weekly snapshots, copies with oplogs by copyPolicyItems, all immutable under a compliance policy", async () => {
            const [s] = await stores([cluster(), schedule(), compliance]);
            assert.strictEqual(s.region, "us-west-2");
            assert.deepStrictEqual(s.size, {
                gib: 40,
                dailyChangeGib: 40 * C.defaultDailyChangeShare.value,
                source: "the cluster's disk size (diskSizeGb), an upper bound",
            });
            assert.deepStrictEqual(s.redundancy, redundancy(3));
            assert.deepStrictEqual(s.fields, [
                snapshots({ immutable: true }),
                pit({ immutable: true }),
                expected("atlas-snapshot-copy", "Atlas snapshot copies with oplogs in us-east-1", "us-east-1", {
                    elsewhere: true,
                    lagHours: C.atlasOplogCopyHours.value,
                    retentionDays: 28,
                    immutable: true,
                }),
            ]);
            assert.deepStrictEqual(s.protections[2].restore, {
                fixedHours: C.atlasNewClusterHours.value,
                fixedWhy: "a new cluster in the copy region",
                retrievalHours: 0,
                gibPerHour: ATLAS_RATE,
                rateWhy: C.atlasRestoreGibPerHour.source,
            });
            assert.deepStrictEqual(s.notes, []);
            assert.strictEqual(
                reasoning(s, "region"),
                `Atlas snapshot copies with oplogs in us-east-1: continuous + ${C.atlasOplogCopyHours.value} h to arrive → ` +
                    `up to ${C.atlasOplogCopyHours.value} h lost; ` +
                    `a new cluster in the copy region 30 min + 40 GiB at ${ATLAS_RATE} GiB/h 12 min → RTO ≈ 42 min`,
            );
        });

        it("without PIT or oplogs, the older `frequencies` list sets the copy interval; no compliance policy: mutable", async () => {
            const weekly = copySetting({ copyPolicyItems: undefined, frequencies: ["WEEKLY"], shouldCopyOplogs: false });
            const [s] = await stores([cluster({ pitEnabled: false }), schedule({ copyPolicyItemsEnabled: false, copySettings: [weekly] })]);
            assert.deepStrictEqual(s.fields, [
                snapshots(),
                expected("atlas-snapshot-copy", "Atlas snapshot copies in us-east-1", "us-east-1", {
                    elsewhere: true,
                    everyHours: 168,
                    lagHours: C.atlasSnapshotCopyHours.value,
                    retentionDays: 28,
                }),
            ]);
            assert.strictEqual(
                reasoning(s, "corruption"),
                "Atlas snapshots (db-backup) every 6 h: a point every 6 h → up to 6 h lost; only if the damage is found within 7 days; " +
                    `40 GiB at ${ATLAS_RATE} GiB/h 12 min → RTO ≈ 12 min`,
            );
        });

        it("PIT on but shouldCopyOplogs false: copies are snapshots at the schedule's interval", async () => {
            const [s] = await stores([cluster(), schedule({ copySettings: [copySetting({ shouldCopyOplogs: false })] })]);
            assert.deepStrictEqual(s.fields[2], expected("atlas-snapshot-copy", "Atlas snapshot copies in us-east-1", "us-east-1", {
                elsewhere: true,
                everyHours: 6,
                lagHours: C.atlasSnapshotCopyHours.value,
                retentionDays: 28,
            }));
        });

        it("a multi-region cluster is a live replica elsewhere; a copy region unknown at preview is named", async () => {
            const twoRegions = cluster({ replicationSpecs: [{ regionConfigs: [region("US_WEST_2"), region("US_EAST_1", 6)] }] });
            const unknownRegion = schedule({ copySettings: [copySetting({ regionName: UNKNOWN, shouldCopyOplogs: false })] });
            const [s] = await stores([twoRegions, unknownRegion]);
            assert.deepStrictEqual(s.redundancy, redundancy(6));
            assert.deepStrictEqual(s.fields, [
                expected("atlas-multi-region", "electable nodes in us-west-2, us-east-1", "us-east-1", {
                    elsewhere: true,
                    lagHours: C.liveReplicaLagHours.value,
                }),
                snapshots(),
                pit(),
                expected("atlas-snapshot-copy", "Atlas snapshot copies in an unknown region", undefined, {
                    elsewhere: "unknown",
                    everyHours: 6,
                    lagHours: C.atlasSnapshotCopyHours.value,
                    retentionDays: 28,
                    dependsOn: ["the copy region"],
                }),
            ]);
            assert.strictEqual(s.protections[0].kind, "replica");
            assert.deepStrictEqual(s.protections[0].restore, {
                fixedHours: C.promoteReplicaHours.value,
                fixedWhy: "an election in the other region",
                retrievalHours: 0,
            });
        });

        it("PIT, the schedule's cluster and its items unknown at preview count in the stack's favour and are named", async () => {
            const unknowns = schedule({
                clusterName: UNKNOWN,
                policyItemHourly: UNKNOWN,
                copySettings: [copySetting({ copyPolicyItems: UNKNOWN })],
            });
            const [s] = await stores([cluster({ pitEnabled: UNKNOWN }), unknowns]);
            const deps = ["which cluster the schedule belongs to", "the schedule's policy items"];
            assert.deepStrictEqual(s.fields, [
                expected("atlas-snapshots", "Atlas snapshots (db-backup) every 24 h", "us-west-2", { everyHours: 24, dependsOn: deps }),
                pit({ dependsOn: [...deps, "whether point-in-time restore is on"] }),
                expected("atlas-snapshot-copy", "Atlas snapshot copies with oplogs in us-east-1", "us-east-1", {
                    elsewhere: true,
                    lagHours: C.atlasOplogCopyHours.value,
                    dependsOn: [...deps, "the copied policy items"],
                }),
            ]);
        });

        it("a cluster without a schedule or backup is noted", async () => {
            const [s] = await stores([cluster({ backupEnabled: false, pitEnabled: false })]);
            assert.deepStrictEqual(s.fields, []);
            assert.deepStrictEqual(s.notes, ["no cloud backup schedule in the stack"]);
        });
    });

    describe("OpenSearch", () => {
        const SEARCH_RATE = C.openSearchRestoreGibPerHour.value;
        const COPIED = "snapshots of 'daily' copied by S3 replication into GLACIER in us-east-1";
        const automated = (every: number) =>
            expected("opensearch-snapshots", `automated snapshots every ${every} h (kept 14 days in us-west-2)`, "us-west-2", {
                everyHours: every,
                retentionDays: 14,
            });

        it("nodes, zones and replicas; a snapshot policy into a bucket replicated into a locked bucket in another region", async () => {
            const snaps = bucket("search-snapshots", "us-west-2");
            const drBucket = bucket("search-snapshots-dr", "us-east-1", { objectLockEnabled: true });
            const rs = [
                ...[domain(), smPolicy, repository, snaps, drBucket, objectLock(drBucket)],
                ...[replication(snaps, "search-snapshots-dr"), template(2), template(1)],
            ];
            const s = (await stores(rs)).find((x) => x.name === "search")!;
            assert.deepStrictEqual(s.redundancy, {
                nodes: 2,
                zones: 2,
                failoverSeconds: C.openSearchShardPromotionSeconds.value,
                what: "3 data nodes over 3 zones, 1 replica per shard",
                source: C.openSearchShardPromotionSeconds.source,
                dependsOn: [],
            });
            assert.deepStrictEqual(s.size, {
                gib: 150,
                dailyChangeGib: 150 * C.defaultDailyChangeShare.value,
                source: "the domain's EBS volumes (3 × 100 GiB ÷ 2 copies per shard), an upper bound",
            });
            assert.deepStrictEqual(s.fields, [
                automated(1),
                expected("opensearch-snapshots", "snapshot policy 'daily' every 24 h into bucket 'search-snapshots'", "us-west-2", {
                    everyHours: 24,
                    retentionDays: 14,
                }),
                expected("opensearch-snapshot-copy", COPIED, "us-east-1", {
                    elsewhere: true,
                    everyHours: 24,
                    lagHours: h(C.s3ReplicationHours),
                    retentionDays: 14,
                    immutable: true,
                    storageClass: "GLACIER",
                }),
            ]);
            assert.strictEqual(
                reasoning(s, "region"),
                "snapshots of 'daily' copied by S3 replication into GLACIER in us-east-1: " +
                    "a point every 24 h + 2 h to arrive → up to 26 h lost; " +
                    "a new domain in the DR region with the repository registered 30 min + " +
                    `GLACIER standard retrieval ${C.glacierStandardHours.value} h + ` +
                    `150 GiB at ${SEARCH_RATE} GiB/h 1.5 h → RTO ≈ 7 h`,
            );
        });

        it("Elasticsearch 5.1 takes automated snapshots daily; one node in one zone", async () => {
            const legacy = domain(
                { elasticsearchVersion: "5.1", clusterConfig: { instanceCount: 1 }, ebsOptions: { ebsEnabled: true, volumeSize: 10 } },
                "aws:elasticsearch/domain:Domain",
            );
            const [s] = await stores([legacy]);
            assert.deepStrictEqual(s.fields, [automated(24)]);
            const { nodes, zones, what } = s.redundancy;
            assert.deepStrictEqual([nodes, zones, what], [1, 1, "1 data node over 1 zone, 1 replica per shard"]);
            assert.strictEqual(s.size.gib, 5);
            assert.strictEqual(reasoning(s, "region"), "no copy outside us-west-2: the data is lost with the region");
        });
    });
});
