import * as assert from "assert";
import { atlasBackupCopyToOtherRegion } from "../../../policies/atlas";
import { checkStack, UNKNOWN, urnOf } from "../../helpers/policy";
import { cluster, copy, schedule, legacyCluster, stack } from "./fixtures";

describe("Atlas policies (policies/atlas.ts)", () => {
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
            assert.deepStrictEqual(
                await stack(atlasBackupCopyToOtherRegion, [cluster(), schedule({ copySettings: [copy({ regionName: "US_WEST_2" })] })]),
                [
                    "The Atlas backup schedule 'db-backup' copies no snapshots to a region other than its cluster's (US_WEST_2); every snapshot needs a copy in another region.",
                ],
            );
        });
        it("rejects copies that leave a policy item behind", async () => {
            const partial = schedule({
                copySettings: [copy({ copyPolicyItems: [{ frequencyType: "hourly", retentionUnit: "days", retentionValue: 7 }] })],
            });
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [cluster(), partial]), [
                "The Atlas backup schedule 'db-backup' does not copy its weekly snapshots to another region; every policy item needs a copy (its copies to US_EAST_1 cover hourly).",
            ]);
        });
        it("reads the deprecated `frequencies` form of a hand-written schedule", async () => {
            const legacy = schedule({
                copyPolicyItemsEnabled: false,
                copySettings: [copy({ copyPolicyItems: undefined, frequencies: ["HOURLY"] })],
            });
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [cluster(), legacy]), [
                "The Atlas backup schedule 'db-backup' does not copy its weekly snapshots to another region; every policy item needs a copy (its copies to US_EAST_1 cover hourly).",
            ]);
            const full = schedule({
                copyPolicyItemsEnabled: false,
                copySettings: [copy({ copyPolicyItems: undefined, frequencies: ["HOURLY", "WEEKLY"] })],
            });
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
            assert.deepStrictEqual(
                await stack(atlasBackupCopyToOtherRegion, [cluster(), schedule({ copySettings: [copy({ regionName: UNKNOWN })] })]),
                [],
            );
        });
        it("finds the cluster of a schedule whose cluster name is unknown through its clusterName dependency", async () => {
            const c = cluster();
            const s = schedule(
                { clusterName: UNKNOWN, copySettings: [copy({ regionName: "US_WEST_2" })] },
                { propertyDependencies: { clusterName: [urnOf(c)] } },
            );
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
            assert.deepStrictEqual(
                await stack(atlasBackupCopyToOtherRegion, [cluster(), schedule({ clusterName: UNKNOWN, copySettings: [] })]),
                [
                    "The Atlas backup schedule 'db-backup' copies no snapshots to a region other than its cluster's; every snapshot needs a copy in another region.",
                ],
            );
        });
        it("compares with no region when the cluster's regions are unknown at preview", async () => {
            const c = cluster({
                replicationSpecs: [{ regionConfigs: [{ regionName: UNKNOWN, priority: 7, electableSpecs: { nodeCount: 3 } }] }],
            });
            assert.deepStrictEqual(
                await stack(atlasBackupCopyToOtherRegion, [c, schedule({ copySettings: [copy({ regionName: "US_WEST_2" })] })]),
                [],
            );
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
            const other = {
                ...cluster({
                    name: "db2",
                    replicationSpecs: [{ regionConfigs: [{ regionName: "EU_WEST_1", priority: 7, electableSpecs: { nodeCount: 3 } }] }],
                }),
                name: "db2",
            };
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
            assert.deepStrictEqual(
                await stack(atlasBackupCopyToOtherRegion, [cluster(), schedule({ copySettings: [copy({ regionName: undefined })] })]),
                [
                    "The Atlas backup schedule 'db-backup' copies no snapshots to a region other than its cluster's (US_WEST_2); every snapshot needs a copy in another region.",
                ],
            );
        });
        it("leaves a cluster's region configs without a region name out of the regions it names", async () => {
            const advanced = cluster({
                replicationSpecs: [
                    {
                        regionConfigs: [
                            { priority: 7, electableSpecs: { nodeCount: 3 } },
                            { regionName: "US_WEST_2", priority: 6, electableSpecs: { nodeCount: 2 } },
                        ],
                    },
                ],
            });
            const legacy = legacyCluster({
                providerRegionName: undefined,
                replicationSpecs: [
                    {
                        numShards: 1,
                        regionsConfigs: [
                            { electableNodes: 3, priority: 7 },
                            { regionName: "US_WEST_2", electableNodes: 2, priority: 6 },
                        ],
                    },
                ],
            });
            const none =
                "The Atlas backup schedule 'db-backup' copies no snapshots to a region other than its cluster's (US_WEST_2); every snapshot needs a copy in another region.";
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [advanced, schedule({ copySettings: [] })]), [none]);
            assert.deepStrictEqual(
                await stack(atlasBackupCopyToOtherRegion, [legacy, schedule({ clusterName: "legacy", copySettings: [] })]),
                [none],
            );
            const regionless = legacyCluster({ providerRegionName: undefined });
            assert.deepStrictEqual(
                await stack(atlasBackupCopyToOtherRegion, [regionless, schedule({ clusterName: "legacy", copySettings: [] })]),
                [
                    "The Atlas backup schedule 'db-backup' copies no snapshots to a region other than its cluster's; every snapshot needs a copy in another region.",
                ],
            );
        });
        it("does not fail a preview on copy settings, copy items or the copy-items switch that are unknown", async () => {
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [cluster(), schedule({ copySettings: UNKNOWN })]), []);
            assert.deepStrictEqual(
                await stack(atlasBackupCopyToOtherRegion, [cluster(), schedule({ copySettings: [copy({ copyPolicyItems: UNKNOWN })] })]),
                [],
            );
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
            const frequencies = (fs: string[]) =>
                schedule({ ...all, copySettings: [copy({ copyPolicyItems: undefined, frequencies: fs })] });
            assert.deepStrictEqual(
                await stack(atlasBackupCopyToOtherRegion, [cluster(), frequencies(["HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"])]),
                [],
            );
            assert.deepStrictEqual(
                await stack(atlasBackupCopyToOtherRegion, [cluster(), frequencies(["hourly", "Daily", "weekly", "monthly", "YEARLY"])]),
                [],
            );
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
            const s = schedule({
                copySettings: [
                    copy({ regionName: UNKNOWN, copyPolicyItems: [{ frequencyType: "hourly", retentionUnit: "days", retentionValue: 7 }] }),
                ],
            });
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [cluster(), s]), [
                "The Atlas backup schedule 'db-backup' does not copy its weekly snapshots to another region; every policy item needs a copy (its copies to an unknown region cover hourly).",
            ]);
        });
        it("adds up the frequencies of all copies elsewhere and lists them, leaving out a copy into the cluster's own region", async () => {
            const daily = { frequencyInterval: 1, retentionUnit: "days", retentionValue: 7 };
            const s = schedule({
                policyItemDaily: daily,
                copySettings: [
                    copy({
                        regionName: "US_WEST_2",
                        copyPolicyItems: [{ frequencyType: "weekly", retentionUnit: "weeks", retentionValue: 4 }],
                    }),
                    copy({ copyPolicyItems: [{ frequencyType: "hourly", retentionUnit: "days", retentionValue: 7 }] }),
                    copy({
                        regionName: "EU_WEST_1",
                        copyPolicyItems: [{ frequencyType: "daily", retentionUnit: "days", retentionValue: 7 }],
                    }),
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
            assert.deepStrictEqual(
                await stack(atlasBackupCopyToOtherRegion, [cluster(), schedule({ copySettings: [copy({ copyPolicyItems: [] })] })]),
                expected,
            );
            assert.deepStrictEqual(
                await stack(atlasBackupCopyToOtherRegion, [cluster(), schedule({ copySettings: [copy({ copyPolicyItems: undefined })] })]),
                expected,
            );
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
});
