import * as assert from "assert";
import { BucketBackup, BucketBackupArgs } from "../infra/components/storage";
import { runProgram } from "../tools/check/engine";
import { CHECK_ACCOUNT_ID } from "../tools/check/invokes";
import { excluding, runStack, StackRun } from "./helpers/program";

// The search tier's snapshot repository is a BucketBackup too (tests/search.spec.ts covers it), the
// service tier has a bucket of its own (access logs), and the recovery-point watch (tests/watch.spec.ts)
// its alarms and log group.
const storageOnly = async (stack: string, opts?: Parameters<typeof runStack>[1]) =>
    excluding(
        await runStack(stack, opts),
        "continuity:search:SearchDomain",
        "continuity:service:WebService",
        "continuity:watch:RecoveryPointWatch",
    );

const T = {
    bucket: "aws:s3/bucket:Bucket",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    publicAccess: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    lock: "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
    lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    key: "aws:kms/key:Key",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    replication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
};

const arn = (service: string, region: string, name: string) => `arn:aws:${service}:${region}:${CHECK_ACCOUNT_ID}:${name}`;

/** What the replication role may read of each source version: with Object Lock, its retention and legal hold too. */
const READ_VERSIONS = [
    "s3:GetObjectVersionForReplication",
    "s3:GetObjectVersionAcl",
    "s3:GetObjectVersionTagging",
    "s3:GetObjectRetention",
    "s3:GetObjectLegalHold",
];
/** No DataSync anywhere: no task or location, and no log group or log resource policy for one. */
const dataSyncLeftovers = (run: StackRun) =>
    run.resources.filter((r) => r.type.startsWith("aws:datasync/") || r.type.startsWith("aws:cloudwatch/log")).map((r) => r.name);

