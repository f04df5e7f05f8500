import * as assert from "assert";
import * as path from "path";
import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import {
    atlasBackupCompliancePolicy,
    atlasBackupCopyToOtherRegion,
    atlasCloudBackupEnabled,
    atlasClusterHasBackupSchedule,
    atlasClusterMinElectableNodes,
    atlasPointInTimeRestore,
    atlasPolicies,
    atlasSnapshotInterval,
    atlasSnapshotRetention,
    AtlasTypes,
    atlasWeeklySnapshot,
} from "../../policies/atlas";
import { checkResource, checkStack, fromRecorded, messages, runPolicies, TestResource, UNKNOWN, urnOf } from "../helpers/policy";
import { ROOT, runStack } from "../helpers/program";

type Props = Record<string, unknown>;

const cluster = (props: Props = {}, name = "db"): TestResource => ({
    type: AtlasTypes.advancedCluster,
    name,
    props: {
        name: "db",
        projectId: "p1",
        clusterType: "REPLICASET",
        backupEnabled: true,
        pitEnabled: true,
        replicationSpecs: [
            {
                regionConfigs: [
                    { providerName: "AWS", regionName: "US_WEST_2", priority: 7, electableSpecs: { instanceSize: "M10", nodeCount: 3 } },
                ],
            },
        ],
        ...props,
    },
});

const HOURLY = { frequencyInterval: 6, retentionUnit: "days", retentionValue: 7 };
const WEEKLY = { frequencyInterval: 6, retentionUnit: "weeks", retentionValue: 4 };

const copy = (props: Props = {}) => ({
    cloudProvider: "AWS",
    regionName: "US_EAST_1",
    shouldCopyOplogs: true,
    copyPolicyItems: [
        { frequencyType: "hourly", retentionUnit: "days", retentionValue: 7 },
        { frequencyType: "weekly", retentionUnit: "weeks", retentionValue: 4 },
    ],
    ...props,
});

const schedule = (props: Props = {}, extra: Partial<TestResource> = {}): TestResource => ({
    type: AtlasTypes.backupSchedule,
    name: "db-backup",
    props: {
        projectId: "p1",
        clusterName: "db",
        policyItemHourly: HOURLY,
        policyItemWeeklies: [WEEKLY],
        copyPolicyItemsEnabled: true,
        copySettings: [copy()],
        ...props,
    },
    ...extra,
});

const compliance = (props: Props = {}): TestResource => ({
    type: AtlasTypes.compliancePolicy,
    name: "db-compliance",
    props: {
        projectId: "p1",
        authorizedEmail: "security@example.com",
        authorizedUserFirstName: "Dana",
        authorizedUserLastName: "Example",
        copyProtectionEnabled: true,
        ...props,
    },
});

const legacyCluster = (props: Props = {}): TestResource => ({
    type: AtlasTypes.cluster,
    name: "legacy",
    props: { name: "legacy", projectId: "p1", providerName: "AWS", providerRegionName: "US_WEST_2", cloudBackup: true, ...props },
});

async function resource(policy: ResourceValidationPolicy, r: TestResource, config?: Record<string, unknown>) {
    return messages(await checkResource(policy, r, config));
}
async function stack(policy: StackValidationPolicy, rs: TestResource[], config?: Record<string, unknown>) {
    return messages(await checkStack(policy, rs, config));
}

