import * as assert from "assert";
import * as aws from "@pulumi/aws";
import * as mongodbatlas from "@pulumi/mongodbatlas";
import { monitoringRecoveryPointWatch } from "../../policies/monitoring";
import { RecoveryPointWatch } from "../../infra/components/watch";
import { runProgram } from "../../tools/check/engine";
import { backupPlanFor, checkStack, fromRecorded, messages, TestResource, UNKNOWN, urnOf } from "../helpers/policy";

const policy = monitoringRecoveryPointWatch;

/** Another team's program, run as a preview (or an update) would run it, then judged by the rule. */
async function judge(program: () => void, preview = true) {
    const run = await runProgram({ project: "shop", stack: "prod", config: { "aws:region": "us-west-2" }, preview, program });
    return checkStack(policy, run.resources.map(fromRecorded));
}

/** A bucket replicated into another region with plain @pulumi/aws; returns the source bucket and the topic. */
function replicatedBucket(opts: { named?: boolean } = {}) {
    const named = opts.named ?? true;
    const source = new aws.s3.Bucket("exports", { region: "us-west-2", ...(named ? { bucket: "acme-exports" } : {}) });
    const copy = new aws.s3.Bucket("exports-copy", { region: "us-east-1", bucket: "acme-exports-copy" });
    new aws.s3.BucketVersioning("exports-versioning", {
        region: "us-west-2",
        bucket: source.bucket,
        versioningConfiguration: { status: "Enabled" },
    });
    new aws.s3.BucketVersioning("exports-copy-versioning", {
        region: "us-east-1",
        bucket: copy.bucket,
        versioningConfiguration: { status: "Enabled" },
    });
    new aws.s3.BucketReplicationConfig("exports-replication", {
        region: "us-west-2",
        bucket: source.bucket,
        role: "arn:aws:iam::123456789012:role/replication",
        rules: [{ id: "all", status: "Enabled", filter: {}, destination: { bucket: copy.arn, storageClass: "GLACIER" } }],
    });
    const topic = new aws.sns.Topic("oncall", { region: "us-west-2" });
    return { source, copy, topic };
}

const exportsMessage = (problem: string) =>
    "The S3 bucket 'exports' keeps copies in us-east-1 (S3 replication into GLACIER in us-east-1) but nothing watches their age: " +
    `${problem}. Add a CloudWatch alarm on the age of its newest copy whose dimensions name the store, ` +
    'with treatMissingData "breaching" and an alarm action.';

