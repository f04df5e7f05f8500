import * as assert from "assert";
import {
    longestGapDays,
    storageBucketKmsEncryption,
    storageBucketVersioning,
    storageDrCopy,
    storageDrObjectLock,
    storagePolicies,
    storageReplicationNoDeleteMarkers,
} from "../../policies/storage";
import * as path from "path";
import { checkResource, checkStack, fromRecorded, messages, runPolicies, TestResource, UNKNOWN, urnOf } from "../helpers/policy";
import { ROOT, runStack } from "../helpers/program";

type Props = Record<string, unknown>;
const KEY = "arn:aws:kms:us-west-2:123456789012:key/k";

const bucket = (name: string, props: Props = {}): TestResource => ({
    type: "aws:s3/bucket:Bucket",
    name,
    props: { bucket: name, region: "us-west-2", ...props },
});
const data = (name: string, props: Props = {}) => bucket(name, { tags: { tier: "storage", role: "primary" }, ...props });
const copyBucket = (name: string, props: Props = {}) => bucket(name, { region: "us-east-1", objectLockEnabled: true, tags: { role: "dr-copy" }, ...props });

/** Versioning, KMS and (for copies) a lock for a bucket, linked by its name. */
const settings = (b: TestResource, lock?: Props): TestResource[] => [
    { type: "aws:s3/bucketVersioning:BucketVersioning", name: `${b.name}-v`, props: { bucket: b.props.bucket, versioningConfiguration: { status: "Enabled" } } },
    {
        type: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        name: `${b.name}-e`,
        props: { bucket: b.props.bucket, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY } }] },
    },
    ...(lock
        ? [{ type: "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", name: `${b.name}-l`, props: { bucket: b.props.bucket, rule: { defaultRetention: lock } } }]
        : []),
];

const replication = (from: TestResource, to: TestResource, rule: Props = {}): TestResource => ({
    type: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    name: `${from.name}-replication`,
    props: {
        bucket: from.props.bucket,
        role: "arn:aws:iam::123456789012:role/r",
        rules: [{ id: "dr", status: "Enabled", deleteMarkerReplication: { status: "Disabled" }, destination: { bucket: `arn:aws:s3:::${to.props.bucket}`, storageClass: "DEEP_ARCHIVE" }, ...rule }],
    },
});

/** A DataSync task with its two locations, linked by dependencies as a program links them. */
function datasync(from: TestResource, to: TestResource, task: Props = {}, dest: Props = {}): TestResource[] {
    const src: TestResource = { type: "aws:datasync/s3Location:S3Location", name: `${from.name}-src`, props: { s3BucketArn: UNKNOWN }, propertyDependencies: { s3BucketArn: [urnOf(from)] } };
    const dst: TestResource = {
        type: "aws:datasync/s3Location:S3Location",
        name: `${from.name}-dst`,
        props: { s3BucketArn: UNKNOWN, s3StorageClass: "DEEP_ARCHIVE", ...dest },
        propertyDependencies: { s3BucketArn: [urnOf(to)] },
    };
    const t: TestResource = {
        type: "aws:datasync/task:Task",
        name: `${from.name}-task`,
        props: { sourceLocationArn: UNKNOWN, destinationLocationArn: UNKNOWN, schedule: { scheduleExpression: "cron(0 4 ? * SAT *)" }, ...task },
        propertyDependencies: { sourceLocationArn: [urnOf(src)], destinationLocationArn: [urnOf(dst)] },
    };
    return [src, dst, t];
}

const LOCK = { mode: "COMPLIANCE", days: 30 };
/** A compliant stack: a data bucket copied weekly by DataSync into a locked copy in another region. */
function compliant(): TestResource[] {
    const src = data("uploads");
    const dst = copyBucket("uploads-dr");
    return [src, dst, ...settings(src), ...settings(dst, LOCK), ...datasync(src, dst)];
}
const without = (rs: TestResource[], name: string) => rs.filter((r) => r.name !== name);

