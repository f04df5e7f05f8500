import * as assert from "assert";
import * as path from "path";
import { monitoringBackupFailureAlerts } from "../../policies/monitoring";
import { checkStack, fromRecorded, messages, runPolicies, TestResource, UNKNOWN, urnOf } from "../helpers/policy";
import { ROOT, runStack } from "../helpers/program";

type Props = Record<string, unknown>;
const policy = monitoringBackupFailureAlerts;

const topic = (name = "alerts"): TestResource => ({ type: "aws:sns/topic:Topic", name, props: { region: "us-west-2" } });
const subscription = (to: TestResource): TestResource => ({
    type: "aws:sns/topicSubscription:TopicSubscription",
    name: `${to.name}-email`,
    props: { topic: UNKNOWN, protocol: "email", endpoint: "ops@example.com" },
    propertyDependencies: { topic: [urnOf(to)] },
});
/** A topic with a subscriber. */
const channel = (name = "alerts") => [topic(name), subscription(topic(name))];

// --- Atlas -------------------------------------------------------------------------------------
const project: TestResource = { type: "mongodbatlas:index/project:Project", name: "project", props: { name: "p" } };
const schedule: TestResource = {
    type: "mongodbatlas:index/cloudBackupSchedule:CloudBackupSchedule",
    name: "schedule",
    props: { projectId: UNKNOWN, clusterName: "orders" },
    propertyDependencies: { projectId: [urnOf(project)] },
};
const atlasAlert = (props: Props = {}): TestResource => ({
    type: "mongodbatlas:index/alertConfiguration:AlertConfiguration",
    name: "snapshot-behind",
    props: { projectId: UNKNOWN, eventType: "CPS_SNAPSHOT_BEHIND", enabled: true, notifications: [{ typeName: "EMAIL", emailAddress: "ops@example.com" }], ...props },
    propertyDependencies: { projectId: [urnOf(project)] },
});

// --- DataSync ----------------------------------------------------------------------------------
const task: TestResource = { type: "aws:datasync/task:Task", name: "weekly-copy", props: { sourceLocationArn: UNKNOWN } };
const rule = (pattern: unknown = UNKNOWN): TestResource => ({
    type: "aws:cloudwatch/eventRule:EventRule",
    name: "copy-failed",
    props: { eventPattern: pattern, name: UNKNOWN },
    propertyDependencies: { eventPattern: [urnOf(task)] },
});
const target = (to: TestResource = topic()): TestResource => ({
    type: "aws:cloudwatch/eventTarget:EventTarget",
    name: "copy-failed-target",
    props: { rule: UNKNOWN, arn: UNKNOWN },
    propertyDependencies: { rule: [urnOf(rule())], arn: [urnOf(to)] },
});

// --- replication -------------------------------------------------------------------------------
const bucket: TestResource = { type: "aws:s3/bucket:Bucket", name: "exports", props: { bucket: "exports" } };
const replication: TestResource = {
    type: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    name: "exports-replication",
    props: { bucket: "exports", rules: [] },
    propertyDependencies: { bucket: [urnOf(bucket)] },
};
const replicationAlarm = (actions: unknown = UNKNOWN, deps: string[] = [urnOf(topic())]): TestResource => ({
    type: "aws:cloudwatch/metricAlarm:MetricAlarm",
    name: "replication-failed",
    props: { namespace: "AWS/S3", metricName: "OperationsFailedReplication", dimensions: { SourceBucket: "exports" }, alarmActions: actions },
    propertyDependencies: { dimensions: [urnOf(bucket)], alarmActions: deps },
});

// --- OpenSearch --------------------------------------------------------------------------------
const domain: TestResource = { type: "aws:opensearch/domain:Domain", name: "search", props: { domainName: "search" } };
const onDomain = { endpoint: [urnOf(domain)] };
const smPolicy = (notification: unknown = { channel: { id: "alerts" }, conditions: { failure: true } }): TestResource => ({
    type: "pulumi-nodejs:dynamic/opensearch:SnapshotPolicy",
    name: "daily",
    props: { endpoint: UNKNOWN, name: "daily", body: { creation: {}, snapshot_config: { repository: "r" }, notification } },
    propertyDependencies: onDomain,
});
const notificationChannel = (to: TestResource = topic()): TestResource => ({
    type: "pulumi-nodejs:dynamic/opensearch:NotificationChannel",
    name: "channel",
    props: { endpoint: UNKNOWN, name: "alerts", body: { name: "alerts", config_type: "sns", sns: { topic_arn: UNKNOWN, role_arn: UNKNOWN } } },
    propertyDependencies: { ...onDomain, body: [urnOf(to)] },
});

