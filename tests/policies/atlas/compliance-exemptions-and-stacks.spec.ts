import * as assert from "assert";
import {
    atlasBackupCompliancePolicy,
    atlasBackupCopyToOtherRegion,
    atlasCloudBackupEnabled,
    atlasClusterHasBackupSchedule,
    atlasClusterMinElectableNodes,
    atlasPointInTimeRestore,
    atlasSnapshotInterval,
    atlasSnapshotRetention,
    AtlasTypes,
    atlasWeeklySnapshot,
} from "../../../policies/atlas";
import { checkStack, fromRecorded, TestResource, UNKNOWN, urnOf } from "../../helpers/policy";
import { runStack } from "../../helpers/program";
import { Props, cluster, HOURLY, schedule, compliance, legacyCluster, resource, stack, guard } from "./fixtures";

describe("Atlas policies (policies/atlas.ts)", () => {
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
            assert.deepStrictEqual(
                await stack(atlasBackupCompliancePolicy, [cluster(), unprotected], { requireCopyProtection: false }),
                [],
            );
            assert.deepStrictEqual(
                await stack(atlasBackupCompliancePolicy, [cluster(), compliance({ copyProtectionEnabled: UNKNOWN })]),
                [],
            );
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
        const single = {
            replicationSpecs: [{ regionConfigs: [{ regionName: "US_WEST_2", priority: 7, electableSpecs: { nodeCount: 1 } }] }],
        };
        const oneNode =
            "The Atlas cluster 'db' has 1 electable node; this environment requires at least 3 so that losing a node keeps a majority.";
        const reasonless = (policy: string, what: string) =>
            `The exemption from '${policy}' for ${what} gives no reason; an exemption needs one, so this one exempts nothing.`;

        it("cluster rules leave out a cluster tagged continuity-dr = none with a reason, and judge it without one", async () => {
            assert.deepStrictEqual(await resource(atlasClusterMinElectableNodes, tagged(EXEMPT, single)), []);
            assert.deepStrictEqual(await resource(atlasCloudBackupEnabled, tagged(EXEMPT, { backupEnabled: false })), []);
            assert.deepStrictEqual(await resource(atlasPointInTimeRestore, tagged(EXEMPT, { pitEnabled: false })), []);
            assert.deepStrictEqual(await resource(atlasClusterMinElectableNodes, tagged([EXEMPT[0]], single)), [oneNode]);
            assert.deepStrictEqual(
                await resource(atlasCloudBackupEnabled, { ...legacyCluster({ cloudBackup: false, tags: [EXEMPT[0]] }) }),
                ["The Atlas cluster 'legacy' has cloud backup off (cloudBackup is not true); every cluster must take cloud backups."],
            );
        });
        it("cluster rules take an unknown tag as no exemption", async () => {
            const unknownReason = tagged([EXEMPT[0], { key: "continuity-dr-reason", value: UNKNOWN }], single);
            assert.deepStrictEqual(await resource(atlasClusterMinElectableNodes, unknownReason), [oneNode]);
        });
        it("cluster rules honour their exemptions setting, and report a reasonless entry on the cluster it names", async () => {
            const entry = { type: ADVANCED, name: "db" };
            assert.deepStrictEqual(
                await resource(atlasClusterMinElectableNodes, cluster(single), { exemptions: [{ ...entry, reason: "reporting replica" }] }),
                [],
            );
            assert.deepStrictEqual(await resource(atlasClusterMinElectableNodes, cluster(single), { exemptions: [entry] }), [
                reasonless("atlas-cluster-min-electable-nodes", `type ${ADVANCED}, name db`),
                oneNode,
            ]);
            assert.deepStrictEqual(await resource(atlasClusterMinElectableNodes, cluster(single), { exemptions: [{ name: "other" }] }), [
                oneNode,
            ]);
            assert.deepStrictEqual(
                await resource(atlasPointInTimeRestore, cluster({ pitEnabled: false }), {
                    exemptions: [{ urn: "*::db", reason: "reporting replica" }],
                }),
                [],
            );
            assert.deepStrictEqual(
                await resource(atlasCloudBackupEnabled, legacyCluster({ cloudBackup: false }), {
                    exemptions: [{ name: "leg*", reason: "reporting replica" }],
                }),
                [],
            );
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
            const none =
                "The Atlas cluster 'db' has no backup schedule (mongodbatlas.CloudBackupSchedule) in this stack; every cluster needs one that sets its snapshots and their copies in another region.";
            assert.deepStrictEqual(await stack(atlasClusterHasBackupSchedule, [cluster()]), [none]);
            assert.deepStrictEqual(await stack(atlasClusterHasBackupSchedule, [tagged(EXEMPT)]), []);
            assert.deepStrictEqual(
                await stack(atlasClusterHasBackupSchedule, [cluster()], { exemptions: [{ type: ADVANCED, reason: "scratch clusters" }] }),
                [],
            );
            assert.deepStrictEqual(
                await stack(atlasClusterHasBackupSchedule, [cluster(), legacyCluster()], { exemptions: [{ type: ADVANCED }] }),
                [
                    reasonless("atlas-cluster-has-backup-schedule", `type ${ADVANCED}`),
                    none,
                    "The Atlas cluster 'legacy' has no backup schedule (mongodbatlas.CloudBackupSchedule) in this stack; every cluster needs one that sets its snapshots and their copies in another region.",
                ],
            );
        });
        it("atlas-backup-copy-to-other-region leaves out the schedule of an exempt cluster, and a schedule the setting names", async () => {
            const noCopy = schedule({ copySettings: [] });
            const message =
                "The Atlas backup schedule 'db-backup' copies no snapshots to a region other than its cluster's (US_WEST_2); every snapshot needs a copy in another region.";
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [cluster(), noCopy]), [message]);
            assert.deepStrictEqual(await stack(atlasBackupCopyToOtherRegion, [tagged(EXEMPT), noCopy]), []);
            assert.deepStrictEqual(
                await stack(atlasBackupCopyToOtherRegion, [cluster(), noCopy], { exemptions: [{ name: "db", reason: "scratch" }] }),
                [],
            );
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
            const found = await mutate(
                (rs) => ((find(rs, AtlasTypes.backupSchedule).props.copySettings as any)[0].regionName = "EU_WEST_1"),
            );
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
                (rs) =>
                    ((find(rs, AtlasTypes.advancedCluster).props.replicationSpecs as any)[0].regionConfigs[0].electableSpecs.nodeCount = 2),
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
            assert.deepStrictEqual(
                found.map((f) => f.policy),
                ["atlas-cluster-has-backup-schedule"],
            );
        });
    });
});
