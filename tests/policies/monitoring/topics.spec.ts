import * as assert from "assert";
import * as path from "path";
import { checkStack, fromRecorded, messages, runPolicies, UNKNOWN, urnOf } from "../../helpers/policy";
import { ROOT, runStack } from "../../helpers/program";
import {
    policy,
    topic,
    subscription,
    channel,
    atlasAlert,
    task,
    smPolicy,
    arnFor,
    createdTopic,
    stackRef,
    edit,
    compliant,
    without,
    replace,
    judge,
    SEARCH,
    DATASYNC,
    S3,
    BACKUP,
} from "./fixtures";

describe("monitoring policies (policies/monitoring.ts)", () => {
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
        const noRule =
            "The DataSync task 'weekly-copy' can fail silently: no EventBridge rule on its failed executions (State ERROR) notifies an SNS topic.";
        const unknownAddress = atlasAlert({ notifications: [{ typeName: "EMAIL", emailAddress: UNKNOWN }] });
        const unknownChannelId = smPolicy({ channel: { id: UNKNOWN }, conditions: { failure: true } });
        const unknownFailure = { ...smPolicy({ channel: { id: "alerts" }, conditions: { failure: UNKNOWN } }), name: "hourly" };
        const rs = [
            ...without(compliant(), "copy-failed", "copy-failed-target", "snapshot-behind", "daily"),
            unknownAddress,
            unknownChannelId,
            unknownFailure,
        ];
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
            .filter(
                (r) => !(r.type === "aws:sns/topicSubscription:TopicSubscription" && r.name.startsWith("continuity-production-alerts-")),
            )
            .map(fromRecorded);
        const found = await runPolicies([policy], rs, path.join(ROOT, "policies", "config", "production.json"));
        assert.deepStrictEqual(found.map((f) => f.message.split(" can fail silently")[0]).sort(), [
            "The OpenSearch snapshot policy 'continuity-production-search-snapshot-policy'",
            "The S3 replication 'continuity-production-exports-replication'",
            "The S3 replication 'continuity-production-search-snapshots-replication'",
            "The S3 replication 'continuity-production-uploads-replication'",
        ]);
    });
});
