import * as assert from "assert";
import * as path from "path";
import { protectionKmsDeletionWindow, protectionPolicies, protectionStatefulResources } from "../../policies/protection";
import { checkStack, fromRecorded, messages, runPolicies, TestResource, UNKNOWN, urnOf } from "../helpers/policy";
import { ROOT, runStack } from "../helpers/program";

type Props = Record<string, unknown>;
const protect = { protect: true };

const cluster = (props: Props = {}, options = protect): TestResource => ({
    type: "mongodbatlas:index/advancedCluster:AdvancedCluster",
    name: "orders",
    props: { projectId: "p", name: "orders", ...props },
    options,
});
const domain = (options = protect): TestResource => ({
    type: "aws:opensearch/domain:Domain",
    name: "search",
    props: { domainName: "search" },
    options,
});
const key = (name: string, props: Props = {}, options = protect): TestResource => ({
    type: "aws:kms/key:Key",
    name,
    props: { deletionWindowInDays: 30, ...props },
    options,
});
const bucket = (name: string, tags: Props, options = protect): TestResource => ({
    type: "aws:s3/bucket:Bucket",
    name,
    props: { bucket: name, tags },
    options,
});
/** Default KMS encryption of a bucket with a key, linked as a program links them. */
const encryption = (b: TestResource, k: TestResource): TestResource => ({
    type: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    name: `${b.name}-encryption`,
    props: {
        bucket: b.props.bucket,
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: UNKNOWN } }],
    },
    propertyDependencies: { rules: [urnOf(k)] },
});

/** A protected stack: a cluster, a domain, a data bucket and its copy with their keys, a snapshot repository bucket. */
function compliant(): TestResource[] {
    const data = bucket("uploads", { tier: "storage", role: "primary" });
    const copy = bucket("uploads-dr", { role: "dr-copy" });
    const snapshots = bucket("snapshots", { tier: "search", role: "snapshot-repository" });
    const [k1, k2, k3] = [key("uploads-key"), key("uploads-dr-key"), key("snapshots-key")];
    return [cluster(), domain(), data, copy, snapshots, k1, k2, k3, encryption(data, k1), encryption(copy, k2), encryption(snapshots, k3)];
}
const replace = (rs: TestResource[], name: string, r: TestResource) => rs.map((x) => (x.name === name ? r : x));

