import * as assert from "assert";
import { C } from "../../../policies/resilience/constants";
import { TestResource, UNKNOWN } from "../../helpers/policy";
import { Props, Fields, expected, stores, reasoning } from "./fixtures";

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

describe("resilience facts of S3, Atlas and OpenSearch (policies/resilience/facts.ts)", () => {
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
            assert.deepStrictEqual(
                s.fields[2],
                expected("atlas-snapshot-copy", "Atlas snapshot copies in us-east-1", "us-east-1", {
                    elsewhere: true,
                    everyHours: 6,
                    lagHours: C.atlasSnapshotCopyHours.value,
                    retentionDays: 28,
                }),
            );
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
});
