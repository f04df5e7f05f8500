import * as assert from "assert";
import {
    atlasCloudBackupEnabled,
    atlasClusterHasBackupSchedule,
    atlasClusterMinElectableNodes,
    atlasPointInTimeRestore,
    atlasSnapshotInterval,
    atlasSnapshotRetention,
    atlasWeeklySnapshot,
} from "../../../policies/atlas";
import { checkResource, checkStack, UNKNOWN, urnOf } from "../../helpers/policy";
import { Props, cluster, HOURLY, WEEKLY, copy, schedule, legacyCluster, resource, stack } from "./fixtures";

describe("Atlas policies (policies/atlas.ts)", () => {
    describe("atlas-cluster-min-electable-nodes", () => {
        it("rejects a cluster with 2 electable nodes", async () => {
            const r = cluster({
                replicationSpecs: [{ regionConfigs: [{ regionName: "US_WEST_2", priority: 7, electableSpecs: { nodeCount: 2 } }] }],
            });
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
            const r = cluster({
                replicationSpecs: [{ regionConfigs: [{ regionName: "US_WEST_2", priority: 7, electableSpecs: { nodeCount: UNKNOWN } }] }],
            });
            const o = await checkResource(atlasClusterMinElectableNodes, r);
            assert.deepStrictEqual(o.violations, []);
            assert.strictEqual(
                o.skipped,
                "can't run policy 'atlas-cluster-min-electable-nodes' during preview: string value at .replicationSpecs.0.regionConfigs.0.electableSpecs.nodeCount can't be known during preview",
            );
        });
        it("rejects a cluster without replication specs: it has no node at all", async () => {
            const none =
                "The Atlas cluster 'db' has 0 electable nodes; this environment requires at least 3 so that losing a node keeps a majority.";
            assert.deepStrictEqual(await resource(atlasClusterMinElectableNodes, cluster({ replicationSpecs: [] })), [none]);
            assert.deepStrictEqual(await resource(atlasClusterMinElectableNodes, cluster({ replicationSpecs: undefined })), [none]);
        });
        it("counts no electable node in a region that only has read-only nodes", async () => {
            const readOnly = { regionName: "US_EAST_1", priority: 0, readOnlySpecs: { instanceSize: "M10", nodeCount: 2 } };
            assert.deepStrictEqual(
                await resource(atlasClusterMinElectableNodes, cluster({ replicationSpecs: [{ regionConfigs: [readOnly] }] })),
                [
                    "The Atlas cluster 'db' has 0 electable nodes; this environment requires at least 3 so that losing a node keeps a majority.",
                ],
            );
            const mixed = cluster({
                replicationSpecs: [
                    { regionConfigs: [{ regionName: "US_WEST_2", priority: 7, electableSpecs: { nodeCount: 3 } }, readOnly] },
                ],
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
                    {
                        numShards: 1,
                        regionsConfigs: [
                            { regionName: "US_WEST_2", electableNodes: 1, priority: 7 },
                            { regionName: "US_EAST_1", readOnlyNodes: 1 },
                        ],
                    },
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
            assert.deepStrictEqual(
                await resource(atlasSnapshotInterval, schedule({ policyItemHourly: { ...HOURLY, frequencyInterval: 12 } })),
                [
                    "The Atlas backup schedule 'db-backup' takes a snapshot every 12 hours at best; this environment requires one at least every 6 hours.",
                ],
            );
        });
        it("counts a schedule without an hourly item as daily at best", async () => {
            const daily = schedule({
                policyItemHourly: undefined,
                policyItemDaily: { frequencyInterval: 1, retentionUnit: "days", retentionValue: 7 },
            });
            assert.deepStrictEqual(await resource(atlasSnapshotInterval, daily), [
                "The Atlas backup schedule 'db-backup' takes a snapshot every 24 hours at best; this environment requires one at least every 6 hours.",
            ]);
            assert.deepStrictEqual(await resource(atlasSnapshotInterval, daily, { maxSnapshotIntervalHours: 24 }), []);
        });
        it("rejects a schedule without any item", async () => {
            assert.deepStrictEqual(
                await resource(atlasSnapshotInterval, schedule({ policyItemHourly: undefined, policyItemWeeklies: [] })),
                [
                    "The Atlas backup schedule 'db-backup' has no policy items, so it takes no snapshots; this environment requires one at least every 6 hours.",
                ],
            );
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
            assert.deepStrictEqual(
                await resource(atlasSnapshotRetention, schedule({ policyItemHourly: { ...HOURLY, retentionValue: 3 } })),
                ["The Atlas backup schedule 'db-backup' keeps hourly snapshots 3 days; this environment requires at least 7 days."],
            );
        });
        it("rejects copies kept shorter than required", async () => {
            const short = schedule({
                copySettings: [copy({ copyPolicyItems: [{ frequencyType: "hourly", retentionUnit: "days", retentionValue: 2 }] })],
            });
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
                copySettings: [
                    copy({
                        copyPolicyItems: [
                            { frequencyType: "hourly", retentionValue: 1 },
                            { frequencyType: "weekly", retentionUnit: "days" },
                        ],
                    }),
                ],
            });
            assert.deepStrictEqual(await resource(atlasSnapshotRetention, noRetention), []);
            const short = [copy({ copyPolicyItems: [{ frequencyType: "hourly", retentionUnit: "days", retentionValue: 2 }] })];
            assert.deepStrictEqual(
                await resource(atlasSnapshotRetention, schedule({ copyPolicyItemsEnabled: false, copySettings: short })),
                [],
            );
            assert.deepStrictEqual(
                await resource(atlasSnapshotRetention, schedule({ copyPolicyItemsEnabled: true, copySettings: short })),
                [
                    "The Atlas backup schedule 'db-backup' keeps its hourly copies in US_EAST_1 2 days; this environment requires at least 7 days.",
                ],
            );
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
            assert.deepStrictEqual(
                await resource(atlasWeeklySnapshot, schedule({ policyItemWeeklies: [{ ...WEEKLY, retentionValue: 2 }] })),
                [
                    "The Atlas backup schedule 'db-backup' keeps weekly snapshots 14 days; this environment requires at least 4 weeks (28 days).",
                ],
            );
        });
        it("judges the longest of several weekly items", async () => {
            const two = schedule({
                policyItemWeeklies: [
                    { ...WEEKLY, retentionValue: 2 },
                    { ...WEEKLY, frequencyInterval: 7, retentionValue: 4 },
                ],
            });
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
            assert.deepStrictEqual(
                await stack(atlasClusterHasBackupSchedule, [cluster({ name: UNKNOWN }), schedule({ clusterName: "other" })]),
                [],
            );
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
});
