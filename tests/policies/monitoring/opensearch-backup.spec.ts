import * as assert from "assert";
import { checkStack, messages, TestResource, UNKNOWN, urnOf } from "../../helpers/policy";
import {
    Props,
    policy,
    topic,
    onDomain,
    smPolicy,
    notificationChannel,
    plan,
    vaultNotifications,
    arnFor,
    createdTopic,
    edit,
    compliant,
    without,
    replace,
    judge,
    SEARCH,
    BACKUP,
} from "./fixtures";

/** The role an OpenSearch channel publishes with: part of the channel's body, not a topic. */
const role: TestResource = { type: "aws:iam/role:Role", name: "publisher", props: { name: "publisher" } };

describe("monitoring policies (policies/monitoring.ts)", () => {
    it("rejects a snapshot policy without a failure notification, and a channel to a silent topic", async () => {
        assert.deepStrictEqual(
            messages(
                await checkStack(policy, replace(compliant(), smPolicy({ channel: { id: "alerts" }, conditions: { creation: true } }))),
            ),
            [
                "The OpenSearch snapshot policy 'daily' can fail silently: its body has no notification on failure (notification.channel and conditions.failure true).",
            ],
        );
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
            assert.deepStrictEqual(
                await judge(replace(compliant(), edit(smPolicy(), { body }))),
                [`${SEARCH}its body has no notification on failure (notification.channel and conditions.failure true).`],
                JSON.stringify(body),
            );
        }
    });
    it("finds the notification channel by its name on the policy's domain, by literal endpoints too, and counts an unknown name in favour", async () => {
        const endpoint = "https://search-abc.us-west-2.es.amazonaws.com";
        const at = (r: TestResource, url: string) => edit(r, { endpoint: url }, { ...r.propertyDependencies, endpoint: [] });
        const notDeclared = [`${SEARCH}its notification channel 'alerts' is not declared on the same domain in this stack.`];
        assert.deepStrictEqual(
            await judge(replace(replace(compliant(), at(smPolicy(), endpoint)), at(notificationChannel(), endpoint))),
            [],
        );
        assert.deepStrictEqual(
            await judge(replace(replace(compliant(), at(smPolicy(), endpoint)), at(notificationChannel(), endpoint.replace("abc", "xyz")))),
            notDeclared,
        );
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
        const written = replace(
            replace(compliant(), edit(smPolicy(), { endpoint: `https://${host}` })),
            edit(notificationChannel(), { endpoint: host }),
        );
        assert.deepStrictEqual(await judge(written), []);
    });
    it("links a notification channel to a topic by its literal ARN besides the role, and rejects an ARN outside the stack or none", async () => {
        const toTopic = (sns: Props) =>
            edit(
                notificationChannel(),
                { body: { name: "alerts", config_type: "sns", sns: { role_arn: UNKNOWN, ...sns } } },
                { ...onDomain, body: [urnOf(role)] },
            );
        assert.deepStrictEqual(
            await judge([...replace(replace(compliant(), createdTopic()), toTopic({ topic_arn: arnFor("alerts") })), role]),
            [],
        );
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
            edit(
                vaultNotifications(),
                { backupVaultName },
                deps && { ...vaultNotifications().propertyDependencies, backupVaultName: deps },
            );
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
});
