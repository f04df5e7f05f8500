import * as assert from "assert";
import { Alerting } from "../infra/components/alerting";
import { runProgram } from "../tools/check/engine";
import { CHECK_ACCOUNT_ID } from "../tools/check/invokes";
import { runStack, StackRun } from "./helpers/program";

const T = {
    topic: "aws:sns/topic:Topic",
    policy: "aws:sns/topicPolicy:TopicPolicy",
    subscription: "aws:sns/topicSubscription:TopicSubscription",
};

describe("Alerting (infra/components/alerting.ts)", () => {
    let run: StackRun;
    before(async () => (run = await runStack("production", { secrets: { "continuity:alertWebhookUrl": "https://hooks.example.com/x" } })));

    it("puts the topic in the primary region, tagged as the alert channel", () => {
        const topic = run.one(T.topic);
        assert.strictEqual(topic.properties.region, "eu-west-1");
        assert.deepStrictEqual(topic.properties.tags, {
            environment: "production",
            tier: "alerting",
            role: "alert-channel",
            "managed-by": "continuity",
        });
    });

    it("lets only this account's CloudWatch alarms and EventBridge rules publish", () => {
        const policy = JSON.parse(run.one(T.policy).properties.policy as string);
        assert.deepStrictEqual(policy.Statement, [
            {
                Sid: "AwsServicesOfThisAccountPublish",
                Effect: "Allow",
                Principal: { Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com"] },
                Action: "sns:Publish",
                Resource: `arn:aws:sns:eu-west-1:${CHECK_ACCOUNT_ID}:continuity-production-alerts-topic`,
                Condition: { StringEquals: { "aws:SourceAccount": CHECK_ACCOUNT_ID } },
            },
        ]);
    });

    it("subscribes every address and the webhook, the webhook kept secret", () => {
        const subs = run.all(T.subscription);
        assert.deepStrictEqual(
            subs.map((s) => [s.name, s.properties.protocol, s.properties.region]),
            [
                ["continuity-production-alerts-email-devops-example-com", "email", "eu-west-1"],
                ["continuity-production-alerts-webhook", "https", "eu-west-1"],
            ],
        );
        assert.strictEqual(subs[0].properties.endpoint, "devops@example.com");
        const hook = subs[1].properties.endpoint as Record<string, unknown>;
        assert.strictEqual(hook["4dabf18193072939515e22adb298388d"], "1b47061264138c4ac30d75fd1eb44270");
        for (const s of subs) assert.deepStrictEqual(s.propertyDependencies.topic, [run.one(T.topic).urn]);
    });

    it("exports the topic ARN for later tiers", () => {
        assert.strictEqual(run.outputs.alertTopicArn, `arn:aws:sns:eu-west-1:${CHECK_ACCOUNT_ID}:continuity-production-alerts-topic`);
    });

    it("refuses a channel without addresses", async () => {
        await assert.rejects(
            runProgram({ project: "continuity", stack: "unit", config: {}, preview: false, program: () => new Alerting("a", { region: "us-west-2", emails: [] }) }),
            { message: "Alerting 'a': emails must list at least one address; an alert nobody receives is silence." },
        );
    });
});
