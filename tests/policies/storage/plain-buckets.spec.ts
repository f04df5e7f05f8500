import * as assert from "assert";
import { bucketNameIn, partialFilter, storageBucketVersioning, storageDrCopy } from "../../../policies/storage";
import { checkStack, messages, TestResource, UNKNOWN, urnOf } from "../../helpers/policy";
import {
    Props,
    noCopy,
    without,
    withProps,
    patch,
    v2,
    on,
    versioning,
    kms,
    replicate,
    rule,
    uploads,
    replica,
    replicated,
    run,
    rolesOf,
} from "./fixtures";

// Another team's program: plain @pulumi/aws resources as the engine sends them at preview (names the
// provider generates and ARNs unknown, links by property dependencies), none of our tags.
describe("storage policies on another team's buckets (plain @pulumi/aws, no tags of ours)", () => {
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
            props: {
                region: "us-east-1",
                replicationConfiguration: {
                    role: UNKNOWN,
                    rules: [{ id: "all", status: "Enabled", destination: { bucket: UNKNOWN, storageClass: "DEEP_ARCHIVE" } }],
                },
            },
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
            assert.deepStrictEqual(
                messages(await checkStack(storageDrCopy, withRules(rule({ id: "images", filter: { prefix: "images/" } })))),
                [partial("rule 'images' of 'uploads-replication' copies only objects with prefix 'images/'")],
            );
            assert.deepStrictEqual(
                messages(
                    await checkStack(storageDrCopy, withRules(rule({ id: "tagged", filter: { tag: { key: "backup", value: "yes" } } }))),
                ),
                [partial("rule 'tagged' of 'uploads-replication' copies only objects with tag backup=yes")],
            );
            assert.deepStrictEqual(
                messages(
                    await checkStack(
                        storageDrCopy,
                        withRules(rule({ id: "both", filter: { and: { prefix: "docs/", tags: { team: "a", tier: "gold" } } } })),
                    ),
                ),
                [partial("rule 'both' of 'uploads-replication' copies only objects with prefix 'docs/' and tags team=a, tier=gold")],
            );
            assert.deepStrictEqual(
                messages(
                    await checkStack(
                        storageDrCopy,
                        withRules(
                            rule({ id: undefined, filter: undefined, prefix: "old/" }),
                            rule({ id: "b", filter: { prefix: "new/" } }),
                        ),
                    ),
                ),
                [
                    partial(
                        "rule 'rule 1' of 'uploads-replication' copies only objects with prefix 'old/'; rule 'b' of 'uploads-replication' copies only objects with prefix 'new/'",
                    ),
                ],
            );
        });
        it("is enough with another enabled rule to another region that has an empty filter, not with a disabled one", async () => {
            assert.deepStrictEqual(
                messages(
                    await checkStack(
                        storageDrCopy,
                        withRules(rule({ id: "images", filter: { prefix: "images/" } }), rule({ id: "rest", filter: { prefix: "" } })),
                    ),
                ),
                [],
            );
            assert.deepStrictEqual(
                messages(
                    await checkStack(
                        storageDrCopy,
                        withRules(rule({ id: "images", filter: { prefix: "images/" } }), rule({ id: "rest", status: "Disabled" })),
                    ),
                ),
                [partial("rule 'images' of 'uploads-replication' copies only objects with prefix 'images/'")],
            );
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
                [
                    "cdn-logs",
                    "cdn-logs",
                    "cdn-logs",
                    "cdn-logs",
                    "cdn-logs.s3.amazonaws.com/prefix",
                    "cdn-logs.s3_x.amazonaws.com",
                    "cdn-logs",
                ],
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
            on(
                "aws:backup/plan:Plan",
                "plan",
                {
                    region: "us-east-1",
                    name: "plan",
                    rules: [
                        {
                            ruleName: "daily",
                            targetVaultName: "main",
                            schedule: "cron(0 5 * * ? *)",
                            lifecycle: { deleteAfter: 35 },
                            copyActions,
                        },
                    ],
                },
                { rules: [vault] },
            );
        const copyTo = [{ destinationVaultArn: UNKNOWN, lifecycle: { deleteAfter: 35 } }];
        const selection = (p: TestResource) =>
            on(
                "aws:backup/selection:Selection",
                "selection",
                { planId: UNKNOWN, iamRoleArn: UNKNOWN, resources: [UNKNOWN] },
                { planId: [p], resources: [uploads] },
            );
        const rs = (p: TestResource) => [uploads, versioning(uploads), kms(uploads), vault, p, selection(p)];
        assert.deepStrictEqual(messages(await checkStack(storageDrCopy, rs(plan(copyTo)))), []);
        assert.deepStrictEqual(messages(await checkStack(storageDrCopy, rs(plan([])))), [
            "The data bucket 'uploads' has no copy in another region (S3 replication, a DataSync task or an AWS Backup copy action): the AWS Backup plan 'plan' that selects it has no copy action to a vault in another region; this environment requires one.",
        ]);
    });

    it("holds a snapshot repository's copy to no storage class: OpenSearch must read it to restore", async () => {
        const repo: TestResource = {
            type: "pulumi-nodejs:dynamic/opensearch:SnapshotRepository",
            name: "repo",
            props: { name: "r", body: { type: "s3", settings: { bucket: "snapshots" } } },
        };
        const snapshots = v2("snapshots", { bucket: "snapshots" });
        const standardIa = (b: TestResource) =>
            replicate(b, [replica], [rule({ destination: { bucket: UNKNOWN, storageClass: "STANDARD_IA" } })]);
        assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [repo, snapshots, replica, standardIa(snapshots)])), []);
        assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [uploads, replica, standardIa(uploads)])), [
            "The DR copy of data bucket 'uploads' by 'uploads-replication' is stored as STANDARD_IA; this environment requires one of DEEP_ARCHIVE, GLACIER.",
        ]);
        assert.deepStrictEqual(messages(await checkStack(storageBucketVersioning, [repo, snapshots])), [
            "The snapshot repository bucket 'snapshots' has no versioning (an aws.s3.BucketVersioning with status Enabled); an overwritten or deleted object could not be recovered.",
        ]);
    });
});