describe("Atlas policies (policies/atlas.ts)", () => {
    describe("atlas-cluster-min-electable-nodes", () => {
        it("rejects a cluster with 2 electable nodes", async () => {
            const r = cluster({ replicationSpecs: [{ regionConfigs: [{ regionName: "US_WEST_2", priority: 7, electableSpecs: { nodeCount: 2 } }] }] });
            assert.deepStrictEqual(await resource(atlasClusterMinElectableNodes, r), [
                "The Atlas cluster 'db' has 2 electable nodes; this environment requires at least 3 so that losing a node keeps a majority.",
            ]);
        });
        it("counts electable nodes over the regions of a shard and names the shard at fault", async () => {
            const r = cluster({
                replicationSpecs: [
                    {
                        regionConfigs: [
                            { regionName: "US_WEST_2", priority: 7, electableSpecs: { nodeCount: 2 } },
                            { regionName: "US_EAST_1", priority: 6, electableSpecs: { nodeCount: 1 } },
                        ],
                    },
                    { regionConfigs: [{ regionName: "US_WEST_2", priority: 7, electableSpecs: { nodeCount: 1 } }] },
                ],
            });
            assert.deepStrictEqual(await resource(atlasClusterMinElectableNodes, r), [
                "Shard 2 of the Atlas cluster 'db' has 1 electable node; this environment requires at least 3 so that losing a node keeps a majority.",
            ]);
        });
        it("lets a 3-node replica set through", async () => {
            assert.deepStrictEqual(await resource(atlasClusterMinElectableNodes, cluster()), []);
        });
        it("takes its threshold from config", async () => {
            assert.deepStrictEqual(await resource(atlasClusterMinElectableNodes, cluster(), { minElectableNodes: 5 }), [
                "The Atlas cluster 'db' has 3 electable nodes; this environment requires at least 5 so that losing a node keeps a majority.",
            ]);
        });
        it("judges a hand-written legacy cluster too (replication factor)", async () => {
            assert.deepStrictEqual(await resource(atlasClusterMinElectableNodes, legacyCluster({ replicationFactor: 1 })), [
                "The Atlas cluster 'legacy' has 1 electable node; this environment requires at least 3 so that losing a node keeps a majority.",
            ]);
            assert.deepStrictEqual(await resource(atlasClusterMinElectableNodes, legacyCluster()), []);
        });
        it("is skipped at preview when the node count is unknown, as the SDK does", async () => {
            const r = cluster({ replicationSpecs: [{ regionConfigs: [{ regionName: "US_WEST_2", priority: 7, electableSpecs: { nodeCount: UNKNOWN } }] }] });
            const o = await checkResource(atlasClusterMinElectableNodes, r);
            assert.deepStrictEqual(o.violations, []);
            assert.strictEqual(
                o.skipped,
                "can't run policy 'atlas-cluster-min-electable-nodes' during preview: string value at .replicationSpecs.0.regionConfigs.0.electableSpecs.nodeCount can't be known during preview",
            );
        });
        it("rejects a cluster without replication specs: it has no node at all", async () => {
            const none = "The Atlas cluster 'db' has 0 electable nodes; this environment requires at least 3 so that losing a node keeps a majority.";
            assert.deepStrictEqual(await resource(atlasClusterMinElectableNodes, cluster({ replicationSpecs: [] })), [none]);
            assert.deepStrictEqual(await resource(atlasClusterMinElectableNodes, cluster({ replicationSpecs: undefined })), [none]);
        });
        it("counts no electable node in a region that only has read-only nodes", async () => {
            const readOnly = { regionName: "US_EAST_1", priority: 0, readOnlySpecs: { instanceSize: "M10", nodeCount: 2 } };
            assert.deepStrictEqual(await resource(atlasClusterMinElectableNodes, cluster({ replicationSpecs: [{ regionConfigs: [readOnly] }] })), [
                "The Atlas cluster 'db' has 0 electable nodes; this environment requires at least 3 so that losing a node keeps a majority.",
            ]);
            const mixed = cluster({
                replicationSpecs: [{ regionConfigs: [{ regionName: "US_WEST_2", priority: 7, electableSpecs: { nodeCount: 3 } }, readOnly] }],
            });
            assert.deepStrictEqual(await resource(atlasClusterMinElectableNodes, mixed), []);
        });
        it("counts a legacy cluster's electable nodes per shard over its regionsConfigs", async () => {
            const sharded = legacyCluster({
                clusterType: "SHARDED",
                replicationSpecs: [
                    {
                        numShards: 1,
                        regionsConfigs: [
                            { regionName: "US_WEST_2", electableNodes: 2, priority: 7 },
                            { regionName: "US_EAST_1", electableNodes: 1, priority: 6 },
                        ],
                    },
                    { numShards: 1, regionsConfigs: [{ regionName: "US_WEST_2", electableNodes: 1, priority: 7 }, { regionName: "US_EAST_1", readOnlyNodes: 1 }] },
                ],
            });
            assert.deepStrictEqual(await resource(atlasClusterMinElectableNodes, sharded), [
                "Shard 2 of the Atlas cluster 'legacy' has 1 electable node; this environment requires at least 3 so that losing a node keeps a majority.",
            ]);
        });
    });

    describe("atlas-cloud-backup-enabled", () => {
        it("rejects a cluster without cloud backup", async () => {
            assert.deepStrictEqual(await resource(atlasCloudBackupEnabled, cluster({ backupEnabled: false })), [
                "The Atlas cluster 'db' has cloud backup off (backupEnabled is not true); every cluster must take cloud backups.",
            ]);
            assert.deepStrictEqual(await resource(atlasCloudBackupEnabled, legacyCluster({ cloudBackup: false })), [
                "The Atlas cluster 'legacy' has cloud backup off (cloudBackup is not true); every cluster must take cloud backups.",
            ]);
        });
        it("lets a backed-up cluster through", async () => {
            assert.deepStrictEqual(await resource(atlasCloudBackupEnabled, cluster()), []);
            assert.deepStrictEqual(await resource(atlasCloudBackupEnabled, legacyCluster()), []);
        });
        it("is skipped at preview when the flag is unknown", async () => {
            const o = await checkResource(atlasCloudBackupEnabled, cluster({ backupEnabled: UNKNOWN }));
            assert.deepStrictEqual(o.violations, []);
            assert.match(o.skipped!, /^can't run policy 'atlas-cloud-backup-enabled' during preview: .* at \.backupEnabled/);
        });
    });

    describe("atlas-point-in-time-restore", () => {
        it("rejects a cluster without continuous backup where required (the default)", async () => {
            assert.deepStrictEqual(await resource(atlasPointInTimeRestore, cluster({ pitEnabled: false })), [
                "The Atlas cluster 'db' has point-in-time restore off (pitEnabled is not true); this environment requires continuous cloud backup.",
            ]);
        });
        it("lets it through where the config does not require it, and lets a PIT cluster through", async () => {
            assert.deepStrictEqual(await resource(atlasPointInTimeRestore, cluster({ pitEnabled: false }), { required: false }), []);
            assert.deepStrictEqual(await resource(atlasPointInTimeRestore, cluster()), []);
        });
        it("is skipped at preview when the flag is unknown", async () => {
            const o = await checkResource(atlasPointInTimeRestore, cluster({ pitEnabled: UNKNOWN }));
            assert.deepStrictEqual(o.violations, []);
            assert.match(o.skipped!, /at \.pitEnabled can't be known during preview$/);
        });
    });

    describe("atlas-snapshot-interval", () => {
        it("rejects a schedule whose most frequent snapshot is 12-hourly", async () => {
            assert.deepStrictEqual(await resource(atlasSnapshotInterval, schedule({ policyItemHourly: { ...HOURLY, frequencyInterval: 12 } })), [
                "The Atlas backup schedule 'db-backup' takes a snapshot every 12 hours at best; this environment requires one at least every 6 hours.",
            ]);
        });
        it("counts a schedule without an hourly item as daily at best", async () => {
            const daily = schedule({ policyItemHourly: undefined, policyItemDaily: { frequencyInterval: 1, retentionUnit: "days", retentionValue: 7 } });
            assert.deepStrictEqual(await resource(atlasSnapshotInterval, daily), [
                "The Atlas backup schedule 'db-backup' takes a snapshot every 24 hours at best; this environment requires one at least every 6 hours.",
            ]);
            assert.deepStrictEqual(await resource(atlasSnapshotInterval, daily, { maxSnapshotIntervalHours: 24 }), []);
        });
        it("rejects a schedule without any item", async () => {
            assert.deepStrictEqual(await resource(atlasSnapshotInterval, schedule({ policyItemHourly: undefined, policyItemWeeklies: [] })), [
                "The Atlas backup schedule 'db-backup' has no policy items, so it takes no snapshots; this environment requires one at least every 6 hours.",
            ]);
        });
        it("counts a weekly, monthly or yearly item alone as one snapshot a week, a 31-day month or a 366-day year", async () => {
            const only = (items: Props) => schedule({ policyItemHourly: undefined, policyItemWeeklies: undefined, ...items });
            const monthly = only({ policyItemMonthlies: [{ frequencyInterval: 1, retentionUnit: "months", retentionValue: 12 }] });
            const yearly = only({ policyItemYearlies: [{ frequencyInterval: 1, retentionUnit: "years", retentionValue: 1 }] });
            assert.deepStrictEqual(await resource(atlasSnapshotInterval, only({ policyItemWeeklies: [WEEKLY] })), [
                "The Atlas backup schedule 'db-backup' takes a snapshot every 168 hours at best; this environment requires one at least every 6 hours.",
            ]);
            assert.deepStrictEqual(await resource(atlasSnapshotInterval, monthly), [
                "The Atlas backup schedule 'db-backup' takes a snapshot every 744 hours at best; this environment requires one at least every 6 hours.",
            ]);
            assert.deepStrictEqual(await resource(atlasSnapshotInterval, yearly), [
                "The Atlas backup schedule 'db-backup' takes a snapshot every 8784 hours at best; this environment requires one at least every 6 hours.",
            ]);
            assert.deepStrictEqual(await resource(atlasSnapshotInterval, yearly, { maxSnapshotIntervalHours: 8784 }), []);
        });
        it("lets a 6-hourly schedule through, and takes its threshold from config", async () => {
            assert.deepStrictEqual(await resource(atlasSnapshotInterval, schedule()), []);
            assert.deepStrictEqual(await resource(atlasSnapshotInterval, schedule(), { maxSnapshotIntervalHours: 4 }), [
                "The Atlas backup schedule 'db-backup' takes a snapshot every 6 hours at best; this environment requires one at least every 4 hours.",
            ]);
        });
        it("is skipped at preview when the interval is unknown", async () => {
            const o = await checkResource(atlasSnapshotInterval, schedule({ policyItemHourly: { ...HOURLY, frequencyInterval: UNKNOWN } }));
            assert.deepStrictEqual(o.violations, []);
            assert.match(o.skipped!, /at \.policyItemHourly\.frequencyInterval can't be known during preview$/);
        });
    });

    describe("atlas-snapshot-retention", () => {
        it("rejects hourly snapshots kept 3 days", async () => {
            assert.deepStrictEqual(await resource(atlasSnapshotRetention, schedule({ policyItemHourly: { ...HOURLY, retentionValue: 3 } })), [
                "The Atlas backup schedule 'db-backup' keeps hourly snapshots 3 days; this environment requires at least 7 days.",
            ]);
        });
        it("rejects copies kept shorter than required", async () => {
            const short = schedule({ copySettings: [copy({ copyPolicyItems: [{ frequencyType: "hourly", retentionUnit: "days", retentionValue: 2 }] })] });
            assert.deepStrictEqual(await resource(atlasSnapshotRetention, short), [
                "The Atlas backup schedule 'db-backup' keeps its hourly copies in US_EAST_1 2 days; this environment requires at least 7 days.",
            ]);
        });
        it("converts other units, counting a month as 28 days", async () => {
            const monthly = schedule({ policyItemMonthlies: [{ frequencyInterval: 1, retentionUnit: "months", retentionValue: 1 }] });
            assert.deepStrictEqual(await resource(atlasSnapshotRetention, monthly, { minRetentionDays: 30 }), [
                "The Atlas backup schedule 'db-backup' keeps hourly snapshots 7 days; this environment requires at least 30 days.",
                "The Atlas backup schedule 'db-backup' keeps weekly snapshots 4 weeks (28 days); this environment requires at least 30 days.",
                "The Atlas backup schedule 'db-backup' keeps monthly snapshots 1 months (28 days); this environment requires at least 30 days.",
                "The Atlas backup schedule 'db-backup' keeps its hourly copies in US_EAST_1 7 days; this environment requires at least 30 days.",
                "The Atlas backup schedule 'db-backup' keeps its weekly copies in US_EAST_1 4 weeks (28 days); this environment requires at least 30 days.",
            ]);
        });
        it("skips copy items that set no retention, and copy items the schedule does not enable", async () => {
            const noRetention = schedule({
                copySettings: [copy({ copyPolicyItems: [{ frequencyType: "hourly", retentionValue: 1 }, { frequencyType: "weekly", retentionUnit: "days" }] })],
            });
            assert.deepStrictEqual(await resource(atlasSnapshotRetention, noRetention), []);
            const short = [copy({ copyPolicyItems: [{ frequencyType: "hourly", retentionUnit: "days", retentionValue: 2 }] })];
            assert.deepStrictEqual(await resource(atlasSnapshotRetention, schedule({ copyPolicyItemsEnabled: false, copySettings: short })), []);
            assert.deepStrictEqual(await resource(atlasSnapshotRetention, schedule({ copyPolicyItemsEnabled: true, copySettings: short })), [
                "The Atlas backup schedule 'db-backup' keeps its hourly copies in US_EAST_1 2 days; this environment requires at least 7 days.",
            ]);
        });
        it("lets the plan's 7 days through", async () => {
            assert.deepStrictEqual(await resource(atlasSnapshotRetention, schedule()), []);
        });
        it("is skipped at preview when a retention is unknown", async () => {
            const o = await checkResource(atlasSnapshotRetention, schedule({ policyItemHourly: { ...HOURLY, retentionValue: UNKNOWN } }));
            assert.deepStrictEqual(o.violations, []);
            assert.match(o.skipped!, /at \.policyItemHourly\.retentionValue can't be known during preview$/);
        });
    });

    describe("atlas-weekly-snapshot", () => {
        it("rejects a schedule without a weekly item where required (the default)", async () => {
            assert.deepStrictEqual(await resource(atlasWeeklySnapshot, schedule({ policyItemWeeklies: [] })), [
                "The Atlas backup schedule 'db-backup' has no weekly snapshot; this environment requires one kept at least 4 weeks.",
            ]);
        });
        it("rejects weekly snapshots kept 2 weeks", async () => {
            assert.deepStrictEqual(await resource(atlasWeeklySnapshot, schedule({ policyItemWeeklies: [{ ...WEEKLY, retentionValue: 2 }] })), [
                "The Atlas backup schedule 'db-backup' keeps weekly snapshots 14 days; this environment requires at least 4 weeks (28 days).",
            ]);
        });
        it("judges the longest of several weekly items", async () => {
            const two = schedule({ policyItemWeeklies: [{ ...WEEKLY, retentionValue: 2 }, { ...WEEKLY, frequencyInterval: 7, retentionValue: 4 }] });
            assert.deepStrictEqual(await resource(atlasWeeklySnapshot, two), []);
            assert.deepStrictEqual(await resource(atlasWeeklySnapshot, two, { minRetentionWeeks: 5 }), [
                "The Atlas backup schedule 'db-backup' keeps weekly snapshots 28 days; this environment requires at least 5 weeks (35 days).",
            ]);
        });
        it("lets 4 weeks through, and nothing is required where the config says so", async () => {
            assert.deepStrictEqual(await resource(atlasWeeklySnapshot, schedule()), []);
            assert.deepStrictEqual(await resource(atlasWeeklySnapshot, schedule({ policyItemWeeklies: [] }), { required: false }), []);
            assert.deepStrictEqual(await resource(atlasWeeklySnapshot, schedule(), { minRetentionWeeks: 8 }), [
                "The Atlas backup schedule 'db-backup' keeps weekly snapshots 28 days; this environment requires at least 8 weeks (56 days).",
            ]);
        });
        it("is skipped at preview when the weekly items are unknown", async () => {
            const o = await checkResource(atlasWeeklySnapshot, schedule({ policyItemWeeklies: UNKNOWN }));
            assert.deepStrictEqual(o.violations, []);
            assert.match(o.skipped!, /at \.policyItemWeeklies can't be known during preview$/);
        });
    });

    describe("atlas-cluster-has-backup-schedule", () => {
        it("rejects a cluster without a schedule, reporting its URN", async () => {
            const o = await checkStack(atlasClusterHasBackupSchedule, [cluster()]);
            assert.deepStrictEqual(o.violations, [
                {
                    message:
                        "The Atlas cluster 'db' has no backup schedule (mongodbatlas.CloudBackupSchedule) in this stack; every cluster needs one that sets its snapshots and their copies in another region.",
                    urn: urnOf(cluster()),
                },
            ]);
        });
        it("does not count a schedule of another cluster", async () => {
            assert.strictEqual((await stack(atlasClusterHasBackupSchedule, [cluster(), schedule({ clusterName: "other" })])).length, 1);
        });
        it("links a schedule by the cluster's name, or through its clusterName dependency when the name is unknown", async () => {
            assert.deepStrictEqual(await stack(atlasClusterHasBackupSchedule, [cluster(), schedule()]), []);
            const c = cluster({ name: UNKNOWN });
            const s = schedule({ clusterName: UNKNOWN }, { propertyDependencies: { clusterName: [urnOf(c)] } });
            assert.deepStrictEqual(await stack(atlasClusterHasBackupSchedule, [c, s]), []);
        });
        it("does not fail a preview on a schedule whose cluster name is unknown and may be this cluster's", async () => {
            assert.deepStrictEqual(await stack(atlasClusterHasBackupSchedule, [cluster(), schedule({ clusterName: UNKNOWN })]), []);
        });
        it("does not count a same-named schedule of another project, but counts one whose project id is unknown", async () => {
            assert.deepStrictEqual(await stack(atlasClusterHasBackupSchedule, [cluster(), schedule({ projectId: "p2" })]), [
                "The Atlas cluster 'db' has no backup schedule (mongodbatlas.CloudBackupSchedule) in this stack; every cluster needs one that sets its snapshots and their copies in another region.",
            ]);
            assert.deepStrictEqual(await stack(atlasClusterHasBackupSchedule, [cluster(), schedule({ projectId: UNKNOWN })]), []);
            assert.deepStrictEqual(await stack(atlasClusterHasBackupSchedule, [cluster({ projectId: UNKNOWN }), schedule()]), []);
        });
        it("does not fail a preview on a cluster whose name is unknown and may be the one a schedule names", async () => {
            assert.deepStrictEqual(await stack(atlasClusterHasBackupSchedule, [cluster({ name: UNKNOWN }), schedule({ clusterName: "other" })]), []);
        });
        it("counts a schedule that depends on the cluster, whatever cluster name it gives", async () => {
            const s = schedule({ clusterName: "db-renamed" }, { dependencies: [urnOf(cluster())] });
            assert.deepStrictEqual(await stack(atlasClusterHasBackupSchedule, [cluster(), s]), []);
            const viaName = schedule({ clusterName: "db-renamed" }, { propertyDependencies: { clusterName: [urnOf(cluster())] } });
            assert.deepStrictEqual(await stack(atlasClusterHasBackupSchedule, [cluster(), viaName]), []);
            assert.deepStrictEqual(await stack(atlasClusterHasBackupSchedule, [cluster(), schedule({ clusterName: "db-renamed" })]), [
                "The Atlas cluster 'db' has no backup schedule (mongodbatlas.CloudBackupSchedule) in this stack; every cluster needs one that sets its snapshots and their copies in another region.",
            ]);
        });
        it("finds a cluster's schedule among several that name it", async () => {
            const otherProject = { ...schedule({ projectId: "p2" }), name: "p2-db-backup" };
            assert.deepStrictEqual(await stack(atlasClusterHasBackupSchedule, [cluster(), schedule(), otherProject]), []);
        });
    });

    describe("atlas-backup-copy-to-other-region", () => {
        it("rejects a schedule without copies", async () => {
            const o = await checkStack(atlasBackupCopyToOtherRegion, [cluster(), schedule({ copySettings: [] })]);
            assert.deepStrictEqual(o.violations, [
                {
                    message:
                        "The Atlas backup schedule 'db-backup' copies no snapshots to a region other than its cluster's (US_WEST_2); every snapshot needs a copy in another region.",
                    urn: urnOf(schedule()),
                },
            ]);
        });
        it("rejects copies into the cluster's own region", async () => {
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [cluster(), schedule({ copySettings: [copy({ regionName: "US_WEST_2" })] })]), [
                "The Atlas backup schedule 'db-backup' copies no snapshots to a region other than its cluster's (US_WEST_2); every snapshot needs a copy in another region.",
            ]);
        });
        it("rejects copies that leave a policy item behind", async () => {
            const partial = schedule({ copySettings: [copy({ copyPolicyItems: [{ frequencyType: "hourly", retentionUnit: "days", retentionValue: 7 }] })] });
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [cluster(), partial]), [
                "The Atlas backup schedule 'db-backup' does not copy its weekly snapshots to another region; every policy item needs a copy (its copies to US_EAST_1 cover hourly).",
            ]);
        });
        it("reads the deprecated `frequencies` form of a hand-written schedule", async () => {
            const legacy = schedule({ copyPolicyItemsEnabled: false, copySettings: [copy({ copyPolicyItems: undefined, frequencies: ["HOURLY"] })] });
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [cluster(), legacy]), [
                "The Atlas backup schedule 'db-backup' does not copy its weekly snapshots to another region; every policy item needs a copy (its copies to US_EAST_1 cover hourly).",
            ]);
            const full = schedule({ copyPolicyItemsEnabled: false, copySettings: [copy({ copyPolicyItems: undefined, frequencies: ["HOURLY", "WEEKLY"] })] });
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [cluster(), full]), []);
        });
        it("requires oplogs in the copy when the cluster has point-in-time restore, unless the config waives it", async () => {
            const noOplogs = schedule({ copySettings: [copy({ shouldCopyOplogs: false })] });
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [cluster(), noOplogs]), [
                "The Atlas backup schedule 'db-backup' copies no oplogs to another region although its cluster has point-in-time restore on; set shouldCopyOplogs on its copy to US_EAST_1.",
            ]);
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [cluster(), noOplogs], { requireOplogs: false }), []);
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [cluster({ pitEnabled: false }), noOplogs]), []);
        });
        it("lets a full copy to another region through", async () => {
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [cluster(), schedule()]), []);
        });
        it("counts a copy whose region is unknown at preview as one elsewhere", async () => {
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [cluster(), schedule({ copySettings: [copy({ regionName: UNKNOWN })] })]), []);
        });
        it("finds the cluster of a schedule whose cluster name is unknown through its clusterName dependency", async () => {
            const c = cluster();
            const s = schedule({ clusterName: UNKNOWN, copySettings: [copy({ regionName: "US_WEST_2" })] }, { propertyDependencies: { clusterName: [urnOf(c)] } });
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [c, s]), [
                "The Atlas backup schedule 'db-backup' copies no snapshots to a region other than its cluster's (US_WEST_2); every snapshot needs a copy in another region.",
            ]);
        });
        it("compares a schedule whose cluster is not in the stack with no region", async () => {
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [schedule({ copySettings: [] })]), [
                "The Atlas backup schedule 'db-backup' copies no snapshots to a region other than its cluster's; every snapshot needs a copy in another region.",
            ]);
            const noOplogs = schedule({ copySettings: [copy({ regionName: "US_WEST_2", shouldCopyOplogs: false })] });
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [noOplogs]), []);
        });
        it("compares a schedule whose cluster name is unknown and links no cluster with no region", async () => {
            const s = schedule({ clusterName: UNKNOWN, copySettings: [copy({ regionName: "US_WEST_2", shouldCopyOplogs: false })] });
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [cluster(), s]), []);
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [cluster(), schedule({ clusterName: UNKNOWN, copySettings: [] })]), [
                "The Atlas backup schedule 'db-backup' copies no snapshots to a region other than its cluster's; every snapshot needs a copy in another region.",
            ]);
        });
        it("compares with no region when the cluster's regions are unknown at preview", async () => {
            const c = cluster({ replicationSpecs: [{ regionConfigs: [{ regionName: UNKNOWN, priority: 7, electableSpecs: { nodeCount: 3 } }] }] });
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [c, schedule({ copySettings: [copy({ regionName: "US_WEST_2" })] })]), []);
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [c, schedule({ copySettings: [] })]), [
                "The Atlas backup schedule 'db-backup' copies no snapshots to a region other than its cluster's; every snapshot needs a copy in another region.",
            ]);
        });
        it("takes the regions of a legacy cluster from its provider region or its regionsConfigs", async () => {
            const own = schedule({ clusterName: "legacy", copySettings: [copy({ regionName: "US_WEST_2" })] });
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [legacyCluster(), own]), [
                "The Atlas backup schedule 'db-backup' copies no snapshots to a region other than its cluster's (US_WEST_2); every snapshot needs a copy in another region.",
            ]);
            const multiRegion = legacyCluster({
                providerRegionName: undefined,
                replicationSpecs: [
                    {
                        numShards: 1,
                        regionsConfigs: [
                            { regionName: "US_WEST_2", electableNodes: 3, priority: 7 },
                            { regionName: "US_EAST_1", electableNodes: 2, priority: 6 },
                        ],
                    },
                ],
            });
            const east = schedule({ clusterName: "legacy", copySettings: [copy({ regionName: "US_EAST_1" })] });
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [multiRegion, east]), [
                "The Atlas backup schedule 'db-backup' copies no snapshots to a region other than its cluster's (US_WEST_2, US_EAST_1); every snapshot needs a copy in another region.",
            ]);
            const west = schedule({ clusterName: "legacy", copySettings: [copy({ regionName: "EU_WEST_1" })] });
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [multiRegion, west]), []);
        });
        it("judges a schedule against the first cluster in stack order that it belongs to", async () => {
            const other = { ...cluster({ name: "db2", replicationSpecs: [{ regionConfigs: [{ regionName: "EU_WEST_1", priority: 7, electableSpecs: { nodeCount: 3 } }] }] }), name: "db2" };
            const s = schedule({ copySettings: [copy({ regionName: "US_WEST_2" })] }, { dependencies: [urnOf(other)] });
            const ownRegion =
                "The Atlas backup schedule 'db-backup' copies no snapshots to a region other than its cluster's (US_WEST_2); every snapshot needs a copy in another region.";
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [cluster(), other, s]), [ownRegion]);
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [other, cluster(), s]), []);
        });
        it("looks past a dependency of the schedule that is not a cluster", async () => {
            const project = { type: "mongodbatlas:index/project:Project", name: "proj", props: { orgId: "o", name: "proj" } };
            const s = schedule({ copySettings: [copy({ regionName: "US_WEST_2" })] }, { dependencies: [urnOf(project)] });
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [project, cluster(), s]), [
                "The Atlas backup schedule 'db-backup' copies no snapshots to a region other than its cluster's (US_WEST_2); every snapshot needs a copy in another region.",
            ]);
        });
        it("does not take a same-named cluster of another project for the schedule's", async () => {
            const s = schedule({ copySettings: [copy({ regionName: "US_WEST_2", shouldCopyOplogs: false })] });
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [cluster({ projectId: "p2" }), s]), []);
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [cluster(), s]), [
                "The Atlas backup schedule 'db-backup' copies no snapshots to a region other than its cluster's (US_WEST_2); every snapshot needs a copy in another region.",
            ]);
        });
        it("does not count a copy that names no region", async () => {
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [cluster(), schedule({ copySettings: [copy({ regionName: undefined })] })]), [
                "The Atlas backup schedule 'db-backup' copies no snapshots to a region other than its cluster's (US_WEST_2); every snapshot needs a copy in another region.",
            ]);
        });
        it("leaves a cluster's region configs without a region name out of the regions it names", async () => {
            const advanced = cluster({
                replicationSpecs: [{ regionConfigs: [{ priority: 7, electableSpecs: { nodeCount: 3 } }, { regionName: "US_WEST_2", priority: 6, electableSpecs: { nodeCount: 2 } }] }],
            });
            const legacy = legacyCluster({
                providerRegionName: undefined,
                replicationSpecs: [{ numShards: 1, regionsConfigs: [{ electableNodes: 3, priority: 7 }, { regionName: "US_WEST_2", electableNodes: 2, priority: 6 }] }],
            });
            const none = "The Atlas backup schedule 'db-backup' copies no snapshots to a region other than its cluster's (US_WEST_2); every snapshot needs a copy in another region.";
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [advanced, schedule({ copySettings: [] })]), [none]);
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [legacy, schedule({ clusterName: "legacy", copySettings: [] })]), [none]);
            const regionless = legacyCluster({ providerRegionName: undefined });
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [regionless, schedule({ clusterName: "legacy", copySettings: [] })]), [
                "The Atlas backup schedule 'db-backup' copies no snapshots to a region other than its cluster's; every snapshot needs a copy in another region.",
            ]);
        });
        it("does not fail a preview on copy settings, copy items or the copy-items switch that are unknown", async () => {
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [cluster(), schedule({ copySettings: UNKNOWN })]), []);
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [cluster(), schedule({ copySettings: [copy({ copyPolicyItems: UNKNOWN })] })]), []);
            const unknownSwitch = schedule({ copyPolicyItemsEnabled: UNKNOWN, copySettings: [copy({ copyPolicyItems: [] })] });
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [cluster(), unknownSwitch]), []);
        });
        it("asks no frequency of the copies while the schedule's policy items are unknown at preview", async () => {
            const s = schedule({ policyItemWeeklies: UNKNOWN, copySettings: [copy({ copyPolicyItems: [] })] });
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [cluster(), s]), []);
        });
        it("reads every frequency of the deprecated `frequencies` form, in any case", async () => {
            const daily = { frequencyInterval: 1, retentionUnit: "days", retentionValue: 7 };
            const all = {
                copyPolicyItemsEnabled: false,
                policyItemDaily: daily,
                policyItemMonthlies: [{ frequencyInterval: 1, retentionUnit: "months", retentionValue: 12 }],
                policyItemYearlies: [{ frequencyInterval: 1, retentionUnit: "years", retentionValue: 1 }],
            };
            const frequencies = (fs: string[]) => schedule({ ...all, copySettings: [copy({ copyPolicyItems: undefined, frequencies: fs })] });
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [cluster(), frequencies(["HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"])]), []);
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [cluster(), frequencies(["hourly", "Daily", "weekly", "monthly", "YEARLY"])]), []);
            const cover = "every policy item needs a copy (its copies to US_EAST_1 cover hourly).";
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [cluster(), frequencies(["HOURLY"])]), [
                `The Atlas backup schedule 'db-backup' does not copy its daily snapshots to another region; ${cover}`,
                `The Atlas backup schedule 'db-backup' does not copy its weekly snapshots to another region; ${cover}`,
                `The Atlas backup schedule 'db-backup' does not copy its monthly snapshots to another region; ${cover}`,
                `The Atlas backup schedule 'db-backup' does not copy its yearly snapshots to another region; ${cover}`,
            ]);
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [cluster(), schedule({ copyPolicyItemsEnabled: false })]), [
                "The Atlas backup schedule 'db-backup' does not copy its hourly snapshots to another region; every policy item needs a copy (its copies to US_EAST_1 cover nothing).",
                "The Atlas backup schedule 'db-backup' does not copy its weekly snapshots to another region; every policy item needs a copy (its copies to US_EAST_1 cover nothing).",
            ]);
        });
        it("names a copy whose region is unknown at preview as one to an unknown region", async () => {
            const s = schedule({ copySettings: [copy({ regionName: UNKNOWN, copyPolicyItems: [{ frequencyType: "hourly", retentionUnit: "days", retentionValue: 7 }] })] });
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [cluster(), s]), [
                "The Atlas backup schedule 'db-backup' does not copy its weekly snapshots to another region; every policy item needs a copy (its copies to an unknown region cover hourly).",
            ]);
        });
        it("adds up the frequencies of all copies elsewhere and lists them, leaving out a copy into the cluster's own region", async () => {
            const daily = { frequencyInterval: 1, retentionUnit: "days", retentionValue: 7 };
            const s = schedule({
                policyItemDaily: daily,
                copySettings: [
                    copy({ regionName: "US_WEST_2", copyPolicyItems: [{ frequencyType: "weekly", retentionUnit: "weeks", retentionValue: 4 }] }),
                    copy({ copyPolicyItems: [{ frequencyType: "hourly", retentionUnit: "days", retentionValue: 7 }] }),
                    copy({ regionName: "EU_WEST_1", copyPolicyItems: [{ frequencyType: "daily", retentionUnit: "days", retentionValue: 7 }] }),
                ],
            });
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [cluster(), s]), [
                "The Atlas backup schedule 'db-backup' does not copy its weekly snapshots to another region; every policy item needs a copy (its copies to US_EAST_1, EU_WEST_1 cover hourly, daily).",
            ]);
        });
        it("says a copy without copy items covers nothing", async () => {
            const expected = [
                "The Atlas backup schedule 'db-backup' does not copy its hourly snapshots to another region; every policy item needs a copy (its copies to US_EAST_1 cover nothing).",
                "The Atlas backup schedule 'db-backup' does not copy its weekly snapshots to another region; every policy item needs a copy (its copies to US_EAST_1 cover nothing).",
            ];
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [cluster(), schedule({ copySettings: [copy({ copyPolicyItems: [] })] })]), expected);
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [cluster(), schedule({ copySettings: [copy({ copyPolicyItems: undefined })] })]), expected);
        });
        it("is content with oplogs in one copy elsewhere, or in one whose flag is unknown, and names every copy when none has them", async () => {
            const both = (a: unknown, b: unknown) =>
                schedule({ copySettings: [copy({ shouldCopyOplogs: a }), copy({ regionName: "EU_WEST_1", shouldCopyOplogs: b })] });
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [cluster(), both(false, true)]), []);
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [cluster(), both(false, UNKNOWN)]), []);
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [cluster(), both(false, undefined)]), [
                "The Atlas backup schedule 'db-backup' copies no oplogs to another region although its cluster has point-in-time restore on; set shouldCopyOplogs on its copy to US_EAST_1, EU_WEST_1.",
            ]);
        });
        it("does not ask for oplogs when the cluster's point-in-time restore is unknown at preview", async () => {
            const noOplogs = schedule({ copySettings: [copy({ shouldCopyOplogs: false })] });
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [cluster({ pitEnabled: UNKNOWN }), noOplogs]), []);
        });
    });

    describe("atlas-backup-compliance-policy", () => {
        it("rejects a cluster whose project has no compliance policy", async () => {
            const o = await checkStack(atlasBackupCompliancePolicy, [cluster()]);
            assert.deepStrictEqual(o.violations, [
                {
                    message:
                        "The Atlas project of cluster 'db' has no Backup Compliance Policy in this stack; this environment requires one so that no one can shorten or delete its backups.",
                    urn: urnOf(cluster()),
                },
            ]);
        });
        it("does not count the policy of another project", async () => {
            assert.strictEqual((await stack(atlasBackupCompliancePolicy, [cluster(), compliance({ projectId: "p2" })])).length, 1);
        });
        it("rejects a policy without copy protection", async () => {
            assert.deepStrictEqual(await stack(atlasBackupCompliancePolicy, [cluster(), compliance({ copyProtectionEnabled: false })]), [
                "The Backup Compliance Policy 'db-compliance' does not protect snapshot copies (copyProtectionEnabled is not true); this environment requires it so that the copies in other regions cannot be deleted.",
            ]);
        });
        it("lets a protected project through, and requires nothing where the config says so", async () => {
            assert.deepStrictEqual(await stack(atlasBackupCompliancePolicy, [cluster(), compliance()]), []);
            assert.deepStrictEqual(await stack(atlasBackupCompliancePolicy, [cluster()], { required: false }), []);
        });
        it("counts a policy whose project id is unknown at preview, but not for a cluster whose project id alone is unknown", async () => {
            assert.deepStrictEqual(await stack(atlasBackupCompliancePolicy, [cluster(), compliance({ projectId: UNKNOWN })]), []);
            assert.deepStrictEqual(await stack(atlasBackupCompliancePolicy, [cluster({ projectId: UNKNOWN }), compliance()]), [
                "The Atlas project of cluster 'db' has no Backup Compliance Policy in this stack; this environment requires one so that no one can shorten or delete its backups.",
            ]);
        });
        it("links a policy to a cluster whose project id, unknown at preview, comes from the same project as the policy's", async () => {
            const project = { type: "mongodbatlas:index/project:Project", name: "proj", props: { orgId: "o", name: "proj" } };
            const fromProject = { propertyDependencies: { projectId: [urnOf(project)] } };
            const c = { ...cluster({ projectId: UNKNOWN }), ...fromProject };
            assert.deepStrictEqual(await stack(atlasBackupCompliancePolicy, [project, c, { ...compliance(), ...fromProject }]), []);
            assert.deepStrictEqual(await stack(atlasBackupCompliancePolicy, [project, c, compliance()]), [
                "The Atlas project of cluster 'db' has no Backup Compliance Policy in this stack; this environment requires one so that no one can shorten or delete its backups.",
            ]);
        });
        it("leaves copy protection alone where the config waives it or while it is unknown, and still requires it where no policy is required", async () => {
            const unprotected = compliance({ copyProtectionEnabled: undefined });
            assert.deepStrictEqual(await stack(atlasBackupCompliancePolicy, [cluster(), unprotected], { requireCopyProtection: false }), []);
            assert.deepStrictEqual(await stack(atlasBackupCompliancePolicy, [cluster(), compliance({ copyProtectionEnabled: UNKNOWN })]), []);
            assert.deepStrictEqual(await stack(atlasBackupCompliancePolicy, [cluster(), unprotected], { required: false }), [
                "The Backup Compliance Policy 'db-compliance' does not protect snapshot copies (copyProtectionEnabled is not true); this environment requires it so that the copies in other regions cannot be deleted.",
            ]);
        });
        it("links a policy and a cluster that took their project id from the same new project", async () => {
            const project = { type: "mongodbatlas:index/project:Project", name: "proj", props: { orgId: "o", name: "proj" } };
            const deps = { propertyDependencies: { projectId: [urnOf(project)] } };
            const c = { ...cluster({ projectId: UNKNOWN }), ...deps };
            const other = { ...compliance({ projectId: "p9" }), name: "other" };
            assert.deepStrictEqual(await stack(atlasBackupCompliancePolicy, [project, c, other]), [
                "The Atlas project of cluster 'db' has no Backup Compliance Policy in this stack; this environment requires one so that no one can shorten or delete its backups.",
            ]);
            const linked = { ...compliance({ projectId: UNKNOWN }), ...deps };
            assert.deepStrictEqual(await stack(atlasBackupCompliancePolicy, [project, c, linked]), []);
        });
    });

    // ---- exemptions: another team's cluster, tagged or named in the policy's setting ----------

    describe("exemptions", () => {
        const ADVANCED = "mongodbatlas:index/advancedCluster:AdvancedCluster";
        /** Atlas clusters take tags as a list of { key, value }. */
        const tagged = (tags: { key: string; value: unknown }[], props: Props = {}) => cluster({ ...props, tags });
        const EXEMPT = [
            { key: "continuity-dr", value: "none" },
            { key: "continuity-dr-reason", value: "a scratch copy of the reporting data" },
        ];
        const single = { replicationSpecs: [{ regionConfigs: [{ regionName: "US_WEST_2", priority: 7, electableSpecs: { nodeCount: 1 } }] }] };
        const oneNode = "The Atlas cluster 'db' has 1 electable node; this environment requires at least 3 so that losing a node keeps a majority.";
        const reasonless = (policy: string, what: string) => `The exemption from '${policy}' for ${what} gives no reason; an exemption needs one, so this one exempts nothing.`;

        it("cluster rules leave out a cluster tagged continuity-dr = none with a reason, and judge it without one", async () => {
            assert.deepStrictEqual(await resource(atlasClusterMinElectableNodes, tagged(EXEMPT, single)), []);
            assert.deepStrictEqual(await resource(atlasCloudBackupEnabled, tagged(EXEMPT, { backupEnabled: false })), []);
            assert.deepStrictEqual(await resource(atlasPointInTimeRestore, tagged(EXEMPT, { pitEnabled: false })), []);
            assert.deepStrictEqual(await resource(atlasClusterMinElectableNodes, tagged([EXEMPT[0]], single)), [oneNode]);
            assert.deepStrictEqual(await resource(atlasCloudBackupEnabled, { ...legacyCluster({ cloudBackup: false, tags: [EXEMPT[0]] }) }), [
                "The Atlas cluster 'legacy' has cloud backup off (cloudBackup is not true); every cluster must take cloud backups.",
            ]);
        });
        it("cluster rules take an unknown tag as no exemption", async () => {
            const unknownReason = tagged([EXEMPT[0], { key: "continuity-dr-reason", value: UNKNOWN }], single);
            assert.deepStrictEqual(await resource(atlasClusterMinElectableNodes, unknownReason), [oneNode]);
        });
        it("cluster rules honour their exemptions setting, and report a reasonless entry on the cluster it names", async () => {
            const entry = { type: ADVANCED, name: "db" };
            assert.deepStrictEqual(await resource(atlasClusterMinElectableNodes, cluster(single), { exemptions: [{ ...entry, reason: "reporting replica" }] }), []);
            assert.deepStrictEqual(await resource(atlasClusterMinElectableNodes, cluster(single), { exemptions: [entry] }), [
                reasonless("atlas-cluster-min-electable-nodes", `type ${ADVANCED}, name db`),
                oneNode,
            ]);
            assert.deepStrictEqual(await resource(atlasClusterMinElectableNodes, cluster(single), { exemptions: [{ name: "other" }] }), [oneNode]);
            assert.deepStrictEqual(await resource(atlasPointInTimeRestore, cluster({ pitEnabled: false }), { exemptions: [{ urn: "*::db", reason: "reporting replica" }] }), []);
            assert.deepStrictEqual(await resource(atlasCloudBackupEnabled, legacyCluster({ cloudBackup: false }), { exemptions: [{ name: "leg*", reason: "reporting replica" }] }), []);
        });
        it("schedule rules honour an entry that names the schedule", async () => {
            const short = schedule({ policyItemHourly: { ...HOURLY, frequencyInterval: 12, retentionValue: 1 }, policyItemWeeklies: [] });
            const entry = { type: AtlasTypes.backupSchedule, name: "db-backup", reason: "its cluster is a scratch copy" };
            assert.deepStrictEqual(await resource(atlasSnapshotInterval, short, { exemptions: [entry] }), []);
            assert.deepStrictEqual(await resource(atlasSnapshotRetention, short, { exemptions: [entry] }), []);
            assert.deepStrictEqual(await resource(atlasWeeklySnapshot, short, { exemptions: [entry] }), []);
            assert.deepStrictEqual(await resource(atlasSnapshotRetention, short, { exemptions: [{ ...entry, reason: undefined }] }), [
                reasonless("atlas-snapshot-retention", `type ${AtlasTypes.backupSchedule}, name db-backup`),
                "The Atlas backup schedule 'db-backup' keeps hourly snapshots 1 day; this environment requires at least 7 days.",
            ]);
        });
        it("atlas-cluster-has-backup-schedule leaves out an exempt cluster and reports a reasonless entry once", async () => {
            const none = "The Atlas cluster 'db' has no backup schedule (mongodbatlas.CloudBackupSchedule) in this stack; every cluster needs one that sets its snapshots and their copies in another region.";
            assert.deepStrictEqual(await stack(atlasClusterHasBackupSchedule, [cluster()]), [none]);
            assert.deepStrictEqual(await stack(atlasClusterHasBackupSchedule, [tagged(EXEMPT)]), []);
            assert.deepStrictEqual(await stack(atlasClusterHasBackupSchedule, [cluster()], { exemptions: [{ type: ADVANCED, reason: "scratch clusters" }] }), []);
            assert.deepStrictEqual(await stack(atlasClusterHasBackupSchedule, [cluster(), legacyCluster()], { exemptions: [{ type: ADVANCED }] }), [
                reasonless("atlas-cluster-has-backup-schedule", `type ${ADVANCED}`),
                none,
                "The Atlas cluster 'legacy' has no backup schedule (mongodbatlas.CloudBackupSchedule) in this stack; every cluster needs one that sets its snapshots and their copies in another region.",
            ]);
        });
        it("atlas-backup-copy-to-other-region leaves out the schedule of an exempt cluster, and a schedule the setting names", async () => {
            const noCopy = schedule({ copySettings: [] });
            const message = "The Atlas backup schedule 'db-backup' copies no snapshots to a region other than its cluster's (US_WEST_2); every snapshot needs a copy in another region.";
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [cluster(), noCopy]), [message]);
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [tagged(EXEMPT), noCopy]), []);
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [cluster(), noCopy], { exemptions: [{ name: "db", reason: "scratch" }] }), []);
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [cluster(), noCopy], { exemptions: [{ name: "db" }] }), [
                reasonless("atlas-backup-copy-to-other-region", "name db"),
                message,
            ]);
        });
        it("atlas-backup-compliance-policy does not ask a Backup Compliance Policy for an exempt cluster", async () => {
            assert.deepStrictEqual(await stack(atlasBackupCompliancePolicy, [tagged(EXEMPT)]), []);
            assert.deepStrictEqual(await stack(atlasBackupCompliancePolicy, [tagged([EXEMPT[1]])]), [
                "The Atlas project of cluster 'db' has no Backup Compliance Policy in this stack; this environment requires one so that no one can shorten or delete its backups.",
            ]);
        });
    });

    // ---- the pack against the program's own stacks ------------------------------------------

    const guard = (resources: TestResource[], stackName: string) =>
        runPolicies(atlasPolicies, resources, path.join(ROOT, "policies", "config", `${stackName}.json`));

    for (const stackName of ["staging", "production"]) {
        for (const preview of [true, false]) {
            it(`passes the ${stackName} stack with its own config file (${preview ? "preview, with unknowns" : "after update"})`, async () => {
                const run = await runStack(stackName, { preview });
                assert.deepStrictEqual(await guard(run.resources.map(fromRecorded), stackName), []);
            });
        }
    }

    it("holds the staging stack to production's stricter file, rejecting what staging may leave out", async () => {
        const run = await runStack("staging", { preview: true });
        assert.deepStrictEqual(
            (await guard(run.resources.map(fromRecorded), "production")).map((f) => f.policy),
            ["atlas-point-in-time-restore", "atlas-weekly-snapshot", "atlas-backup-compliance-policy"],
        );
    });

    describe("targeted mutations of the production stack are each rejected by the right policy", () => {
        async function mutate(edit: (r: TestResource[]) => void) {
            const run = await runStack("production", { preview: true });
            const resources = run.resources.map(fromRecorded);
            edit(resources);
            return guard(resources, "production");
        }
        const find = (rs: TestResource[], type: string) => rs.find((r) => r.type === type)!;

        it("copy region = primary region → atlas-backup-copy-to-other-region", async () => {
            const found = await mutate((rs) => ((find(rs, AtlasTypes.backupSchedule).props.copySettings as any)[0].regionName = "EU_WEST_1"));
            assert.deepStrictEqual(found, [
                {
                    policy: "atlas-backup-copy-to-other-region",
                    message:
                        "The Atlas backup schedule 'continuity-production-atlas-backup-schedule' copies no snapshots to a region other than its cluster's (EU_WEST_1); every snapshot needs a copy in another region.",
                },
            ]);
        });
        it("hourly retention 3 days → atlas-snapshot-retention", async () => {
            const found = await mutate((rs) => ((find(rs, AtlasTypes.backupSchedule).props.policyItemHourly as any).retentionValue = 3));
            assert.deepStrictEqual(found, [
                {
                    policy: "atlas-snapshot-retention",
                    message:
                        "The Atlas backup schedule 'continuity-production-atlas-backup-schedule' keeps hourly snapshots 3 days; this environment requires at least 7 days.",
                },
            ]);
        });
        it("2 electable nodes → atlas-cluster-min-electable-nodes", async () => {
            const found = await mutate(
                (rs) => ((find(rs, AtlasTypes.advancedCluster).props.replicationSpecs as any)[0].regionConfigs[0].electableSpecs.nodeCount = 2),
            );
            assert.deepStrictEqual(found, [
                {
                    policy: "atlas-cluster-min-electable-nodes",
                    message:
                        "The Atlas cluster 'continuity-production-atlas-cluster' has 2 electable nodes; this environment requires at least 3 so that losing a node keeps a majority.",
                },
            ]);
        });
        it("no weekly item in production → atlas-weekly-snapshot and the copy coverage stays whole", async () => {
            const found = await mutate((rs) => {
                const s = find(rs, AtlasTypes.backupSchedule).props as any;
                s.policyItemWeeklies = [];
                s.copySettings[0].copyPolicyItems = s.copySettings[0].copyPolicyItems.filter((i: any) => i.frequencyType !== "weekly");
            });
            assert.deepStrictEqual(found, [
                {
                    policy: "atlas-weekly-snapshot",
                    message:
                        "The Atlas backup schedule 'continuity-production-atlas-backup-schedule' has no weekly snapshot; this environment requires one kept at least 4 weeks.",
                },
            ]);
        });
        it("no backup schedule at all → atlas-cluster-has-backup-schedule", async () => {
            const found = await mutate((rs) => rs.splice(rs.indexOf(find(rs, AtlasTypes.backupSchedule)), 1));
            assert.deepStrictEqual(found.map((f) => f.policy), ["atlas-cluster-has-backup-schedule"]);
        });
    });
});
