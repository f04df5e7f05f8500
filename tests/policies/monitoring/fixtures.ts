// The backup mechanisms and alert channels the monitoring policy judges in these specs (policies/monitoring.ts),
// written as another team writes them with plain @pulumi/aws and @pulumi/mongodbatlas resources.
import { monitoringBackupFailureAlerts } from "../../../policies/monitoring";
import { checkStack, messages, TestResource, UNKNOWN, urnOf } from "../../helpers/policy";

export type Props = Record<string, unknown>;
export const policy = monitoringBackupFailureAlerts;

export const topic = (name = "alerts"): TestResource => ({ type: "aws:sns/topic:Topic", name, props: { region: "us-west-2" } });
export const subscription = (to: TestResource): TestResource => ({
    type: "aws:sns/topicSubscription:TopicSubscription",
    name: `${to.name}-email`,
    props: { topic: UNKNOWN, protocol: "email", endpoint: "ops@example.com" },
    propertyDependencies: { topic: [urnOf(to)] },
});
/** A topic with a subscriber. */
export const channel = (name = "alerts") => [topic(name), subscription(topic(name))];

// --- Atlas -------------------------------------------------------------------------------------
const project: TestResource = { type: "mongodbatlas:index/project:Project", name: "project", props: { name: "p" } };
export const schedule: TestResource = {
    type: "mongodbatlas:index/cloudBackupSchedule:CloudBackupSchedule",
    name: "schedule",
    props: { projectId: UNKNOWN, clusterName: "orders" },
    propertyDependencies: { projectId: [urnOf(project)] },
};
export const atlasAlert = (props: Props = {}): TestResource => ({
    type: "mongodbatlas:index/alertConfiguration:AlertConfiguration",
    name: "snapshot-behind",
    props: {
        projectId: UNKNOWN,
        eventType: "CPS_SNAPSHOT_BEHIND",
        enabled: true,
        notifications: [{ typeName: "EMAIL", emailAddress: "ops@example.com" }],
        ...props,
    },
    propertyDependencies: { projectId: [urnOf(project)] },
});

// --- DataSync ----------------------------------------------------------------------------------
export const task: TestResource = { type: "aws:datasync/task:Task", name: "weekly-copy", props: { sourceLocationArn: UNKNOWN } };
export const rule = (pattern: unknown = UNKNOWN): TestResource => ({
    type: "aws:cloudwatch/eventRule:EventRule",
    name: "copy-failed",
    props: { eventPattern: pattern, name: UNKNOWN },
    propertyDependencies: { eventPattern: [urnOf(task)] },
});
export const target = (to: TestResource = topic()): TestResource => ({
    type: "aws:cloudwatch/eventTarget:EventTarget",
    name: "copy-failed-target",
    props: { rule: UNKNOWN, arn: UNKNOWN },
    propertyDependencies: { rule: [urnOf(rule())], arn: [urnOf(to)] },
});

// --- replication -------------------------------------------------------------------------------
export const bucket: TestResource = { type: "aws:s3/bucket:Bucket", name: "exports", props: { bucket: "exports" } };
export const replication: TestResource = {
    type: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    name: "exports-replication",
    props: { bucket: "exports", rules: [] },
    propertyDependencies: { bucket: [urnOf(bucket)] },
};
export const replicationAlarm = (actions: unknown = UNKNOWN, deps: string[] = [urnOf(topic())]): TestResource => ({
    type: "aws:cloudwatch/metricAlarm:MetricAlarm",
    name: "replication-failed",
    props: {
        namespace: "AWS/S3",
        metricName: "OperationsFailedReplication",
        dimensions: { SourceBucket: "exports" },
        alarmActions: actions,
    },
    propertyDependencies: { dimensions: [urnOf(bucket)], alarmActions: deps },
});

// --- OpenSearch --------------------------------------------------------------------------------
const domain: TestResource = { type: "aws:opensearch/domain:Domain", name: "search", props: { domainName: "search" } };
export const onDomain = { endpoint: [urnOf(domain)] };
export const smPolicy = (notification: unknown = { channel: { id: "alerts" }, conditions: { failure: true } }): TestResource => ({
    type: "pulumi-nodejs:dynamic/opensearch:SnapshotPolicy",
    name: "daily",
    props: { endpoint: UNKNOWN, name: "daily", body: { creation: {}, snapshot_config: { repository: "r" }, notification } },
    propertyDependencies: onDomain,
});
export const notificationChannel = (to: TestResource = topic()): TestResource => ({
    type: "pulumi-nodejs:dynamic/opensearch:NotificationChannel",
    name: "channel",
    props: {
        endpoint: UNKNOWN,
        name: "alerts",
        body: { name: "alerts", config_type: "sns", sns: { topic_arn: UNKNOWN, role_arn: UNKNOWN } },
    },
    propertyDependencies: { ...onDomain, body: [urnOf(to)] },
});

// --- AWS Backup --------------------------------------------------------------------------------
export const plan: TestResource = {
    type: "aws:backup/plan:Plan",
    name: "plan",
    props: { rules: [{ ruleName: "daily", targetVaultName: "vault" }] },
};
export const vaultNotifications = (events: string[] = ["BACKUP_JOB_FAILED"]): TestResource => ({
    type: "aws:backup/vaultNotifications:VaultNotifications",
    name: "vault-notifications",
    props: { backupVaultName: "vault", backupVaultEvents: events, snsTopicArn: UNKNOWN },
    propertyDependencies: { snsTopicArn: [urnOf(topic())] },
});

// --- links by value, as after an update, and sources that are not topics -------------------------
export const arnFor = (name: string) => `arn:aws:sns:us-west-2:123456789012:${name}`;
/** A topic as after an update: its ARN known. */
export const createdTopic = (name = "alerts"): TestResource => ({ ...topic(name), props: { ...topic(name).props, arn: arnFor(name) } });
/** A topic ARN read from another stack: unknown at preview, and its dependency is no topic. */
export const stackRef: TestResource = { type: "pulumi:pulumi:StackReference", name: "shared", props: { name: "org/shared/production" } };
/** A copy of `r` with these props over its own, and these property dependencies instead of its own when given. */
export const edit = (r: TestResource, props: Props, propertyDependencies?: Record<string, string[]>): TestResource => ({
    ...r,
    props: { ...r.props, ...props },
    propertyDependencies: propertyDependencies ?? r.propertyDependencies,
});

/** Every mechanism with its signal to a subscribed topic. */
export function compliant(): TestResource[] {
    return [
        ...channel(),
        project,
        schedule,
        atlasAlert(),
        task,
        rule(),
        target(),
        bucket,
        replication,
        replicationAlarm(),
        domain,
        smPolicy(),
        notificationChannel(),
        plan,
        vaultNotifications(),
    ];
}
export const without = (rs: TestResource[], ...names: string[]) => rs.filter((r) => !names.includes(r.name));
export const replace = (rs: TestResource[], r: TestResource) => rs.map((x) => (x.name === r.name ? r : x));
export const judge = async (rs: TestResource[]) => messages(await checkStack(policy, rs));
export const SEARCH = "The OpenSearch snapshot policy 'daily' can fail silently: ";
export const DATASYNC = "The DataSync task 'weekly-copy' can fail silently: ";
export const S3 = "The S3 replication 'exports-replication' can fail silently: ";
export const BACKUP = "The AWS Backup plan 'plan' can fail silently: ";
