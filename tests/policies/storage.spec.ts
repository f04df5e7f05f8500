import * as assert from "assert";
import {
    bucketNameIn,
    bucketRoles,
    longestGapDays,
    partialFilter,
    storageBucketKmsEncryption,
    storageBucketVersioning,
    storageDrCopy,
    storageDrObjectLock,
    storageLogBucketRetention,
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

const noCopy = (name: string) =>
    `The data bucket '${name}' has no copy in another region (S3 replication, a DataSync task or an AWS Backup copy action): no AWS Backup plan of the stack selects it; this environment requires one.`;
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
        // A role unknown at preview is no role: the bucket is judged as data (a tag never exempts by being unknown).
        assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [data("uploads", { tags: { tier: "storage", role: UNKNOWN } })])), [noCopy("uploads")]);
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
            // Nor for a bucket that sets no name either (AWS names it at creation).
            const autoNamed = [bucket("uploads", { bucket: undefined, tags: { role: "primary" } }), { ...settings(data("uploads"))[0], props: { versioningConfiguration: { status: "Enabled" } } }];
            assert.deepStrictEqual(messages(await checkStack(storageBucketVersioning, autoNamed)), [
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
        it("protects the untagged destination of a DataSync task, and of a replication from a bucket outside the stack, as a DR copy", async () => {
            const src = data("uploads");
            const dst = bucket("uploads-dr", { region: "us-east-1" });
            const unversioned = "The DR copy bucket 'uploads-dr' has no versioning (an aws.s3.BucketVersioning with status Enabled); an overwritten or deleted object could not be recovered.";
            assert.deepStrictEqual(messages(await checkStack(storageBucketVersioning, [src, dst, ...settings(src), ...datasync(src, dst)])), [unversioned]);
            const foreign = { ...replication(bucket("elsewhere"), dst), name: "foreign-replication" };
            assert.deepStrictEqual(messages(await checkStack(storageBucketVersioning, [src, dst, ...settings(src), foreign])), [unversioned]);
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
        it("judges every bucket whatever its tags, but leaves a bucket tagged role=access-logs to the log rules", async () => {
            const rs = [
                bucket("logs", { tags: { tier: "storage", role: "access-logs" } }),
                bucket("db-dumps", { tags: { tier: "database", role: "primary" } }),
                { type: "aws:kms/key:Key", name: "uploads-key", props: { tags: { tier: "storage", role: "primary" } } },
                bucket("untagged"),
            ];
            const unversioned = (name: string) =>
                `The data bucket '${name}' has no versioning (an aws.s3.BucketVersioning with status Enabled); an overwritten or deleted object could not be recovered.`;
            assert.deepStrictEqual(messages(await checkStack(storageBucketVersioning, rs)), [unversioned("db-dumps"), unversioned("untagged")]);
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, rs)), [noCopy("db-dumps"), noCopy("untagged")]);
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
        const noUploadsCopy = noCopy("uploads");
        it("counts a replication whose rules are unknown at preview as a possible copy", async () => {
            const src = data("uploads");
            const unknownRules = { ...replication(src, copyBucket("x")), props: { ...replication(src, copyBucket("x")).props, rules: UNKNOWN } };
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, ...settings(src), unknownRules])), []);
            const otherSource = { ...unknownRules, props: { ...unknownRules.props, bucket: "logs" } };
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, ...settings(src), bucket("logs"), otherSource])), [noUploadsCopy]);
        });
        it("takes a DataSync task from an EFS or NFS location for no copy of a bucket, and one from an unknown location for a possible one", async () => {
            const src = data("uploads");
            const [, dst, task] = datasync(src, copyBucket("uploads-dr"));
            for (const type of ["aws:datasync/efsLocation:EfsLocation", "aws:datasync/nfsLocation:NfsLocation", "aws:datasync/locationSmb:LocationSmb"]) {
                const other: TestResource = { type, name: "files", props: {} };
                const fromFiles = { ...task, propertyDependencies: { ...task.propertyDependencies, sourceLocationArn: [urnOf(other)] } };
                assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, ...settings(src), other, dst, fromFiles])), [noUploadsCopy], type);
            }
            const fromRole = { ...task, propertyDependencies: { ...task.propertyDependencies, sourceLocationArn: [urnOf(role)] } };
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, ...settings(src), role, dst, fromRole])), []);
        });
        it("rejects a data bucket without any copy", async () => {
            const src = data("uploads");
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, ...settings(src)])), [
                "The data bucket 'uploads' has no copy in another region (S3 replication, a DataSync task or an AWS Backup copy action): no AWS Backup plan of the stack selects it; this environment requires one.",
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
            assert.strictEqual(longestGapDays("at(2030-01-01T00:00:00)"), undefined);
            assert.strictEqual(longestGapDays("cron(0 4 ? * SAT *)"), 7);
            // The second Friday, the last Friday: monthly, up to five weeks apart; a day's full name is no AWS cron.
            for (const monthly of ["FRI#2", "FRIL", "6#2", "6L"]) assert.strictEqual(longestGapDays(`cron(0 4 ? * ${monthly} *)`), 35, monthly);
            assert.strictEqual(longestGapDays("cron(0 4 ? * FRIDAY *)"), undefined);
            assert.strictEqual(longestGapDays("cron(0 4 ? * MON,THU *)"), 4);
            assert.strictEqual(longestGapDays("cron(0 4 ? * MON-FRI *)"), 3);
            assert.strictEqual(longestGapDays("cron(0 4 ? * 7 *)"), 7);
            assert.strictEqual(longestGapDays("cron(0 4 * * ? *)"), 1);
            assert.strictEqual(longestGapDays("cron(0 4 1 * ? *)"), 31);
            // Every day of the month is daily (once read as one run every 31 days).
            assert.strictEqual(longestGapDays("cron(0 4 1-31 * ? *)"), 1);
            assert.strictEqual(longestGapDays("cron(0 4 1-31/2 * ? *)"), 2);
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
            assert.strictEqual(longestGapDays("cron(0 4 ? 1-12 MON *)"), 7);
            assert.strictEqual(longestGapDays("cron(0 4 ? 1,7 MON *)"), 161); // 29 July 2030 to 6 January 2031
            assert.strictEqual(longestGapDays("cron(0 4 ? * * *)"), 1);
            assert.strictEqual(longestGapDays("cron(0 4 ? * ? *)"), undefined); // AWS wants `?` in one day field, not both
            assert.strictEqual(longestGapDays("cron(0 4 L * ? *)"), 31);
            assert.strictEqual(longestGapDays(" cron( 0  4 ?  * SAT * ) "), 7);
        });
        it("reads weekdays: names, numbers, lower case, ranges, and gives up on unknown days and wrapping ranges", () => {
            assert.strictEqual(longestGapDays("cron(0 4 ? * SUN *)"), 7);
            assert.strictEqual(longestGapDays("cron(0 4 ? * mon,thu *)"), 4);
            assert.strictEqual(longestGapDays("cron(0 4 ? * MON,FRI,WED *)"), 3);
            // A range that wraps past Saturday is not read (the cron parser does not), so it is reported as unreadable.
            assert.strictEqual(longestGapDays("cron(0 4 ? * FRI-MON *)"), undefined);
            assert.strictEqual(longestGapDays("cron(0 4 ? * SAT-SUN *)"), undefined);
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
                "The data bucket 'uploads' has no copy in another region (S3 replication, a DataSync task or an AWS Backup copy action): no AWS Backup plan of the stack selects it; this environment requires one.",
            ]);
        });
        it("does not count a replication without rules as a copy", async () => {
            const src = data("uploads");
            const dst = copyBucket("uploads-dr");
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, dst, withProps(replication(src, dst), { rules: undefined })])), [
                "The data bucket 'uploads' has no copy in another region (S3 replication, a DataSync task or an AWS Backup copy action): no AWS Backup plan of the stack selects it; this environment requires one.",
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
                "The data bucket 'reports' has no copy in another region (S3 replication, a DataSync task or an AWS Backup copy action): no AWS Backup plan of the stack selects it; this environment requires one.",
            ]);
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src])), [
                "The data bucket 'uploads' has no copy in another region (S3 replication, a DataSync task or an AWS Backup copy action): no AWS Backup plan of the stack selects it; this environment requires one.",
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

// Another team's program: plain @pulumi/aws resources as the engine sends them at preview (names the
// provider generates and ARNs unknown, links by property dependencies), none of our tags.
describe("storage policies on another team's buckets (plain @pulumi/aws, no tags of ours)", () => {
    const v2 = (name: string, props: Props = {}): TestResource => ({ type: "aws:s3/bucketV2:BucketV2", name, props: { region: "us-east-1", ...props } });
    const on = (type: string, name: string, props: Props, links: Record<string, TestResource[]>): TestResource => ({
        type,
        name,
        props,
        propertyDependencies: Object.fromEntries(Object.entries(links).map(([k, rs]) => [k, rs.map(urnOf)])),
    });
    const versioning = (b: TestResource) => on("aws:s3/bucketVersioningV2:BucketVersioningV2", `${b.name}-versioning`, { bucket: UNKNOWN, versioningConfiguration: { status: "Enabled" } }, { bucket: [b] });
    const kms = (b: TestResource) =>
        on(
            "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
            `${b.name}-sse`,
            { bucket: UNKNOWN, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }] },
            { bucket: [b] },
        );
    const lock = (b: TestResource) =>
        on("aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2", `${b.name}-lock`, { bucket: UNKNOWN, rule: { defaultRetention: { mode: "COMPLIANCE", days: 30 } } }, { bucket: [b] });
    /** aws.s3.BucketReplicationConfig with these rules, source and destinations linked by dependency. */
    const replicate = (from: TestResource, to: TestResource[], rules: Props[]) =>
        on("aws:s3/bucketReplicationConfig:BucketReplicationConfig", `${from.name}-replication`, { bucket: UNKNOWN, role: UNKNOWN, rules }, { bucket: [from], rules: to });
    const rule = (extra: Props = {}): Props => ({ id: "all", status: "Enabled", filter: {}, deleteMarkerReplication: { status: "Disabled" }, destination: { bucket: UNKNOWN, storageClass: "GLACIER" }, ...extra });
    const uploads = v2("uploads");
    const replica = v2("uploads-replica", { region: "eu-west-1", objectLockEnabled: true });
    /** A bucket replicated whole to a locked, versioned, KMS-encrypted replica in another region. */
    const replicated = () => [uploads, replica, versioning(uploads), kms(uploads), versioning(replica), kms(replica), lock(replica), replicate(uploads, [replica], [rule()])];
    const stackPolicies = storagePolicies.filter((p): p is StackValidationPolicy => "validateStack" in p);
    const run = async (rs: TestResource[], config: Record<string, unknown> = {}) => {
        const found: string[] = [];
        for (const p of stackPolicies) found.push(...messages(await checkStack(p, rs, config)).map((m) => `${p.name}: ${m}`));
        return found;
    };
    /** What bucketRoles makes of each bucket, by name. */
    const rolesOf = async (rs: TestResource[]) => {
        const seen: StackValidationPolicy = {
            name: "roles-seen",
            description: "test",
            validateStack: (args, report) => {
                for (const [b, role] of bucketRoles(args.resources)) report(`${b.name}: ${role}`);
            },
        };
        return messages(await checkStack(seen, rs));
    };

    it("judges a plain new aws.s3.BucketV2('uploads') with no tags as data: versioning, KMS and a copy in another region", async () => {
        assert.deepStrictEqual(await run([v2("uploads")]), [
            "storage-bucket-versioning: The data bucket 'uploads' has no versioning (an aws.s3.BucketVersioning with status Enabled); an overwritten or deleted object could not be recovered.",
            "storage-bucket-kms-encryption: The data bucket 'uploads' is not encrypted with a KMS key by default (an aws.s3.BucketServerSideEncryptionConfiguration with sseAlgorithm aws:kms); this environment requires KMS on data and copies.",
            `storage-dr-copy: ${noCopy("uploads")}`,
        ]);
    });

    it("lets a bucket replicated to another region into Glacier through, and judges the replica as a copy, not asked for a copy of its own", async () => {
        assert.deepStrictEqual(await run(replicated()), []);
        assert.deepStrictEqual(await rolesOf(replicated()), ["uploads: data", "uploads-replica: copy"]);
        assert.deepStrictEqual(await run(without(replicated(), "uploads-replica-lock")), [
            "storage-dr-object-lock: The DR copy bucket 'uploads-replica' has no default Object Lock retention (an aws.s3.BucketObjectLockConfiguration); this environment requires at least 30 days.",
        ]);
        assert.deepStrictEqual(await run(patch(replicated(), "uploads-replica", { objectLockEnabled: undefined })), [
            "storage-dr-object-lock: The DR copy bucket 'uploads-replica' has no Object Lock (objectLockEnabled is not true); this environment requires it so that no one can delete the copies early.",
        ]);
    });

    it("counts a bucket's own (legacy) replicationConfiguration as a copy, and its destination as a copy bucket", async () => {
        const legacy: TestResource = {
            type: "aws:s3/bucket:Bucket",
            name: "uploads",
            props: { region: "us-east-1", replicationConfiguration: { role: UNKNOWN, rules: [{ id: "all", status: "Enabled", destination: { bucket: UNKNOWN, storageClass: "DEEP_ARCHIVE" } }] } },
            propertyDependencies: { replicationConfiguration: [urnOf(replica)] },
        };
        assert.deepStrictEqual(await rolesOf([legacy, replica]), ["uploads: data", "uploads-replica: copy"]);
        assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [legacy, replica])), []);
        const sameRegion = withProps(replica, { region: "us-east-1" });
        assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [legacy, sameRegion])), [
            "The DR copy of data bucket 'uploads' goes to 'uploads-replica' in us-east-1, the bucket's own region; the copy must be in another region.",
        ]);
    });

    describe("a replication rule that copies a prefix or a tag filter only", () => {
        const partial = (filter: string) =>
            `The data bucket 'uploads' is copied to another region only in part: ${filter}; no AWS Backup plan of the stack selects it; this environment requires a copy of every object (a replication rule without a filter, a DataSync task or an AWS Backup copy action).`;
        const withRules = (...rules: Props[]) => [...without(replicated(), "uploads-replication"), replicate(uploads, [replica], rules)];
        it("is no copy of the bucket, and the message names the rule and its filter", async () => {
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, withRules(rule({ id: "images", filter: { prefix: "images/" } })))), [
                partial("rule 'images' of 'uploads-replication' copies only objects with prefix 'images/'"),
            ]);
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, withRules(rule({ id: "tagged", filter: { tag: { key: "backup", value: "yes" } } })))), [
                partial("rule 'tagged' of 'uploads-replication' copies only objects with tag backup=yes"),
            ]);
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, withRules(rule({ id: "both", filter: { and: { prefix: "docs/", tags: { team: "a", tier: "gold" } } } })))), [
                partial("rule 'both' of 'uploads-replication' copies only objects with prefix 'docs/' and tags team=a, tier=gold"),
            ]);
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, withRules(rule({ id: undefined, filter: undefined, prefix: "old/" }), rule({ id: "b", filter: { prefix: "new/" } })))), [
                partial("rule 'rule 1' of 'uploads-replication' copies only objects with prefix 'old/'; rule 'b' of 'uploads-replication' copies only objects with prefix 'new/'"),
            ]);
        });
        it("is enough with another enabled rule to another region that has an empty filter, not with a disabled one", async () => {
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, withRules(rule({ id: "images", filter: { prefix: "images/" } }), rule({ id: "rest", filter: { prefix: "" } })))), []);
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, withRules(rule({ id: "images", filter: { prefix: "images/" } }), rule({ id: "rest", status: "Disabled" })))), [
                partial("rule 'images' of 'uploads-replication' copies only objects with prefix 'images/'"),
            ]);
        });
        it("counts a filter unknown at preview as the whole bucket", async () => {
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, withRules(rule({ filter: UNKNOWN })))), []);
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, withRules(rule({ filter: { prefix: UNKNOWN } })))), []);
        });
        it("reads a bucket's name in an ARN of any partition, in a host name of any region, or as given", () => {
            assert.deepStrictEqual(
                [
                    bucketNameIn("arn:aws:s3:::flow-logs/AWSLogs/"),
                    bucketNameIn("arn:aws-cn:s3:::flow-logs"),
                    bucketNameIn("arn:aws-us-gov:s3:::flow-logs/x"),
                    bucketNameIn("see arn:aws:s3:::flow-logs"),
                ],
                ["flow-logs", "flow-logs", "flow-logs", "see arn:aws:s3:::flow-logs"],
            );
            assert.deepStrictEqual(
                [
                    bucketNameIn("cdn-logs.s3.amazonaws.com"),
                    bucketNameIn("cdn-logs.s3.us-west-2.amazonaws.com"),
                    bucketNameIn("cdn-logs.s3-eu-west-1.amazonaws.com"),
                    bucketNameIn("cdn-logs.s3.cn-north-1.amazonaws.com.cn"),
                    bucketNameIn("cdn-logs.s3.amazonaws.com/prefix"),
                    bucketNameIn("cdn-logs.s3_x.amazonaws.com"),
                    bucketNameIn("cdn-logs"),
                ],
                ["cdn-logs", "cdn-logs", "cdn-logs", "cdn-logs", "cdn-logs.s3.amazonaws.com/prefix", "cdn-logs.s3_x.amazonaws.com", "cdn-logs"],
            );
        });
        it("reads filters: empty ones select everything", () => {
            assert.strictEqual(partialFilter({ filter: {} }), undefined);
            assert.strictEqual(partialFilter({ filter: { prefix: "" }, prefix: "" }), undefined);
            assert.strictEqual(partialFilter({ filter: { and: { tags: {} } } }), undefined);
            assert.strictEqual(partialFilter({ filter: { tags: { a: "1" } } }), "tag a=1");
        });
    });

    it("counts an AWS Backup plan copying the bucket's recovery points to another region as its copy, and names a plan without one", async () => {
        const vault: TestResource = { type: "aws:backup/vault:Vault", name: "dr-vault", props: { region: "eu-west-1", name: "dr-vault" } };
        const plan = (copyActions: Props[]) =>
            on("aws:backup/plan:Plan", "plan", { region: "us-east-1", name: "plan", rules: [{ ruleName: "daily", targetVaultName: "main", schedule: "cron(0 5 * * ? *)", lifecycle: { deleteAfter: 35 }, copyActions }] }, { rules: [vault] });
        const copyTo = [{ destinationVaultArn: UNKNOWN, lifecycle: { deleteAfter: 35 } }];
        const selection = (p: TestResource) => on("aws:backup/selection:Selection", "selection", { planId: UNKNOWN, iamRoleArn: UNKNOWN, resources: [UNKNOWN] }, { planId: [p], resources: [uploads] });
        const rs = (p: TestResource) => [uploads, versioning(uploads), kms(uploads), vault, p, selection(p)];
        assert.deepStrictEqual(messages(await checkStack(storageDrCopy, rs(plan(copyTo)))), []);
        assert.deepStrictEqual(messages(await checkStack(storageDrCopy, rs(plan([])))), [
            "The data bucket 'uploads' has no copy in another region (S3 replication, a DataSync task or an AWS Backup copy action): the AWS Backup plan 'plan' that selects it has no copy action to a vault in another region; this environment requires one.",
        ]);
    });

    it("holds a snapshot repository's copy to no storage class: OpenSearch must read it to restore", async () => {
        const repo: TestResource = { type: "pulumi-nodejs:dynamic/opensearch:SnapshotRepository", name: "repo", props: { name: "r", body: { type: "s3", settings: { bucket: "snapshots" } } } };
        const snapshots = v2("snapshots", { bucket: "snapshots" });
        const standardIa = (b: TestResource) => replicate(b, [replica], [rule({ destination: { bucket: UNKNOWN, storageClass: "STANDARD_IA" } })]);
        assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [repo, snapshots, replica, standardIa(snapshots)])), []);
        assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [uploads, replica, standardIa(uploads)])), [
            "The DR copy of data bucket 'uploads' by 'uploads-replication' is stored as STANDARD_IA; this environment requires one of DEEP_ARCHIVE, GLACIER.",
        ]);
        assert.deepStrictEqual(messages(await checkStack(storageBucketVersioning, [repo, snapshots])), [
            "The snapshot repository bucket 'snapshots' has no versioning (an aws.s3.BucketVersioning with status Enabled); an overwritten or deleted object could not be recovered.",
        ]);
    });

    describe("log buckets", () => {
        const logs = v2("alb-logs");
        const alb = (accessLogs: unknown, links: TestResource[] = [logs]) =>
            on("aws:lb/loadBalancer:LoadBalancer", "web", { loadBalancerType: "application", subnets: UNKNOWN, accessLogs }, { accessLogs: links });
        const lifecycle = (rules: unknown, links: TestResource[] = [logs], bucket: unknown = UNKNOWN) =>
            on("aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2", "alb-logs-lifecycle", { bucket, rules }, { bucket: links });
        const expire = (days: unknown, extra: Props = {}) => ({ id: "expire", status: "Enabled", filter: {}, expiration: { days }, ...extra });
        const sse = on("aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", "alb-logs-sse", { bucket: UNKNOWN, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] }, { bucket: [logs] });

        it("takes the target of an ALB's access logs for a log bucket: no copy, versioning or KMS (SSE-S3 is all an ALB can write to)", async () => {
            assert.deepStrictEqual(await rolesOf([logs, alb({ bucket: UNKNOWN, enabled: true, prefix: "web" })]), ["alb-logs: logs"]);
            assert.deepStrictEqual(await run([logs, sse, alb({ bucket: UNKNOWN, enabled: true })]), []);
        });
        it("takes a bucket named by logs an ALB does not enable (the provider's default) for data, and an unknown enabled for logs", async () => {
            assert.deepStrictEqual(await rolesOf([logs, alb({ bucket: UNKNOWN })]), ["alb-logs: data"]);
            assert.deepStrictEqual(await rolesOf([logs, alb({ bucket: UNKNOWN, enabled: false })]), ["alb-logs: data"]);
            assert.deepStrictEqual(await rolesOf([logs, alb({ bucket: UNKNOWN, enabled: UNKNOWN })]), ["alb-logs: logs"]);
            assert.deepStrictEqual(await rolesOf([logs, alb(UNKNOWN)]), ["alb-logs: logs"]);
        });
        it("finds log buckets of every log source, by dependency or by a name known at preview", async () => {
            const named = (name: string) => ({ ...v2(name), props: { region: "us-east-1", bucket: name } });
            const rs: TestResource[] = [
                named("s3-access"),
                named("legacy-access"),
                named("v2-access"),
                named("trail"),
                named("cdn"),
                named("flows"),
                named("cw-flows"),
                named("nlb"),
                named("elb"),
                named("data"),
                { type: "aws:s3/bucketLoggingV2:BucketLoggingV2", name: "l", props: { bucket: "data", targetBucket: "s3-access" } },
                { type: "aws:s3/bucket:Bucket", name: "old", props: { logging: { targetBucket: "legacy-access" } } },
                { type: "aws:s3/bucketV2:BucketV2", name: "older", props: { loggings: [{ targetBucket: "v2-access" }] } },
                { type: "aws:cloudtrail/trail:Trail", name: "t", props: { s3BucketName: "trail" } },
                { type: "aws:cloudfront/distribution:Distribution", name: "d", props: { loggingConfig: { bucket: "cdn.s3.amazonaws.com", prefix: "cdn/" } } },
                { type: "aws:ec2/flowLog:FlowLog", name: "f", props: { logDestinationType: "s3", logDestination: "arn:aws:s3:::flows/vpc/" } },
                { type: "aws:ec2/flowLog:FlowLog", name: "g", props: { logDestination: "arn:aws:s3:::cw-flows" } },
                { type: "aws:alb/loadBalancer:LoadBalancer", name: "n", props: { connectionLogs: { bucket: "nlb", enabled: true } } },
                { type: "aws:elb/loadBalancer:LoadBalancer", name: "e", props: { accessLogs: { bucket: "elb" } } },
            ];
            assert.deepStrictEqual(await rolesOf(rs), [
                "s3-access: logs",
                "legacy-access: logs",
                "v2-access: logs",
                "trail: logs",
                "cdn: logs",
                "flows: logs",
                "cw-flows: data",
                "nlb: logs",
                "elb: logs",
                "data: data",
                "old: data",
                "older: data",
            ]);
        });
        it("takes a bucket tagged role=access-logs for a log bucket, and a copy destination that also receives logs for a copy", async () => {
            assert.deepStrictEqual(await rolesOf([v2("tagged", { tags: { role: "access-logs" } })]), ["tagged: logs"]);
            const both = [...replicated(), alb({ bucket: UNKNOWN, enabled: true }, [replica])];
            assert.deepStrictEqual(await rolesOf(both), ["uploads: data", "uploads-replica: copy"]);
        });

        it("rejects a lifecycle that expires logs sooner than N days, by days or on a date, and lets 90 days through", async () => {
            const lb = alb({ bucket: UNKNOWN, enabled: true });
            assert.deepStrictEqual(messages(await checkStack(storageLogBucketRetention, [logs, lb, lifecycle([expire(7)])])), [
                "The log bucket 'alb-logs' expires its objects after 7 days (lifecycle rule 'expire' of 'alb-logs-lifecycle'); this environment requires keeping logs at least 90 days.",
            ]);
            assert.deepStrictEqual(messages(await checkStack(storageLogBucketRetention, [logs, lb, lifecycle([{ id: "fixed", status: "Enabled", expiration: { date: "2030-01-01T00:00:00Z" } }])])), [
                "The log bucket 'alb-logs' expires its objects on 2030-01-01T00:00:00Z (lifecycle rule 'fixed' of 'alb-logs-lifecycle'), after which logs are deleted as they arrive; this environment requires keeping logs at least 90 days.",
            ]);
            assert.deepStrictEqual(messages(await checkStack(storageLogBucketRetention, [logs, lb, lifecycle([expire(90)])])), []);
            assert.deepStrictEqual(messages(await checkStack(storageLogBucketRetention, [logs, lb])), []);
        });
        it("takes the minimum from config, and ignores disabled rules, noncurrent versions and other buckets' lifecycles", async () => {
            const lb = alb({ bucket: UNKNOWN, enabled: true });
            assert.deepStrictEqual(messages(await checkStack(storageLogBucketRetention, [logs, lb, lifecycle([expire(30)])], { minRetentionDays: 30 })), []);
            assert.deepStrictEqual(messages(await checkStack(storageLogBucketRetention, [logs, lb, lifecycle([expire(7, { status: "Disabled" })])])), []);
            assert.deepStrictEqual(
                messages(await checkStack(storageLogBucketRetention, [logs, lb, lifecycle([{ id: "old", status: "Enabled", noncurrentVersionExpiration: { noncurrentDays: 1 } }])])),
                [],
            );
            assert.deepStrictEqual(messages(await checkStack(storageLogBucketRetention, [logs, lb, uploads, lifecycle([expire(1)], [uploads])])), []);
        });
        it("names a rule without an id by its position, and reads no expiry from an empty date, zero or missing days", async () => {
            const lb = alb({ bucket: UNKNOWN, enabled: true });
            const rules = [
                { status: "Enabled", expiration: {} },
                { id: "zero", status: "Enabled", expiration: { date: "", days: 0 } },
                { id: "", status: "Enabled", expiration: { date: "", days: 7 } },
            ];
            assert.deepStrictEqual(messages(await checkStack(storageLogBucketRetention, [logs, lb, lifecycle(rules)])), [
                "The log bucket 'alb-logs' expires its objects after 7 days (lifecycle rule 'rule 3' of 'alb-logs-lifecycle'); this environment requires keeping logs at least 90 days.",
            ]);
            // A lifecycle that names another bucket is that bucket's.
            assert.deepStrictEqual(messages(await checkStack(storageLogBucketRetention, [logs, lb, uploads, lifecycle([expire(1)], [], "uploads")])), []);
        });
        it("reads a bucket's own (legacy) lifecycleRules", async () => {
            const legacy: TestResource = { type: "aws:s3/bucket:Bucket", name: "trail-logs", props: { bucket: "trail-logs", lifecycleRules: [{ id: "week", enabled: true, expiration: { days: 7 } }, { enabled: false, expiration: { days: 1 } }] } };
            const trail: TestResource = { type: "aws:cloudtrail/trail:Trail", name: "t", props: { s3BucketName: "trail-logs" } };
            assert.deepStrictEqual(messages(await checkStack(storageLogBucketRetention, [legacy, trail])), [
                "The log bucket 'trail-logs' expires its objects after 7 days (lifecycle rule 'week' of the bucket); this environment requires keeping logs at least 90 days.",
            ]);
        });
        it("counts rules, days or a bucket link unknown at preview in the stack's favour", async () => {
            const lb = alb({ bucket: UNKNOWN, enabled: true });
            assert.deepStrictEqual(messages(await checkStack(storageLogBucketRetention, [logs, lb, lifecycle(UNKNOWN)])), []);
            assert.deepStrictEqual(messages(await checkStack(storageLogBucketRetention, [logs, lb, lifecycle([expire(UNKNOWN)])])), []);
            assert.deepStrictEqual(messages(await checkStack(storageLogBucketRetention, [logs, lb, lifecycle([expire(7)], [])])), []);
        });
        it("does not judge data buckets' lifecycles", async () => {
            assert.deepStrictEqual(messages(await checkStack(storageLogBucketRetention, [logs, lifecycle([expire(7)])])), []);
        });
    });

    describe("exemptions", () => {
        const exempt = (reason?: string) => v2("scratch", { tags: { "continuity-dr": "none", ...(reason ? { "continuity-dr-reason": reason } : {}) } });
        const logsExpiring = () => {
            const logs = v2("scratch", { tags: { role: "access-logs" } });
            return [logs, on("aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2", "scratch-lifecycle", { bucket: UNKNOWN, rules: [{ id: "x", status: "Enabled", expiration: { days: 1 } }] }, { bucket: [logs] })];
        };
        /** A stack each stack policy rejects for the bucket 'scratch'. */
        const violating: Record<string, () => TestResource[]> = {
            "storage-bucket-versioning": () => [v2("scratch")],
            "storage-bucket-kms-encryption": () => [v2("scratch")],
            "storage-dr-copy": () => [v2("scratch")],
            "storage-dr-object-lock": () => [v2("scratch", { tags: { role: "dr-copy" } })],
            "storage-log-bucket-retention": logsExpiring,
        };
        const tagged = (rs: TestResource[]) => rs.map((r) => (r.name === "scratch" ? withProps(r, { tags: { ...(r.props.tags as Props), "continuity-dr": "none", "continuity-dr-reason": "rebuilt from source every night" } }) : r));
        it("has a violating stack for every stack policy, and exempts its bucket by tag with a reason", async () => {
            assert.deepStrictEqual(Object.keys(violating), stackPolicies.map((p) => p.name));
            for (const p of stackPolicies) {
                assert.strictEqual(messages(await checkStack(p, violating[p.name]())).length > 0, true, p.name);
                assert.deepStrictEqual(messages(await checkStack(p, tagged(violating[p.name]()))), [], p.name);
            }
        });
        it("exempts by a config entry with a reason, and reports one without a reason, which exempts nothing", async () => {
            for (const p of stackPolicies) {
                const judged = messages(await checkStack(p, violating[p.name]()));
                const byConfig = { exemptions: [{ type: "aws:s3/bucketV2:BucketV2", name: "scr*", reason: "scratch space" }] };
                assert.deepStrictEqual(messages(await checkStack(p, violating[p.name](), byConfig)), [], p.name);
                const reasonless = { exemptions: [{ type: "aws:s3/bucketV2:BucketV2", name: "scratch" }] };
                assert.deepStrictEqual(
                    messages(await checkStack(p, violating[p.name](), reasonless)),
                    [`The exemption from '${p.name}' for type aws:s3/bucketV2:BucketV2, name scratch gives no reason; an exemption needs one, so this one exempts nothing.`, ...judged],
                    p.name,
                );
            }
        });
        it("does not take a dr tag without a reason for an exemption", async () => {
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [exempt()])), [noCopy("scratch")]);
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [exempt("scratch data")])), []);
        });
        it("exempts a replication from storage-replication-no-delete-markers by a config entry with a reason only", async () => {
            const r = withProps(replication(data("uploads"), copyBucket("uploads-dr")), { rules: [{ id: "dr", status: "Enabled", deleteMarkerReplication: { status: "Enabled" } }] });
            const markers = "The S3 replication 'uploads-replication' replicates delete markers (rule 'dr'); a delete at the source would then hide the objects in the copy.";
            assert.deepStrictEqual(messages(await checkResource(storageReplicationNoDeleteMarkers, r)), [markers]);
            assert.deepStrictEqual(messages(await checkResource(storageReplicationNoDeleteMarkers, r, { exemptions: [{ name: "uploads-replication", reason: "markers wanted in the copy" }] })), []);
            assert.deepStrictEqual(messages(await checkResource(storageReplicationNoDeleteMarkers, r, { exemptions: [{ name: "uploads-replication" }] })), [
                "The exemption from 'storage-replication-no-delete-markers' for name uploads-replication gives no reason; an exemption needs one, so this one exempts nothing.",
                markers,
            ]);
        });
    });
});
