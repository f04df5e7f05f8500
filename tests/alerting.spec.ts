import * as assert from "assert";
import { Alerting } from "../infra/components/alerting";
import { runProgram } from "../tools/check/engine";
import { CHECK_ACCOUNT_ID } from "../tools/check/invokes";
import { runStack, StackRun } from "./helpers/program";

/** The resources of one alert channel, by its name. */
function channel(run: StackRun, name: string) {
    const mine = run.resources.filter((r) => r.name.startsWith(`${name}-`));
    const all = (type: string) => mine.filter((r) => r.type === type);
    return { all, one: (type: string) => (all(type).length === 1 ? all(type)[0] : assert.fail(`expected one ${type} in ${name}`)) };
}

const T = {
    topic: "aws:sns/topic:Topic",
    policy: "aws:sns/topicPolicy:TopicPolicy",
    subscription: "aws:sns/topicSubscription:TopicSubscription",
};

describe("Alerting (infra/components/alerting.ts)", () => {
    let run: StackRun;
    let primary: ReturnType<typeof channel>;
    before(async () => {
        run = await runStack("production", { secrets: { "continuity:alertWebhookUrl": "https://hooks.example.com/x" } });
        primary = channel(run, "continuity-production-alerts");
    });

    it("puts the topic in the primary region, tagged as the alert channel", () => {
        const topic = primary.one(T.topic);
        assert.strictEqual(topic.properties.region, "eu-west-1");
        assert.deepStrictEqual(topic.properties.tags, {
            environment: "production",
            tier: "alerting",
            role: "alert-channel",
            "managed-by": "continuity",
        });
    });

    it("lets only this account's CloudWatch alarms and EventBridge rules publish", () => {
        const policy = JSON.parse(primary.one(T.policy).properties.policy as string);
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
        const subs = primary.all(T.subscription);
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
        for (const s of subs) assert.deepStrictEqual(s.propertyDependencies.topic, [primary.one(T.topic).urn]);
    });

    it("opens a second channel in us-east-1 with the same subscribers, for the uptime alarm Route 53 metrics need there", () => {
        const uptime = channel(run, "continuity-production-uptime-alerts");
        assert.strictEqual(uptime.one(T.topic).properties.region, "us-east-1");
        assert.deepStrictEqual(
            uptime.all(T.subscription).map((s) => [s.properties.protocol, s.properties.region]),
            [
                ["email", "us-east-1"],
                ["https", "us-east-1"],
            ],
        );
        assert.strictEqual(run.all(T.topic).length, 2);
    });

    it("needs no second channel when the primary region is us-east-1", async () => {
        const r = await runStack("staging", {
            edit: (c) => {
                c.regions = { primary: "us-east-1", dr: "us-west-2" };
                c.atlas.backup.copyRegion = "us-west-2";
                c.service.certificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000001";
            },
        });
        assert.deepStrictEqual(
            r.all(T.topic).map((t) => t.name),
            ["continuity-staging-alerts-topic"],
        );
        const uptime = r.resources.find(
            (x) => x.name === "continuity-staging-web-uptime" && x.type === "aws:cloudwatch/metricAlarm:MetricAlarm",
        )!;
        assert.deepStrictEqual(uptime.properties.alarmActions, [
            `arn:aws:sns:us-east-1:${CHECK_ACCOUNT_ID}:continuity-staging-alerts-topic`,
        ]);
    });

    it("exports the topic ARN for later tiers", () => {
        assert.strictEqual(run.outputs.alertTopicArn, `arn:aws:sns:eu-west-1:${CHECK_ACCOUNT_ID}:continuity-production-alerts-topic`);
    });

    it("refuses a channel without addresses", async () => {
        await assert.rejects(
            runProgram({
                project: "continuity",
                stack: "unit",
                config: {},
                preview: false,
                program: () => new Alerting("a", { region: "us-west-2", emails: [] }),
            }),
            { message: "Alerting 'a': emails must list at least one address; an alert nobody receives is silence." },
        );
    });
});
