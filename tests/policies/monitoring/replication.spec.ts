import * as assert from "assert";
import { checkStack, messages, TestResource, UNKNOWN, urnOf } from "../../helpers/policy";
import {
    Props,
    policy,
    topic,
    bucket,
    replication,
    replicationAlarm,
    arnFor,
    createdTopic,
    stackRef,
    edit,
    compliant,
    without,
    replace,
    judge,
    S3,
} from "./fixtures";

describe("monitoring policies (policies/monitoring.ts)", () => {
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
        const onDimensions = (props: Props, dimensions: string[] = []) =>
            edit(replicationAlarm(), props, { ...replicationAlarm().propertyDependencies, dimensions });
        assert.deepStrictEqual(await judge(replace(compliant(), onDimensions({}))), []);
        assert.deepStrictEqual(await judge(replace(compliant(), onDimensions({ dimensions: { SourceBucket: UNKNOWN } }))), []);
        assert.deepStrictEqual(await judge(replace(compliant(), onDimensions({ dimensions: { SourceBucket: "imports" } }))), none);
        assert.deepStrictEqual(await judge(replace(compliant(), onDimensions({ dimensions: { RuleId: "all" } }))), none);
        const imports: TestResource = { ...bucket, name: "imports", props: { bucket: "imports" } };
        assert.deepStrictEqual(
            await judge([...replace(compliant(), onDimensions({ dimensions: { SourceBucket: "imports" } }, [urnOf(imports)])), imports]),
            none,
        );
        assert.deepStrictEqual(
            await judge(replace(compliant(), onDimensions({ metricName: "ReplicationLatency" }, [urnOf(bucket)]))),
            none,
        );
        // Two buckets of another stack: the alarm and the replication share the stack reference, not the bucket.
        const fromStack = [...replace(compliant(), edit(replication, {}, { bucket: [urnOf(stackRef)] })), stackRef];
        assert.deepStrictEqual(
            await judge(replace(fromStack, onDimensions({ dimensions: { SourceBucket: "imports" } }, [urnOf(stackRef)]))),
            none,
        );
    });
    it("links a replication alarm whose dimensions come from the bucket or the replication, whatever the names read, and any alarm when the source bucket is unknown", async () => {
        const onDimensions = (dimensions: string[]) =>
            edit(
                replicationAlarm(),
                { dimensions: { SourceBucket: "exports-1a2b3c" } },
                { ...replicationAlarm().propertyDependencies, dimensions },
            );
        assert.deepStrictEqual(await judge(replace(compliant(), onDimensions([urnOf(bucket)]))), []);
        assert.deepStrictEqual(await judge(replace(compliant(), onDimensions([urnOf(replication)]))), []);
        assert.deepStrictEqual(await judge(replace(replace(compliant(), edit(replication, { bucket: UNKNOWN })), onDimensions([]))), []);
    });
    it("rejects a replication alarm without actions, and lets one through when any of its topics has a subscriber or its action is unknown", async () => {
        const noTopic = [`${S3}its alarm 'replication-failed' notifies no SNS topic.`];
        const { alarmActions: _, ...noActions } = replicationAlarm().props;
        for (const alarm of [
            replicationAlarm([], []),
            replicationAlarm(null, []),
            { ...replicationAlarm(), props: noActions, propertyDependencies: { dimensions: [urnOf(bucket)] } },
        ]) {
            assert.deepStrictEqual(await judge(replace(compliant(), alarm)), noTopic, JSON.stringify(alarm.props.alarmActions));
        }
        assert.deepStrictEqual(
            await judge([...replace(compliant(), replicationAlarm(UNKNOWN, [urnOf(topic("silent")), urnOf(topic())])), topic("silent")]),
            [],
        );
        assert.deepStrictEqual(await judge([...replace(compliant(), replicationAlarm(UNKNOWN, [urnOf(stackRef)])), stackRef]), []);
    });
    it("rejects a replication alarm whose actions are disabled, takes an enabled one beside it, and counts an unknown flag in favour", async () => {
        const disabled = edit(replicationAlarm(), { actionsEnabled: false });
        const o = await checkStack(policy, replace(compliant(), disabled));
        assert.deepStrictEqual(o.violations, [
            {
                message:
                    "The S3 replication 'exports-replication' can fail silently: its alarm 'replication-failed' has its actions disabled (actionsEnabled false), so it notifies no one.",
                urn: urnOf(replication),
            },
        ]);
        assert.deepStrictEqual(await judge(replace(compliant(), edit(replicationAlarm(), { actionsEnabled: true }))), []);
        assert.deepStrictEqual(await judge(replace(compliant(), edit(replicationAlarm(), { actionsEnabled: UNKNOWN }))), []);
        assert.deepStrictEqual(
            await judge([...replace(compliant(), disabled), { ...replicationAlarm(), name: "replication-failed-2" }]),
            [],
        );
    });
    it("links a replication alarm to declared topics by the literal ARNs of its actions, as after an update", async () => {
        const created = [...replace(compliant(), createdTopic()), createdTopic("silent")];
        assert.deepStrictEqual(await judge(replace(created, replicationAlarm([arnFor("silent"), arnFor("alerts")], []))), []);
        assert.deepStrictEqual(await judge(replace(created, replicationAlarm([arnFor("silent")], []))), [
            `${S3}its alarm 'replication-failed' sends to the SNS topic 'silent', which has no subscription, so a failure would reach no one.`,
        ]);
    });
});