describe("monitoring-recovery-point-watch (policies/monitoring.ts)", () => {
    it("refuses a replicated bucket that no alarm watches, naming the names an alarm may use", async () => {
        const outcome = await judge(() => void replicatedBucket());
        assert.deepStrictEqual(messages(outcome), [
            exportsMessage("no CloudWatch alarm names it ('acme-exports', 'acme-exports-copy') in its dimensions"),
        ]);
        assert.strictEqual(outcome.violations[0].urn, "urn:pulumi:prod::shop::aws:s3/bucket:Bucket::exports");
    });

    it("accepts an alarm on the team's own age metric whose dimension is the bucket, missing data breaching, to a topic", async () => {
        const program = () => {
            const { source, topic } = replicatedBucket();
            new aws.cloudwatch.MetricAlarm("exports-copy-age", {
                region: "us-west-2",
                namespace: "Acme/Backups",
                metricName: "CopyAgeHours",
                dimensions: { Bucket: source.bucket },
                statistic: "Maximum",
                period: 3600,
                evaluationPeriods: 1,
                threshold: 24,
                comparisonOperator: "GreaterThanThreshold",
                treatMissingData: "breaching",
                alarmActions: [topic.arn],
            });
        };
        assert.deepStrictEqual(await judge(program, true), { violations: [] });
        assert.deepStrictEqual(await judge(program, false), { violations: [] });
    });

    it("refuses an alarm that names the bucket but stays silent when no reading arrives, or notifies no one", async () => {
        const alarm = (extra: Partial<aws.cloudwatch.MetricAlarmArgs>) => () => {
            const { source, topic } = replicatedBucket();
            new aws.cloudwatch.MetricAlarm("exports-copy-age", {
                region: "us-west-2",
                namespace: "Acme/Backups",
                metricName: "CopyAgeHours",
                dimensions: { Bucket: source.bucket },
                statistic: "Maximum",
                period: 3600,
                evaluationPeriods: 1,
                threshold: 24,
                comparisonOperator: "GreaterThanThreshold",
                alarmActions: [topic.arn],
                ...extra,
            });
        };
        assert.deepStrictEqual(messages(await judge(alarm({ treatMissingData: "notBreaching" }))), [
            exportsMessage("its alarm 'exports-copy-age' treats missing data as notBreaching, so a watch that stops reading stays silent"),
        ]);
        assert.deepStrictEqual(messages(await judge(alarm({}))), [
            exportsMessage(
                "its alarm 'exports-copy-age' treats missing data as missing (the default), so a watch that stops reading stays silent",
            ),
        ]);
        assert.deepStrictEqual(messages(await judge(alarm({ treatMissingData: "breaching", alarmActions: [] }))), [
            exportsMessage("its alarm 'exports-copy-age' has no alarm action"),
        ]);
        assert.deepStrictEqual(messages(await judge(alarm({ treatMissingData: "breaching", actionsEnabled: false }))), [
            exportsMessage("its alarm 'exports-copy-age' has its actions disabled (actionsEnabled false)"),
        ]);
    });

    it("finds the bucket through the alarm's dependencies when its name is unknown at preview (autonamed)", async () => {
        const program = (dimension: "source" | "other") => () => {
            const { source, topic } = replicatedBucket({ named: false });
            const other = new aws.s3.Bucket("logs", { region: "us-west-2" });
            new aws.cloudwatch.MetricAlarm("exports-copy-age", {
                region: "us-west-2",
                namespace: "Acme/Backups",
                metricName: "CopyAgeHours",
                dimensions: { Bucket: dimension === "source" ? source.bucket : other.bucket },
                statistic: "Maximum",
                period: 3600,
                evaluationPeriods: 1,
                threshold: 24,
                comparisonOperator: "GreaterThanThreshold",
                treatMissingData: "breaching",
                alarmActions: [topic.arn],
            });
        };
        assert.deepStrictEqual(await judge(program("source")), { violations: [] });
        // Built from another bucket: it watches that one, whatever its unknown name turns out to be.
        assert.deepStrictEqual(messages(await judge(program("other"))), [
            exportsMessage("no CloudWatch alarm names it ('acme-exports-copy') in its dimensions"),
        ]);
    });

    it("finds the bucket in a metric-math alarm's metrics, beside an expression and another bucket's metric", async () => {
        const program = (dimension: "source" | "other") => () => {
            const { source, topic } = replicatedBucket({ named: false });
            const other = new aws.s3.Bucket("logs", { region: "us-west-2" });
            const metric = (id: string, bucket: typeof source.bucket) => ({
                id,
                metric: {
                    namespace: "Acme/Backups",
                    metricName: "CopyAgeSeconds",
                    dimensions: { Bucket: bucket },
                    period: 3600,
                    stat: "Maximum",
                },
            });
            new aws.cloudwatch.MetricAlarm("copy-age", {
                region: "us-west-2",
                evaluationPeriods: 1,
                threshold: 24,
                comparisonOperator: "GreaterThanThreshold",
                metricQueries: [
                    { id: "hours", expression: "MAX([exports, logs]) / 3600", label: "Oldest copy (hours)", returnData: true },
                    metric("exports", dimension === "source" ? source.bucket : other.bucket),
                    metric("logs", other.bucket),
                ],
                treatMissingData: "breaching",
                alarmActions: [topic.arn],
            });
        };
        assert.deepStrictEqual(await judge(program("source")), { violations: [] });
        assert.deepStrictEqual(await judge(program("source"), false), { violations: [] });
        assert.deepStrictEqual(messages(await judge(program("other"))), [
            exportsMessage("no CloudWatch alarm names it ('acme-exports-copy') in its dimensions"),
        ]);
    });

    it("finds the bucket by name in a metric-math alarm built from nothing the stack shows", async () => {
        const program = (bucket: string) => () => {
            const { topic } = replicatedBucket();
            new aws.cloudwatch.MetricAlarm("copy-age", {
                region: "us-west-2",
                evaluationPeriods: 1,
                threshold: 24,
                comparisonOperator: "GreaterThanThreshold",
                metricQueries: [
                    { id: "hours", expression: "age / 3600", returnData: true },
                    {
                        id: "age",
                        metric: {
                            namespace: "Acme/Backups",
                            metricName: "CopyAgeSeconds",
                            dimensions: { Bucket: bucket },
                            period: 3600,
                            stat: "Maximum",
                        },
                    },
                ],
                treatMissingData: "breaching",
                alarmActions: [topic.arn],
            });
        };
        assert.deepStrictEqual(await judge(program("acme-exports")), { violations: [] });
        assert.deepStrictEqual(messages(await judge(program("acme-logs"))), [
            exportsMessage("no CloudWatch alarm names it ('acme-exports', 'acme-exports-copy') in its dimensions"),
        ]);
    });

    it("is satisfied by the project's RecoveryPointWatch over the same bucket", async () => {
        const outcome = await judge(() => {
            const { topic } = replicatedBucket();
            new RecoveryPointWatch("watch", {
                region: "us-west-2",
                environment: "production",
                schedule: "rate(1 hour)",
                stores: [
                    {
                        kind: "s3",
                        store: "acme-exports",
                        sourceBucket: "acme-exports",
                        copyBucket: "acme-exports-copy",
                        copyRegion: "us-east-1",
                    },
                ],
                targets: {},
                alertTopicArn: topic.arn,
            });
        });
        assert.deepStrictEqual(outcome, { violations: [] });
    });

    it("asks the same of an Atlas cluster whose snapshots are copied to another region", async () => {
        const program = (watched: boolean | "domain") => () => {
            const cluster = new mongodbatlas.AdvancedCluster("orders", {
                projectId: "0123456789abcdef01234567",
                name: "orders",
                clusterType: "REPLICASET",
                backupEnabled: true,
                replicationSpecs: [
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
                ],
            });
            new mongodbatlas.CloudBackupSchedule("orders-backup", {
                projectId: cluster.projectId,
                clusterName: cluster.name,
                policyItemHourly: { frequencyInterval: 6, retentionUnit: "days", retentionValue: 7 },
                copySettings: [{ cloudProvider: "AWS", regionName: "US_EAST_1", frequencies: ["HOURLY"], shouldCopyOplogs: false }],
            });
            if (!watched) return;
            const topic = new aws.sns.Topic("oncall", { region: "us-west-2" });
            // A domain of the same name, and an alarm built from it: it watches the domain, not the cluster.
            const domain =
                watched === "domain" ? new aws.opensearch.Domain("search", { region: "us-west-2", domainName: "orders" }) : undefined;
            new aws.cloudwatch.MetricAlarm("orders-copy-age", {
                region: "us-west-2",
                namespace: "Acme/Backups",
                metricName: "SnapshotCopyAgeHours",
                dimensions: { Cluster: domain ? domain.domainName : "orders" },
                statistic: "Maximum",
                period: 3600,
                evaluationPeriods: 1,
                threshold: 8,
                comparisonOperator: "GreaterThanThreshold",
                treatMissingData: "breaching",
                alarmActions: [topic.arn],
            });
        };
        assert.deepStrictEqual(messages(await judge(program(false))), [
            "The Atlas cluster 'orders' keeps copies in us-east-1 (Atlas snapshot copies in us-east-1) but nothing watches their age: " +
                "no CloudWatch alarm names it ('orders') in its dimensions. Add a CloudWatch alarm on the age of its newest copy " +
                'whose dimensions name the store, with treatMissingData "breaching" and an alarm action.',
        ]);
        assert.deepStrictEqual(await judge(program(true)), { violations: [] });
        assert.deepStrictEqual(messages(await judge(program("domain"))), messages(await judge(program(false))));
    });

    describe("where AWS Backup copies the store", () => {
        const table: TestResource = { type: "aws:dynamodb/table:Table", name: "orders", props: { name: "orders", region: "us-west-2" } };
        const framework = (scope: unknown): TestResource => ({
            type: "aws:backup/framework:Framework",
            name: "backup-audit",
            props: {
                name: "backup_audit",
                region: "us-west-2",
                controls: [
                    {
                        name: "BACKUP_LAST_RECOVERY_POINT_CREATED",
                        inputParameters: [
                            { name: "recoveryPointAgeUnit", value: "hours" },
                            { name: "recoveryPointAgeValue", value: "26" },
                        ],
                        scope,
                    },
                ],
            },
        });
        const message =
            "The DynamoDB table 'orders' keeps copies in us-east-1 (AWS Backup copy of rule 'daily' to us-east-1) " +
            "but nothing watches their age: " +
            "no CloudWatch alarm names it ('orders') in its dimensions. Add a CloudWatch alarm on the age of its newest copy " +
            'whose dimensions name the store, with treatMissingData "breaching" and an alarm action, ' +
            "or an AWS Backup framework whose BACKUP_LAST_RECOVERY_POINT_CREATED control covers it.";

        it("accepts an Audit Manager framework whose last-recovery-point control covers the table", async () => {
            const stack = [table, ...backupPlanFor(table, "us-east-1")];
            assert.deepStrictEqual(messages(await checkStack(policy, stack)), [message]);
            assert.deepStrictEqual(await checkStack(policy, [...stack, framework({ complianceResourceTypes: ["DynamoDB"] })]), {
                violations: [],
            });
            assert.deepStrictEqual(await checkStack(policy, [...stack, framework(undefined)]), { violations: [] });
            assert.deepStrictEqual(await checkStack(policy, [...stack, framework({ complianceResourceIds: ["orders"] })]), {
                violations: [],
            });
        });

        it("refuses a framework whose scope leaves the table out, or that lives in another region", async () => {
            const stack = [table, ...backupPlanFor(table, "us-east-1")];
            assert.deepStrictEqual(messages(await checkStack(policy, [...stack, framework({ complianceResourceTypes: ["RDS"] })])), [
                message,
            ]);
            assert.deepStrictEqual(messages(await checkStack(policy, [...stack, framework({ tags: { backup: "gold" } })])), [message]);
            const elsewhere = framework(undefined);
            elsewhere.props.region = "eu-west-1";
            assert.deepStrictEqual(messages(await checkStack(policy, [...stack, elsewhere])), [message]);
        });

        it("takes a framework whose controls are unknown at preview in the stack's favour", async () => {
            const unknown = framework(undefined);
            unknown.props.controls = UNKNOWN;
            assert.deepStrictEqual(await checkStack(policy, [table, ...backupPlanFor(table, "us-east-1"), unknown]), { violations: [] });
        });
    });

    describe("values unknown at preview", () => {
        const bucket: TestResource = {
            type: "aws:s3/bucket:Bucket",
            name: "exports",
            props: { bucket: "acme-exports", region: "us-west-2" },
        };
        const copy: TestResource = { type: "aws:s3/bucket:Bucket", name: "exports-copy", props: { bucket: UNKNOWN, region: UNKNOWN } };
        const replication = (destinationRegion: "known" | "unknown"): TestResource[] => {
            const dest: TestResource = destinationRegion === "known" ? { ...copy, props: { bucket: UNKNOWN, region: "us-east-1" } } : copy;
            return [
                dest,
                {
                    type: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
                    name: "exports-replication",
                    props: {
                        bucket: "acme-exports",
                        region: "us-west-2",
                        rules: [{ status: "Enabled", destination: { bucket: UNKNOWN, storageClass: "GLACIER" } }],
                    },
                    propertyDependencies: { bucket: [urnOf(bucket)], rules: [urnOf(dest)] },
                },
            ];
        };
        const alarm = (props: Record<string, unknown>, deps: Record<string, string[]> = {}): TestResource => ({
            type: "aws:cloudwatch/metricAlarm:MetricAlarm",
            name: "copy-age",
            props: {
                namespace: "Acme/Backups",
                metricName: "CopyAgeHours",
                treatMissingData: "breaching",
                alarmActions: ["arn:aws:sns:us-west-2:123456789012:oncall"],
                ...props,
            },
            propertyDependencies: deps,
        });

        it("a copy whose region is unknown needs no watch yet (it may be in the same region)", async () => {
            assert.deepStrictEqual(await checkStack(policy, [bucket, ...replication("unknown")]), { violations: [] });
            assert.strictEqual(messages(await checkStack(policy, [bucket, ...replication("known")])).length, 1);
        });

        it("dimensions, treatMissingData or actions unknown and built from nothing the stack shows count as a watch", async () => {
            const stack = [bucket, ...replication("known")];
            assert.deepStrictEqual(await checkStack(policy, [...stack, alarm({ dimensions: UNKNOWN })]), { violations: [] });
            assert.deepStrictEqual(await checkStack(policy, [...stack, alarm({ dimensions: { Bucket: UNKNOWN } })]), { violations: [] });
            assert.deepStrictEqual(
                await checkStack(policy, [...stack, alarm({ dimensions: { Bucket: "acme-exports" }, treatMissingData: UNKNOWN })]),
                {
                    violations: [],
                },
            );
            assert.deepStrictEqual(
                await checkStack(policy, [...stack, alarm({ dimensions: { Bucket: "acme-exports" }, alarmActions: UNKNOWN })]),
                {
                    violations: [],
                },
            );
            // Unknown, but built from another resource of the stack: not this store's watch.
            const other: TestResource = { type: "aws:sqs/queue:Queue", name: "jobs", props: {} };
            const elsewhere = alarm({ dimensions: { QueueName: UNKNOWN } }, { dimensions: [urnOf(other)] });
            assert.strictEqual(messages(await checkStack(policy, [...stack, other, elsewhere])).length, 1);
        });

        it("never skips the whole stack for an unknown value", async () => {
            const outcome = await checkStack(policy, [
                bucket,
                ...replication("known"),
                alarm({ dimensions: UNKNOWN, treatMissingData: UNKNOWN, alarmActions: UNKNOWN }),
            ]);
            assert.deepStrictEqual(outcome, { violations: [] });
        });
    });

    it("judges no store exempted with a reason, by tag or by the exemptions setting", async () => {
        const run = await runProgram({ project: "shop", stack: "prod", config: {}, preview: true, program: () => void replicatedBucket() });
        const resources = run.resources.map(fromRecorded);
        const exports = resources.find((r) => r.name === "exports")!;
        exports.props.tags = { "continuity-dr": "none", "continuity-dr-reason": "rebuilt from the warehouse nightly" };
        assert.deepStrictEqual(await checkStack(policy, resources), { violations: [] });
        exports.props.tags = {};
        const setting = { exemptions: [{ name: "exports", reason: "rebuilt from the warehouse nightly" }] };
        assert.deepStrictEqual(await checkStack(policy, resources, setting), { violations: [] });
        assert.strictEqual(messages(await checkStack(policy, resources)).length, 1);
    });
});
