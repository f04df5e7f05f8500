import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { CheckResult, runCheck } from "../../../tools/check/check";
import { renderHuman } from "../../../tools/check/report";
import { policies as packPolicies } from "../../../policies/pack";
import { ROOT } from "../../helpers/program";
import { inBackground, runTool } from "../../helpers/process";
import { PACK, FIXTURES, ours } from "./fixtures";

const count = (r: CheckResult, type: string) => r.resources.filter((x) => x.type === type).length;
/**
 * A tier's own diagnostics: the hand-written fixtures of one tier also lack the cross-tier alerts and protection, which
 * their own fixtures cover.
 */
const tier = (r: CheckResult, prefix: string) => ours(r).diagnostics.filter((d) => d.policyName.startsWith(`${prefix}-`));

// The check as a separate process, started when this file loads, in the background queue.
const file = path.join(require("os").tmpdir(), "continuity-bad-policy-config.json");
fs.writeFileSync(file, JSON.stringify({ "atlas-snapshot-interval": { maxSnapshotIntervalHours: "six" } }));
const wrongType = inBackground(() => runTool("check", ["--stack", "staging", "--policy-pack", "policies", "--policy-pack-config", file]));

describe("npm run check (tools/check)", () => {
    describe("the program's stacks", () => {
        const results: Record<string, CheckResult> = {};
        before(async () => {
            for (const stack of ["staging", "production"]) {
                results[stack] = await runCheck({
                    projectDir: ROOT,
                    stack,
                    packs: [{ dir: PACK, configFile: path.join(PACK, "config", `${stack}.json`) }],
                });
            }
        });

        it("staging: the expected resources, no mandatory violation", () => {
            const r = results.staging;
            assert.strictEqual(count(r, "mongodbatlas:index/advancedCluster:AdvancedCluster"), 1);
            assert.strictEqual(count(r, "mongodbatlas:index/cloudBackupSchedule:CloudBackupSchedule"), 1);
            assert.strictEqual(count(r, "mongodbatlas:index/backupCompliancePolicy:BackupCompliancePolicy"), 0);
            assert.strictEqual(count(r, "mongodbatlas:index/alertConfiguration:AlertConfiguration"), 8); // snapshot behind, failed, fallback failed, copy failed, restore failed, primary elected, no primary, replication lag (no oplog alert: no point-in-time restore in staging)
            assert.strictEqual(count(r, "aws:sns/topic:Topic"), 2); // the alert channel, and its us-east-1 twin for the uptime alarm
            assert.deepStrictEqual(
                r.resources.filter((x) => x.type.startsWith("pulumi:providers:")).map((x) => x.type),
                ["pulumi:providers:aws", "pulumi:providers:mongodbatlas", "pulumi:providers:pulumi-nodejs"],
            );
            assert.deepStrictEqual(
                ours(r).diagnostics.filter((d) => d.enforcementLevel === "mandatory"),
                [],
            );
        });

        it("production: the compliance policy too, no mandatory violation", () => {
            const r = results.production;
            assert.strictEqual(count(r, "mongodbatlas:index/backupCompliancePolicy:BackupCompliancePolicy"), 1);
            // 166 registrations + 3 default providers (aws, mongodbatlas, the dynamic provider's)
            assert.strictEqual(r.resources.length, 169);
            assert.strictEqual(count(r, "continuity:storage:BucketBackup"), 3); // uploads, exports, search snapshots
            assert.strictEqual(count(r, "aws:opensearch/domain:Domain"), 1);
            assert.strictEqual(count(r, "aws:ecs/service:Service"), 1);
            assert.strictEqual(count(r, "aws:ec2/subnet:Subnet"), 6);
            assert.deepStrictEqual(
                ours(r).diagnostics.filter((d) => d.enforcementLevel === "mandatory"),
                [],
            );
        });

        it("sends the engine's unknowns: the created project's id is unknown at preview", () => {
            const cluster = results.production.resources.find((x) => x.type === "mongodbatlas:index/advancedCluster:AdvancedCluster")!;
            assert.strictEqual(cluster.properties.projectId, "04da6b54-80e4-46f7-96ec-b56ff0331ba9");
            assert.deepStrictEqual(cluster.provider, {
                type: "pulumi:providers:mongodbatlas",
                name: "default_4_16_0",
                urn: "urn:pulumi:production::continuity::pulumi:providers:mongodbatlas::default_4_16_0",
                properties: { version: "4.16.0" },
            });
            const topic = results.production.resources.find((x) => x.type === "aws:sns/topic:Topic")!;
            assert.deepStrictEqual(topic.provider?.properties, { region: "eu-west-1", version: "7.48.0" });
        });

        it("lists every policy of the pack, sorted by name as the CLI sorts them, with level and settings", () => {
            const policies = ours(results.production).info.policies;
            assert.deepStrictEqual(
                policies.map((p) => [p.name, p.enforcementLevel, Object.keys(p.configSchema?.properties ?? {}).sort()]),
                // As the pack declares them, through GetAnalyzerInfo: sorted by name, levels and setting names intact.
                packPolicies
                    .map((p) => [p.name, p.enforcementLevel, Object.keys(p.configSchema?.properties ?? {}).sort()])
                    .sort(([x], [y]) => String(x).localeCompare(String(y))),
            );
            assert.strictEqual(policies.length, 56);
            assert.deepStrictEqual(policies.find((p) => p.name === "storage-dr-copy")!.configSchema!.properties.exemptions.default, []);
            assert.deepStrictEqual(
                policies.find((p) => p.name === "atlas-snapshot-interval")!.configSchema!.properties.maxSnapshotIntervalHours,
                {
                    type: "integer",
                    minimum: 1,
                    default: 6,
                },
            );
        });

        it("refuses a config value of the wrong type with the file and the schema's words", async () => {
            const r = await wrongType;
            assert.strictEqual(r.status, 2);
            assert.strictEqual(
                r.stderr.trim(),
                `${file}: invalid policy config for policy pack "continuity-guard"\n  - atlas-snapshot-interval: maxSnapshotIntervalHours: Invalid type. Expected: integer, given: string`,
            );
        });

        it("renders a preview-like tree under the stack", () => {
            const text = renderHuman(results.staging, ROOT);
            assert.match(text, / \+   pulumi:pulumi:Stack\s+continuity-staging\n/);
            assert.match(text, / \+   └─ continuity:index:Continuity\s+continuity-staging\n/);
            assert.match(text, / \+      ├─ continuity:alerting:Alerting\s+continuity-staging-alerts\n/);
            assert.match(text, /✓ continuity-guard@v0\.1\.0 \(local: policies, config policies\/config\/staging\.json\)/);
            assert.match(text, /Check passed: 140 resources to create; 1 pack, 56 policies, 0 mandatory violations, 0 advisory/);
        });
    });

    it("hands the pack unknowns as the engine does: a created project's id cannot be read at preview", async () => {
        const r = await runCheck({
            projectDir: ROOT,
            stack: "production",
            packs: [{ dir: path.join(FIXTURES, "packs", "echo-unknowns") }],
        });
        assert.deepStrictEqual(
            r.packs[0].diagnostics.map((d) => [d.enforcementLevel, d.message.split("\n").slice(-1)[0]]),
            [
                ["advisory", "name=continuity-production"],
                [
                    "advisory",
                    "can't run policy 'echo-cluster' from policy pack 'fixture-echo-unknowns@v0.0.1' during preview: string value at .projectId can't be known during preview",
                ],
            ],
        );
    });

    it("rejects hand-written Atlas resources with the same verdicts as the policies' unit tests", async () => {
        const r = await runCheck({
            projectDir: path.join(FIXTURES, "programs", "atlas-handwritten"),
            stack: "test",
            packs: [{ dir: PACK, configFile: path.join(PACK, "config", "staging.json") }],
        });
        const urn = (type: string, name: string) => `urn:pulumi:test::atlas-handwritten::${type}::${name}`;
        const cluster = urn("mongodbatlas:index/advancedCluster:AdvancedCluster", "orders");
        const schedule = urn("mongodbatlas:index/cloudBackupSchedule:CloudBackupSchedule", "orders-backup");
        const legacy = urn("mongodbatlas:index/cluster:Cluster", "legacy");
        const found = tier(r, "atlas").map((d) => [d.policyName, d.enforcementLevel, d.urn, d.message.split("\n").slice(1).join("\n")]);
        // Resource policies in registration order (the schedule waits for the cluster's name), then stack policies.
        assert.deepStrictEqual(found, [
            [
                "atlas-cluster-min-electable-nodes",
                "mandatory",
                cluster,
                "The Atlas cluster 'orders' has 2 electable nodes; this environment requires at least 3 so that losing a node keeps a majority.",
            ],
            [
                "atlas-cloud-backup-enabled",
                "mandatory",
                legacy,
                "The Atlas cluster 'legacy' has cloud backup off (cloudBackup is not true); every cluster must take cloud backups.",
            ],
            [
                "atlas-snapshot-interval",
                "mandatory",
                schedule,
                "The Atlas backup schedule 'orders-backup' takes a snapshot every 12 hours at best; this environment requires one at least every 6 hours.",
            ],
            [
                "atlas-snapshot-retention",
                "mandatory",
                schedule,
                "The Atlas backup schedule 'orders-backup' keeps hourly snapshots 3 days; this environment requires at least 7 days.",
            ],
            [
                "atlas-cluster-has-backup-schedule",
                "mandatory",
                legacy,
                "The Atlas cluster 'legacy' has no backup schedule (mongodbatlas.CloudBackupSchedule) in this stack; every cluster needs one that sets its snapshots and their copies in another region.",
            ],
            [
                "atlas-backup-copy-to-other-region",
                "mandatory",
                schedule,
                "The Atlas backup schedule 'orders-backup' copies no snapshots to a region other than its cluster's (US_WEST_2); every snapshot needs a copy in another region.",
            ],
        ]);
    });

    it("rejects hand-written buckets each breaking one storage rule, linked through dependencies at preview", async () => {
        const r = await runCheck({
            projectDir: path.join(FIXTURES, "programs", "storage-violations"),
            stack: "test",
            packs: [{ dir: PACK, configFile: path.join(PACK, "config", "staging.json") }],
        });
        const urn = (type: string, name: string) => `urn:pulumi:test::storage-violations::${type}::${name}`;
        const bucket = (name: string) => urn("aws:s3/bucket:Bucket", name);
        assert.deepStrictEqual(
            tier(r, "storage").map((d) => [d.policyName, d.urn, d.message.split("\n").slice(1).join("\n")]),
            [
                [
                    "storage-dr-copy",
                    bucket("orphan-data"),
                    "The data bucket 'orphan-data' has no copy in another region (S3 replication, a DataSync task or an AWS Backup copy action): no AWS Backup plan of the stack selects it; this environment requires one.",
                ],
                [
                    "storage-dr-copy",
                    bucket("same-region-data"),
                    "The DR copy of data bucket 'same-region-data' goes to 'same-region-dr' in us-west-2, the bucket's own region; the copy must be in another region.",
                ],
                [
                    "storage-dr-copy",
                    urn("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "standard-replication"),
                    "The DR copy of data bucket 'standard-data' by 'standard-replication' is stored as STANDARD; this environment requires one of DEEP_ARCHIVE, GLACIER.",
                ],
                [
                    "storage-dr-copy",
                    urn("aws:datasync/task:Task", "monthly-copy"),
                    "The DataSync task 'monthly-copy' copying data bucket 'monthly-data' runs cron(0 4 1 * ? *), up to 31 days apart; this environment requires a copy at least every 7 days.",
                ],
                [
                    "storage-dr-object-lock",
                    bucket("unlocked-dr"),
                    "The DR copy bucket 'unlocked-dr' has no Object Lock (objectLockEnabled is not true); this environment requires it so that no one can delete the copies early.",
                ],
            ],
        );
    });

    it("rejects hand-written domains each breaking one search rule: 2 data nodes, one zone, no replicas, weekly snapshots, no copy", async () => {
        const r = await runCheck({
            projectDir: path.join(FIXTURES, "programs", "search-violations"),
            stack: "test",
            packs: [{ dir: PACK, configFile: path.join(PACK, "config", "staging.json") }],
        });
        const urn = (type: string, name: string) => `urn:pulumi:test::search-violations::${type}::${name}`;
        const domain = (name: string) => urn("aws:opensearch/domain:Domain", name);
        const rest = (kind: string, name: string) => urn(`pulumi-nodejs:dynamic/opensearch:${kind}`, name);
        // Resource policies report in the order resources finish registering, which unrelated domains do not fix.
        const byPolicy = (rows: string[][]) => rows.sort((a, b) => a[0].localeCompare(b[0]));
        assert.deepStrictEqual(
            byPolicy(tier(r, "search").map((d) => [d.policyName, d.urn!, d.message.split("\n").slice(1).join("\n")])),
            byPolicy([
                [
                    "search-domain-zone-awareness",
                    domain("one-zone"),
                    "The OpenSearch domain 'one-zone' does not spread its nodes over availability zones (zoneAwarenessEnabled is not true); this environment requires 3 zones.",
                ],
                [
                    "search-domain-data-nodes",
                    domain("two-nodes"),
                    "The OpenSearch domain 'two-nodes' has 2 data nodes; this environment requires at least 3.",
                ],
                [
                    "search-index-replicas",
                    rest("IndexTemplate", "no-replicas-template"),
                    "The index template 'app' (app-*) sets 0 replicas per shard; this environment requires at least 1.",
                ],
                [
                    "search-snapshot-schedule",
                    rest("SnapshotPolicy", "weekly-snapshot-policy"),
                    `The snapshot policy 'weekly-snapshot-policy' of OpenSearch domain 'weekly' runs on "0 2 * * SAT", up to 168 hours apart; this environment requires a snapshot at least every 24 hours, kept at least 7 days.`,
                ],
                [
                    "search-snapshot-dr-copy",
                    rest("SnapshotRepository", "no-copy-repository"),
                    "The snapshot policy 'no-copy-snapshot-policy' of OpenSearch domain 'no-copy' writes to the repository 'snapshots', whose bucket 'no-copy-snapshots' has no copy in another region (S3 replication or a DataSync task); this environment requires one.",
                ],
            ]),
        );
    });

    it("rejects hand-written services each breaking one service rule: 1 task, 60 s grace, one subnet, no circuit breaker, no uptime check", async () => {
        const r = await runCheck({
            projectDir: path.join(FIXTURES, "programs", "service-violations"),
            stack: "test",
            // staging.json downgrades the task count and the uptime check to advisory; production holds them.
            packs: [{ dir: PACK, configFile: path.join(PACK, "config", "production.json") }],
        });
        const urn = (type: string, name: string) => `urn:pulumi:test::service-violations::${type}::${name}`;
        const service = (name: string) => urn("aws:ecs/service:Service", `${name}-service`);
        const byPolicy = (rows: string[][]) => rows.sort((a, b) => a[0].localeCompare(b[0]));
        assert.deepStrictEqual(
            byPolicy(ours(r).diagnostics.map((d) => [d.policyName, d.urn!, d.message.split("\n").slice(1).join("\n")])),
            byPolicy([
                [
                    "service-desired-count",
                    service("one-task"),
                    "The ECS service 'one-task-service' runs 1 task; this environment requires at least 3 behind a load balancer, so that one task's failure does not take the site down.",
                ],
                [
                    "service-health-check-grace",
                    service("short-grace"),
                    "The ECS service 'short-grace-service' gives new tasks a health-check grace period of 60 seconds; this environment requires at least 300, or slow-starting tasks are killed before they serve.",
                ],
                [
                    "service-subnet-zones",
                    service("one-subnet"),
                    "The ECS service 'one-subnet-service' runs in subnets of 1 availability zone; this environment requires subnets in at least 3 zones, so that one zone's loss leaves tasks running.",
                ],
                [
                    "service-circuit-breaker",
                    service("no-breaker"),
                    "The ECS service 'no-breaker-service' has no deployment circuit breaker with rollback (deploymentCircuitBreaker enable and rollback true); a failing deployment would not be rolled back by itself.",
                ],
                [
                    "service-uptime-check",
                    urn("aws:lb/loadBalancer:LoadBalancer", "unwatched-alb"),
                    "The internet-facing load balancer 'unwatched-alb' has no uptime check (a Route 53 health check of its DNS name, or one that depends on it); an outage would go unnoticed.",
                ],
            ]),
        );
    });
});
