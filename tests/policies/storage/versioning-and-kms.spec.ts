import * as assert from "assert";
import { storageBucketKmsEncryption, storageBucketVersioning, storageDrCopy, storagePolicies, tagsOf } from "../../../policies/storage";
import { StackValidationPolicy } from "@pulumi/policy";
import { checkStack, messages, TestResource, UNKNOWN, urnOf } from "../../helpers/policy";
import {
    KEY,
    bucket,
    data,
    copyBucket,
    settings,
    replication,
    datasync,
    noCopy,
    compliant,
    without,
    VERSIONING,
    role,
    withProps,
    patch,
} from "./fixtures";

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
                for (const r of args.resources)
                    report(
                        `${r.name}: ${Object.entries(tagsOf(r))
                            .map(([k, v]) => `${k}=${String(v)}`)
                            .join(",")}`,
                    );
            },
        };
        const rs = [bucket("a", { tags: { tier: "storage", role: UNKNOWN } }), bucket("b", { tags: UNKNOWN }), bucket("c")];
        assert.deepStrictEqual(messages(await checkStack(seen, rs)), ["a: tier=storage", "b: ", "c: "]);
        // A role unknown at preview is no role: the bucket is judged as data (a tag never exempts by being unknown).
        assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [data("uploads", { tags: { tier: "storage", role: UNKNOWN } })])), [
            noCopy("uploads"),
        ]);
    });

    describe("storage-bucket-versioning", () => {
        it("rejects a data bucket without versioning, with its URN", async () => {
            const o = await checkStack(storageBucketVersioning, without(compliant(), "uploads-v"));
            assert.deepStrictEqual(o.violations, [
                {
                    message:
                        "The data bucket 'uploads' has no versioning (an aws.s3.BucketVersioning with status Enabled); an overwritten or deleted object could not be recovered.",
                    urn: urnOf(data("uploads")),
                },
            ]);
        });
        it("rejects a copy bucket whose versioning is suspended", async () => {
            const rs = compliant().map((r) =>
                r.name === "uploads-dr-v" ? { ...r, props: { ...r.props, versioningConfiguration: { status: "Suspended" } } } : r,
            );
            assert.deepStrictEqual(messages(await checkStack(storageBucketVersioning, rs)), [
                "The DR copy bucket 'uploads-dr' has no versioning (an aws.s3.BucketVersioning with status Enabled); an overwritten or deleted object could not be recovered.",
            ]);
        });
        it("links versioning through its bucket dependency when the name is unknown at preview", async () => {
            const rs = compliant().map((r) =>
                r.name === "uploads-v"
                    ? { ...r, props: { ...r.props, bucket: UNKNOWN }, propertyDependencies: { bucket: [urnOf(data("uploads"))] } }
                    : r,
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
            assert.deepStrictEqual(
                messages(
                    await checkStack(storageBucketVersioning, patch(compliant(), "uploads-v", { versioningConfiguration: undefined })),
                ),
                [
                    "The data bucket 'uploads' has no versioning (an aws.s3.BucketVersioning with status Enabled); an overwritten or deleted object could not be recovered.",
                ],
            );
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
            const autoNamed = [
                bucket("uploads", { bucket: undefined, tags: { role: "primary" } }),
                { ...settings(data("uploads"))[0], props: { versioningConfiguration: { status: "Enabled" } } },
            ];
            assert.deepStrictEqual(messages(await checkStack(storageBucketVersioning, autoNamed)), [
                "The data bucket 'uploads' has no versioning (an aws.s3.BucketVersioning with status Enabled); an overwritten or deleted object could not be recovered.",
            ]);
        });
        it("protects an untagged bucket that a replication copies into, as a DR copy", async () => {
            const src = data("uploads");
            const dst = bucket("uploads-dr", { region: "us-east-1" });
            assert.deepStrictEqual(
                messages(await checkStack(storageBucketVersioning, [src, dst, ...settings(src), replication(src, dst)])),
                [
                    "The DR copy bucket 'uploads-dr' has no versioning (an aws.s3.BucketVersioning with status Enabled); an overwritten or deleted object could not be recovered.",
                ],
            );
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
            const unversioned =
                "The DR copy bucket 'uploads-dr' has no versioning (an aws.s3.BucketVersioning with status Enabled); an overwritten or deleted object could not be recovered.";
            assert.deepStrictEqual(
                messages(await checkStack(storageBucketVersioning, [src, dst, ...settings(src), ...datasync(src, dst)])),
                [unversioned],
            );
            const foreign = { ...replication(bucket("elsewhere"), dst), name: "foreign-replication" };
            assert.deepStrictEqual(messages(await checkStack(storageBucketVersioning, [src, dst, ...settings(src), foreign])), [
                unversioned,
            ]);
        });
        it("judges a copy bucket that is both tagged and a destination once", async () => {
            const src = data("uploads");
            const dst = copyBucket("uploads-dr");
            assert.deepStrictEqual(
                messages(await checkStack(storageBucketVersioning, [src, dst, ...settings(src), replication(src, dst)])),
                [
                    "The DR copy bucket 'uploads-dr' has no versioning (an aws.s3.BucketVersioning with status Enabled); an overwritten or deleted object could not be recovered.",
                ],
            );
        });
        it("ignores destinations unknown at preview and replications whose rules are unknown", async () => {
            const src = data("uploads");
            const dst = copyBucket("uploads-dr");
            const outside = replication(src, bucket("not-in-stack"));
            const unlinked = {
                ...replication(src, dst, { destination: { bucket: UNKNOWN, storageClass: "DEEP_ARCHIVE" } }),
                name: "unlinked",
            };
            const rulesUnknown = { ...withProps(replication(src, dst), { rules: UNKNOWN }), name: "rules-unknown" };
            assert.deepStrictEqual(
                messages(
                    await checkStack(storageBucketVersioning, [
                        src,
                        dst,
                        ...settings(src),
                        ...settings(dst),
                        outside,
                        unlinked,
                        rulesUnknown,
                    ]),
                ),
                [],
            );
            assert.deepStrictEqual(
                messages(await checkStack(storageBucketVersioning, [src, dst, ...settings(dst), outside, unlinked, rulesUnknown])),
                [
                    "The data bucket 'uploads' has no versioning (an aws.s3.BucketVersioning with status Enabled); an overwritten or deleted object could not be recovered.",
                ],
            );
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
            assert.deepStrictEqual(messages(await checkStack(storageBucketVersioning, rs)), [
                unversioned("db-dumps"),
                unversioned("untagged"),
            ]);
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, rs)), [noCopy("db-dumps"), noCopy("untagged")]);
        });
        it("knows the V2 bucket and versioning types", async () => {
            const src: TestResource = { ...data("uploads"), type: "aws:s3/bucketV2:BucketV2" };
            assert.deepStrictEqual(messages(await checkStack(storageBucketVersioning, [src])), [
                "The data bucket 'uploads' has no versioning (an aws.s3.BucketVersioning with status Enabled); an overwritten or deleted object could not be recovered.",
            ]);
            const v2 = settings(src).map((r) =>
                r.type === VERSIONING ? { ...r, type: "aws:s3/bucketVersioningV2:BucketVersioningV2" } : r,
            );
            assert.deepStrictEqual(messages(await checkStack(storageBucketVersioning, [src, ...v2])), []);
        });
    });

    describe("storage-bucket-kms-encryption", () => {
        it("rejects AES256 on a data bucket", async () => {
            const rs = compliant().map((r) =>
                r.name === "uploads-e"
                    ? { ...r, props: { ...r.props, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] } }
                    : r,
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
            assert.deepStrictEqual(
                messages(
                    await checkStack(
                        storageBucketKmsEncryption,
                        rules({ bucketKeyEnabled: true }, { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }, kms),
                    ),
                ),
                [],
            );
        });
        it("rejects an encryption without rules, or whose rules set no default algorithm", async () => {
            const expected = [
                "The data bucket 'uploads' is not encrypted with a KMS key by default (an aws.s3.BucketServerSideEncryptionConfiguration with sseAlgorithm aws:kms); this environment requires KMS on data and copies.",
            ];
            assert.deepStrictEqual(
                messages(await checkStack(storageBucketKmsEncryption, patch(compliant(), "uploads-e", { rules: undefined }))),
                expected,
            );
            assert.deepStrictEqual(
                messages(
                    await checkStack(storageBucketKmsEncryption, patch(compliant(), "uploads-e", { rules: [{ bucketKeyEnabled: true }] })),
                ),
                expected,
            );
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
                r.name === "uploads-e"
                    ? { ...r, type: "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2" }
                    : r,
            );
            assert.deepStrictEqual(messages(await checkStack(storageBucketKmsEncryption, v2)), []);
            assert.deepStrictEqual(messages(await checkStack(storageBucketKmsEncryption, without(compliant(), "uploads-dr-e"))), [
                "The DR copy bucket 'uploads-dr' is not encrypted with a KMS key by default (an aws.s3.BucketServerSideEncryptionConfiguration with sseAlgorithm aws:kms); this environment requires KMS on data and copies.",
            ]);
        });
    });
});
