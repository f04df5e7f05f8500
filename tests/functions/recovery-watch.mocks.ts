// The AWS SDK clients the recovery-point watch specs mock, one mock per client for the whole test run: each suite
// resets them before each test (which stubs the client again) and restores them after.
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { S3Client } from "@aws-sdk/client-s3";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";

export const s3 = mockClient(S3Client);
export const cloudwatch = mockClient(CloudWatchClient);
export const secrets = mockClient(SecretsManagerClient);
