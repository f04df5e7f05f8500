import * as aws from "@pulumi/aws";

/**
 * The trust policy of a role that one AWS service assumes on the account's behalf (S3 replication and
 * batch operations, OpenSearch snapshots and notifications, ECS tasks): that service, and no one else.
 */
export function assumedBy(service: string): string {
    const policy: aws.iam.PolicyDocument = {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
    };
    return JSON.stringify(policy);
}