// --- AWS Backup --------------------------------------------------------------------------------
const plan: TestResource = { type: "aws:backup/plan:Plan", name: "plan", props: { rules: [{ ruleName: "daily", targetVaultName: "vault" }] } };
const vaultNotifications = (events: string[] = ["BACKUP_JOB_FAILED"]): TestResource => ({
    type: "aws:backup/vaultNotifications:VaultNotifications",
    name: "vault-notifications",
    props: { backupVaultName: "vault", backupVaultEvents: events, snsTopicArn: UNKNOWN },
    propertyDependencies: { snsTopicArn: [urnOf(topic())] },
});

/** Every mechanism with its signal to a subscribed topic. */
function compliant(): TestResource[] {
    return [
        ...channel(),
        project, schedule, atlasAlert(),
        task, rule(), target(),
        bucket, replication, replicationAlarm(),
        domain, smPolicy(), notificationChannel(),
        plan, vaultNotifications(),
    ];
}
const without = (rs: TestResource[], ...names: string[]) => rs.filter((r) => !names.includes(r.name));
const replace = (rs: TestResource[], r: TestResource) => rs.map((x) => (x.name === r.name ? r : x));

describe("monitoring policies (policies/monitoring.ts)", () => {
    it("let every mechanism with a signal to a subscribed topic through", async () => {
        assert.deepStrictEqual(messages(await checkStack(policy, compliant())), []);
    });

    it("rejects an Atlas schedule without a backup alert in its project, with its URN", async () => {
        const o = await checkStack(policy, without(compliant(), "snapshot-behind"));
        assert.deepStrictEqual(o.violations, [
            {
                message:
                    "The Atlas backup schedule 'schedule' can fail silently: no enabled Atlas alert on snapshot or oplog failures (CPS_SNAPSHOT_*, CPS_OPLOG_*) in its project notifies anyone.",
                urn: urnOf(schedule),
            },
        ]);
    });
    it("rejects an Atlas alert without an address, and ignores a disabled one or one on restores", async () => {
        assert.deepStrictEqual(messages(await checkStack(policy, replace(compliant(), atlasAlert({ notifications: [{ typeName: "EMAIL" }] })))), [
            "The Atlas backup schedule 'schedule' can fail silently: its Atlas alert 'snapshot-behind' (CPS_SNAPSHOT_BEHIND) notifies no address.",
        ]);
        for (const props of [{ enabled: false }, { eventType: "CPS_RESTORE_FAILED" }]) {
            assert.deepStrictEqual(messages(await checkStack(policy, replace(compliant(), atlasAlert(props)))).length, 1, JSON.stringify(props));
        }
        assert.deepStrictEqual(messages(await checkStack(policy, replace(compliant(), atlasAlert({ notifications: [{ typeName: "GROUP", roles: ["GROUP_OWNER"] }] })))), []);
    });
    it("links an existing project by its id, and counts an unknown event type in favour", async () => {
        const literal = [{ ...schedule, props: { ...schedule.props, projectId: "abc" }, propertyDependencies: {} }, { ...atlasAlert(), props: { ...atlasAlert().props, projectId: "abc" }, propertyDependencies: {} }];
        assert.deepStrictEqual(messages(await checkStack(policy, [...channel(), ...literal])), []);
        assert.deepStrictEqual(messages(await checkStack(policy, replace(compliant(), atlasAlert({ eventType: UNKNOWN })))), []);
    });

    it("rejects a DataSync task without a rule on its failures, and a rule that matches only successes", async () => {
        assert.deepStrictEqual(messages(await checkStack(policy, without(compliant(), "copy-failed", "copy-failed-target"))), [
            "The DataSync task 'weekly-copy' can fail silently: no EventBridge rule on its failed executions (State ERROR) notifies an SNS topic.",
        ]);
        const success = replace(compliant(), rule(JSON.stringify({ source: ["aws.datasync"], detail: { State: ["SUCCESS"] } })));
        assert.deepStrictEqual(messages(await checkStack(policy, success)), [
            "The DataSync task 'weekly-copy' can fail silently: its EventBridge rule 'copy-failed' does not match failed executions (State ERROR).",
        ]);
    });
    it("rejects a DataSync rule without a target", async () => {
        assert.deepStrictEqual(messages(await checkStack(policy, without(compliant(), "copy-failed-target"))), [
            "The DataSync task 'weekly-copy' can fail silently: its EventBridge rule 'copy-failed' has no target.",
        ]);
    });

    it("rejects a replication alarm whose topic has no subscription, with the replication's URN", async () => {
        const rs = [...without(compliant(), "replication-failed"), topic("silent"), replicationAlarm(UNKNOWN, [urnOf(topic("silent"))])];
        const o = await checkStack(policy, rs);
        assert.deepStrictEqual(o.violations, [
            {
                message:
                    "The S3 replication 'exports-replication' can fail silently: its alarm 'replication-failed' sends to the SNS topic 'silent', which has no subscription, so a failure would reach no one.",
                urn: urnOf(replication),
            },
        ]);
    });
    it("rejects a replication without an alarm, and an alarm to a topic outside the stack", async () => {
        assert.deepStrictEqual(messages(await checkStack(policy, without(compliant(), "replication-failed"))), [
            "The S3 replication 'exports-replication' can fail silently: no CloudWatch alarm on its failed operations (AWS/S3 OperationsFailedReplication) notifies an SNS topic.",
        ]);
        const outside = replace(compliant(), replicationAlarm(["arn:aws:sns:us-west-2:123456789012:elsewhere"], []));
        assert.deepStrictEqual(messages(await checkStack(policy, outside)), [
            "The S3 replication 'exports-replication' can fail silently: its alarm 'replication-failed' sends to arn:aws:sns:us-west-2:123456789012:elsewhere, a topic this stack does not declare, so whether anyone subscribes cannot be verified.",
        ]);
    });

    it("rejects a snapshot policy without a failure notification, and a channel to a silent topic", async () => {
        assert.deepStrictEqual(messages(await checkStack(policy, replace(compliant(), smPolicy({ channel: { id: "alerts" }, conditions: { creation: true } })))), [
            "The OpenSearch snapshot policy 'daily' can fail silently: its body has no notification on failure (notification.channel and conditions.failure true).",
        ]);
        const silent = [...replace(compliant(), notificationChannel(topic("silent"))), topic("silent")];
        assert.deepStrictEqual(messages(await checkStack(policy, silent)), [
            "The OpenSearch snapshot policy 'daily' can fail silently: its notification channel 'alerts' sends to the SNS topic 'silent', which has no subscription, so a failure would reach no one.",
        ]);
        assert.deepStrictEqual(messages(await checkStack(policy, without(compliant(), "channel"))), [
            "The OpenSearch snapshot policy 'daily' can fail silently: its notification channel 'alerts' is not declared on the same domain in this stack.",
        ]);
    });

    it("rejects a Backup plan whose vault notifications leave out failures", async () => {
        assert.deepStrictEqual(messages(await checkStack(policy, replace(compliant(), vaultNotifications(["BACKUP_JOB_COMPLETED"])))), [
            "The AWS Backup plan 'plan' can fail silently: its vault notifications 'vault-notifications' leave out BACKUP_JOB_FAILED and COPY_JOB_FAILED.",
        ]);
        assert.deepStrictEqual(messages(await checkStack(policy, without(compliant(), "vault-notifications"))), [
            "The AWS Backup plan 'plan' can fail silently: its vault has no notifications of failed backup or copy jobs to an SNS topic.",
        ]);
    });

    it("counts unknown links in the stack's favour at preview", async () => {
        const unlinkedSubscription = compliant().map((r) => (r.name === "alerts-email" ? { ...r, propertyDependencies: {} } : r));
        assert.deepStrictEqual(messages(await checkStack(policy, unlinkedSubscription)), []);
        const unknownBody = replace(compliant(), { ...smPolicy(), props: { ...smPolicy().props, body: UNKNOWN } });
        assert.deepStrictEqual(messages(await checkStack(policy, unknownBody)), []);
    });

    for (const stack of ["staging", "production"]) {
        for (const preview of [true, false]) {
            it(`pass the ${stack} stack: every schedule, task, replication and snapshot policy reaches the alert topic (${preview ? "preview" : "after an update"})`, async () => {
                const rs = (await runStack(stack, { preview })).resources.map(fromRecorded);
                assert.deepStrictEqual(await runPolicies([policy], rs, path.join(ROOT, "policies", "config", `${stack}.json`)), []);
            });
        }
    }

    it("would reject the production stack without its e-mail subscription: every AWS mechanism names the silent topic", async () => {
        const rs = (await runStack("production", { preview: true })).resources
            .filter((r) => !(r.type === "aws:sns/topicSubscription:TopicSubscription" && r.name.startsWith("continuity-production-alerts-")))
            .map(fromRecorded);
        const found = await runPolicies([policy], rs, path.join(ROOT, "policies", "config", "production.json"));
        assert.deepStrictEqual(
            found.map((f) => f.message.split(" can fail silently")[0]).sort(),
            [
                "The DataSync task 'continuity-production-uploads-weekly-copy'",
                "The OpenSearch snapshot policy 'continuity-production-search-snapshot-policy'",
                "The S3 replication 'continuity-production-exports-replication'",
                "The S3 replication 'continuity-production-search-snapshots-replication'",
            ],
        );
    });
});
