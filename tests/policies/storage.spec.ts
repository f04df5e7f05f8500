import * as assert from "assert";
import {
    longestGapDays,
    storageBucketKmsEncryption,
    storageBucketVersioning,
    storageDrCopy,
    storageDrObjectLock,
    storagePolicies,
    storageReplicationNoDeleteMarkers,
    tagsOf,
} from "../../policies/storage";
import * as path from "path";
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
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
const VERSIONING = "aws:s3/bucketVersioning:BucketVersioning";
/** A resource that is neither a bucket nor a setting: something a property of a setting may also depend on. */
const role: TestResource = { type: "aws:iam/role:Role", name: "replication-role", props: { name: "replication-role" } };
/** `r` with its props changed. */
const withProps = (r: TestResource, props: Props): TestResource => ({ ...r, props: { ...r.props, ...props } });
/** `rs` with the resource named `name` given these props. */
const patch = (rs: TestResource[], name: string, props: Props) => rs.map((r) => (r.name === name ? withProps(r, props) : r));

/**
 * The engine hands a policy each resource's provider; the test helper links none, so this wrapper links
 * them by URN before the policy runs (`links`: resource URN -> provider URN).
 */
function withProviders(policy: StackValidationPolicy, links: Record<string, string>): StackValidationPolicy {
    return {
        ...policy,
        validateStack: (args, report) => {
            for (const r of args.resources) {
                const provider = args.resources.find((p) => p.urn === links[r.urn]);
                if (provider) (r as { provider?: PolicyResource }).provider = provider;
            }
            return policy.validateStack(args, report);
        },
    };
}
const provider = (name: string, region: string): TestResource => ({ type: "pulumi:providers:aws", name, props: { region } });

