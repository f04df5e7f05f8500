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

// --- links by value, as after an update, and sources that are not topics -------------------------
const arnFor = (name: string) => `arn:aws:sns:us-west-2:123456789012:${name}`;
/** A topic as after an update: its ARN known. */
const createdTopic = (name = "alerts"): TestResource => ({ ...topic(name), props: { ...topic(name).props, arn: arnFor(name) } });
/** The role an OpenSearch channel publishes with: part of the channel's body, not a topic. */
const role: TestResource = { type: "aws:iam/role:Role", name: "publisher", props: { name: "publisher" } };
/** A topic ARN read from another stack: unknown at preview, and its dependency is no topic. */
const stackRef: TestResource = { type: "pulumi:pulumi:StackReference", name: "shared", props: { name: "org/shared/production" } };
/** A copy of `r` with these props over its own, and these property dependencies instead of its own when given. */
const edit = (r: TestResource, props: Props, propertyDependencies?: Record<string, string[]>): TestResource => ({
    ...r,
    props: { ...r.props, ...props },
    propertyDependencies: propertyDependencies ?? r.propertyDependencies,
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
const judge = async (rs: TestResource[]) => messages(await checkStack(policy, rs));

const ATLAS = "The Atlas backup schedule 'schedule' can fail silently: ";
const SEARCH = "The OpenSearch snapshot policy 'daily' can fail silently: ";
const DATASYNC = "The DataSync task 'weekly-copy' can fail silently: ";
const S3 = "The S3 replication 'exports-replication' can fail silently: ";
const BACKUP = "The AWS Backup plan 'plan' can fail silently: ";

describe("monitoring policies (policies/monitoring.ts)", () => {
    it("let every mechanism with a signal to a subscribed topic through", async () => {
        assert.deepStrictEqual(messages(await checkStack(policy, compliant())), []);
    });

    it("rejects an Atlas schedule without a backup alert in its project, with its URN", async () => {
        const o = await checkStack(policy, without(compliant(), "snapshot-behind"));
        assert.deepStrictEqual(o.violations, [
            {
                message:
                    "The Atlas backup schedule 'schedule' can fail silently: no enabled Atlas alert on snapshot, copy or oplog failures (CPS_SNAPSHOT_*, CPS_COPY_SNAPSHOT_*, CPS_OPLOG_*) in its project notifies anyone.",
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
    it("counts an Atlas notification by SMS, user or team only with its number, username or team, and any other type by its name", async () => {
        const cases: [Props, boolean][] = [
            [{ typeName: "SMS", mobileNumber: "+15551234567" }, true],
            [{ typeName: "SMS" }, false],
            [{ typeName: "USER", username: "ops@example.com" }, true],
            [{ typeName: "USER" }, false],
            [{ typeName: "TEAM", teamId: "5f1d0c2e" }, true],
            [{ typeName: "TEAM", teamName: "ops" }, true],
            [{ typeName: "TEAM" }, false],
            [{ typeName: "SLACK", channelName: "#ops" }, true],
            [{ typeName: "" }, false],
            [{ emailAddress: "ops@example.com" }, false],
        ];
        for (const [notification, reaches] of cases) {
            assert.deepStrictEqual(
                await judge(replace(compliant(), atlasAlert({ notifications: [notification] }))),
                reaches ? [] : [`${ATLAS}its Atlas alert 'snapshot-behind' (CPS_SNAPSHOT_BEHIND) notifies no address.`],
                JSON.stringify(notification),
            );
        }
    });
    it("counts an Atlas alert with one addressed notification among others, and rejects one without notifications", async () => {
        const some = [{ typeName: "EMAIL" }, { typeName: "EMAIL", emailAddress: "ops@example.com" }];
        assert.deepStrictEqual(await judge(replace(compliant(), atlasAlert({ notifications: some }))), []);
        assert.deepStrictEqual(await judge(replace(compliant(), atlasAlert({ notifications: undefined }))), [
            `${ATLAS}its Atlas alert 'snapshot-behind' (CPS_SNAPSHOT_BEHIND) notifies no address.`,
        ]);
    });
    it("lets a schedule through when another of its alerts notifies someone or may at preview, and names the first silent alert otherwise", async () => {
        const silent = replace(compliant(), atlasAlert({ notifications: [{ typeName: "EMAIL" }] }));
        const oplog = (props: Props = {}): TestResource => ({ ...atlasAlert({ eventType: "CPS_OPLOG_BEHIND", ...props }), name: "oplog-behind" });
        assert.deepStrictEqual(await judge([...silent, oplog()]), []);
        assert.deepStrictEqual(await judge([...silent, oplog({ enabled: UNKNOWN, notifications: [] })]), []);
        assert.deepStrictEqual(await judge([...silent, oplog({ notifications: [] })]), [
            `${ATLAS}its Atlas alert 'snapshot-behind' (CPS_SNAPSHOT_BEHIND) notifies no address.`,
        ]);
    });
    it("counts only alerts whose event type starts with CPS_SNAPSHOT_, CPS_COPY_SNAPSHOT_ or CPS_OPLOG_", async () => {
        assert.deepStrictEqual(await judge(replace(compliant(), atlasAlert({ eventType: "CPS_OPLOG_BEHIND" }))), []);
        // A failed copy to the DR region is a backup failure of its own (Atlas Administration API event type).
        assert.deepStrictEqual(await judge(replace(compliant(), atlasAlert({ eventType: "CPS_COPY_SNAPSHOT_FAILED" }))), []);
        assert.deepStrictEqual(await judge(replace(compliant(), atlasAlert({ eventType: "CPS_COPY_SNAPSHOT_FAILED", notifications: [{ typeName: "EMAIL" }] }))), [
            `${ATLAS}its Atlas alert 'snapshot-behind' (CPS_COPY_SNAPSHOT_FAILED) notifies no address.`,
        ]);
        assert.deepStrictEqual(await judge(replace(compliant(), atlasAlert({ eventType: "CPS_COPYSNAPSHOT_FAILED" }))), [
            `${ATLAS}no enabled Atlas alert on snapshot, copy or oplog failures (CPS_SNAPSHOT_*, CPS_COPY_SNAPSHOT_*, CPS_OPLOG_*) in its project notifies anyone.`,
        ]);
        assert.deepStrictEqual(await judge(replace(compliant(), atlasAlert({ eventType: "NO_CPS_SNAPSHOT_TAKEN" }))), [
            `${ATLAS}no enabled Atlas alert on snapshot, copy or oplog failures (CPS_SNAPSHOT_*, CPS_COPY_SNAPSHOT_*, CPS_OPLOG_*) in its project notifies anyone.`,
        ]);
    });
    it("counts an Atlas alert whose enabled flag or notifications are unknown in favour at preview", async () => {
        assert.deepStrictEqual(await judge(replace(compliant(), atlasAlert({ enabled: UNKNOWN, notifications: [{ typeName: "EMAIL" }] }))), []);
        assert.deepStrictEqual(await judge(replace(compliant(), atlasAlert({ notifications: UNKNOWN }))), []);
    });
    it("does not link an alert of another project or of no project, and counts a project id unknown on either side in favour", async () => {
        const inProject = (r: TestResource, projectId: unknown) => edit(r, { projectId }, {});
        const none = [`${ATLAS}no enabled Atlas alert on snapshot, copy or oplog failures (CPS_SNAPSHOT_*, CPS_COPY_SNAPSHOT_*, CPS_OPLOG_*) in its project notifies anyone.`];
        assert.deepStrictEqual(await judge([inProject(schedule, "abc"), inProject(atlasAlert(), "def")]), none);
        assert.deepStrictEqual(await judge([inProject(schedule, undefined), inProject(atlasAlert(), undefined)]), none);
        assert.deepStrictEqual(await judge([inProject(schedule, UNKNOWN), inProject(atlasAlert(), "def")]), []);
        assert.deepStrictEqual(await judge([inProject(schedule, "abc"), inProject(atlasAlert(), UNKNOWN)]), []);
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
    it("rejects a DataSync rule that is disabled, by state (aws v7) or the deprecated isEnabled, and counts an unknown state in favour", async () => {
        const o = await checkStack(policy, replace(compliant(), edit(rule(), { state: "DISABLED" })));
        assert.deepStrictEqual(o.violations, [
            { message: "The DataSync task 'weekly-copy' can fail silently: its EventBridge rule 'copy-failed' is disabled (state DISABLED), so it matches nothing.", urn: urnOf(task) },
        ]);
        assert.deepStrictEqual(await judge(replace(compliant(), edit(rule(), { isEnabled: false }))), [
            `${DATASYNC}its EventBridge rule 'copy-failed' is disabled (isEnabled false), so it matches nothing.`,
        ]);
        for (const state of ["ENABLED", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS", UNKNOWN]) {
            assert.deepStrictEqual(await judge(replace(compliant(), edit(rule(), { state }))), [], String(state));
        }
        assert.deepStrictEqual(await judge(replace(compliant(), edit(rule(), { isEnabled: true }))), []);
        assert.deepStrictEqual(await judge(replace(compliant(), edit(rule(), { isEnabled: UNKNOWN }))), []);
    });
    it("accepts a DataSync pattern on State ERROR or without a State filter, and rejects one that is not JSON", async () => {
        for (const pattern of [{ detail: { State: ["ERROR", "SUCCESS"] } }, { source: ["aws.datasync"] }, { source: ["aws.datasync"], detail: {} }]) {
            assert.deepStrictEqual(await judge(replace(compliant(), rule(JSON.stringify(pattern)))), [], JSON.stringify(pattern));
        }
        assert.deepStrictEqual(await judge(replace(compliant(), rule("source: aws.datasync"))), [`${DATASYNC}its EventBridge rule 'copy-failed' has a pattern that is not JSON.`]);
    });
    it("links a DataSync rule without a dependency by the task's ARN in its pattern, and no rule when either is unknown", async () => {
        const taskArn = "arn:aws:datasync:us-west-2:123456789012:task/task-0a1b2c3d4e5f60718";
        const onTask = (arn: string) => JSON.stringify({ source: ["aws.datasync"], resources: [{ prefix: arn }], detail: { State: ["ERROR"] } });
        const created = (arn: unknown) => edit(task, { arn });
        const unlinked = (pattern: unknown) => ({ ...rule(pattern), propertyDependencies: {} });
        const none = [`${DATASYNC}no EventBridge rule on its failed executions (State ERROR) notifies an SNS topic.`];
        assert.deepStrictEqual(await judge(replace(replace(compliant(), created(taskArn)), unlinked(onTask(taskArn)))), []);
        assert.deepStrictEqual(await judge(replace(replace(compliant(), created(taskArn)), unlinked(onTask("arn:aws:datasync:us-west-2:123456789012:task/task-99887766554433221")))), none);
        assert.deepStrictEqual(await judge(replace(replace(compliant(), created(taskArn)), unlinked(UNKNOWN))), none);
        assert.deepStrictEqual(await judge(replace(replace(compliant(), created(UNKNOWN)), unlinked(onTask(taskArn)))), none);
    });
    it("does not take an event archive on the task's failures for a rule", async () => {
        const archive: TestResource = {
            type: "aws:cloudwatch/eventArchive:EventArchive",
            name: "copy-failed-archive",
            props: { eventSourceArn: UNKNOWN, eventPattern: UNKNOWN, retentionDays: 30 },
            propertyDependencies: { eventPattern: [urnOf(task)] },
        };
        assert.deepStrictEqual(await judge([...without(compliant(), "copy-failed", "copy-failed-target"), archive]), [
            `${DATASYNC}no EventBridge rule on its failed executions (State ERROR) notifies an SNS topic.`,
        ]);
    });
    it("requires a rule on each DataSync task: a rule on another task does not count", async () => {
        const nightly: TestResource = { ...task, name: "nightly-copy" };
        assert.deepStrictEqual(await judge([...compliant(), nightly]), [
            "The DataSync task 'nightly-copy' can fail silently: no EventBridge rule on its failed executions (State ERROR) notifies an SNS topic.",
        ]);
    });
    it("links a DataSync target by its rule's name or an unknown rule, and not a target of another rule", async () => {
        const noTarget = [`${DATASYNC}its EventBridge rule 'copy-failed' has no target.`];
        const named = edit(rule(), { name: "copy-failed" });
        const toRule = (name: unknown) => edit(target(), { rule: name }, { arn: [urnOf(topic())] });
        assert.deepStrictEqual(await judge(replace(replace(compliant(), named), toRule("copy-failed"))), []);
        assert.deepStrictEqual(await judge(replace(replace(compliant(), named), toRule("copy-succeeded"))), noTarget);
        assert.deepStrictEqual(await judge(replace(compliant(), toRule(UNKNOWN))), []);
        // A name built from something that is no rule (a prefix read from another stack) still names the rule.
        const prefixed = edit(target(), { rule: "copy-failed" }, { rule: [urnOf(stackRef)], arn: [urnOf(topic())] });
        assert.deepStrictEqual(await judge([...replace(replace(compliant(), named), prefixed), stackRef]), []);
        const other: TestResource = { ...rule(), name: "copy-succeeded", propertyDependencies: {} };
        const otherTarget = edit(target(), {}, { rule: [urnOf(other)], arn: [urnOf(topic())] });
        assert.deepStrictEqual(await judge([...replace(compliant(), otherTarget), other]), noTarget);
    });
    it("rejects a DataSync target to a topic ARN the stack does not declare", async () => {
        const outside = edit(target(), { arn: arnFor("elsewhere") }, { rule: [urnOf(rule())] });
        assert.deepStrictEqual(await judge(replace(compliant(), outside)), [
            `${DATASYNC}its EventBridge rule 'copy-failed' sends to arn:aws:sns:us-west-2:123456789012:elsewhere, a topic this stack does not declare, so whether anyone subscribes cannot be verified.`,
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
    it("links a replication alarm without a dependency by its SourceBucket, counts an unknown one in favour, and watches only OperationsFailedReplication", async () => {
        const none = [`${S3}no CloudWatch alarm on its failed operations (AWS/S3 OperationsFailedReplication) notifies an SNS topic.`];
        const onDimensions = (props: Props, dimensions: string[] = []) => edit(replicationAlarm(), props, { ...replicationAlarm().propertyDependencies, dimensions });
        assert.deepStrictEqual(await judge(replace(compliant(), onDimensions({}))), []);
        assert.deepStrictEqual(await judge(replace(compliant(), onDimensions({ dimensions: { SourceBucket: UNKNOWN } }))), []);
        assert.deepStrictEqual(await judge(replace(compliant(), onDimensions({ dimensions: { SourceBucket: "imports" } }))), none);
        assert.deepStrictEqual(await judge(replace(compliant(), onDimensions({ dimensions: { RuleId: "all" } }))), none);
        const imports: TestResource = { ...bucket, name: "imports", props: { bucket: "imports" } };
        assert.deepStrictEqual(await judge([...replace(compliant(), onDimensions({ dimensions: { SourceBucket: "imports" } }, [urnOf(imports)])), imports]), none);
        assert.deepStrictEqual(await judge(replace(compliant(), onDimensions({ metricName: "ReplicationLatency" }, [urnOf(bucket)]))), none);
        // Two buckets of another stack: the alarm and the replication share the stack reference, not the bucket.
        const fromStack = [...replace(compliant(), edit(replication, {}, { bucket: [urnOf(stackRef)] })), stackRef];
        assert.deepStrictEqual(await judge(replace(fromStack, onDimensions({ dimensions: { SourceBucket: "imports" } }, [urnOf(stackRef)]))), none);
    });
    it("links a replication alarm whose dimensions come from the bucket or the replication, whatever the names read, and any alarm when the source bucket is unknown", async () => {
        const onDimensions = (dimensions: string[]) => edit(replicationAlarm(), { dimensions: { SourceBucket: "exports-1a2b3c" } }, { ...replicationAlarm().propertyDependencies, dimensions });
        assert.deepStrictEqual(await judge(replace(compliant(), onDimensions([urnOf(bucket)]))), []);
        assert.deepStrictEqual(await judge(replace(compliant(), onDimensions([urnOf(replication)]))), []);
        assert.deepStrictEqual(await judge(replace(replace(compliant(), edit(replication, { bucket: UNKNOWN })), onDimensions([]))), []);
    });
    it("rejects a replication alarm without actions, and lets one through when any of its topics has a subscriber or its action is unknown", async () => {
        const noTopic = [`${S3}its alarm 'replication-failed' notifies no SNS topic.`];
        const { alarmActions: _, ...noActions } = replicationAlarm().props;
        for (const alarm of [replicationAlarm([], []), replicationAlarm(null, []), { ...replicationAlarm(), props: noActions, propertyDependencies: { dimensions: [urnOf(bucket)] } }]) {
            assert.deepStrictEqual(await judge(replace(compliant(), alarm)), noTopic, JSON.stringify(alarm.props.alarmActions));
        }
        assert.deepStrictEqual(await judge([...replace(compliant(), replicationAlarm(UNKNOWN, [urnOf(topic("silent")), urnOf(topic())])), topic("silent")]), []);
        assert.deepStrictEqual(await judge([...replace(compliant(), replicationAlarm(UNKNOWN, [urnOf(stackRef)])), stackRef]), []);
    });
    it("rejects a replication alarm whose actions are disabled, takes an enabled one beside it, and counts an unknown flag in favour", async () => {
        const disabled = edit(replicationAlarm(), { actionsEnabled: false });
        const o = await checkStack(policy, replace(compliant(), disabled));
        assert.deepStrictEqual(o.violations, [
            {
                message: "The S3 replication 'exports-replication' can fail silently: its alarm 'replication-failed' has its actions disabled (actionsEnabled false), so it notifies no one.",
                urn: urnOf(replication),
            },
        ]);
        assert.deepStrictEqual(await judge(replace(compliant(), edit(replicationAlarm(), { actionsEnabled: true }))), []);
        assert.deepStrictEqual(await judge(replace(compliant(), edit(replicationAlarm(), { actionsEnabled: UNKNOWN }))), []);
        assert.deepStrictEqual(await judge([...replace(compliant(), disabled), { ...replicationAlarm(), name: "replication-failed-2" }]), []);
    });
    it("links a replication alarm to declared topics by the literal ARNs of its actions, as after an update", async () => {
        const created = [...replace(compliant(), createdTopic()), createdTopic("silent")];
        assert.deepStrictEqual(await judge(replace(created, replicationAlarm([arnFor("silent"), arnFor("alerts")], []))), []);
        assert.deepStrictEqual(await judge(replace(created, replicationAlarm([arnFor("silent")], []))), [
            `${S3}its alarm 'replication-failed' sends to the SNS topic 'silent', which has no subscription, so a failure would reach no one.`,
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
    it("rejects a snapshot policy without a notification, a channel id or a failure condition", async () => {
        const { notification: _, ...noNotification } = smPolicy().props.body as Props;
        const bodies = [
            noNotification,
            { ...noNotification, notification: { conditions: { failure: true } } },
            { ...noNotification, notification: { channel: {}, conditions: { failure: true } } },
            { ...noNotification, notification: { channel: { id: "alerts" } } },
            { ...noNotification, notification: { channel: { id: "alerts" }, conditions: { failure: false } } },
        ];
        for (const body of bodies) {
            assert.deepStrictEqual(await judge(replace(compliant(), edit(smPolicy(), { body }))), [
                `${SEARCH}its body has no notification on failure (notification.channel and conditions.failure true).`,
            ], JSON.stringify(body));
        }
    });
    it("finds the notification channel by its name on the policy's domain, by literal endpoints too, and counts an unknown name in favour", async () => {
        const endpoint = "https://search-abc.us-west-2.es.amazonaws.com";
        const at = (r: TestResource, url: string) => edit(r, { endpoint: url }, { ...r.propertyDependencies, endpoint: [] });
        const notDeclared = [`${SEARCH}its notification channel 'alerts' is not declared on the same domain in this stack.`];
        assert.deepStrictEqual(await judge(replace(replace(compliant(), at(smPolicy(), endpoint)), at(notificationChannel(), endpoint))), []);
        assert.deepStrictEqual(await judge(replace(replace(compliant(), at(smPolicy(), endpoint)), at(notificationChannel(), endpoint.replace("abc", "xyz")))), notDeclared);
        assert.deepStrictEqual(await judge(replace(compliant(), edit(notificationChannel(), { name: "pager" }))), notDeclared);
        const template: TestResource = {
            type: "pulumi-nodejs:dynamic/opensearch:IndexTemplate",
            name: "alerts-template",
            props: { endpoint: UNKNOWN, name: "alerts", body: { index_patterns: ["alerts-*"] } },
            propertyDependencies: onDomain,
        };
        assert.deepStrictEqual(await judge([...without(compliant(), "channel"), template]), notDeclared);
        assert.deepStrictEqual(await judge(replace(compliant(), edit(notificationChannel(), { name: UNKNOWN }))), []);
    });
    it("finds the notification channel on the policy's domain by their shared dependency, even with endpoints written differently", async () => {
        const host = "search-abc.us-west-2.es.amazonaws.com";
        const written = replace(replace(compliant(), edit(smPolicy(), { endpoint: `https://${host}` })), edit(notificationChannel(), { endpoint: host }));
        assert.deepStrictEqual(await judge(written), []);
    });
    it("links a notification channel to a topic by its literal ARN besides the role, and rejects an ARN outside the stack or none", async () => {
        const toTopic = (sns: Props) => edit(notificationChannel(), { body: { name: "alerts", config_type: "sns", sns: { role_arn: UNKNOWN, ...sns } } }, { ...onDomain, body: [urnOf(role)] });
        assert.deepStrictEqual(await judge([...replace(replace(compliant(), createdTopic()), toTopic({ topic_arn: arnFor("alerts") })), role]), []);
        assert.deepStrictEqual(await judge([...replace(compliant(), toTopic({ topic_arn: arnFor("elsewhere") })), role]), [
            `${SEARCH}its notification channel 'alerts' sends to arn:aws:sns:us-west-2:123456789012:elsewhere, which this stack does not declare, so whether anyone subscribes cannot be verified.`,
        ]);
        assert.deepStrictEqual(await judge([...replace(compliant(), toTopic({})), role]), [
            `${SEARCH}its notification channel 'alerts' sends to no SNS topic, which this stack does not declare, so whether anyone subscribes cannot be verified.`,
        ]);
        assert.deepStrictEqual(await judge([...replace(compliant(), toTopic({ topic_arn: UNKNOWN })), role]), []);
    });
    it("lets a notification channel through when any topic it depends on has a subscriber", async () => {
        const both = edit(notificationChannel(), {}, { ...onDomain, body: [urnOf(topic("silent")), urnOf(topic())] });
        assert.deepStrictEqual(await judge([...replace(compliant(), both), topic("silent")]), []);
    });

    it("rejects a Backup plan whose vault notifications leave out failures", async () => {
        assert.deepStrictEqual(messages(await checkStack(policy, replace(compliant(), vaultNotifications(["BACKUP_JOB_COMPLETED"])))), [
            "The AWS Backup plan 'plan' can fail silently: its vault notifications 'vault-notifications' leave out BACKUP_JOB_FAILED and COPY_JOB_FAILED.",
        ]);
        assert.deepStrictEqual(messages(await checkStack(policy, without(compliant(), "vault-notifications"))), [
            "The AWS Backup plan 'plan' can fail silently: its vault has no notifications of failed backup or copy jobs to an SNS topic.",
        ]);
    });
    it("accepts vault notifications of failed copy jobs alone, rejects them without events, and counts unknown events in favour", async () => {
        assert.deepStrictEqual(await judge(replace(compliant(), vaultNotifications(["COPY_JOB_FAILED"]))), []);
        assert.deepStrictEqual(await judge(replace(compliant(), vaultNotifications(["BACKUP_JOB_STARTED", "BACKUP_JOB_FAILED"]))), []);
        assert.deepStrictEqual(await judge(replace(compliant(), edit(vaultNotifications(), { backupVaultEvents: undefined }))), [
            `${BACKUP}its vault notifications 'vault-notifications' leave out BACKUP_JOB_FAILED and COPY_JOB_FAILED.`,
        ]);
        assert.deepStrictEqual(await judge(replace(compliant(), edit(vaultNotifications(), { backupVaultEvents: UNKNOWN }))), []);
    });
    it("links vault notifications to the plan by the vault's name or a shared vault dependency, not another vault's, and counts unknown names in favour", async () => {
        const vault: TestResource = { type: "aws:backup/vault:Vault", name: "vault", props: { name: "vault" } };
        const other: TestResource = { ...vault, name: "other-vault", props: { name: "other" } };
        const on = (backupVaultName: unknown, deps?: string[]) =>
            edit(vaultNotifications(), { backupVaultName }, deps && { ...vaultNotifications().propertyDependencies, backupVaultName: deps });
        const none = [`${BACKUP}its vault has no notifications of failed backup or copy jobs to an SNS topic.`];
        assert.deepStrictEqual(await judge(replace(compliant(), on("vault"))), []);
        assert.deepStrictEqual(await judge(replace(compliant(), on("other"))), none);
        assert.deepStrictEqual(await judge([...replace(compliant(), on("other", [urnOf(other)])), other]), none);
        const onVault = edit(plan, { rules: [{ ruleName: "daily", targetVaultName: "vault-1a2b3c" }] }, { rules: [urnOf(vault)] });
        assert.deepStrictEqual(await judge([...replace(replace(compliant(), onVault), on("vault", [urnOf(vault)])), vault]), []);
        assert.deepStrictEqual(await judge(replace(compliant(), on(UNKNOWN))), []);
        assert.deepStrictEqual(await judge(replace(replace(compliant(), edit(plan, { rules: UNKNOWN })), on("other"))), []);
        assert.deepStrictEqual(await judge(without(replace(compliant(), edit(plan, { rules: UNKNOWN })), "vault-notifications")), none);
        assert.deepStrictEqual(await judge(replace(compliant(), edit(plan, { rules: undefined }))), none);
    });
    it("rejects vault notifications to a topic ARN the stack does not declare, and links one the stack declares", async () => {
        const toArn = (arn: string) => edit(vaultNotifications(), { snsTopicArn: arn }, {});
        assert.deepStrictEqual(await judge(replace(compliant(), toArn(arnFor("elsewhere")))), [
            `${BACKUP}its vault notifications 'vault-notifications' sends to arn:aws:sns:us-west-2:123456789012:elsewhere, a topic this stack does not declare, so whether anyone subscribes cannot be verified.`,
        ]);
        assert.deepStrictEqual(await judge(replace(replace(compliant(), createdTopic()), toArn(arnFor("alerts")))), []);
    });

    it("links a subscription to its topic by a literal ARN, as after an update, and not to another topic's", async () => {
        const byArn = (arn: string) => edit(subscription(topic()), { topic: arn }, {});
        const created = (arn: string) => replace(replace(compliant(), createdTopic()), byArn(arn));
        assert.deepStrictEqual(await judge(created(arnFor("alerts"))), []);
        const silent = "sends to the SNS topic 'alerts', which has no subscription, so a failure would reach no one.";
        assert.deepStrictEqual(await judge(created(arnFor("elsewhere"))), [
            `${SEARCH}its notification channel 'alerts' ${silent}`,
            `${DATASYNC}its EventBridge rule 'copy-failed' ${silent}`,
            `${S3}its alarm 'replication-failed' ${silent}`,
            `${BACKUP}its vault notifications 'vault-notifications' ${silent}`,
        ]);
    });
    it("counts a topic subscribed among subscriptions to other topics, and a subscription whose topic is unknown through a dependency that is no topic", async () => {
        assert.deepStrictEqual(await judge([...compliant(), ...channel("pager")]), []);
        const fromStack = edit(subscription(topic()), { topic: UNKNOWN }, { topic: [urnOf(stackRef)] });
        assert.deepStrictEqual(await judge([...replace(compliant(), fromStack), stackRef]), []);
    });

    it("counts a mechanism whose signal holds a nested unknown in favour, and still judges the other mechanisms", async () => {
        const noRule = "The DataSync task 'weekly-copy' can fail silently: no EventBridge rule on its failed executions (State ERROR) notifies an SNS topic.";
        const unknownAddress = atlasAlert({ notifications: [{ typeName: "EMAIL", emailAddress: UNKNOWN }] });
        const unknownChannelId = smPolicy({ channel: { id: UNKNOWN }, conditions: { failure: true } });
        const unknownFailure = { ...smPolicy({ channel: { id: "alerts" }, conditions: { failure: UNKNOWN } }), name: "hourly" };
        const rs = [...without(compliant(), "copy-failed", "copy-failed-target", "snapshot-behind", "daily"), unknownAddress, unknownChannelId, unknownFailure];
        assert.deepStrictEqual(await checkStack(policy, rs), { violations: [{ message: noRule, urn: urnOf(task) }] });
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
                "The OpenSearch snapshot policy 'continuity-production-search-snapshot-policy'",
                "The S3 replication 'continuity-production-exports-replication'",
                "The S3 replication 'continuity-production-search-snapshots-replication'",
                "The S3 replication 'continuity-production-uploads-replication'",
            ],
        );
    });
});
