import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface TopicAlarmArgs extends Omit<aws.cloudwatch.MetricAlarmArgs, "alarmActions" | "okActions"> {
    /** The SNS topic the alarm notifies; it must be in the alarm's region. */
    readonly topicArn: pulumi.Input<string>;
    /** Whether the topic also hears that the alarm is over (OK); default true. */
    readonly notifyOk?: boolean;
}

/**
 * A CloudWatch alarm that notifies one topic when it fires and, unless `notifyOk` is false, when it
 * clears: the one shape of every alarm the tiers raise.
 */
export function topicAlarm(name: string, args: TopicAlarmArgs, opts?: pulumi.CustomResourceOptions): aws.cloudwatch.MetricAlarm {
    const { topicArn, notifyOk, ...alarm } = args;
    return new aws.cloudwatch.MetricAlarm(
        name,
        { ...alarm, alarmActions: [topicArn], ...((notifyOk ?? true) ? { okActions: [topicArn] } : {}) },
        opts,
    );
}
