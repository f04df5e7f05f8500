import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface AlertingArgs {
    /** AWS region of the topic: the primary region, where the alarms of every tier live. */
    readonly region: pulumi.Input<string>;
    /** Addresses that receive every alert, from SNS and from Atlas alike. */
    readonly emails: readonly string[];
    /** An https endpoint that receives every alert as well (kept secret). */
    readonly webhookUrl?: pulumi.Input<string>;
    readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/**
 * The DevOps alert channel: an SNS topic with the team's e-mail subscriptions (and a webhook), that
 * CloudWatch alarms and EventBridge rules of every tier publish to. The same addresses are handed to
 * Atlas, whose alerts cannot publish to SNS.
 */
export class Alerting extends pulumi.ComponentResource {
    readonly topic: aws.sns.Topic;
    readonly topicArn: pulumi.Output<string>;
    readonly emails: readonly string[];
    readonly webhookUrl?: pulumi.Input<string>;

    constructor(name: string, args: AlertingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("continuity:alerting:Alerting", name, {}, opts);
        if (args.emails.length === 0) {
            throw new Error(`Alerting '${name}': emails must list at least one address; an alert nobody receives is silence.`);
        }
        this.emails = args.emails;
        this.webhookUrl = args.webhookUrl;

        this.topic = new aws.sns.Topic(
            `${name}-topic`,
            { region: args.region, displayName: "continuity alerts", tags: args.tags },
            { parent: this },
        );
        this.topicArn = this.topic.arn;

        // Alarms and EventBridge rules publish as AWS services; only this account's may.
        const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        new aws.sns.TopicPolicy(
            `${name}-topic-policy`,
            {
                region: args.region,
                arn: this.topic.arn,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "AwsServicesOfThisAccountPublish",
                            Effect: "Allow",
                            Principal: { Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com"] },
                            Action: "sns:Publish",
                            Resource: this.topic.arn,
                            Condition: { StringEquals: { "aws:SourceAccount": account } },
                        },
                    ],
                }),
            },
            { parent: this },
        );

        for (const email of args.emails) {
            new aws.sns.TopicSubscription(
                `${name}-email-${subscriptionSuffix(email)}`,
                { region: args.region, topic: this.topic.arn, protocol: "email", endpoint: email },
                { parent: this },
            );
        }
        if (args.webhookUrl !== undefined) {
            new aws.sns.TopicSubscription(
                `${name}-webhook`,
                {
                    region: args.region,
                    topic: this.topic.arn,
                    protocol: "https",
                    endpoint: args.webhookUrl,
                },
                { parent: this },
            );
        }

        this.registerOutputs({ topicArn: this.topicArn });
    }
}

/** Names a subscription after its address, so reordering the list does not replace subscriptions. */
function subscriptionSuffix(email: string): string {
    return email.toLowerCase().replace(/[^a-z0-9]+/g, "-");
}
