import * as assert from "assert";
import { backupPolicyItems, describeSchedule, MongoCluster } from "../infra/components/atlas";
import { BackupSettings } from "../infra/config";
import { runProgram } from "../tools/check/engine";
import { runStack, StackRun } from "./helpers/program";

const T = {
    project: "mongodbatlas:index/project:Project",
    cluster: "mongodbatlas:index/advancedCluster:AdvancedCluster",
    schedule: "mongodbatlas:index/cloudBackupSchedule:CloudBackupSchedule",
    compliance: "mongodbatlas:index/backupCompliancePolicy:BackupCompliancePolicy",
    alert: "mongodbatlas:index/alertConfiguration:AlertConfiguration",
};

const EMAIL = { typeName: "EMAIL", emailAddress: "devops@example.com", delayMin: 0, intervalMin: 60 };

describe("MongoCluster (infra/components/atlas.ts) in the program", () => {
    describe("staging stack", () => {
        let run: StackRun;
        before(async () => (run = await runStack("staging")));

        it("creates the project in the configured organization", () => {
            const p = run.one(T.project).properties;
            assert.strictEqual(p.orgId, "000000000000000000000001");
            assert.strictEqual(p.name, "continuity-staging");
        });

        it("runs a 3-node M10 replica set in us-west-2 with cloud backup and no termination protection", () => {
            const c = run.one(T.cluster);
            assert.strictEqual(c.properties.name, "continuity-staging");
            assert.strictEqual(c.properties.clusterType, "REPLICASET");
            assert.strictEqual(c.properties.backupEnabled, true);
            assert.strictEqual(c.properties.pitEnabled, false);
            assert.strictEqual(c.properties.terminationProtectionEnabled, false);
            assert.strictEqual(c.properties.retainBackupsEnabled, true);
            assert.strictEqual(c.properties.projectId, "continuity-staging-atlas-project-id");
            assert.deepStrictEqual(c.properties.replicationSpecs, [
                {
                    regionConfigs: [
                        {
                            providerName: "AWS",
                            regionName: "US_WEST_2",
                            priority: 7,
                            electableSpecs: { instanceSize: "M10", nodeCount: 3 },
                        },
                    ],
                },
            ]);
            assert.deepStrictEqual(c.properties.tags, {
                environment: "staging",
                tier: "database",
                role: "primary",
                "managed-by": "continuity",
                dataset: "continuity-staging",
                // The stack file's estimates, for the DR plan (policies/resilience reads these tags).
                "continuity-size-gib": "20",
                "continuity-daily-change-gib": "0.5",
            });
            assert.strictEqual(c.options.protect, undefined);
        });

        it("snapshots every 6 hours kept 7 days, all copied to us-east-1 without oplogs", () => {
            const s = run.one(T.schedule);
            assert.strictEqual(s.properties.clusterName, "continuity-staging");
            assert.deepStrictEqual(s.properties.policyItemHourly, { frequencyInterval: 6, retentionUnit: "days", retentionValue: 7 });
            assert.strictEqual(s.properties.policyItemWeeklies, undefined);
            assert.strictEqual(s.properties.policyItemMonthlies, undefined);
            assert.strictEqual(s.properties.policyItemDaily, undefined);
            assert.strictEqual(s.properties.restoreWindowDays, undefined);
            assert.strictEqual(s.properties.copyPolicyItemsEnabled, true);
            assert.deepStrictEqual(s.properties.copySettings, [
                {
                    cloudProvider: "AWS",
                    regionName: "US_EAST_1",
                    shouldCopyOplogs: false,
                    copyPolicyItems: [{ frequencyType: "hourly", retentionUnit: "days", retentionValue: 7 }],
                },
            ]);
            // Linked to the cluster through its name output: what the guard relies on.
            assert.deepStrictEqual(s.propertyDependencies.clusterName, [run.one(T.cluster).urn]);
        });

        it("has no Backup Compliance Policy", () => assert.deepStrictEqual(run.all(T.compliance), []));

        it("alerts on late, failed and uncopied snapshots, but not on oplogs it does not keep", () => {
            const byEvent = Object.fromEntries(run.all(T.alert).map((a) => [a.properties.eventType as string, a.properties]));
            assert.deepStrictEqual(byEvent.CPS_SNAPSHOT_BEHIND.thresholdConfig, { operator: "GREATER_THAN", threshold: 6, units: "HOURS" });
            assert.ok(byEvent.CPS_SNAPSHOT_FAILED && byEvent.CPS_COPY_SNAPSHOT_FAILED);
            assert.strictEqual(byEvent.CPS_OPLOG_BEHIND, undefined);
        });

        it("exports the schedule in words", () => {
            assert.strictEqual(run.outputs.atlasBackupSchedule, "every 6 hours kept 7 days; all copied to us-east-1");
            assert.strictEqual(run.outputs.atlasClusterName, "continuity-staging");
        });
    });

    describe("production stack", () => {
        let run: StackRun;
        before(async () => (run = await runStack("production")));

        it("runs a protected 3-node M30 replica set in eu-west-1 with point-in-time restore", () => {
            const c = run.one(T.cluster);
            assert.strictEqual(c.properties.pitEnabled, true);
            assert.strictEqual(c.properties.terminationProtectionEnabled, true);
            assert.deepStrictEqual((c.properties.replicationSpecs as any)[0].regionConfigs[0], {
                providerName: "AWS",
                regionName: "EU_WEST_1",
                priority: 7,
                electableSpecs: { instanceSize: "M30", nodeCount: 3 },
            });
            assert.strictEqual(c.options.protect, true);
            assert.strictEqual(run.one(T.project).options.protect, true);
            assert.strictEqual(run.one(T.schedule).options.protect, true);
        });

        it("adds a weekly snapshot on Saturday (Atlas day 6) kept 4 weeks, and copies everything with oplogs to eu-central-1", () => {
            const s = run.one(T.schedule).properties;
            assert.deepStrictEqual(s.policyItemHourly, { frequencyInterval: 6, retentionUnit: "days", retentionValue: 7 });
            assert.deepStrictEqual(s.policyItemWeeklies, [{ frequencyInterval: 6, retentionUnit: "weeks", retentionValue: 4 }]);
            assert.strictEqual(s.restoreWindowDays, 7);
            assert.deepStrictEqual(s.copySettings, [
                {
                    cloudProvider: "AWS",
                    regionName: "EU_CENTRAL_1",
                    shouldCopyOplogs: true,
                    copyPolicyItems: [
                        { frequencyType: "hourly", retentionUnit: "days", retentionValue: 7 },
                        { frequencyType: "weekly", retentionUnit: "weeks", retentionValue: 4 },
                    ],
                },
            ]);
            const copyRegion = (s.copySettings as any)[0].regionName;
            const clusterRegion = (run.one(T.cluster).properties.replicationSpecs as any)[0].regionConfigs[0].regionName;
            assert.notStrictEqual(copyRegion, clusterRegion);
        });

        it("enables a Backup Compliance Policy mirroring the schedule, with copy protection", () => {
            const cp = run.one(T.compliance);
            assert.strictEqual(cp.properties.projectId, "continuity-production-atlas-project-id");
            assert.strictEqual(cp.properties.authorizedEmail, "security@example.com");
            assert.strictEqual(cp.properties.authorizedUserFirstName, "Dana");
            assert.strictEqual(cp.properties.authorizedUserLastName, "Example");
            assert.strictEqual(cp.properties.copyProtectionEnabled, true);
            assert.strictEqual(cp.properties.pitEnabled, true);
            assert.strictEqual(cp.properties.restoreWindowDays, 7);
            assert.deepStrictEqual(cp.properties.policyItemHourly, { frequencyInterval: 6, retentionUnit: "days", retentionValue: 7 });
            assert.deepStrictEqual(cp.properties.policyItemWeeklies, [{ frequencyInterval: 6, retentionUnit: "weeks", retentionValue: 4 }]);
            assert.deepStrictEqual(cp.properties.onDemandPolicyItem, { frequencyInterval: 0, retentionUnit: "days", retentionValue: 7 });
            assert.ok(cp.dependencies.includes(run.one(T.schedule).urn));
        });

        it("alerts the DevOps channel on failed, late or uncopied snapshots, late oplogs, failed restores, replication lag and elections", () => {
            const alerts = run.all(T.alert);
            const byEvent = Object.fromEntries(alerts.map((a) => [a.properties.eventType as string, a.properties]));
            assert.deepStrictEqual(alerts.map((a) => a.name.replace("continuity-production-atlas-alert-", "")).sort(), [
                "copy-snapshot-failed",
                "no-primary",
                "oplog-behind",
                "primary-elected",
                "replication-lag",
                "restore-failed",
                "snapshot-behind",
                "snapshot-failed",
                "snapshot-fallback-failed",
            ]);
            assert.deepStrictEqual(Object.keys(byEvent).sort(), [
                "CPS_COPY_SNAPSHOT_FAILED",
                "CPS_OPLOG_BEHIND",
                "CPS_RESTORE_FAILED",
                "CPS_SNAPSHOT_BEHIND",
                "CPS_SNAPSHOT_FAILED",
                "CPS_SNAPSHOT_FALLBACK_FAILED",
                "NO_PRIMARY",
                "OUTSIDE_METRIC_THRESHOLD",
                "PRIMARY_ELECTED",
            ]);
            for (const a of alerts) {
                assert.strictEqual(a.properties.enabled, true);
                assert.strictEqual(a.properties.projectId, "continuity-production-atlas-project-id");
                assert.deepStrictEqual(a.properties.notifications, [EMAIL]);
            }
            // Atlas refuses the threshold alerts of cloud backup without a time threshold.
            assert.deepStrictEqual(byEvent.CPS_SNAPSHOT_BEHIND.thresholdConfig, { operator: "GREATER_THAN", threshold: 6, units: "HOURS" });
            assert.deepStrictEqual(byEvent.CPS_OPLOG_BEHIND.thresholdConfig, { operator: "GREATER_THAN", threshold: 60, units: "MINUTES" });
            for (const event of [
                "CPS_SNAPSHOT_FAILED",
                "CPS_SNAPSHOT_FALLBACK_FAILED",
                "CPS_COPY_SNAPSHOT_FAILED",
                "CPS_RESTORE_FAILED",
                "NO_PRIMARY",
            ]) {
                assert.strictEqual(byEvent[event].thresholdConfig, undefined, event);
                assert.strictEqual(byEvent[event].metricThresholdConfig, undefined, event);
            }
            assert.deepStrictEqual(byEvent.OUTSIDE_METRIC_THRESHOLD.metricThresholdConfig, {
                metricName: "OPLOG_SLAVE_LAG_MASTER_TIME",
                operator: "GREATER_THAN",
                threshold: 60,
                units: "SECONDS",
                mode: "AVERAGE",
            });
            assert.deepStrictEqual(byEvent.PRIMARY_ELECTED.matchers, [
                { fieldName: "CLUSTER_NAME", operator: "EQUALS", value: "continuity-production" },
            ]);
        });

        it("sends Atlas alerts to the secret webhook as well, kept secret on the wire", async () => {
            const withHook = await runStack("production", { secrets: { "continuity:alertWebhookUrl": "https://hooks.example.com/x" } });
            const notifications = withHook.all(T.alert)[0].properties.notifications as any[];
            assert.strictEqual(notifications.length, 2);
            assert.strictEqual(notifications[1].typeName, "WEBHOOK");
            // The SDK's secret signature: the engine and the analyzer see it as a secret.
            assert.strictEqual(notifications[1].webhookUrl["4dabf18193072939515e22adb298388d"], "1b47061264138c4ac30d75fd1eb44270");
            assert.strictEqual(notifications[1].webhookUrl.value, "https://hooks.example.com/x");
        });

        it("exports the schedule in words", () => {
            assert.strictEqual(
                run.outputs.atlasBackupSchedule,
                "every 6 hours kept 7 days; weekly on saturday kept 4 weeks; all copied to eu-central-1 with oplogs (point-in-time restore)",
            );
        });
    });

    it("uses an existing project when given its id, and creates none", async () => {
        const run = await runStack("staging", {
            edit: (c) => {
                delete c.atlas.orgId;
                c.atlas.projectId = "0123456789abcdef01234567";
            },
        });
        assert.deepStrictEqual(run.all(T.project), []);
        assert.strictEqual(run.one(T.cluster).properties.projectId, "0123456789abcdef01234567");
        assert.strictEqual(run.one(T.schedule).properties.projectId, "0123456789abcdef01234567");
    });

    it("stops on a bad config before declaring any resource", async () => {
        await assert.rejects(runStack("staging", { edit: (c) => (c.atlas.backup.snapshotIntervalHours = 5) }), (e: Error) => {
            assert.match(e.message, /continuity:atlas\.backup\.snapshotIntervalHours must be one of 1, 2, 4, 6, 8, 12 \(got 5\)/);
            return true;
        });
    });

    describe("schedule items", () => {
        const backup: BackupSettings = {
            snapshotIntervalHours: 4,
            retentionDays: 7,
            referenceHourOfDay: 1,
            referenceMinuteOfHour: 30,
            daily: { retentionDays: 14 },
            weekly: { day: "sunday", retentionWeeks: 8 },
            monthly: { dayOfMonth: "last", retentionMonths: 12 },
            copyRegion: "us-east-1",
        };

        it("maps every configured item to Atlas's numbering", () => {
            assert.deepStrictEqual(backupPolicyItems(backup), [
                { frequencyType: "hourly", frequencyInterval: 4, retentionUnit: "days", retentionValue: 7 },
                { frequencyType: "daily", frequencyInterval: 1, retentionUnit: "days", retentionValue: 14 },
                { frequencyType: "weekly", frequencyInterval: 7, retentionUnit: "weeks", retentionValue: 8 },
                { frequencyType: "monthly", frequencyInterval: 40, retentionUnit: "months", retentionValue: 12 },
            ]);
            assert.strictEqual(
                describeSchedule(backup, false),
                "every 4 hours kept 7 days; daily kept 14 days; weekly on sunday kept 8 weeks; monthly on the last day kept 12 months; all copied to us-east-1",
            );
        });

        it("copies every item, daily and monthly included", async () => {
            const run = await runProgram({
                project: "continuity",
                stack: "unit",
                config: {},
                preview: false,
                program: () => {
                    new MongoCluster("db", {
                        projectId: "0123456789abcdef01234567",
                        clusterName: "db",
                        region: "us-west-2",
                        backup,
                        alerts: { emails: ["a@example.com"] },
                    });
                },
            });
            const s = run.resources.find((r) => r.type === T.schedule)!.properties as any;
            assert.deepStrictEqual(s.policyItemDaily, { frequencyInterval: 1, retentionUnit: "days", retentionValue: 14 });
            assert.deepStrictEqual(s.policyItemMonthlies, [{ frequencyInterval: 40, retentionUnit: "months", retentionValue: 12 }]);
            assert.deepStrictEqual(
                s.copySettings[0].copyPolicyItems.map((i: any) => i.frequencyType),
                ["hourly", "daily", "weekly", "monthly"],
            );
        });
    });

    describe("argument checks", () => {
        const base = {
            clusterName: "db",
            region: "us-west-2" as const,
            backup: {
                snapshotIntervalHours: 6,
                retentionDays: 7,
                referenceHourOfDay: 3,
                referenceMinuteOfHour: 0,
                copyRegion: "us-east-1" as const,
            },
            alerts: { emails: ["a@example.com"] },
        };
        const construct = (args: object) => () =>
            runProgram({
                project: "continuity",
                stack: "unit",
                config: {},
                preview: false,
                program: () => new MongoCluster("db", { ...base, ...args } as any),
            });

        it("rejects projectId with orgId, naming both", async () => {
            await assert.rejects(construct({ projectId: "p", orgId: "o" }), {
                message: "MongoCluster 'db': projectId and orgId conflict; give projectId to use a project, or orgId to create one.",
            });
        });
        it("rejects fewer than 3 electable nodes", async () => {
            await assert.rejects(construct({ projectId: "p", electableNodes: 2 }), {
                message: "MongoCluster 'db': electableNodes must be an odd number of at least 3 (got 2).",
            });
        });
        it("rejects a copy region equal to the cluster's", async () => {
            await assert.rejects(construct({ projectId: "p", backup: { ...base.backup, copyRegion: "us-west-2" } }), {
                message:
                    "MongoCluster 'db': backup.copyRegion must differ from region (both us-west-2); a copy in the cluster's own region does not survive its loss.",
            });
        });
        it("rejects an alert channel that reaches nobody", async () => {
            await assert.rejects(construct({ projectId: "p", alerts: { emails: [] } }), {
                message: "MongoCluster 'db': alerts must name at least one e-mail address or a webhook.",
            });
        });
    });
});
