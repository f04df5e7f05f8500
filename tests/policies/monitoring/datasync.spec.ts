import * as assert from "assert";
import { checkStack, messages, TestResource, UNKNOWN, urnOf } from "../../helpers/policy";
import { policy, topic, task, rule, target, arnFor, stackRef, edit, compliant, without, replace, judge, DATASYNC } from "./fixtures";

describe("monitoring policies (policies/monitoring.ts)", () => {
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
            {
                message:
                    "The DataSync task 'weekly-copy' can fail silently: its EventBridge rule 'copy-failed' is disabled (state DISABLED), so it matches nothing.",
                urn: urnOf(task),
            },
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
        for (const pattern of [
            { detail: { State: ["ERROR", "SUCCESS"] } },
            { source: ["aws.datasync"] },
            { source: ["aws.datasync"], detail: {} },
        ]) {
            assert.deepStrictEqual(await judge(replace(compliant(), rule(JSON.stringify(pattern)))), [], JSON.stringify(pattern));
        }
        assert.deepStrictEqual(await judge(replace(compliant(), rule("source: aws.datasync"))), [
            `${DATASYNC}its EventBridge rule 'copy-failed' has a pattern that is not JSON.`,
        ]);
    });
    it("links a DataSync rule without a dependency by the task's ARN in its pattern, and no rule when either is unknown", async () => {
        const taskArn = "arn:aws:datasync:us-west-2:123456789012:task/task-0a1b2c3d4e5f60718";
        const onTask = (arn: string) =>
            JSON.stringify({ source: ["aws.datasync"], resources: [{ prefix: arn }], detail: { State: ["ERROR"] } });
        const created = (arn: unknown) => edit(task, { arn });
        const unlinked = (pattern: unknown) => ({ ...rule(pattern), propertyDependencies: {} });
        const none = [`${DATASYNC}no EventBridge rule on its failed executions (State ERROR) notifies an SNS topic.`];
        assert.deepStrictEqual(await judge(replace(replace(compliant(), created(taskArn)), unlinked(onTask(taskArn)))), []);
        assert.deepStrictEqual(
            await judge(
                replace(
                    replace(compliant(), created(taskArn)),
                    unlinked(onTask("arn:aws:datasync:us-west-2:123456789012:task/task-99887766554433221")),
                ),
            ),
            none,
        );
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
});
