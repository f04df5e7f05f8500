// The AWS SDK clients the recovery-point watch specs mock, one mock per client for the whole test run: each suite
// resets them before each test (which stubs the client again) and restores them after.
import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { S3Client } from "@aws-sdk/client-s3";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { AtlasServer, FakeS3, KEYS, SECRET_ARN, seed, startAtlas } from "./recovery-watch.fakes";

export const s3 = mockClient(S3Client);
export const cloudwatch = mockClient(CloudWatchClient);
export const secrets = mockClient(SecretsManagerClient);

/** What each test of a watch suite starts from: the Atlas stand-in, the seeded S3 fake, an empty log. */
export interface WatchStand {
    readonly atlas: AtlasServer;
    readonly fake: FakeS3;
    readonly logs: string[];
}

/**
 * The hooks of a recovery-point watch suite, called inside its `describe`: an Atlas stand-in for the suite, the mocks
 * reset and the stand-ins seeded before each test (handed to `onEach`), everything restored after. Returns the
 * function's environment for a list of stores and the metrics it published.
 */
export function watchStand(onEach: (stand: WatchStand) => void) {
    let atlas: AtlasServer;
    const savedRegion = process.env.AWS_REGION;

    before(async () => {
        process.env.AWS_REGION = "us-west-2";
        atlas = await startAtlas({ [KEYS.publicKey]: KEYS.privateKey });
    });
    after(async () => {
        await atlas.close();
        if (savedRegion === undefined) delete process.env.AWS_REGION;
        else process.env.AWS_REGION = savedRegion;
        s3.restore();
        cloudwatch.restore();
        secrets.restore();
    });

    beforeEach(() => {
        s3.reset();
        cloudwatch.reset();
        secrets.reset();
        atlas.requests.length = 0;
        atlas.clusters.clear();
        atlas.hang.clear();
        secrets.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: JSON.stringify(KEYS) });
        cloudwatch.on(PutMetricDataCommand).resolves({});

        const fake = seed(atlas);
        fake.install(s3);
        onEach({ atlas, fake, logs: [] });
    });

    return {
        env: (stores: unknown[], extra: Record<string, string> = {}) => ({
            WATCH_STORES: JSON.stringify(stores),
            ATLAS_SECRET_ARN: SECRET_ARN,
            ATLAS_API_URL: atlas.url,
            ENVIRONMENT: "staging",
            ...extra,
        }),
        metrics: () =>
            cloudwatch.commandCalls(PutMetricDataCommand).map((c) => {
                const d = c.args[0].input.MetricData![0];
                return {
                    ns: c.args[0].input.Namespace,
                    name: d.MetricName,
                    dims: d.Dimensions,
                    value: d.Value,
                    unit: d.Unit,
                    at: d.Timestamp,
                };
            }),
    };
}
