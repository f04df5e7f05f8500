import * as assert from "assert";
import { searchSnapshotDrCopy, searchSnapshotSchedule } from "../../../policies/search";
import { checkStack, messages, TestResource, UNKNOWN, urnOf } from "../../helpers/policy";
import {
    replication,
    without,
    noCopy,
    AWS_PROVIDER,
    logs,
    legacy,
    smBody,
    providerPolicy,
    providerRepo,
    plainBucket,
    follower,
    connection,
    accepter,
    exemptTags,
    reasonless,
    automated,
    strict,
} from "./fixtures";

describe("search policies (policies/search.ts)", () => {
    // ---- another team's program: plain @pulumi/aws (and opensearch provider) resources, no tags of ours ----
    describe("another team's domains, as plain programs declare them", () => {
        describe("search-snapshot-schedule", () => {
            it("counts AWS's hourly automated snapshots, kept 14 days, where the environment asks for no more than 14 days", async () => {
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, [logs()])), []);
                assert.deepStrictEqual(
                    messages(await checkStack(searchSnapshotSchedule, [logs()], { minRetentionDays: 14, maxIntervalHours: 1 })),
                    [],
                );
            });
            it("rejects a domain whose automated snapshots are kept shorter than required, saying what to declare", async () => {
                const o = await checkStack(searchSnapshotSchedule, [logs()], { minRetentionDays: 30 });
                assert.deepStrictEqual(o.violations, [{ message: automated("logs", "every hour", strict), urn: urnOf(logs()) }]);
            });
            it("reads daily automated snapshots for Elasticsearch before 5.3 (aws.elasticsearch.Domain defaults to 1.5), hourly from 5.3", async () => {
                const twelve = "this environment requires a snapshot at least every 12 hours, kept at least 14 days";
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, [legacy()], { maxIntervalHours: 12 })), [
                    automated("legacy", "once a day", twelve),
                ]);
                assert.deepStrictEqual(
                    messages(
                        await checkStack(searchSnapshotSchedule, [legacy({ elasticsearchVersion: "7.10" })], { maxIntervalHours: 12 }),
                    ),
                    [],
                );
                assert.deepStrictEqual(
                    messages(
                        await checkStack(searchSnapshotSchedule, [logs({ engineVersion: "Elasticsearch_5.1" })], { maxIntervalHours: 12 }),
                    ),
                    [automated("logs", "once a day", twelve)],
                );
                assert.deepStrictEqual(
                    messages(
                        await checkStack(searchSnapshotSchedule, [logs({ engineVersion: "Elasticsearch_5.3" })], { maxIntervalHours: 12 }),
                    ),
                    [],
                );
                assert.deepStrictEqual(
                    messages(await checkStack(searchSnapshotSchedule, [logs({ engineVersion: undefined })], { maxIntervalHours: 12 })),
                    [],
                );
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, [legacy()])), []);
            });
            it("counts an engine version unknown at preview as hourly", async () => {
                assert.deepStrictEqual(
                    messages(await checkStack(searchSnapshotSchedule, [logs({ engineVersion: UNKNOWN })], { maxIntervalHours: 12 })),
                    [],
                );
            });
            it("judges the opensearch provider's SmPolicy on the domain its provider's url names, body as JSON", async () => {
                const short = providerPolicy(smBody("7d"));
                const o = await checkStack(searchSnapshotSchedule, [logs(), short], { minRetentionDays: 30 });
                assert.deepStrictEqual(o.violations, [
                    {
                        message: `The snapshot policy 'logs-snapshots' of OpenSearch domain 'logs' keeps snapshots 7 days; ${strict}.`,
                        urn: urnOf(short),
                    },
                ]);
                assert.deepStrictEqual(
                    messages(await checkStack(searchSnapshotSchedule, [logs(), providerPolicy(smBody("30d"))], { minRetentionDays: 30 })),
                    [],
                );
                assert.deepStrictEqual(
                    messages(await checkStack(searchSnapshotSchedule, [logs(), providerPolicy("{not json")], { minRetentionDays: 30 })),
                    [`The snapshot policy 'logs-snapshots' of OpenSearch domain 'logs' has a body that is not a JSON object; ${strict}.`],
                );
            });
            it("does not take an SmPolicy whose provider talks to another host, and counts one whose url or body is unknown at preview", async () => {
                const elsewhere = providerPolicy(smBody("30d"), "https://search-metrics-a1b2c3.us-east-1.es.amazonaws.com");
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, [logs(), elsewhere], { minRetentionDays: 30 })), [
                    automated("logs", "every hour", strict),
                ]);
                assert.deepStrictEqual(
                    messages(
                        await checkStack(searchSnapshotSchedule, [logs(), providerPolicy(smBody("7d"), UNKNOWN)], { minRetentionDays: 30 }),
                    ),
                    [],
                );
                assert.deepStrictEqual(
                    messages(await checkStack(searchSnapshotSchedule, [logs(), providerPolicy(UNKNOWN)], { minRetentionDays: 30 })),
                    [],
                );
            });
            it("leaves out a domain exempted by tag with a reason or by the setting, and judges it when the reason is missing", async () => {
                assert.deepStrictEqual(
                    messages(await checkStack(searchSnapshotSchedule, [logs({ tags: exemptTags })], { minRetentionDays: 30 })),
                    [],
                );
                const noReason = logs({ tags: { "continuity-dr": "none" } });
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, [noReason], { minRetentionDays: 30 })), [
                    automated("logs", "every hour", strict),
                ]);
                const entry = { type: "aws:opensearch/domain:Domain", name: "logs" };
                assert.deepStrictEqual(
                    messages(
                        await checkStack(searchSnapshotSchedule, [logs()], {
                            minRetentionDays: 30,
                            exemptions: [{ ...entry, reason: "rebuilt from the orders table" }],
                        }),
                    ),
                    [],
                );
                assert.deepStrictEqual(
                    messages(await checkStack(searchSnapshotSchedule, [logs()], { minRetentionDays: 30, exemptions: [entry] })),
                    [reasonless("search-snapshot-schedule"), automated("logs", "every hour", strict)],
                );
            });
        });

        describe("search-snapshot-dr-copy", () => {
            it("rejects a plain domain: automated snapshots stay in its region and AWS Backup does not back it up", async () => {
                const o = await checkStack(searchSnapshotDrCopy, [logs()]);
                assert.deepStrictEqual(o.violations, [{ message: noCopy("logs", "us-east-1"), urn: urnOf(logs()) }]);
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, [legacy()])), [noCopy("legacy", "us-east-1")]);
            });
            it("does not count an AWS Backup plan that selects every resource", async () => {
                const plan: TestResource = {
                    type: "aws:backup/plan:Plan",
                    name: "all",
                    props: {
                        name: "all",
                        rules: [
                            {
                                ruleName: "daily",
                                targetVaultName: "v",
                                schedule: "cron(0 5 * * ? *)",
                                copyActions: [{ destinationVaultArn: "arn:aws:backup:us-west-2:123456789012:backup-vault:dr" }],
                            },
                        ],
                    },
                };
                const selection: TestResource = {
                    type: "aws:backup/selection:Selection",
                    name: "all",
                    props: { planId: UNKNOWN, iamRoleArn: "arn:aws:iam::123456789012:role/backup", resources: ["*"] },
                    propertyDependencies: { planId: [urnOf(plan)] },
                };
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, [logs(), plan, selection])), [
                    noCopy("logs", "us-east-1"),
                ]);
            });
            it("passes both ends of an accepted cross-cluster connection to a follower in another region", async () => {
                assert.deepStrictEqual(
                    messages(await checkStack(searchSnapshotDrCopy, [logs(), follower(), connection({ acceptConnection: true })])),
                    [],
                );
                assert.deepStrictEqual(
                    messages(await checkStack(searchSnapshotDrCopy, [logs(), follower(), connection(), accepter()])),
                    [],
                );
            });
            it("rejects a connection nobody accepts in the stack, and one that stays in the domain's region", async () => {
                const notAccepted =
                    "its cross-cluster connection 'logs-ccr' is not accepted in this stack (acceptConnection, or an aws.opensearch.InboundConnectionAccepter)";
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, [logs(), follower(), connection()])), [
                    noCopy("logs", "us-east-1", notAccepted),
                    noCopy("logs-dr", "us-west-2", notAccepted),
                ]);
                const local = {
                    ...connection({
                        acceptConnection: true,
                        localDomainInfo: { ownerId: "123456789012", region: "us-east-1", domainName: "logs-replica" },
                    }),
                    propertyDependencies: { remoteDomainInfo: [urnOf(logs())] },
                };
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, [logs(), local])), [
                    noCopy("logs", "us-east-1", "its cross-cluster connection 'logs-ccr' links it to a domain in its own region us-east-1"),
                ]);
            });
            it("finds a connection's ends by domain name when no dependency tells, and not another domain's", async () => {
                const byName = { ...connection({ acceptConnection: true }), propertyDependencies: {} };
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, [logs(), byName])), []);
                const metrics = logs({}, "metrics");
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, [metrics, byName])), [
                    noCopy("metrics", "us-east-1"),
                ]);
            });
            it("counts an acceptance, a remote region or a domain name unknown at preview in the stack's favour", async () => {
                assert.deepStrictEqual(
                    messages(await checkStack(searchSnapshotDrCopy, [logs(), follower(), connection({ acceptConnection: UNKNOWN })])),
                    [],
                );
                const unknownRegion = {
                    ...connection({ acceptConnection: true, localDomainInfo: { ownerId: "1", region: UNKNOWN, domainName: "logs-dr" } }),
                    propertyDependencies: { remoteDomainInfo: [urnOf(logs())] },
                };
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, [logs(), unknownRegion])), []);
                const unknownName = {
                    ...connection({ acceptConnection: true, remoteDomainInfo: { ownerId: "1", region: "us-east-1", domainName: UNKNOWN } }),
                    propertyDependencies: {},
                };
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, [logs(), unknownName])), []);
            });
            it("passes an SmPolicy writing to an opensearch.SnapshotRepository whose bucket is replicated to another region", async () => {
                const replicated = [
                    logs(),
                    providerPolicy(smBody("14d")),
                    providerRepo(),
                    plainBucket("logs-snapshots", "us-east-1"),
                    plainBucket("logs-snapshots-dr", "us-west-2"),
                    { ...replication("logs-snapshots", "logs-snapshots-dr"), provider: AWS_PROVIDER("us-east-1") },
                ];
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, replicated)), []);
                const o = await checkStack(searchSnapshotDrCopy, without(replicated, "logs-snapshots-replication"));
                assert.deepStrictEqual(o.violations, [
                    {
                        message:
                            "The snapshot policy 'logs-snapshots' of OpenSearch domain 'logs' writes to the repository 'logs-repo', whose bucket 'logs-snapshots' has no copy in another region (S3 replication or a DataSync task); this environment requires one.",
                        urn: urnOf(providerRepo()),
                    },
                ]);
            });
            it("counts a policy or repository whose provider url or bucket is unknown at preview in the stack's favour", async () => {
                assert.deepStrictEqual(
                    messages(await checkStack(searchSnapshotDrCopy, [logs(), providerPolicy(smBody("14d"), UNKNOWN)])),
                    [],
                );
                const unknownBucket = [logs(), providerPolicy(smBody("14d")), providerRepo(UNKNOWN)];
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, unknownBucket)), []);
                const elsewhere = [
                    logs(),
                    providerPolicy(smBody("14d")),
                    providerRepo("logs-snapshots", "https://search-metrics-a1b2c3.us-east-1.es.amazonaws.com"),
                ];
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, elsewhere)), [
                    "The snapshot policy 'logs-snapshots' of OpenSearch domain 'logs' writes to the repository 'logs-repo', which this stack does not register on that domain, so where its snapshots go cannot be verified.",
                ]);
            });
            it("leaves out a domain exempted by tag with a reason or by the setting, and reports a reasonless entry", async () => {
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, [logs({ tags: exemptTags })])), []);
                assert.deepStrictEqual(
                    messages(
                        await checkStack(searchSnapshotDrCopy, [logs({ tags: { "continuity-dr": "none", "continuity-dr-reason": " " } })]),
                    ),
                    [noCopy("logs", "us-east-1")],
                );
                assert.deepStrictEqual(
                    messages(
                        await checkStack(searchSnapshotDrCopy, [logs()], {
                            exemptions: [{ name: "log*", reason: "rebuilt from the orders table" }],
                        }),
                    ),
                    [],
                );
                assert.deepStrictEqual(
                    messages(
                        await checkStack(searchSnapshotDrCopy, [logs()], {
                            exemptions: [{ type: "aws:opensearch/domain:Domain", name: "logs" }],
                        }),
                    ),
                    [reasonless("search-snapshot-dr-copy"), noCopy("logs", "us-east-1")],
                );
                // An unknown tag is no exemption.
                assert.deepStrictEqual(
                    messages(
                        await checkStack(searchSnapshotDrCopy, [
                            logs({ tags: { "continuity-dr": "none", "continuity-dr-reason": UNKNOWN } }),
                        ]),
                    ),
                    [noCopy("logs", "us-east-1")],
                );
            });
        });
    });
});