describe("BucketBackup (infra/components/storage.ts)", () => {
    describe("staging: S3 replication into Deep Archive under Object Lock", () => {
        let run: StackRun;
        const policyOf = (name: string) => run.resources.find((r) => r.type === T.rolePolicy && r.name === name)!;
        before(async () => (run = await storageOnly("staging")));

        it("creates the data bucket in the primary region and its copy, under Object Lock, in the DR region", () => {
            const [source, copy] = run.all(T.bucket);
            assert.deepStrictEqual(
                [source.properties.bucket, source.properties.region, source.properties.objectLockEnabled],
                ["continuity-staging-uploads", "us-west-2", undefined],
            );
            assert.deepStrictEqual(
                [copy.properties.bucket, copy.properties.region, copy.properties.objectLockEnabled],
                ["continuity-staging-uploads-dr-us-east-1", "us-east-1", true],
            );
            assert.strictEqual((source.properties.tags as any).role, "primary");
            assert.strictEqual((copy.properties.tags as any).role, "dr-copy");
            assert.strictEqual((copy.properties.tags as any).dataset, "uploads");
        });

        it("versions, encrypts with a key of each region, blocks public access and enforces ownership on both", () => {
            assert.deepStrictEqual(
                run.all(T.versioning).map((v) => [v.properties.bucket, (v.properties.versioningConfiguration as any).status]),
                [
                    ["continuity-staging-uploads", "Enabled"],
                    ["continuity-staging-uploads-dr-us-east-1", "Enabled"],
                ],
            );
            const keys = run.all(T.key);
            // By region: the keys register as their inputs resolve, in no fixed order.
            assert.deepStrictEqual(
                keys.map((k) => [k.properties.region, k.properties.enableKeyRotation, k.properties.deletionWindowInDays]).sort(),
                [
                    ["us-east-1", true, 30],
                    ["us-west-2", true, 30],
                ],
            );
            assert.deepStrictEqual(
                run.all(T.encryption).map((e) => (e.properties.rules as any)[0]),
                [
                    {
                        applyServerSideEncryptionByDefault: {
                            sseAlgorithm: "aws:kms",
                            kmsMasterKeyId: arn("kms", "us-west-2", "continuity-staging-uploads-key"),
                        },
                        bucketKeyEnabled: true,
                    },
                    {
                        applyServerSideEncryptionByDefault: {
                            sseAlgorithm: "aws:kms",
                            kmsMasterKeyId: arn("kms", "us-east-1", "continuity-staging-uploads-dr-key"),
                        },
                        bucketKeyEnabled: true,
                    },
                ],
            );
            for (const b of run.all(T.publicAccess)) {
                assert.deepStrictEqual(
                    [
                        b.properties.blockPublicAcls,
                        b.properties.blockPublicPolicy,
                        b.properties.ignorePublicAcls,
                        b.properties.restrictPublicBuckets,
                    ],
                    [true, true, true, true],
                );
            }
            assert.deepStrictEqual(
                run.all(T.ownership).map((o) => (o.properties.rule as any).objectOwnership),
                ["BucketOwnerEnforced", "BucketOwnerEnforced"],
            );
        });

        it("locks the copy in governance mode for 7 days and expires noncurrent versions after 30", () => {
            assert.deepStrictEqual(run.one(T.lock).properties.rule, { defaultRetention: { mode: "GOVERNANCE", days: 7 } });
            assert.strictEqual(run.one(T.lock).properties.region, "us-east-1");
            assert.deepStrictEqual(run.one(T.lifecycle).properties.rules, [
                { id: "expire-noncurrent-versions", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: 30 } },
            ]);
        });

        it("replicates every new version of uploads into DEEP_ARCHIVE in us-east-1, without delete markers, with metrics", () => {
            const r = run.one(T.replication).properties;
            assert.deepStrictEqual(
                [r.bucket, r.region, r.role],
                [
                    "continuity-staging-uploads",
                    "us-west-2",
                    // The mock engine's ARN of the role (a real one reads arn:aws:iam::<account>:role/<name>).
                    `arn:aws:iam:us-east-1:${CHECK_ACCOUNT_ID}:continuity-staging-uploads-replication`,
                ],
            );
            assert.deepStrictEqual(r.rules, [
                {
                    id: "dr-copy",
                    status: "Enabled",
                    priority: 1,
                    filter: {},
                    deleteMarkerReplication: { status: "Disabled" },
                    sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
                    destination: {
                        bucket: arn("s3", "us-east-1", "continuity-staging-uploads-dr-bucket"),
                        storageClass: "DEEP_ARCHIVE",
                        encryptionConfiguration: { replicaKmsKeyId: arn("kms", "us-east-1", "continuity-staging-uploads-dr-key") },
                        metrics: { status: "Enabled" },
                    },
                },
            ]);
        });

        it("lets S3 assume the replication role: it reads versions with their retention and legal hold, writes only replicas", () => {
            const role = run.resources.find((r) => r.type === "aws:iam/role:Role" && r.name === "continuity-staging-uploads-replication")!;
            assert.deepStrictEqual(JSON.parse(role.properties.assumeRolePolicy as string).Statement, [
                { Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: "sts:AssumeRole" },
            ]);
            const policy = JSON.parse(policyOf("continuity-staging-uploads-replication").properties.policy as string);
            const dr = arn("s3", "us-east-1", "continuity-staging-uploads-dr-bucket");
            assert.deepStrictEqual(
                policy.Statement.map((s: any) => [s.Action, s.Resource]),
                [
                    [["s3:GetReplicationConfiguration", "s3:ListBucket"], "arn:aws:s3:::continuity-staging-uploads"],
                    [READ_VERSIONS, "arn:aws:s3:::continuity-staging-uploads/*"],
                    [["s3:ReplicateObject", "s3:ReplicateTags"], `${dr}/*`],
                    [["kms:Decrypt"], arn("kms", "us-west-2", "continuity-staging-uploads-key")],
                    [["kms:Encrypt", "kms:GenerateDataKey"], arn("kms", "us-east-1", "continuity-staging-uploads-dr-key")],
                ],
            );
        });

        it("alarms on failed replication operations to the alert topic", () => {
            const a = run.one(T.alarm).properties;
            assert.deepStrictEqual(
                [a.region, a.namespace, a.metricName, a.statistic, a.period, a.evaluationPeriods],
                ["us-west-2", "AWS/S3", "OperationsFailedReplication", "Sum", 300, 1],
            );
            assert.deepStrictEqual(
                [a.comparisonOperator, a.threshold, a.treatMissingData, a.alarmActions],
                ["GreaterThanThreshold", 0, "notBreaching", [arn("sns", "us-west-2", "continuity-staging-alerts-topic")]],
            );
            assert.deepStrictEqual(a.dimensions, {
                SourceBucket: "continuity-staging-uploads",
                DestinationBucket: "continuity-staging-uploads-dr-us-east-1",
                RuleId: "dr-copy",
            });
        });

        it("declares exactly the bucket, its copy, their protections, the replication and its alarm: no DataSync", () => {
            assert.deepStrictEqual(
                run.resources
                    .filter((r) => r.parent?.endsWith("::continuity-staging-uploads"))
                    .map((r) => `${r.type} ${r.name}`)
                    .sort(),
                [
                    "aws:cloudwatch/metricAlarm:MetricAlarm continuity-staging-uploads-replication-failed",
                    "aws:iam/role:Role continuity-staging-uploads-replication",
                    "aws:iam/rolePolicy:RolePolicy continuity-staging-uploads-replication",
                    "aws:kms/key:Key continuity-staging-uploads-dr-key",
                    "aws:kms/key:Key continuity-staging-uploads-key",
                    "aws:s3/bucket:Bucket continuity-staging-uploads-bucket",
                    "aws:s3/bucket:Bucket continuity-staging-uploads-dr-bucket",
                    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration continuity-staging-uploads-dr-bucket-lifecycle",
                    "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration continuity-staging-uploads-dr-bucket-lock",
                    "aws:s3/bucketOwnershipControls:BucketOwnershipControls continuity-staging-uploads-bucket-ownership",
                    "aws:s3/bucketOwnershipControls:BucketOwnershipControls continuity-staging-uploads-dr-bucket-ownership",
                    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock continuity-staging-uploads-bucket-public-access-block",
                    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock continuity-staging-uploads-dr-bucket-public-access-block",
                    "aws:s3/bucketReplicationConfig:BucketReplicationConfig continuity-staging-uploads-replication",
                    `${T.encryption} continuity-staging-uploads-bucket-encryption`,
                    `${T.encryption} continuity-staging-uploads-dr-bucket-encryption`,
                    "aws:s3/bucketVersioning:BucketVersioning continuity-staging-uploads-bucket-versioning",
                    "aws:s3/bucketVersioning:BucketVersioning continuity-staging-uploads-dr-bucket-versioning",
                ],
            );
            // Nor anything DataSync needed at the stack level (its log resource policy).
            assert.deepStrictEqual(dataSyncLeftovers(run), []);
        });

        it("exports the data buckets and their copies", () => {
            assert.deepStrictEqual(run.outputs.dataBuckets, ["continuity-staging-uploads"]);
            assert.deepStrictEqual(run.outputs.drBuckets, ["continuity-staging-uploads-dr-us-east-1"]);
        });
    });

    describe("production: both buckets replicated into Deep Archive under a compliance-mode lock", () => {
        let run: StackRun;
        before(async () => (run = await storageOnly("production")));
        const DATASETS = ["uploads", "exports"];

        it("locks both copies in compliance mode for 30 days, expiring noncurrent versions after 90", () => {
            assert.deepStrictEqual(
                run.all(T.lock).map((l) => l.properties.rule),
                [{ defaultRetention: { mode: "COMPLIANCE", days: 30 } }, { defaultRetention: { mode: "COMPLIANCE", days: 30 } }],
            );
            assert.deepStrictEqual(
                run.all(T.lifecycle).map((l) => (l.properties.rules as any)[0].noncurrentVersionExpiration),
                [{ noncurrentDays: 90 }, { noncurrentDays: 90 }],
            );
        });

        it("replicates uploads and exports into Deep Archive in eu-central-1 without delete markers, with metrics", () => {
            assert.deepStrictEqual(
                run.all(T.replication).map((r) => [r.properties.bucket, r.properties.region, r.properties.rules]),
                DATASETS.map((d) => [
                    `continuity-production-${d}`,
                    "eu-west-1",
                    [
                        {
                            id: "dr-copy",
                            status: "Enabled",
                            priority: 1,
                            filter: {},
                            deleteMarkerReplication: { status: "Disabled" },
                            sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
                            destination: {
                                bucket: arn("s3", "eu-central-1", `continuity-production-${d}-dr-bucket`),
                                storageClass: "DEEP_ARCHIVE",
                                encryptionConfiguration: {
                                    replicaKmsKeyId: arn("kms", "eu-central-1", `continuity-production-${d}-dr-key`),
                                },
                                // No event threshold: S3 refuses one without Replication Time Control.
                                metrics: { status: "Enabled" },
                            },
                        },
                    ],
                ]),
            );
        });

        it("sends the replication event threshold only with Replication Time Control, on every bucket", async () => {
            const withRtc = await storageOnly("production", { edit: (c) => (c.storage.replicationTimeControl = true) });
            const rtc = [
                { status: "Enabled", eventThreshold: { minutes: 15 } },
                { status: "Enabled", time: { minutes: 15 } },
            ];
            const destinations = withRtc.all(T.replication).map((r) => (r.properties.rules as any)[0].destination);
            assert.deepStrictEqual(
                destinations.map((d) => [d.metrics, d.replicationTime]),
                [rtc, rtc],
            );
        });

        it("lets each replication role read the source's versions with their retention and legal hold, and write only replicas", () => {
            for (const d of DATASETS) {
                const policy = run.resources.find((r) => r.type === T.rolePolicy && r.name === `continuity-production-${d}-replication`)!;
                const statements = JSON.parse(policy.properties.policy as string).Statement.map((s: any) => [s.Action, s.Resource]);
                const dr = arn("s3", "eu-central-1", `continuity-production-${d}-dr-bucket`);
                assert.deepStrictEqual(statements, [
                    [["s3:GetReplicationConfiguration", "s3:ListBucket"], `arn:aws:s3:::continuity-production-${d}`],
                    [READ_VERSIONS, `arn:aws:s3:::continuity-production-${d}/*`],
                    [["s3:ReplicateObject", "s3:ReplicateTags"], `${dr}/*`],
                    [["kms:Decrypt"], arn("kms", "eu-west-1", `continuity-production-${d}-key`)],
                    [["kms:Encrypt", "kms:GenerateDataKey"], arn("kms", "eu-central-1", `continuity-production-${d}-dr-key`)],
                ]);
            }
        });

        it("alarms on failed replication operations of each bucket to the alert topic", () => {
            const topic = arn("sns", "eu-west-1", "continuity-production-alerts-topic");
            assert.deepStrictEqual(
                run.all(T.alarm).map(({ properties: a }) => [a.metricName, a.comparisonOperator, a.threshold, a.alarmActions]),
                DATASETS.map(() => ["OperationsFailedReplication", "GreaterThanThreshold", 0, [topic]]),
            );
            assert.deepStrictEqual(
                run.all(T.alarm).map((a) => a.properties.dimensions),
                DATASETS.map((d) => ({
                    SourceBucket: `continuity-production-${d}`,
                    DestinationBucket: `continuity-production-${d}-dr-eu-central-1`,
                    RuleId: "dr-copy",
                })),
            );
        });

        it("has no DataSync task, location, log group or log resource policy", () => {
            assert.deepStrictEqual(dataSyncLeftovers(run), []);
        });

        it("protects the buckets and keys of production from deletion", () => {
            for (const type of [T.bucket, T.key]) {
                assert.deepStrictEqual(
                    run.all(type).map((r) => r.options.protect),
                    [true, true, true, true],
                );
            }
        });
    });

    it("adopts an existing bucket by name: its protections are managed, the bucket itself is not", async () => {
        const run = await storageOnly("staging", { edit: (c) => (c.storage.buckets[0].adopt = true) });
        assert.deepStrictEqual(
            run.all(T.bucket).map((b) => b.properties.bucket),
            ["continuity-staging-uploads-dr-us-east-1"],
        );
        assert.strictEqual(run.all(T.versioning)[0].properties.bucket, "continuity-staging-uploads");
        assert.strictEqual(run.one(T.replication).properties.bucket, "continuity-staging-uploads");
    });

    it("copies the objects an adopted bucket already holds once, by S3 Batch Replication, when it is replicated", async () => {
        const run = await storageOnly("production", { edit: (c) => (c.storage.buckets[1].adopt = true) });
        const role = run.resources.find(
            (r) => r.type === "aws:iam/role:Role" && r.name === "continuity-production-exports-batch-replication",
        )!;
        assert.deepStrictEqual(JSON.parse(role.properties.assumeRolePolicy as string).Statement[0].Principal, {
            Service: "batchoperations.s3.amazonaws.com",
        });
        const policy = run.resources.find((r) => r.type === T.rolePolicy && r.name === "continuity-production-exports-batch-replication")!;
        assert.deepStrictEqual(
            JSON.parse(policy.properties.policy as string).Statement.map((s: any) => [s.Action, s.Resource]),
            [
                [["s3:InitiateReplication"], "arn:aws:s3:::continuity-production-exports/*"],
                [["s3:GetReplicationConfiguration", "s3:PutInventoryConfiguration"], "arn:aws:s3:::continuity-production-exports"],
            ],
        );
        // The stack shows the command to run once after `pulumi up` (its text: the next test).
        assert.strictEqual((run.outputs.copyExistingObjects as string[]).length, 1);
        assert.match((run.outputs.copyExistingObjects as string[])[0], /^aws s3control create-job /);
        // A bucket created here is empty when replication starts: it needs no such job.
        const fresh = await storageOnly("production");
        assert.deepStrictEqual(
            fresh.resources.filter((r) => r.name.endsWith("-batch-replication")).map((r) => r.name),
            [],
        );
        assert.strictEqual(fresh.outputs.copyExistingObjects, undefined);
    });

    it("gives the one-time Batch Replication command of an adopted, replicated bucket", async () => {
        const args: BucketBackupArgs = {
            bucketName: "data",
            adopt: true,
            strategy: "replication",
            region: "us-west-2",
            drBucketName: "data-dr",
            drRegion: "us-east-1",
            lock: { mode: "governance", days: 7 },
            noncurrentVersionDays: 30,
            alertTopicArn: "arn:aws:sns:us-west-2:123456789012:alerts",
            tags: {},
        };
        const program = (a: BucketBackupArgs) => () => ({ command: new BucketBackup("b", a).copyExistingCommand });
        const run = await runProgram({ project: "p", stack: "s", config: {}, preview: false, program: program(args) });
        const role = run.resources.find((r) => r.type === "aws:iam/role:Role" && r.name === "b-batch-replication")!;
        assert.ok(role);
        assert.strictEqual(
            run.outputs.command,
            `aws s3control create-job --region us-west-2 --account-id ${CHECK_ACCOUNT_ID} --no-confirmation-required --priority 10 ` +
                // The mock engine's ARN of the role (a real one reads arn:aws:iam::<account>:role/<name>).
                `--role-arn arn:aws:iam:us-east-1:${CHECK_ACCOUNT_ID}:b-batch-replication ` +
                `--operation '{"S3ReplicateObject":{}}' --report '{"Enabled":false}' ` +
                `--manifest-generator '{"S3JobManifestGenerator":{"ExpectedBucketOwner":"${CHECK_ACCOUNT_ID}","SourceBucket":"arn:aws:s3:::data","EnableManifestOutput":false,"Filter":{"EligibleForReplication":true,"ObjectReplicationStatuses":["NONE","FAILED"]}}}'`,
        );
        const created = await runProgram({
            project: "p",
            stack: "s",
            config: {},
            preview: false,
            program: program({ ...args, adopt: false }),
        });
        assert.strictEqual(created.outputs.command, undefined);
    });

    describe("argument checks", () => {
        const base: BucketBackupArgs = {
            bucketName: "data",
            region: "us-west-2",
            drBucketName: "data-dr",
            drRegion: "us-east-1",
            lock: { mode: "governance", days: 7 },
            noncurrentVersionDays: 30,
            alertTopicArn: "arn:aws:sns:us-west-2:123456789012:alerts",
            tags: {},
        };
        const construct = (args: Partial<BucketBackupArgs>) => () =>
            runProgram({
                project: "p",
                stack: "s",
                config: {},
                preview: false,
                program: () => new BucketBackup("b", { ...base, ...args }),
            });

        it("rejects a DR region equal to the source region", async () => {
            await assert.rejects(construct({ drRegion: "us-west-2" }), {
                message:
                    "BucketBackup 'b': drRegion must differ from region (both us-west-2); a copy in the same region does not survive its loss.",
            });
        });
        it("rejects versions expiring before their lock ends", async () => {
            await assert.rejects(construct({ noncurrentVersionDays: 5 }), {
                message:
                    "BucketBackup 'b': noncurrentVersionDays (5) must be at least lock.days (7); Object Lock keeps versions that long.",
            });
        });
        it("rejects the weekly DataSync copy it no longer makes, naming the strategy, from a caller without the types", async () => {
            // What plain JavaScript (or a transpile-only run) can pass; the types allow "replication" only.
            await assert.rejects(construct({ strategy: "weekly" as unknown as BucketBackupArgs["strategy"] }), {
                message:
                    `BucketBackup 'b': strategy "weekly" is not offered; the only one is "replication" ` +
                    "(S3 replication into the copy under Object Lock): " +
                    "DataSync is not documented to write into a bucket under an Object Lock default retention.",
            });
        });
        it("replicates when the strategy is left out", async () => {
            const run = await construct({})();
            assert.deepStrictEqual(
                run.resources.filter((r) => r.type === T.replication).map((r) => r.name),
                ["b-replication"],
            );
            assert.deepStrictEqual(
                run.resources.filter((r) => r.type.startsWith("aws:datasync/")).map((r) => r.name),
                [],
            );
        });
    });
});