describe("protection policies (policies/protection.ts)", () => {
    it("let a stack whose data holders are all protected through, every one", async () => {
        for (const p of protectionPolicies) assert.deepStrictEqual(messages(await checkStack(p, compliant())), [], p.name);
    });

    describe("protection-stateful-resources", () => {
        it("rejects an unprotected production cluster, with its URN", async () => {
            const o = await checkStack(protectionStatefulResources, replace(compliant(), "orders", cluster({}, { protect: false })));
            assert.deepStrictEqual(o.violations, [
                {
                    message:
                        "The Atlas cluster 'orders' is not protected from deletion: set the protect resource option or terminationProtectionEnabled; this environment requires it of everything that holds data.",
                    urn: urnOf(cluster()),
                },
            ]);
        });
        it("accepts Atlas's own termination protection instead of the option, and counts it unknown at preview in favour", async () => {
            const own = replace(compliant(), "orders", cluster({ terminationProtectionEnabled: true }, { protect: false }));
            assert.deepStrictEqual(messages(await checkStack(protectionStatefulResources, own)), []);
            const unknown = replace(compliant(), "orders", cluster({ terminationProtectionEnabled: UNKNOWN }, { protect: false }));
            assert.deepStrictEqual(messages(await checkStack(protectionStatefulResources, unknown)), []);
        });
        it("rejects an unprotected domain, data bucket, DR copy, snapshot repository and key", async () => {
            const rs = compliant().map((r) => ({
                ...r,
                options: ["search", "uploads", "uploads-dr", "snapshots", "uploads-dr-key"].includes(r.name)
                    ? { protect: false }
                    : r.options,
            }));
            assert.deepStrictEqual(messages(await checkStack(protectionStatefulResources, rs)), [
                "The OpenSearch domain 'search' is not protected from deletion: set the protect resource option; this environment requires it of everything that holds data.",
                "The data bucket 'uploads' is not protected from deletion: set the protect resource option; this environment requires it of everything that holds data.",
                "The DR copy bucket 'uploads-dr' is not protected from deletion: set the protect resource option; this environment requires it of everything that holds data.",
                "The snapshot repository bucket 'snapshots' is not protected from deletion: set the protect resource option; this environment requires it of everything that holds data.",
                "The KMS key 'uploads-dr-key' is not protected from deletion: set the protect resource option; this environment requires it of everything that holds data.",
            ]);
        });
        it("finds a snapshot repository's bucket by the name the repository gives, untagged", async () => {
            const repo: TestResource = {
                type: "pulumi-nodejs:dynamic/opensearch:SnapshotRepository",
                name: "repo",
                props: { name: "r", body: { type: "s3", settings: { bucket: "plain" } } },
            };
            const rs = [repo, bucket("plain", {}, { protect: false }), bucket("unrelated", {}, { protect: false })];
            // Every bucket holds data: the unrelated one is a data bucket.
            assert.deepStrictEqual(messages(await checkStack(protectionStatefulResources, rs)), [
                "The data bucket 'unrelated' is not protected from deletion: set the protect resource option; this environment requires it of everything that holds data.",
                "The snapshot repository bucket 'plain' is not protected from deletion: set the protect resource option; this environment requires it of everything that holds data.",
            ]);
        });
        it("does not take a bucket for a repository's when neither name is known: it is a data bucket", async () => {
            const repo = (settings: unknown): TestResource => ({
                type: "pulumi-nodejs:dynamic/opensearch:SnapshotRepository",
                name: "repo",
                props: { name: "r", body: { type: "s3", settings } },
            });
            const unnamed: TestResource = {
                type: "aws:s3/bucket:Bucket",
                name: "unnamed",
                props: { tags: {} },
                options: { protect: false },
            };
            const nameless: TestResource = { ...unnamed, name: "nameless", props: { bucket: UNKNOWN, tags: {} } };
            const unprotected = (name: string) =>
                `The data bucket '${name}' is not protected from deletion: set the protect resource option; this environment requires it of everything that holds data.`;
            assert.deepStrictEqual(messages(await checkStack(protectionStatefulResources, [repo({}), unnamed])), [unprotected("unnamed")]);
            assert.deepStrictEqual(messages(await checkStack(protectionStatefulResources, [repo({ bucket: UNKNOWN }), nameless])), [
                unprotected("nameless"),
            ]);
            assert.deepStrictEqual(messages(await checkStack(protectionStatefulResources, [unnamed])), [unprotected("unnamed")]);
        });
        it("names a bucket tagged role=primary that a repository also names once, as a snapshot repository bucket", async () => {
            const repo: TestResource = {
                type: "pulumi-nodejs:dynamic/opensearch:SnapshotRepository",
                name: "repo",
                props: { name: "r", body: { type: "s3", settings: { bucket: "uploads" } } },
            };
            assert.deepStrictEqual(
                messages(
                    await checkStack(protectionStatefulResources, [
                        repo,
                        bucket("uploads", { tier: "storage", role: "primary" }, { protect: false }),
                    ]),
                ),
                [
                    "The snapshot repository bucket 'uploads' is not protected from deletion: set the protect resource option; this environment requires it of everything that holds data.",
                ],
            );
        });
        it("judges a bucket whose role tag or tags are unknown at preview as a data bucket", async () => {
            const unknownRole = bucket("maybe", { tier: "storage", role: UNKNOWN }, { protect: false });
            const rs = [unknownRole, bucket("uploads", { tier: "storage", role: "primary" }, { protect: false })];
            const unprotected = (name: string) =>
                `The data bucket '${name}' is not protected from deletion: set the protect resource option; this environment requires it of everything that holds data.`;
            assert.deepStrictEqual(await checkStack(protectionStatefulResources, rs), {
                violations: [
                    { message: unprotected("maybe"), urn: urnOf(rs[0]) },
                    { message: unprotected("uploads"), urn: urnOf(rs[1]) },
                ],
            });
            assert.deepStrictEqual(
                messages(
                    await checkStack(protectionStatefulResources, [bucket("tagless", UNKNOWN as unknown as Props, { protect: false })]),
                ),
                [unprotected("tagless")],
            );
        });
        it("lets everything through where not required (staging)", async () => {
            const rs = compliant().map((r) => ({ ...r, options: { protect: false } }));
            assert.deepStrictEqual(messages(await checkStack(protectionStatefulResources, rs, { required: false })), []);
            assert.strictEqual(messages(await checkStack(protectionStatefulResources, rs)).length, 8);
        });
    });

    describe("protection-kms-deletion-window", () => {
        it("rejects a key of a DR copy that waits 7 days, with its URN", async () => {
            const o = await checkStack(
                protectionKmsDeletionWindow,
                replace(compliant(), "uploads-dr-key", key("uploads-dr-key", { deletionWindowInDays: 7 })),
            );
            assert.deepStrictEqual(o.violations, [
                {
                    message:
                        "The KMS key 'uploads-dr-key' waits 7 days before deletion; this environment requires at least 30, time to notice and cancel a mistaken deletion.",
                    urn: urnOf(key("uploads-dr-key")),
                },
            ]);
        });
        it("takes AWS's default of 30 days when unset, the minimum from config, and an unknown window in favour", async () => {
            assert.deepStrictEqual(
                messages(
                    await checkStack(
                        protectionKmsDeletionWindow,
                        replace(compliant(), "uploads-key", key("uploads-key", { deletionWindowInDays: undefined })),
                    ),
                ),
                [],
            );
            const short = replace(compliant(), "uploads-key", key("uploads-key", { deletionWindowInDays: 14 }));
            assert.deepStrictEqual(messages(await checkStack(protectionKmsDeletionWindow, short, { minDeletionWindowDays: 14 })), []);
            assert.deepStrictEqual(
                messages(
                    await checkStack(
                        protectionKmsDeletionWindow,
                        replace(compliant(), "uploads-key", key("uploads-key", { deletionWindowInDays: UNKNOWN })),
                    ),
                ),
                [],
            );
        });
        it("ignores keys that encrypt no data", async () => {
            assert.deepStrictEqual(
                messages(await checkStack(protectionKmsDeletionWindow, [key("logs-key", { deletionWindowInDays: 7 })])),
                [],
            );
        });
        const waits = (name: string) =>
            `The KMS key '${name}' waits 7 days before deletion; this environment requires at least 30, time to notice and cancel a mistaken deletion.`;
        it("finds the keys of data by their role and tier tags, without an encryption setting", async () => {
            const tagged = (name: string, tags: Props) => key(name, { deletionWindowInDays: 7, tags });
            const rs = [
                tagged("primary-key", { tier: "storage", role: "primary" }),
                tagged("copy-key", { tier: "storage", role: "dr-copy" }),
                tagged("repo-key", { tier: "search", role: "snapshot-repository" }),
                tagged("untiered-key", { role: "primary" }),
                tagged("logs-key", { tier: "storage", role: "logs" }),
                tagged("untagged-key", {}),
            ];
            assert.deepStrictEqual(messages(await checkStack(protectionKmsDeletionWindow, rs)), [
                waits("primary-key"),
                waits("copy-key"),
                waits("repo-key"),
            ]);
        });
        it("finds a data bucket's key through an encryption setting linked by the bucket's name, or by a dependency among others", async () => {
            const data = bucket("uploads", { tier: "storage", role: "primary" });
            const k = key("uploads-key", { deletionWindowInDays: 7 });
            const byName = { ...encryption(data, k), propertyDependencies: { rules: [urnOf(k)] } };
            assert.deepStrictEqual(messages(await checkStack(protectionKmsDeletionWindow, [data, k, byName])), [waits("uploads-key")]);
            const other: TestResource = { type: "aws:iam/role:Role", name: "role", props: {} };
            const byDependency = {
                ...encryption(data, k),
                props: { ...encryption(data, k).props, bucket: UNKNOWN },
                propertyDependencies: { bucket: [urnOf(other), urnOf(data)], rules: [urnOf(k)] },
            };
            assert.deepStrictEqual(messages(await checkStack(protectionKmsDeletionWindow, [data, k, other, byDependency])), [
                waits("uploads-key"),
            ]);
        });
        it("ignores the key of a log bucket, but not the key a replication rule encrypts copies with", async () => {
            const logs = bucket("logs", { role: "access-logs" });
            const k = key("logs-key", { deletionWindowInDays: 7 });
            const onLogs = { ...encryption(logs, k), propertyDependencies: { bucket: [urnOf(logs)], rules: [urnOf(k)] } };
            assert.deepStrictEqual(messages(await checkStack(protectionKmsDeletionWindow, [logs, k, onLogs])), []);
            const unknownBucket = { ...onLogs, props: { ...onLogs.props, bucket: UNKNOWN }, propertyDependencies: { rules: [urnOf(k)] } };
            assert.deepStrictEqual(
                messages(
                    await checkStack(protectionKmsDeletionWindow, [
                        bucket("uploads", { tier: "storage", role: "primary" }),
                        k,
                        unknownBucket,
                    ]),
                ),
                [],
            );
            const replica = key("replica-key", { deletionWindowInDays: 7 });
            const replication: TestResource = {
                type: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
                name: "logs-replication",
                props: {
                    bucket: "logs",
                    rules: [
                        {
                            status: "Enabled",
                            destination: { bucket: "arn:aws:s3:::logs-copy", encryptionConfiguration: { replicaKmsKeyId: UNKNOWN } },
                        },
                    ],
                },
                propertyDependencies: { bucket: [urnOf(logs)], rules: [urnOf(replica)] },
            };
            assert.deepStrictEqual(messages(await checkStack(protectionKmsDeletionWindow, [logs, replica, replication])), [
                waits("replica-key"),
            ]);
        });
    });

    describe("on another team's plain buckets (no tags of ours)", () => {
        const v2 = (name: string, props: Props = {}, options = { protect: false }): TestResource => ({
            type: "aws:s3/bucketV2:BucketV2",
            name,
            props: { region: "us-east-1", ...props },
            options,
        });
        const unprotected = (what: string, name: string) =>
            `The ${what} '${name}' is not protected from deletion: set the protect resource option; this environment requires it of everything that holds data.`;
        const waits = (name: string) =>
            `The KMS key '${name}' waits 7 days before deletion; this environment requires at least 30, time to notice and cancel a mistaken deletion.`;
        const logs = v2("alb-logs");
        const alb: TestResource = {
            type: "aws:lb/loadBalancer:LoadBalancer",
            name: "web",
            props: { accessLogs: { bucket: UNKNOWN, enabled: true } },
            propertyDependencies: { accessLogs: [urnOf(logs)] },
        };
        it("judges every bucket as data, its replica as a copy, and leaves a log bucket out", async () => {
            const uploads = v2("uploads");
            const replica = v2("uploads-replica", { region: "eu-west-1" });
            const replication: TestResource = {
                type: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
                name: "uploads-replication",
                props: { bucket: UNKNOWN, rules: [{ id: "all", status: "Enabled", destination: { bucket: UNKNOWN } }] },
                propertyDependencies: { bucket: [urnOf(uploads)], rules: [urnOf(replica)] },
            };
            assert.deepStrictEqual(messages(await checkStack(protectionStatefulResources, [uploads, replica, replication, logs, alb])), [
                unprotected("data bucket", "uploads"),
                unprotected("DR copy bucket", "uploads-replica"),
            ]);
        });
        it("leaves out a store exempted by tag with a reason or by a config entry with one, and reports an entry without a reason", async () => {
            const scratch = v2("scratch", { tags: { "continuity-dr": "none", "continuity-dr-reason": "rebuilt nightly" } });
            assert.deepStrictEqual(messages(await checkStack(protectionStatefulResources, [scratch])), []);
            assert.deepStrictEqual(
                messages(
                    await checkStack(protectionStatefulResources, [v2("scratch")], {
                        exemptions: [{ name: "scratch", reason: "rebuilt nightly" }],
                    }),
                ),
                [],
            );
            assert.deepStrictEqual(
                messages(await checkStack(protectionStatefulResources, [v2("scratch")], { exemptions: [{ name: "scratch" }] })),
                [
                    "The exemption from 'protection-stateful-resources' for name scratch gives no reason; an exemption needs one, so this one exempts nothing.",
                    unprotected("data bucket", "scratch"),
                ],
            );
        });
        it("judges the key of a plain data bucket's encryption, not the key of a log bucket or of an exempted bucket", async () => {
            const uploads = v2("uploads");
            const k = key("k", { deletionWindowInDays: 7 });
            const sse = (b: TestResource): TestResource => ({
                ...encryption(b, k),
                props: {
                    bucket: UNKNOWN,
                    rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: UNKNOWN } }],
                },
                propertyDependencies: { bucket: [urnOf(b)], rules: [urnOf(k)] },
            });
            assert.deepStrictEqual(messages(await checkStack(protectionKmsDeletionWindow, [uploads, k, sse(uploads)])), [waits("k")]);
            assert.deepStrictEqual(messages(await checkStack(protectionKmsDeletionWindow, [logs, alb, k, sse(logs)])), []);
            assert.deepStrictEqual(
                messages(
                    await checkStack(protectionKmsDeletionWindow, [uploads, k, sse(uploads)], {
                        exemptions: [{ name: "uploads", reason: "scratch" }],
                    }),
                ),
                [],
            );
            assert.deepStrictEqual(
                messages(await checkStack(protectionKmsDeletionWindow, [uploads, k, sse(uploads)], { exemptions: [{ name: "uploads" }] })),
                [
                    "The exemption from 'protection-kms-deletion-window' for name uploads gives no reason; an exemption needs one, so this one exempts nothing.",
                    waits("k"),
                ],
            );
        });
    });

    for (const stack of ["staging", "production"]) {
        it(`pass the ${stack} stack with its config file`, async () => {
            const rs = (await runStack(stack, { preview: true })).resources.map(fromRecorded);
            assert.deepStrictEqual(await runPolicies(protectionPolicies, rs, path.join(ROOT, "policies", "config", `${stack}.json`)), []);
        });
    }

    it("hold staging to production's file: nothing of staging is protected", async () => {
        const rs = (await runStack("staging", { preview: true })).resources.map(fromRecorded);
        const found = await runPolicies(protectionPolicies, rs, path.join(ROOT, "policies", "config", "production.json"));
        assert.deepStrictEqual(
            // The set, not the order: the components register their keys as their inputs resolve.
            found.map((f) => f.message.split(" is not protected")[0]).sort(),
            [
                "The Atlas cluster 'continuity-staging-atlas-cluster'",
                "The OpenSearch domain 'continuity-staging-search-domain'",
                "The data bucket 'continuity-staging-uploads-bucket'",
                "The DR copy bucket 'continuity-staging-uploads-dr-bucket'",
                "The DR copy bucket 'continuity-staging-search-snapshots-dr-bucket'",
                "The snapshot repository bucket 'continuity-staging-search-snapshots-bucket'",
                "The KMS key 'continuity-staging-uploads-key'",
                "The KMS key 'continuity-staging-uploads-dr-key'",
                "The KMS key 'continuity-staging-search-snapshots-key'",
                "The KMS key 'continuity-staging-search-snapshots-dr-key'",
            ].sort(),
        );
    });
});