describe("storage policies (policies/storage.ts)", () => {
    it("let a weekly DataSync copy into a locked Deep Archive bucket in another region through, every one", async () => {
        for (const p of storagePolicies) {
            const outcome = "validateStack" in p ? await checkStack(p as any, compliant()) : { violations: [] };
            assert.deepStrictEqual(messages(outcome), [], p.name);
        }
    });

    it("reads tags whose values are known: an unknown tag counts as unset, unknown tags as none", async () => {
        // A stack policy that reports the tags tagsOf sees on each resource, with the SDK's unknown-checking props.
        const seen: StackValidationPolicy = {
            name: "tags-seen",
            description: "test",
            validateStack: (args, report) => {
                for (const r of args.resources) report(`${r.name}: ${Object.entries(tagsOf(r)).map(([k, v]) => `${k}=${String(v)}`).join(",")}`);
            },
        };
        const rs = [bucket("a", { tags: { tier: "storage", role: UNKNOWN } }), bucket("b", { tags: UNKNOWN }), bucket("c")];
        assert.deepStrictEqual(messages(await checkStack(seen, rs)), ["a: tier=storage", "b: ", "c: "]);
        assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [data("uploads", { tags: { tier: "storage", role: UNKNOWN } })])), []);
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
        it("accepts a bucket's legacy versioning.enabled, counts an unknown one in its favour, and rejects enabled: false", async () => {
            const legacy = (versioning: unknown) => patch(without(compliant(), "uploads-v"), "uploads", { versioning });
            assert.deepStrictEqual(messages(await checkStack(storageBucketVersioning, legacy({ enabled: true }))), []);
            assert.deepStrictEqual(messages(await checkStack(storageBucketVersioning, legacy({ enabled: UNKNOWN }))), []);
            assert.deepStrictEqual(messages(await checkStack(storageBucketVersioning, legacy({ enabled: false }))), [
                "The data bucket 'uploads' has no versioning (an aws.s3.BucketVersioning with status Enabled); an overwritten or deleted object could not be recovered.",
            ]);
        });
        it("rejects a versioning resource without a versioning configuration", async () => {
            assert.deepStrictEqual(messages(await checkStack(storageBucketVersioning, patch(compliant(), "uploads-v", { versioningConfiguration: undefined }))), [
                "The data bucket 'uploads' has no versioning (an aws.s3.BucketVersioning with status Enabled); an overwritten or deleted object could not be recovered.",
            ]);
        });
        it("does not take the copy's versioning, linked by name and dependency as a program links it, for the data bucket's", async () => {
            const rs = without(compliant(), "uploads-v").map((r) =>
                r.name === "uploads-dr-v" ? { ...r, propertyDependencies: { bucket: [urnOf(role), urnOf(copyBucket("uploads-dr"))] } } : r,
            );
            assert.deepStrictEqual(messages(await checkStack(storageBucketVersioning, [role, ...rs])), [
                "The data bucket 'uploads' has no versioning (an aws.s3.BucketVersioning with status Enabled); an overwritten or deleted object could not be recovered.",
            ]);
        });
        it("counts a versioning whose bucket is unknown and unlinked for every bucket, and one naming no bucket for none", async () => {
            const unlinked = patch(compliant(), "uploads-v", { bucket: UNKNOWN });
            assert.deepStrictEqual(messages(await checkStack(storageBucketVersioning, unlinked)), []);
            const nameless = patch(compliant(), "uploads-v", { bucket: undefined });
            assert.deepStrictEqual(messages(await checkStack(storageBucketVersioning, nameless)), [
                "The data bucket 'uploads' has no versioning (an aws.s3.BucketVersioning with status Enabled); an overwritten or deleted object could not be recovered.",
            ]);
        });
        it("protects an untagged bucket that a replication copies into, as a DR copy", async () => {
            const src = data("uploads");
            const dst = bucket("uploads-dr", { region: "us-east-1" });
            assert.deepStrictEqual(messages(await checkStack(storageBucketVersioning, [src, dst, ...settings(src), replication(src, dst)])), [
                "The DR copy bucket 'uploads-dr' has no versioning (an aws.s3.BucketVersioning with status Enabled); an overwritten or deleted object could not be recovered.",
            ]);
        });
        it("protects an untagged bucket that a replication copies into through a rules dependency when its ARN is unknown", async () => {
            const src = data("uploads");
            const dst = bucket("uploads-dr", { region: "us-east-1" });
            const r: TestResource = {
                ...replication(src, dst, { destination: { bucket: UNKNOWN, storageClass: "DEEP_ARCHIVE" } }),
                propertyDependencies: { rules: [urnOf(role), urnOf(dst)] },
            };
            assert.deepStrictEqual(messages(await checkStack(storageBucketVersioning, [role, src, dst, ...settings(src), r])), [
                "The DR copy bucket 'uploads-dr' has no versioning (an aws.s3.BucketVersioning with status Enabled); an overwritten or deleted object could not be recovered.",
            ]);
        });
        it("protects the untagged destination of a DataSync task, but not of a replication from a bucket outside the stack", async () => {
            const src = data("uploads");
            const dst = bucket("uploads-dr", { region: "us-east-1" });
            assert.deepStrictEqual(messages(await checkStack(storageBucketVersioning, [src, dst, ...settings(src), ...datasync(src, dst)])), [
                "The DR copy bucket 'uploads-dr' has no versioning (an aws.s3.BucketVersioning with status Enabled); an overwritten or deleted object could not be recovered.",
            ]);
            const foreign = { ...replication(bucket("elsewhere"), dst), name: "foreign-replication" };
            assert.deepStrictEqual(messages(await checkStack(storageBucketVersioning, [src, dst, ...settings(src), foreign])), []);
        });
        it("judges a copy bucket that is both tagged and a destination once", async () => {
            const src = data("uploads");
            const dst = copyBucket("uploads-dr");
            assert.deepStrictEqual(messages(await checkStack(storageBucketVersioning, [src, dst, ...settings(src), replication(src, dst)])), [
                "The DR copy bucket 'uploads-dr' has no versioning (an aws.s3.BucketVersioning with status Enabled); an overwritten or deleted object could not be recovered.",
            ]);
        });
        it("ignores destinations unknown at preview and replications whose rules are unknown", async () => {
            const src = data("uploads");
            const dst = copyBucket("uploads-dr");
            const outside = replication(src, bucket("not-in-stack"));
            const unlinked = { ...replication(src, dst, { destination: { bucket: UNKNOWN, storageClass: "DEEP_ARCHIVE" } }), name: "unlinked" };
            const rulesUnknown = { ...withProps(replication(src, dst), { rules: UNKNOWN }), name: "rules-unknown" };
            assert.deepStrictEqual(messages(await checkStack(storageBucketVersioning, [src, dst, ...settings(src), ...settings(dst), outside, unlinked, rulesUnknown])), []);
            assert.deepStrictEqual(messages(await checkStack(storageBucketVersioning, [src, dst, ...settings(dst), outside, unlinked, rulesUnknown])), [
                "The data bucket 'uploads' has no versioning (an aws.s3.BucketVersioning with status Enabled); an overwritten or deleted object could not be recovered.",
            ]);
        });
        it("does not take a bucket tagged tier=storage with another role, or role=primary in another tier, for a data bucket", async () => {
            const rs = [
                bucket("logs", { tags: { tier: "storage", role: "access-logs" } }),
                bucket("db-dumps", { tags: { tier: "database", role: "primary" } }),
                { type: "aws:kms/key:Key", name: "uploads-key", props: { tags: { tier: "storage", role: "primary" } } },
                bucket("untagged"),
            ];
            assert.deepStrictEqual(messages(await checkStack(storageBucketVersioning, rs)), []);
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, rs)), []);
        });
        it("knows the V2 bucket and versioning types", async () => {
            const src: TestResource = { ...data("uploads"), type: "aws:s3/bucketV2:BucketV2" };
            assert.deepStrictEqual(messages(await checkStack(storageBucketVersioning, [src])), [
                "The data bucket 'uploads' has no versioning (an aws.s3.BucketVersioning with status Enabled); an overwritten or deleted object could not be recovered.",
            ]);
            const v2 = settings(src).map((r) => (r.type === VERSIONING ? { ...r, type: "aws:s3/bucketVersioningV2:BucketVersioningV2" } : r));
            assert.deepStrictEqual(messages(await checkStack(storageBucketVersioning, [src, ...v2])), []);
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
        it("accepts dual-layer aws:kms:dsse, and a KMS rule among others", async () => {
            const rules = (...rs: unknown[]) => patch(compliant(), "uploads-e", { rules: rs });
            const dsse = { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms:dsse", kmsMasterKeyId: KEY } };
            const kms = { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY } };
            assert.deepStrictEqual(messages(await checkStack(storageBucketKmsEncryption, rules(dsse))), []);
            assert.deepStrictEqual(messages(await checkStack(storageBucketKmsEncryption, rules({ bucketKeyEnabled: true }, { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }, kms))), []);
        });
        it("rejects an encryption without rules, or whose rules set no default algorithm", async () => {
            const expected = [
                "The data bucket 'uploads' is not encrypted with a KMS key by default (an aws.s3.BucketServerSideEncryptionConfiguration with sseAlgorithm aws:kms); this environment requires KMS on data and copies.",
            ];
            assert.deepStrictEqual(messages(await checkStack(storageBucketKmsEncryption, patch(compliant(), "uploads-e", { rules: undefined }))), expected);
            assert.deepStrictEqual(messages(await checkStack(storageBucketKmsEncryption, patch(compliant(), "uploads-e", { rules: [{ bucketKeyEnabled: true }] }))), expected);
        });
        it("does not take a replication whose rules are unknown at preview for the bucket's encryption", async () => {
            const src = data("uploads");
            const dst = copyBucket("uploads-dr");
            const rs = [...without(compliant(), "uploads-e"), withProps(replication(src, dst), { rules: UNKNOWN })];
            assert.deepStrictEqual(messages(await checkStack(storageBucketKmsEncryption, rs)), [
                "The data bucket 'uploads' is not encrypted with a KMS key by default (an aws.s3.BucketServerSideEncryptionConfiguration with sseAlgorithm aws:kms); this environment requires KMS on data and copies.",
            ]);
        });
        it("knows the V2 encryption type, and rejects a DR copy bucket without KMS", async () => {
            const v2 = compliant().map((r) =>
                r.name === "uploads-e" ? { ...r, type: "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2" } : r,
            );
            assert.deepStrictEqual(messages(await checkStack(storageBucketKmsEncryption, v2)), []);
            assert.deepStrictEqual(messages(await checkStack(storageBucketKmsEncryption, without(compliant(), "uploads-dr-e"))), [
                "The DR copy bucket 'uploads-dr' is not encrypted with a KMS key by default (an aws.s3.BucketServerSideEncryptionConfiguration with sseAlgorithm aws:kms); this environment requires KMS on data and copies.",
            ]);
        });
    });

    describe("storage-dr-copy", () => {
        const noCopy = "The data bucket 'uploads' has no copy in another region (a DataSync task or S3 replication); this environment requires one.";
        it("counts a replication whose rules are unknown at preview as a possible copy", async () => {
            const src = data("uploads");
            const unknownRules = { ...replication(src, copyBucket("x")), props: { ...replication(src, copyBucket("x")).props, rules: UNKNOWN } };
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, ...settings(src), unknownRules])), []);
            const otherSource = { ...unknownRules, props: { ...unknownRules.props, bucket: "logs" } };
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, ...settings(src), bucket("logs"), otherSource])), [noCopy]);
        });
        it("takes a DataSync task from an EFS or NFS location for no copy of a bucket, and one from an unknown location for a possible one", async () => {
            const src = data("uploads");
            const [, dst, task] = datasync(src, copyBucket("uploads-dr"));
            for (const type of ["aws:datasync/efsLocation:EfsLocation", "aws:datasync/nfsLocation:NfsLocation", "aws:datasync/locationSmb:LocationSmb"]) {
                const other: TestResource = { type, name: "files", props: {} };
                const fromFiles = { ...task, propertyDependencies: { ...task.propertyDependencies, sourceLocationArn: [urnOf(other)] } };
                assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, ...settings(src), other, dst, fromFiles])), [noCopy], type);
            }
            const fromRole = { ...task, propertyDependencies: { ...task.propertyDependencies, sourceLocationArn: [urnOf(role)] } };
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, ...settings(src), role, dst, fromRole])), []);
        });
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
            // The second Friday, the last Friday: monthly, so not read as weekly.
            for (const monthly of ["FRI#2", "FRIL", "6#2", "6L", "FRIDAY"]) assert.strictEqual(longestGapDays(`cron(0 4 ? * ${monthly} *)`), undefined, monthly);
            assert.strictEqual(longestGapDays("cron(0 4 ? * MON,THU *)"), 4);
            assert.strictEqual(longestGapDays("cron(0 4 ? * MON-FRI *)"), 3);
            assert.strictEqual(longestGapDays("cron(0 4 ? * 7 *)"), 7);
            assert.strictEqual(longestGapDays("cron(0 4 * * ? *)"), 1);
            assert.strictEqual(longestGapDays("cron(0 4 1 * ? *)"), 31);
            assert.strictEqual(longestGapDays("every saturday"), undefined);
        });
        it("reads rates in minutes, hours and days, in either number, around spaces", () => {
            assert.strictEqual(longestGapDays("rate(1 minute)"), 1 / 1440);
            assert.strictEqual(longestGapDays("rate(720 minutes)"), 0.5);
            assert.strictEqual(longestGapDays("rate(1 hour)"), 1 / 24);
            assert.strictEqual(longestGapDays("rate(6 hours)"), 0.25);
            assert.strictEqual(longestGapDays("rate(10 days)"), 10);
            assert.strictEqual(longestGapDays("rate(2  days)"), 2);
            assert.strictEqual(longestGapDays(" rate(1 day) "), 1);
            assert.strictEqual(longestGapDays("rate(1day)"), undefined);
            assert.strictEqual(longestGapDays("rate(day)"), undefined);
            assert.strictEqual(longestGapDays("rate(1 week)"), undefined);
            assert.strictEqual(longestGapDays("xrate(1 day)"), undefined);
            assert.strictEqual(longestGapDays("rate(1 day)x"), undefined);
        });
        it("reads cron expressions: six fields only, yearly months, every day, spacing", () => {
            assert.strictEqual(longestGapDays("cron(0 4 ? * SAT)"), undefined);
            assert.strictEqual(longestGapDays("cron(0 4 ? * SAT * *)"), undefined);
            assert.strictEqual(longestGapDays("cron()"), undefined);
            assert.strictEqual(longestGapDays("xcron(0 4 ? * SAT *)"), undefined);
            assert.strictEqual(longestGapDays("cron(0 4 ? * SAT *)x"), undefined);
            assert.strictEqual(longestGapDays("cron(0 4 1 1 ? *)"), 366);
            assert.strictEqual(longestGapDays("cron(0 4 ? 1-12 MON *)"), 366);
            assert.strictEqual(longestGapDays("cron(0 4 ? * * *)"), 1);
            assert.strictEqual(longestGapDays("cron(0 4 ? * ? *)"), 1);
            assert.strictEqual(longestGapDays("cron(0 4 L * ? *)"), 31);
            assert.strictEqual(longestGapDays(" cron( 0  4 ?  * SAT * ) "), 7);
        });
        it("reads weekdays: names, numbers, lower case, wrapping ranges, and gives up on unknown days", () => {
            assert.strictEqual(longestGapDays("cron(0 4 ? * SUN *)"), 7);
            assert.strictEqual(longestGapDays("cron(0 4 ? * mon,thu *)"), 4);
            assert.strictEqual(longestGapDays("cron(0 4 ? * MON,FRI,WED *)"), 3);
            assert.strictEqual(longestGapDays("cron(0 4 ? * FRI-MON *)"), 4);
            assert.strictEqual(longestGapDays("cron(0 4 ? * SAT-SUN *)"), 6);
            assert.strictEqual(longestGapDays("cron(0 4 ? * SUN-SAT *)"), 1);
            assert.strictEqual(longestGapDays("cron(0 4 ? * 2-4 *)"), 5);
            assert.strictEqual(longestGapDays("cron(0 4 ? * 1,4 *)"), 4);
            assert.strictEqual(longestGapDays("cron(0 4 ? * TUE *)"), 7);
            assert.strictEqual(longestGapDays("cron(0 4 ? * 7,MON *)"), 5);
            assert.strictEqual(longestGapDays("cron(0 4 ? * 2,WED *)"), 5);
            assert.strictEqual(longestGapDays("cron(0 4 ? * 0 *)"), undefined);
            assert.strictEqual(longestGapDays("cron(0 4 ? * 8 *)"), undefined);
            assert.strictEqual(longestGapDays("cron(0 4 ? * 17 *)"), undefined);
            assert.strictEqual(longestGapDays("cron(0 4 ? * XYZ *)"), undefined);
            assert.strictEqual(longestGapDays("cron(0 4 ? * MON-XYZ *)"), undefined);
            assert.strictEqual(longestGapDays("cron(0 4 ? * XYZ-MON *)"), undefined);
        });
        it("rejects a DataSync schedule it cannot read", async () => {
            const src = data("uploads");
            const dst = copyBucket("uploads-dr");
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, dst, ...datasync(src, dst, { schedule: { scheduleExpression: "cron(0 4 ? * SAT)" } })])), [
                "The DataSync task 'uploads-task' copying data bucket 'uploads' runs cron(0 4 ? * SAT), on a schedule this guard cannot read; this environment requires a copy at least every 7 days.",
            ]);
        });
        it("counts a DataSync schedule unknown at preview in the stack's favour, and lets a daily rate through", async () => {
            const src = data("uploads");
            const dst = copyBucket("uploads-dr");
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, dst, ...datasync(src, dst, { schedule: { scheduleExpression: UNKNOWN } })])), []);
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, dst, ...datasync(src, dst, { schedule: UNKNOWN })])), []);
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, dst, ...datasync(src, dst, { schedule: { scheduleExpression: "rate(1 day)" } })])), []);
        });
        it("rejects a DataSync copy into the bucket's own region", async () => {
            const src = data("uploads");
            const dst = copyBucket("uploads-dr", { region: "us-west-2" });
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, dst, ...datasync(src, dst)])), [
                "The DR copy of data bucket 'uploads' goes to 'uploads-dr' in us-west-2, the bucket's own region; the copy must be in another region.",
            ]);
        });
        it("links DataSync locations by a bucket ARN known at preview", async () => {
            const src = data("uploads");
            const dst = copyBucket("uploads-dr", { region: "us-west-2" });
            const rs = datasync(src, dst).map((r) =>
                r.type === "aws:datasync/s3Location:S3Location" ? { ...withProps(r, { s3BucketArn: `arn:aws:s3:::${r.name === "uploads-src" ? "uploads" : "uploads-dr"}` }), propertyDependencies: {} } : r,
            );
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, dst, ...rs])), [
                "The DR copy of data bucket 'uploads' goes to 'uploads-dr' in us-west-2, the bucket's own region; the copy must be in another region.",
            ]);
        });
        it("takes a DataSync location without a storage class as STANDARD", async () => {
            const src = data("uploads");
            const dst = copyBucket("uploads-dr");
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, dst, ...datasync(src, dst, {}, { s3StorageClass: undefined })])), [
                "The DR copy of data bucket 'uploads' by 'uploads-task' is stored as STANDARD; this environment requires one of DEEP_ARCHIVE, GLACIER.",
            ]);
        });
        it("takes a replication rule without a storage class as STANDARD", async () => {
            const src = data("uploads");
            const dst = copyBucket("uploads-dr");
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, dst, replication(src, dst, { destination: { bucket: "arn:aws:s3:::uploads-dr" } })])), [
                "The DR copy of data bucket 'uploads' by 'uploads-replication' is stored as STANDARD; this environment requires one of DEEP_ARCHIVE, GLACIER.",
            ]);
        });
        it("still judges the schedule of a DataSync task whose destination location is not linked", async () => {
            const src = data("uploads");
            const dst = copyBucket("uploads-dr");
            const rs = datasync(src, dst, { schedule: { scheduleExpression: "cron(0 4 1 * ? *)" } }).map((r) =>
                r.type === "aws:datasync/task:Task" ? { ...r, propertyDependencies: { sourceLocationArn: r.propertyDependencies!.sourceLocationArn } } : r,
            );
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, dst, ...rs])), [
                "The DataSync task 'uploads-task' copying data bucket 'uploads' runs cron(0 4 1 * ? *), up to 31 days apart; this environment requires a copy at least every 7 days.",
            ]);
        });
        it("counts a DataSync task whose source location is not linked as a possible copy of every data bucket", async () => {
            const src = data("uploads");
            const other = data("reports");
            const dst = copyBucket("uploads-dr");
            const rs = datasync(src, dst).map((r) => (r.type === "aws:datasync/task:Task" ? { ...r, propertyDependencies: { destinationLocationArn: r.propertyDependencies!.destinationLocationArn } } : r));
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, other, dst, ...rs])), []);
        });
        it("does not count a disabled replication rule as a copy", async () => {
            const src = data("uploads");
            const dst = copyBucket("uploads-dr");
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, dst, replication(src, dst, { status: "Disabled" })])), [
                "The data bucket 'uploads' has no copy in another region (a DataSync task or S3 replication); this environment requires one.",
            ]);
        });
        it("does not count a replication without rules as a copy", async () => {
            const src = data("uploads");
            const dst = copyBucket("uploads-dr");
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, dst, withProps(replication(src, dst), { rules: undefined })])), [
                "The data bucket 'uploads' has no copy in another region (a DataSync task or S3 replication); this environment requires one.",
            ]);
        });
        it("follows a replication destination unknown at preview through the one bucket its rules depend on", async () => {
            const src = data("uploads");
            const dst = copyBucket("uploads-dr", { region: "us-west-2" });
            const r = (deps: string[]): TestResource => ({
                ...replication(src, dst, { destination: { bucket: UNKNOWN, storageClass: "DEEP_ARCHIVE" } }),
                propertyDependencies: { rules: deps },
            });
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [role, src, dst, r([urnOf(role), urnOf(dst)])])), [
                "The DR copy of data bucket 'uploads' goes to 'uploads-dr' in us-west-2, the bucket's own region; the copy must be in another region.",
            ]);
            // No dependency, or two buckets: the destination stays unknown, in the stack's favour.
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, dst, r([])])), []);
            const second = copyBucket("uploads-dr2", { region: "us-west-2" });
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, dst, second, r([urnOf(dst), urnOf(second)])])), []);
            const noDeps = replication(src, dst, { destination: { bucket: UNKNOWN, storageClass: "DEEP_ARCHIVE" } });
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, dst, noDeps])), []);
        });
        it("counts a replication into a bucket outside the stack, or to no named bucket, as leaving the region", async () => {
            const src = data("uploads");
            const dst = copyBucket("uploads-dr", { region: "us-west-2" });
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, dst, replication(src, bucket("elsewhere"))])), []);
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, dst, replication(src, dst, { destination: { storageClass: "DEEP_ARCHIVE" } })])), []);
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, dst, replication(src, dst, { destination: undefined })])), [
                "The DR copy of data bucket 'uploads' by 'uploads-replication' is stored as STANDARD; this environment requires one of DEEP_ARCHIVE, GLACIER.",
            ]);
        });
        it("counts regions unknown at preview, or not set anywhere, as different", async () => {
            const src = data("uploads", { region: UNKNOWN });
            const dst = copyBucket("uploads-dr", { region: UNKNOWN });
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, dst, replication(src, dst)])), []);
            const srcNone = data("uploads", { region: undefined });
            const dstNone = copyBucket("uploads-dr", { region: undefined });
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [srcNone, dstNone, replication(srcNone, dstNone)])), []);
            const dstWest = copyBucket("uploads-dr", { region: "us-west-2" });
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, dstWest, replication(src, dstWest)])), []);
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [srcNone, dstWest, replication(srcNone, dstWest)])), []);
        });
        it("takes a bucket's region from its provider when the bucket sets none", async () => {
            const west = provider("west", "us-west-2");
            const east = provider("east", "us-east-1");
            const src = data("uploads", { region: undefined });
            const dst = copyBucket("uploads-dr", { region: undefined });
            const rs = [west, east, src, dst, replication(src, dst)];
            assert.deepStrictEqual(messages(await checkStack(withProviders(storageDrCopy, { [urnOf(src)]: urnOf(west), [urnOf(dst)]: urnOf(west) }), rs)), [
                "The DR copy of data bucket 'uploads' goes to 'uploads-dr' in us-west-2, the bucket's own region; the copy must be in another region.",
            ]);
            assert.deepStrictEqual(messages(await checkStack(withProviders(storageDrCopy, { [urnOf(src)]: urnOf(west), [urnOf(dst)]: urnOf(east) }), rs)), []);
            // The bucket's own region wins over its provider's.
            const own = [west, east, withProps(src, { region: "us-east-1" }), dst, replication(src, dst)];
            assert.deepStrictEqual(messages(await checkStack(withProviders(storageDrCopy, { [urnOf(src)]: urnOf(west), [urnOf(dst)]: urnOf(east) }), own)), [
                "The DR copy of data bucket 'uploads' goes to 'uploads-dr' in us-east-1, the bucket's own region; the copy must be in another region.",
            ]);
        });
        it("judges only the copies that leave the region once one does", async () => {
            const src = data("uploads");
            const near = copyBucket("uploads-near", { region: "us-west-2" });
            const far = copyBucket("uploads-dr");
            const nearCopy = { ...replication(src, near, { destination: { bucket: "arn:aws:s3:::uploads-near", storageClass: "STANDARD" } }), name: "near-replication" };
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, near, far, nearCopy, ...datasync(src, far)])), []);
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, near, far, nearCopy, ...datasync(src, far, {}, { s3StorageClass: "GLACIER_IR" })])), [
                "The DR copy of data bucket 'uploads' by 'uploads-task' is stored as GLACIER_IR; this environment requires one of DEEP_ARCHIVE, GLACIER.",
            ]);
        });
        it("knows V2 data buckets, and judges each data bucket on its own copies", async () => {
            const src: TestResource = { ...data("uploads"), type: "aws:s3/bucketV2:BucketV2" };
            const other = data("reports");
            const dst = copyBucket("uploads-dr");
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, other, dst, replication(src, dst)])), [
                "The data bucket 'reports' has no copy in another region (a DataSync task or S3 replication); this environment requires one.",
            ]);
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src])), [
                "The data bucket 'uploads' has no copy in another region (a DataSync task or S3 replication); this environment requires one.",
            ]);
        });
    });

    describe("storage-dr-object-lock", () => {
        it("judges every lock configuration of a copy bucket, whichever comes first", async () => {
            const weak = { type: "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", name: "uploads-dr-weak", props: { bucket: "uploads-dr", rule: { defaultRetention: { mode: "GOVERNANCE", days: 1 } } } };
            const expected = [
                "The DR copy bucket 'uploads-dr' locks objects 1 day; this environment requires at least 30 days.",
                "The DR copy bucket 'uploads-dr' locks objects in GOVERNANCE mode; this environment requires COMPLIANCE mode, which not even the account root can lift.",
            ];
            assert.deepStrictEqual(messages(await checkStack(storageDrObjectLock, [...compliant(), weak])), expected);
            assert.deepStrictEqual(messages(await checkStack(storageDrObjectLock, [weak, ...compliant()])), expected);
        });
        it("counts a copy bucket whose retention is unknown at preview in favour, and still judges the other copies", async () => {
            const other = copyBucket("exports-dr");
            const rs = [
                ...compliant().map((r) => (r.name === "uploads-dr-l" ? { ...r, props: { ...r.props, rule: { defaultRetention: { mode: "COMPLIANCE", days: UNKNOWN } } } } : r)),
                other,
                ...settings(other, { mode: "COMPLIANCE", days: 7 }),
                data("exports"),
                replication(data("exports"), other),
            ];
            assert.deepStrictEqual(await checkStack(storageDrObjectLock, rs), {
                violations: [{ message: "The DR copy bucket 'exports-dr' locks objects 7 days; this environment requires at least 30 days.", urn: urnOf(other) }],
            });
        });
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
        it("counts retention in years as 365 days each, added to the days", async () => {
            const lock = (defaultRetention: Props) => patch(compliant(), "uploads-dr-l", { rule: { defaultRetention } });
            assert.deepStrictEqual(messages(await checkStack(storageDrObjectLock, lock({ mode: "COMPLIANCE", years: 1 }))), []);
            assert.deepStrictEqual(messages(await checkStack(storageDrObjectLock, lock({ mode: "COMPLIANCE", years: 1 }), { minRetentionDays: 400 })), [
                "The DR copy bucket 'uploads-dr' locks objects 365 days; this environment requires at least 400 days.",
            ]);
            assert.deepStrictEqual(messages(await checkStack(storageDrObjectLock, lock({ mode: "COMPLIANCE", years: 1, days: 35 }), { minRetentionDays: 400 })), []);
            assert.deepStrictEqual(messages(await checkStack(storageDrObjectLock, lock({ mode: "COMPLIANCE", days: 1 }), { minRetentionDays: 1 })), []);
        });
        it("rejects a retention without a mode or a period", async () => {
            const rs = patch(compliant(), "uploads-dr-l", { rule: { defaultRetention: {} } });
            assert.deepStrictEqual(messages(await checkStack(storageDrObjectLock, rs)), [
                "The DR copy bucket 'uploads-dr' locks objects 0 days; this environment requires at least 30 days.",
                "The DR copy bucket 'uploads-dr' locks objects in no mode; this environment requires COMPLIANCE mode, which not even the account root can lift.",
            ]);
        });
        it("rejects a lock configuration without a rule, and one whose rule has no default retention", async () => {
            const expected = [
                "The DR copy bucket 'uploads-dr' has no default Object Lock retention (an aws.s3.BucketObjectLockConfiguration); this environment requires at least 30 days.",
            ];
            assert.deepStrictEqual(messages(await checkStack(storageDrObjectLock, patch(compliant(), "uploads-dr-l", { rule: undefined }))), expected);
            assert.deepStrictEqual(messages(await checkStack(storageDrObjectLock, patch(compliant(), "uploads-dr-l", { rule: {} }))), expected);
            assert.deepStrictEqual(messages(await checkStack(storageDrObjectLock, patch(compliant(), "uploads-dr-l", { bucket: "another-bucket" }))), expected);
        });
        it("rejects a copy bucket whose objectLockEnabled is not set, and counts an unknown one as enabled", async () => {
            assert.deepStrictEqual(messages(await checkStack(storageDrObjectLock, patch(compliant(), "uploads-dr", { objectLockEnabled: undefined }))), [
                "The DR copy bucket 'uploads-dr' has no Object Lock (objectLockEnabled is not true); this environment requires it so that no one can delete the copies early.",
            ]);
            assert.deepStrictEqual(messages(await checkStack(storageDrObjectLock, patch(compliant(), "uploads-dr", { objectLockEnabled: UNKNOWN }))), []);
            const noLock = without(patch(compliant(), "uploads-dr", { objectLockEnabled: UNKNOWN }), "uploads-dr-l");
            assert.deepStrictEqual(messages(await checkStack(storageDrObjectLock, noLock)), [
                "The DR copy bucket 'uploads-dr' has no default Object Lock retention (an aws.s3.BucketObjectLockConfiguration); this environment requires at least 30 days.",
            ]);
        });
        it("judges each copy bucket by its own lock configuration", async () => {
            const src = data("uploads");
            const good = copyBucket("uploads-dr");
            const weak = copyBucket("reports-dr");
            // The good bucket's lock comes first in the stack.
            const rs = [src, good, weak, ...settings(good, LOCK), ...settings(weak, { mode: "GOVERNANCE", days: 7 })];
            assert.deepStrictEqual(messages(await checkStack(storageDrObjectLock, rs)), [
                "The DR copy bucket 'reports-dr' locks objects 7 days; this environment requires at least 30 days.",
                "The DR copy bucket 'reports-dr' locks objects in GOVERNANCE mode; this environment requires COMPLIANCE mode, which not even the account root can lift.",
            ]);
        });
        it("knows the V2 lock configuration type, and lets a V2 bucket's compliant copy through", async () => {
            const v2 = compliant().map((r) =>
                r.name === "uploads-dr-l" ? { ...r, type: "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2" } : r,
            );
            assert.deepStrictEqual(messages(await checkStack(storageDrObjectLock, v2)), []);
            const v2Copy = compliant().map((r) => (r.name === "uploads-dr" ? { ...r, type: "aws:s3/bucketV2:BucketV2" } : r));
            assert.deepStrictEqual(messages(await checkStack(storageDrObjectLock, without(v2Copy, "uploads-dr-l"))), [
                "The DR copy bucket 'uploads-dr' has no default Object Lock retention (an aws.s3.BucketObjectLockConfiguration); this environment requires at least 30 days.",
            ]);
        });
        it("does not require Object Lock on data buckets or on untagged buckets nothing copies into", async () => {
            const rs = [...compliant(), bucket("scratch")];
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
        it("lets a disabled rule that would replicate delete markers through, and reports each enabled one, '?' for a rule without id", async () => {
            const r = withProps(replication(src, dst), {
                rules: [
                    { id: "off", status: "Disabled", deleteMarkerReplication: { status: "Enabled" }, destination: { bucket: "arn:aws:s3:::uploads-dr" } },
                    { id: "plain", status: "Enabled", destination: { bucket: "arn:aws:s3:::uploads-dr" } },
                    { status: "Enabled", deleteMarkerReplication: { status: "Enabled" }, destination: { bucket: "arn:aws:s3:::uploads-dr" } },
                    { id: "second", deleteMarkerReplication: { status: "Enabled" }, destination: { bucket: "arn:aws:s3:::uploads-dr" } },
                ],
            });
            assert.deepStrictEqual(messages(await checkResource(storageReplicationNoDeleteMarkers, r)), [
                "The S3 replication 'uploads-replication' replicates delete markers (rule '?'); a delete at the source would then hide the objects in the copy.",
                "The S3 replication 'uploads-replication' replicates delete markers (rule 'second'); a delete at the source would then hide the objects in the copy.",
            ]);
        });
        it("lets a replication without rules through, and ignores other resource types", async () => {
            assert.deepStrictEqual(messages(await checkResource(storageReplicationNoDeleteMarkers, withProps(replication(src, dst), { rules: undefined }))), []);
            const other = { ...replication(src, dst, { deleteMarkerReplication: { status: "Enabled" } }), type: "aws:s3/bucketReplicationConfigV2:BucketReplicationConfigV2" };
            assert.deepStrictEqual(messages(await checkResource(storageReplicationNoDeleteMarkers, other)), []);
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