describe("storage policies (policies/storage.ts)", () => {
    it("let a weekly DataSync copy into a locked Deep Archive bucket in another region through, every one", async () => {
        for (const p of storagePolicies) {
            const outcome = "validateStack" in p ? await checkStack(p as any, compliant()) : { violations: [] };
            assert.deepStrictEqual(messages(outcome), [], p.name);
        }
    });

    describe("storage-bucket-versioning", () => {
        it("rejects a data bucket without versioning, with its URN", async () => {
            const o = await checkStack(storageBucketVersioning, without(compliant(), "uploads-v"));
            assert.deepStrictEqual(o.violations, [
                {
                    message: "The data bucket 'uploads' has no versioning (an aws.s3.BucketVersioning with status Enabled); an overwritten or deleted object could not be recovered.",
                    urn: urnOf(data("uploads")),
                },
            ]);
        });
        it("rejects a copy bucket whose versioning is suspended", async () => {
            const rs = compliant().map((r) => (r.name === "uploads-dr-v" ? { ...r, props: { ...r.props, versioningConfiguration: { status: "Suspended" } } } : r));
            assert.deepStrictEqual(messages(await checkStack(storageBucketVersioning, rs)), [
                "The DR copy bucket 'uploads-dr' has no versioning (an aws.s3.BucketVersioning with status Enabled); an overwritten or deleted object could not be recovered.",
            ]);
        });
        it("links versioning through its bucket dependency when the name is unknown at preview", async () => {
            const rs = compliant().map((r) =>
                r.name === "uploads-v" ? { ...r, props: { ...r.props, bucket: UNKNOWN }, propertyDependencies: { bucket: [urnOf(data("uploads"))] } } : r,
            );
            assert.deepStrictEqual(messages(await checkStack(storageBucketVersioning, rs)), []);
        });
    });

    describe("storage-bucket-kms-encryption", () => {
        it("rejects AES256 on a data bucket", async () => {
            const rs = compliant().map((r) =>
                r.name === "uploads-e" ? { ...r, props: { ...r.props, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] } } : r,
            );
            assert.deepStrictEqual(messages(await checkStack(storageBucketKmsEncryption, rs)), [
                "The data bucket 'uploads' is not encrypted with a KMS key by default (an aws.s3.BucketServerSideEncryptionConfiguration with sseAlgorithm aws:kms); this environment requires KMS on data and copies.",
            ]);
        });
        it("counts an encryption whose rules are unknown at preview as KMS", async () => {
            const rs = compliant().map((r) => (r.name === "uploads-e" ? { ...r, props: { ...r.props, rules: UNKNOWN } } : r));
            assert.deepStrictEqual(messages(await checkStack(storageBucketKmsEncryption, rs)), []);
        });
    });

    describe("storage-dr-copy", () => {
        it("rejects a data bucket without any copy", async () => {
            const src = data("uploads");
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, ...settings(src)])), [
                "The data bucket 'uploads' has no copy in another region (a DataSync task or S3 replication); this environment requires one.",
            ]);
        });
        it("rejects a copy into the bucket's own region", async () => {
            const src = data("uploads");
            const dst = copyBucket("uploads-dr", { region: "us-west-2" });
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, dst, replication(src, dst)])), [
                "The DR copy of data bucket 'uploads' goes to 'uploads-dr' in us-west-2, the bucket's own region; the copy must be in another region.",
            ]);
        });
        it("rejects STANDARD storage, and takes the allowed classes from config", async () => {
            const src = data("uploads");
            const dst = copyBucket("uploads-dr");
            const standard = [src, dst, replication(src, dst, { destination: { bucket: "arn:aws:s3:::uploads-dr", storageClass: "STANDARD" } })];
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, standard)), [
                "The DR copy of data bucket 'uploads' by 'uploads-replication' is stored as STANDARD; this environment requires one of DEEP_ARCHIVE, GLACIER.",
            ]);
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, standard, { storageClasses: ["STANDARD", "DEEP_ARCHIVE"] })), []);
        });
        it("rejects a monthly DataSync schedule, and a task without one", async () => {
            const src = data("uploads");
            const dst = copyBucket("uploads-dr");
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, dst, ...datasync(src, dst, { schedule: { scheduleExpression: "cron(0 4 1 * ? *)" } })])), [
                "The DataSync task 'uploads-task' copying data bucket 'uploads' runs cron(0 4 1 * ? *), up to 31 days apart; this environment requires a copy at least every 7 days.",
            ]);
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, dst, ...datasync(src, dst, { schedule: undefined })])), [
                "The DataSync task 'uploads-task' copying data bucket 'uploads' has no schedule, so it only runs by hand; this environment requires a copy at least every 7 days.",
            ]);
        });
        it("takes the longest interval from config", async () => {
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, compliant(), { maxCopyIntervalDays: 1 })), [
                "The DataSync task 'uploads-task' copying data bucket 'uploads' runs cron(0 4 ? * SAT *), up to 7 days apart; this environment requires a copy at least every 1 day.",
            ]);
        });
        it("counts unknown destinations, storage classes and sources in the stack's favour at preview", async () => {
            const src = data("uploads");
            const dst = copyBucket("uploads-dr");
            const unknownClass = [src, dst, ...datasync(src, dst, {}, { s3StorageClass: UNKNOWN })];
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, unknownClass)), []);
            const unknownSource: TestResource = { ...replication(src, dst), props: { ...replication(src, dst).props, bucket: UNKNOWN } };
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, dst, unknownSource])), []);
        });
        it("reads schedules: rates, weekdays, ranges", () => {
            assert.strictEqual(longestGapDays("rate(1 day)"), 1);
            assert.strictEqual(longestGapDays("rate(12 hours)"), 0.5);
            assert.strictEqual(longestGapDays("cron(0 4 ? * SAT *)"), 7);
            assert.strictEqual(longestGapDays("cron(0 4 ? * MON,THU *)"), 4);
            assert.strictEqual(longestGapDays("cron(0 4 ? * MON-FRI *)"), 3);
            assert.strictEqual(longestGapDays("cron(0 4 ? * 7 *)"), 7);
            assert.strictEqual(longestGapDays("cron(0 4 * * ? *)"), 1);
            assert.strictEqual(longestGapDays("cron(0 4 1 * ? *)"), 31);
            assert.strictEqual(longestGapDays("every saturday"), undefined);
        });
    });

    describe("storage-dr-object-lock", () => {
        it("rejects a copy bucket without Object Lock", async () => {
            const rs = compliant().map((r) => (r.name === "uploads-dr" ? { ...r, props: { ...r.props, objectLockEnabled: false } } : r));
            assert.deepStrictEqual(messages(await checkStack(storageDrObjectLock, rs)), [
                "The DR copy bucket 'uploads-dr' has no Object Lock (objectLockEnabled is not true); this environment requires it so that no one can delete the copies early.",
            ]);
        });
        it("rejects a short or governance-mode retention where compliance is required, and follows the config", async () => {
            const rs = compliant().map((r) => (r.name === "uploads-dr-l" ? { ...r, props: { ...r.props, rule: { defaultRetention: { mode: "GOVERNANCE", days: 7 } } } } : r));
            assert.deepStrictEqual(messages(await checkStack(storageDrObjectLock, rs)), [
                "The DR copy bucket 'uploads-dr' locks objects 7 days; this environment requires at least 30 days.",
                "The DR copy bucket 'uploads-dr' locks objects in GOVERNANCE mode; this environment requires COMPLIANCE mode, which not even the account root can lift.",
            ]);
            assert.deepStrictEqual(messages(await checkStack(storageDrObjectLock, rs, { minRetentionDays: 7, requireComplianceMode: false })), []);
        });
        it("rejects a locked bucket without a default retention", async () => {
            assert.deepStrictEqual(messages(await checkStack(storageDrObjectLock, without(compliant(), "uploads-dr-l"))), [
                "The DR copy bucket 'uploads-dr' has no default Object Lock retention (an aws.s3.BucketObjectLockConfiguration); this environment requires at least 30 days.",
            ]);
        });
        it("counts a retention unknown at preview in the stack's favour", async () => {
            const rs = compliant().map((r) => (r.name === "uploads-dr-l" ? { ...r, props: { ...r.props, rule: UNKNOWN } } : r));
            assert.deepStrictEqual(messages(await checkStack(storageDrObjectLock, rs)), []);
        });
    });

    describe("storage-replication-no-delete-markers", () => {
        const src = data("uploads");
        const dst = copyBucket("uploads-dr");
        it("rejects replicated delete markers", async () => {
            const r = replication(src, dst, { deleteMarkerReplication: { status: "Enabled" } });
            assert.deepStrictEqual(messages(await checkResource(storageReplicationNoDeleteMarkers, r)), [
                "The S3 replication 'uploads-replication' replicates delete markers (rule 'dr'); a delete at the source would then hide the objects in the copy.",
            ]);
        });
        it("lets disabled delete-marker replication through", async () => {
            assert.deepStrictEqual(messages(await checkResource(storageReplicationNoDeleteMarkers, replication(src, dst))), []);
        });
        it("is skipped at preview when the rules are unknown", async () => {
            const o = await checkResource(storageReplicationNoDeleteMarkers, { ...replication(src, dst), props: { bucket: "uploads", rules: UNKNOWN } });
            assert.deepStrictEqual(o.violations, []);
            assert.match(o.skipped!, /^can't run policy 'storage-replication-no-delete-markers' during preview: .* at \.rules can't be known during preview$/);
        });
    });

    for (const stack of ["staging", "production"]) {
        it(`pass the ${stack} stack's buckets with its config file, in a preview where ARNs are unknown`, async () => {
            const rs = (await runStack(stack, { preview: true })).resources.map(fromRecorded);
            assert.deepStrictEqual(await runPolicies(storagePolicies, rs, path.join(ROOT, "policies", "config", `${stack}.json`)), []);
        });
    }

    it("hold staging's copies (data and search snapshots) to production's file: 30 days in compliance mode", async () => {
        const rs = (await runStack("staging", { preview: true })).resources.map(fromRecorded);
        const weak = (copy: string) => [
            {
                policy: "storage-dr-object-lock",
                message: `The DR copy bucket '${copy}' locks objects 7 days; this environment requires at least 30 days.`,
            },
            {
                policy: "storage-dr-object-lock",
                message: `The DR copy bucket '${copy}' locks objects in GOVERNANCE mode; this environment requires COMPLIANCE mode, which not even the account root can lift.`,
            },
        ];
        assert.deepStrictEqual(await runPolicies(storagePolicies, rs, path.join(ROOT, "policies", "config", "production.json")), [
            ...weak("continuity-staging-uploads-dr-bucket"),
            ...weak("continuity-staging-search-snapshots-dr-bucket"),
        ]);
    });
});
