import * as assert from "assert";
import { storageDrCopy, storageLogBucketRetention, storageReplicationNoDeleteMarkers } from "../../../policies/storage";
import { checkResource, checkStack, messages, TestResource, UNKNOWN } from "../../helpers/policy";
import {
    Props,
    data,
    copyBucket,
    replication,
    noCopy,
    withProps,
    v2,
    on,
    uploads,
    replica,
    replicated,
    stackPolicies,
    run,
    rolesOf,
} from "./fixtures";

// Another team's program: plain @pulumi/aws resources as the engine sends them at preview (names the
// provider generates and ARNs unknown, links by property dependencies), none of our tags.
describe("storage policies on another team's buckets (plain @pulumi/aws, no tags of ours)", () => {
    describe("log buckets", () => {
        const logs = v2("alb-logs");
        const alb = (accessLogs: unknown, links: TestResource[] = [logs]) =>
            on(
                "aws:lb/loadBalancer:LoadBalancer",
                "web",
                { loadBalancerType: "application", subnets: UNKNOWN, accessLogs },
                { accessLogs: links },
            );
        const lifecycle = (rules: unknown, links: TestResource[] = [logs], bucket: unknown = UNKNOWN) =>
            on(
                "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
                "alb-logs-lifecycle",
                { bucket, rules },
                { bucket: links },
            );
        const expire = (days: unknown, extra: Props = {}) => ({
            id: "expire",
            status: "Enabled",
            filter: {},
            expiration: { days },
            ...extra,
        });
        const sse = on(
            "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
            "alb-logs-sse",
            { bucket: UNKNOWN, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
            { bucket: [logs] },
        );

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
                {
                    type: "aws:cloudfront/distribution:Distribution",
                    name: "d",
                    props: { loggingConfig: { bucket: "cdn.s3.amazonaws.com", prefix: "cdn/" } },
                },
                {
                    type: "aws:ec2/flowLog:FlowLog",
                    name: "f",
                    props: { logDestinationType: "s3", logDestination: "arn:aws:s3:::flows/vpc/" },
                },
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
            assert.deepStrictEqual(
                messages(
                    await checkStack(storageLogBucketRetention, [
                        logs,
                        lb,
                        lifecycle([{ id: "fixed", status: "Enabled", expiration: { date: "2030-01-01T00:00:00Z" } }]),
                    ]),
                ),
                [
                    "The log bucket 'alb-logs' expires its objects on 2030-01-01T00:00:00Z (lifecycle rule 'fixed' of 'alb-logs-lifecycle'), after which logs are deleted as they arrive; this environment requires keeping logs at least 90 days.",
                ],
            );
            assert.deepStrictEqual(messages(await checkStack(storageLogBucketRetention, [logs, lb, lifecycle([expire(90)])])), []);
            assert.deepStrictEqual(messages(await checkStack(storageLogBucketRetention, [logs, lb])), []);
        });
        it("takes the minimum from config, and ignores disabled rules, noncurrent versions and other buckets' lifecycles", async () => {
            const lb = alb({ bucket: UNKNOWN, enabled: true });
            assert.deepStrictEqual(
                messages(await checkStack(storageLogBucketRetention, [logs, lb, lifecycle([expire(30)])], { minRetentionDays: 30 })),
                [],
            );
            assert.deepStrictEqual(
                messages(await checkStack(storageLogBucketRetention, [logs, lb, lifecycle([expire(7, { status: "Disabled" })])])),
                [],
            );
            assert.deepStrictEqual(
                messages(
                    await checkStack(storageLogBucketRetention, [
                        logs,
                        lb,
                        lifecycle([{ id: "old", status: "Enabled", noncurrentVersionExpiration: { noncurrentDays: 1 } }]),
                    ]),
                ),
                [],
            );
            assert.deepStrictEqual(
                messages(await checkStack(storageLogBucketRetention, [logs, lb, uploads, lifecycle([expire(1)], [uploads])])),
                [],
            );
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
            assert.deepStrictEqual(
                messages(await checkStack(storageLogBucketRetention, [logs, lb, uploads, lifecycle([expire(1)], [], "uploads")])),
                [],
            );
        });
        it("reads a bucket's own (legacy) lifecycleRules", async () => {
            const legacy: TestResource = {
                type: "aws:s3/bucket:Bucket",
                name: "trail-logs",
                props: {
                    bucket: "trail-logs",
                    lifecycleRules: [
                        { id: "week", enabled: true, expiration: { days: 7 } },
                        { enabled: false, expiration: { days: 1 } },
                    ],
                },
            };
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
        const exempt = (reason?: string) =>
            v2("scratch", { tags: { "continuity-dr": "none", ...(reason ? { "continuity-dr-reason": reason } : {}) } });
        const logsExpiring = () => {
            const logs = v2("scratch", { tags: { role: "access-logs" } });
            return [
                logs,
                on(
                    "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
                    "scratch-lifecycle",
                    { bucket: UNKNOWN, rules: [{ id: "x", status: "Enabled", expiration: { days: 1 } }] },
                    { bucket: [logs] },
                ),
            ];
        };
        /** A stack each stack policy rejects for the bucket 'scratch'. */
        const violating: Record<string, () => TestResource[]> = {
            "storage-bucket-versioning": () => [v2("scratch")],
            "storage-bucket-kms-encryption": () => [v2("scratch")],
            "storage-dr-copy": () => [v2("scratch")],
            "storage-dr-object-lock": () => [v2("scratch", { tags: { role: "dr-copy" } })],
            "storage-log-bucket-retention": logsExpiring,
        };
        const tagged = (rs: TestResource[]) =>
            rs.map((r) =>
                r.name === "scratch"
                    ? withProps(r, {
                          tags: {
                              ...(r.props.tags as Props),
                              "continuity-dr": "none",
                              "continuity-dr-reason": "rebuilt from source every night",
                          },
                      })
                    : r,
            );
        it("has a violating stack for every stack policy, and exempts its bucket by tag with a reason", async () => {
            assert.deepStrictEqual(
                Object.keys(violating),
                stackPolicies.map((p) => p.name),
            );
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
                    [
                        `The exemption from '${p.name}' for type aws:s3/bucketV2:BucketV2, name scratch gives no reason; an exemption needs one, so this one exempts nothing.`,
                        ...judged,
                    ],
                    p.name,
                );
            }
        });
        it("does not take a dr tag without a reason for an exemption", async () => {
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [exempt()])), [noCopy("scratch")]);
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [exempt("scratch data")])), []);
        });
        it("exempts a replication from storage-replication-no-delete-markers by a config entry with a reason only", async () => {
            const r = withProps(replication(data("uploads"), copyBucket("uploads-dr")), {
                rules: [{ id: "dr", status: "Enabled", deleteMarkerReplication: { status: "Enabled" } }],
            });
            const markers =
                "The S3 replication 'uploads-replication' replicates delete markers (rule 'dr'); a delete at the source would then hide the objects in the copy.";
            assert.deepStrictEqual(messages(await checkResource(storageReplicationNoDeleteMarkers, r)), [markers]);
            assert.deepStrictEqual(
                messages(
                    await checkResource(storageReplicationNoDeleteMarkers, r, {
                        exemptions: [{ name: "uploads-replication", reason: "markers wanted in the copy" }],
                    }),
                ),
                [],
            );
            assert.deepStrictEqual(
                messages(await checkResource(storageReplicationNoDeleteMarkers, r, { exemptions: [{ name: "uploads-replication" }] })),
                [
                    "The exemption from 'storage-replication-no-delete-markers' for name uploads-replication gives no reason; an exemption needs one, so this one exempts nothing.",
                    markers,
                ],
            );
        });
    });
});
