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
