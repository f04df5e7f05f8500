import * as assert from "assert";
import { BucketBackup, BucketBackupArgs, weeklySchedule } from "../infra/components/storage";
import { runProgram } from "../tools/check/engine";
import { CHECK_ACCOUNT_ID } from "../tools/check/invokes";
import { excluding, runStack, StackRun } from "./helpers/program";

// The search tier's snapshot repository is a BucketBackup too (tests/search.spec.ts covers it), and the
// service tier has a bucket of its own (access logs).
const storageOnly = async (stack: string, opts?: Parameters<typeof runStack>[1]) =>
    excluding(await runStack(stack, opts), "continuity:search:SearchDomain", "continuity:service:WebService");

const T = {
    bucket: "aws:s3/bucket:Bucket",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    publicAccess: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    lock: "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
    lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    key: "aws:kms/key:Key",
    location: "aws:datasync/s3Location:S3Location",
    task: "aws:datasync/task:Task",
    rule: "aws:cloudwatch/eventRule:EventRule",
    target: "aws:cloudwatch/eventTarget:EventTarget",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    replication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
};

const arn = (service: string, region: string, name: string) => `arn:aws:${service}:${region}:${CHECK_ACCOUNT_ID}:${name}`;

describe("BucketBackup (infra/components/storage.ts)", () => {
    describe("staging: a weekly DataSync copy into Deep Archive", () => {
        let run: StackRun;
        const policyOf = (name: string) => run.resources.find((r) => r.type === T.rolePolicy && r.name === name)!;
        before(async () => (run = await storageOnly("staging")));

        it("creates the data bucket in the primary region and its copy, under Object Lock, in the DR region", () => {
            const [source, copy] = run.all(T.bucket);
            assert.deepStrictEqual([source.properties.bucket, source.properties.region, source.properties.objectLockEnabled], ["continuity-staging-uploads", "us-west-2", undefined]);
            assert.deepStrictEqual([copy.properties.bucket, copy.properties.region, copy.properties.objectLockEnabled], ["continuity-staging-uploads-dr-us-east-1", "us-east-1", true]);
            assert.strictEqual((source.properties.tags as any).role, "primary");
            assert.strictEqual((copy.properties.tags as any).role, "dr-copy");
            assert.strictEqual((copy.properties.tags as any).dataset, "uploads");
        });

        it("versions, encrypts with a key of each region, blocks public access and enforces ownership on both", () => {
            assert.deepStrictEqual(run.all(T.versioning).map((v) => [v.properties.bucket, (v.properties.versioningConfiguration as any).status]), [
                ["continuity-staging-uploads", "Enabled"],
                ["continuity-staging-uploads-dr-us-east-1", "Enabled"],
            ]);
            const keys = run.all(T.key);
            assert.deepStrictEqual(keys.map((k) => [k.properties.region, k.properties.enableKeyRotation, k.properties.deletionWindowInDays]), [
                ["us-west-2", true, 30],
                ["us-east-1", true, 30],
            ]);
            assert.deepStrictEqual(
                run.all(T.encryption).map((e) => (e.properties.rules as any)[0]),
                [
                    { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: arn("kms", "us-west-2", "continuity-staging-uploads-key") }, bucketKeyEnabled: true },
                    { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: arn("kms", "us-east-1", "continuity-staging-uploads-dr-key") }, bucketKeyEnabled: true },
                ],
            );
            for (const b of run.all(T.publicAccess)) {
                assert.deepStrictEqual([b.properties.blockPublicAcls, b.properties.blockPublicPolicy, b.properties.ignorePublicAcls, b.properties.restrictPublicBuckets], [true, true, true, true]);
            }
            assert.deepStrictEqual(run.all(T.ownership).map((o) => (o.properties.rule as any).objectOwnership), ["BucketOwnerEnforced", "BucketOwnerEnforced"]);
        });

        it("locks the copy in governance mode for 7 days and expires noncurrent versions after 30", () => {
            assert.deepStrictEqual(run.one(T.lock).properties.rule, { defaultRetention: { mode: "GOVERNANCE", days: 7 } });
            assert.strictEqual(run.one(T.lock).properties.region, "us-east-1");
            assert.deepStrictEqual(run.one(T.lifecycle).properties.rules, [
                { id: "expire-noncurrent-versions", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: 30 } },
            ]);
        });

        it("copies every Saturday at 04:00 UTC into DEEP_ARCHIVE, verifying what it transferred and keeping deleted files", () => {
            const task = run.one(T.task).properties;
            assert.strictEqual(task.region, "us-west-2");
            assert.deepStrictEqual(task.schedule, { scheduleExpression: "cron(0 4 ? * SAT *)" });
            assert.deepStrictEqual(task.options, {
                verifyMode: "ONLY_FILES_TRANSFERRED",
                transferMode: "CHANGED",
                overwriteMode: "ALWAYS",
                preserveDeletedFiles: "PRESERVE",
                objectTags: "PRESERVE",
                logLevel: "BASIC",
            });
            // The mock engine's ARN for the log group (a real one reads arn:aws:logs:…:log-group:…).
            assert.strictEqual(task.cloudwatchLogGroupArn, arn("cloudwatch", "us-west-2", "continuity-staging-uploads-datasync-logs"));
            const [from, to] = run.all(T.location);
            assert.deepStrictEqual([from.properties.region, from.properties.s3BucketArn, from.properties.s3StorageClass], ["us-west-2", "arn:aws:s3:::continuity-staging-uploads", undefined]);
            assert.deepStrictEqual([to.properties.region, to.properties.s3BucketArn, to.properties.s3StorageClass], ["us-east-1", arn("s3", "us-east-1", "continuity-staging-uploads-dr-bucket"), "DEEP_ARCHIVE"]);
            assert.strictEqual(task.sourceLocationArn, arn("datasync", "us-west-2", from.name));
            assert.strictEqual(task.destinationLocationArn, arn("datasync", "us-east-1", to.name));
        });

        it("gives each location a role allowed only its side of the copy", () => {
            const read = JSON.parse(policyOf("continuity-staging-uploads-datasync-read").properties.policy as string);
            const write = JSON.parse(policyOf("continuity-staging-uploads-datasync-write").properties.policy as string);
            assert.deepStrictEqual(read.Statement.map((s: any) => [s.Action, s.Resource]), [
                [["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"], "arn:aws:s3:::continuity-staging-uploads"],
                [["s3:GetObject", "s3:GetObjectTagging", "s3:GetObjectVersion", "s3:GetObjectVersionTagging"], "arn:aws:s3:::continuity-staging-uploads/*"],
                [["kms:Decrypt"], arn("kms", "us-west-2", "continuity-staging-uploads-key")],
            ]);
            const drBucket = arn("s3", "us-east-1", "continuity-staging-uploads-dr-bucket");
            assert.deepStrictEqual(write.Statement.map((s: any) => [s.Action, s.Resource]), [
                [["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"], drBucket],
                [["s3:AbortMultipartUpload", "s3:GetObject", "s3:GetObjectTagging", "s3:ListMultipartUploadParts", "s3:PutObject", "s3:PutObjectTagging"], `${drBucket}/*`],
                [["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], arn("kms", "us-east-1", "continuity-staging-uploads-dr-key")],
            ]);
        });

        it("lets DataSync write its task logs, in this account only", () => {
            const policy = run.one("aws:cloudwatch/logResourcePolicy:LogResourcePolicy").properties;
            assert.strictEqual(policy.region, "us-west-2");
            assert.deepStrictEqual(JSON.parse(policy.policyDocument as string).Statement, [
                {
                    Sid: "DataSyncTaskLogs",
                    Effect: "Allow",
                    Principal: { Service: "datasync.amazonaws.com" },
                    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                    Resource: `arn:aws:logs:us-west-2:${CHECK_ACCOUNT_ID}:log-group:/aws/datasync/*:*`,
                    Condition: { StringEquals: { "aws:SourceAccount": CHECK_ACCOUNT_ID } },
                },
            ]);
        });

        it("routes a failed task execution to the alert topic", () => {
            const pattern = JSON.parse(run.one(T.rule).properties.eventPattern as string);
            assert.deepStrictEqual(pattern, {
                source: ["aws.datasync"],
                "detail-type": ["DataSync Task Execution State Change"],
                resources: [{ prefix: arn("datasync", "us-west-2", "continuity-staging-uploads-weekly-copy") }],
                detail: { State: ["ERROR"] },
            });
            assert.strictEqual(run.one(T.target).properties.arn, arn("sns", "us-west-2", "continuity-staging-alerts-topic"));
        });

        it("exports the data buckets and their copies", () => {
            assert.deepStrictEqual(run.outputs.dataBuckets, ["continuity-staging-uploads"]);
            assert.deepStrictEqual(run.outputs.drBuckets, ["continuity-staging-uploads-dr-us-east-1"]);
        });
    });

    describe("production: compliance-mode lock, and a replication example", () => {
        let run: StackRun;
        before(async () => (run = await storageOnly("production")));

        it("locks both copies in compliance mode for 30 days, expiring noncurrent versions after 90", () => {
            assert.deepStrictEqual(run.all(T.lock).map((l) => l.properties.rule), [
                { defaultRetention: { mode: "COMPLIANCE", days: 30 } },
                { defaultRetention: { mode: "COMPLIANCE", days: 30 } },
            ]);
            assert.deepStrictEqual(run.all(T.lifecycle).map((l) => (l.properties.rules as any)[0].noncurrentVersionExpiration), [{ noncurrentDays: 90 }, { noncurrentDays: 90 }]);
        });

        it("replicates exports into Deep Archive in eu-central-1 without delete markers, with metrics", () => {
            const r = run.one(T.replication).properties;
            assert.strictEqual(r.bucket, "continuity-production-exports");
            assert.strictEqual(r.region, "eu-west-1");
            assert.deepStrictEqual(r.rules, [
                {
                    id: "dr-copy",
                    status: "Enabled",
                    priority: 1,
                    filter: {},
                    deleteMarkerReplication: { status: "Disabled" },
                    sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
                    destination: {
                        bucket: arn("s3", "eu-central-1", "continuity-production-exports-dr-bucket"),
                        storageClass: "DEEP_ARCHIVE",
                        encryptionConfiguration: { replicaKmsKeyId: arn("kms", "eu-central-1", "continuity-production-exports-dr-key") },
                        // No event threshold: S3 refuses one without Replication Time Control.
                        metrics: { status: "Enabled" },
                    },
                },
            ]);
        });

        it("sends the replication event threshold only with Replication Time Control", async () => {
            const withRtc = excluding(await runStack("production", { edit: (c) => (c.storage.replicationTimeControl = true) }), "continuity:search:SearchDomain", "continuity:service:WebService");
            const destination = (withRtc.one(T.replication).properties.rules as any)[0].destination;
            assert.deepStrictEqual([destination.metrics, destination.replicationTime], [
                { status: "Enabled", eventThreshold: { minutes: 15 } },
                { status: "Enabled", time: { minutes: 15 } },
            ]);
        });

        it("lets the replication role read the source's versions and write only replicas into the copy", () => {
            const policy = run.resources.find((r) => r.type === T.rolePolicy && r.name === "continuity-production-exports-replication")!;
            const statements = JSON.parse(policy.properties.policy as string).Statement.map((s: any) => [s.Action, s.Resource]);
            const dr = arn("s3", "eu-central-1", "continuity-production-exports-dr-bucket");
            assert.deepStrictEqual(statements, [
                [["s3:GetReplicationConfiguration", "s3:ListBucket"], "arn:aws:s3:::continuity-production-exports"],
                [
                    ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging", "s3:GetObjectRetention", "s3:GetObjectLegalHold"],
                    "arn:aws:s3:::continuity-production-exports/*",
                ],
                [["s3:ReplicateObject", "s3:ReplicateTags"], `${dr}/*`],
                [["kms:Decrypt"], arn("kms", "eu-west-1", "continuity-production-exports-key")],
                [["kms:Encrypt", "kms:GenerateDataKey"], arn("kms", "eu-central-1", "continuity-production-exports-dr-key")],
            ]);
        });

        it("alarms on failed replication operations to the alert topic", () => {
            const a = run.one(T.alarm).properties;
            assert.deepStrictEqual(
                [a.namespace, a.metricName, a.comparisonOperator, a.threshold, a.alarmActions],
                ["AWS/S3", "OperationsFailedReplication", "GreaterThanThreshold", 0, [arn("sns", "eu-west-1", "continuity-production-alerts-topic")]],
            );
            assert.deepStrictEqual(a.dimensions, { SourceBucket: "continuity-production-exports", DestinationBucket: "continuity-production-exports-dr-eu-central-1", RuleId: "dr-copy" });
        });

        it("protects the buckets and keys of production from deletion", () => {
            for (const type of [T.bucket, T.key]) {
                assert.deepStrictEqual(run.all(type).map((r) => r.options.protect), [true, true, true, true]);
            }
        });
    });

    it("adopts an existing bucket by name: its protections are managed, the bucket itself is not", async () => {
        const run = await storageOnly("staging", { edit: (c) => (c.storage.buckets[0].adopt = true) });
        assert.deepStrictEqual(run.all(T.bucket).map((b) => b.properties.bucket), ["continuity-staging-uploads-dr-us-east-1"]);
        assert.strictEqual(run.all(T.versioning)[0].properties.bucket, "continuity-staging-uploads");
        assert.strictEqual(run.all(T.location)[0].properties.s3BucketArn, "arn:aws:s3:::continuity-staging-uploads");
    });

    it("copies the objects an adopted bucket already holds once, by S3 Batch Replication, when it is replicated", async () => {
        const run = await storageOnly("production", { edit: (c) => (c.storage.buckets[1].adopt = true) });
        const role = run.resources.find((r) => r.type === "aws:iam/role:Role" && r.name === "continuity-production-exports-batch-replication")!;
        assert.deepStrictEqual(JSON.parse(role.properties.assumeRolePolicy as string).Statement[0].Principal, { Service: "batchoperations.s3.amazonaws.com" });
        const policy = run.resources.find((r) => r.type === T.rolePolicy && r.name === "continuity-production-exports-batch-replication")!;
        assert.deepStrictEqual(JSON.parse(policy.properties.policy as string).Statement.map((s: any) => [s.Action, s.Resource]), [
            [["s3:InitiateReplication"], "arn:aws:s3:::continuity-production-exports/*"],
            [["s3:GetReplicationConfiguration", "s3:PutInventoryConfiguration"], "arn:aws:s3:::continuity-production-exports"],
        ]);
        // The stack shows the command to run once after `pulumi up` (its text: the next test).
        assert.strictEqual((run.outputs.copyExistingObjects as string[]).length, 1);
        assert.match((run.outputs.copyExistingObjects as string[])[0], /^aws s3control create-job /);
        // Neither a bucket created here (empty when replication starts) nor a weekly copy needs it.
        const fresh = await storageOnly("production");
        assert.deepStrictEqual(fresh.resources.filter((r) => r.name.endsWith("-batch-replication")).map((r) => r.name), []);
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
        const created = await runProgram({ project: "p", stack: "s", config: {}, preview: false, program: program({ ...args, adopt: false }) });
        assert.strictEqual(created.outputs.command, undefined);
    });

    it("writes the weekly schedule for any day and hour", () => {
        assert.strictEqual(weeklySchedule("sunday", 23), "cron(0 23 ? * SUN *)");
        assert.strictEqual(weeklySchedule("monday", 0), "cron(0 0 ? * MON *)");
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
            runProgram({ project: "p", stack: "s", config: {}, preview: false, program: () => new BucketBackup("b", { ...base, ...args }) });

        it("rejects a DR region equal to the source region", async () => {
            await assert.rejects(construct({ drRegion: "us-west-2" }), {
                message: "BucketBackup 'b': drRegion must differ from region (both us-west-2); a copy in the same region does not survive its loss.",
            });
        });
        it("rejects versions expiring before their lock ends", async () => {
            await assert.rejects(construct({ noncurrentVersionDays: 5 }), {
                message: "BucketBackup 'b': noncurrentVersionDays (5) must be at least lock.days (7); Object Lock keeps versions that long.",
            });
        });
        it("rejects replication time control on a weekly copy, naming both args", async () => {
            await assert.rejects(construct({ strategy: "weekly", replicationTimeControl: true }), {
                message: `BucketBackup 'b': replicationTimeControl applies to strategy "replication", not "weekly".`,
            });
        });
    });
});
