import * as assert from "assert";
import {
    automatedSnapshotHours,
    searchDomainDataNodes,
    searchDomainZoneAwareness,
    searchSnapshotDrCopy,
    searchSnapshotSchedule,
} from "../../../policies/search";
import { checkResource, checkStack, messages, TestResource, UNKNOWN, urnOf } from "../../helpers/policy";
import {
    Props,
    domain,
    smPolicy,
    seen,
    snapshotsOf,
    noCopy,
    AWS_PROVIDER,
    OS_PROVIDER,
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
    automated,
} from "./fixtures";

describe("search policies (policies/search.ts)", () => {
    // ---- another team's program: plain @pulumi/aws (and opensearch provider) resources, no tags of ours ----
    describe("another team's domains, as plain programs declare them", () => {
        describe("links, versions and connections at their edges", () => {
            const strict14 = "this environment requires a snapshot at least every 24 hours, kept at least 14 days";
            const judged = (body: unknown) => `The snapshot policy 'logs-snapshots' of OpenSearch domain 'logs' ${body}; ${strict14}.`;
            it("links an SmPolicy whose provider url is unknown by a dependency on the domain, and not by one on another", async () => {
                const dependent = {
                    ...providerPolicy(JSON.stringify({ enabled: false })),
                    provider: OS_PROVIDER(UNKNOWN),
                    dependencies: [urnOf(logs())],
                };
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, [logs(), dependent])), [judged("is disabled")]);
                const metrics = logs({}, "metrics");
                const onMetrics = { ...dependent, dependencies: [urnOf(metrics)] };
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, [logs(), metrics, onMetrics])), [
                    `The snapshot policy 'logs-snapshots' of OpenSearch domain 'metrics' is disabled; ${strict14}.`,
                ]);
            });
            it("does not link an SmPolicy whose provider sets no url", async () => {
                const noUrl = {
                    ...providerPolicy(JSON.stringify({ enabled: false })),
                    provider: { type: "pulumi:providers:opensearch", name: "default", props: {} },
                };
                const twelve = "this environment requires a snapshot at least every 12 hours, kept at least 14 days";
                assert.deepStrictEqual(
                    messages(
                        await checkStack(searchSnapshotSchedule, [logs({ engineVersion: "Elasticsearch_5.1" }), noUrl], {
                            maxIntervalHours: 12,
                        }),
                    ),
                    [automated("logs", "once a day", twelve)],
                );
            });
            it("refuses a JSON body that is null, an array or a number, and reads a null body as none", async () => {
                for (const body of ["null", "[]", "42"]) {
                    assert.deepStrictEqual(
                        messages(await checkStack(searchSnapshotSchedule, [logs(), providerPolicy(body)])),
                        [judged("has a body that is not a JSON object")],
                        body,
                    );
                }
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, [logs(), providerPolicy(null)])), [
                    judged("has no body"),
                ]);
            });
            it("counts a time zone unknown at preview in the stack's favour", async () => {
                const body = JSON.parse(smBody("1d"));
                body.creation.schedule.cron.timezone = "Asia/Tokyo";
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, [logs(), providerPolicy(JSON.stringify(body))])), [
                    judged("keeps snapshots 1 day"),
                ]);
                // The opensearch provider takes the body as a JSON string: unknown when a part of it is.
                const unknownZone = {
                    ...smPolicy({
                        creation: { schedule: { cron: { expression: "0 2 * * *", timezone: UNKNOWN } } },
                        deletion: { condition: { max_age: "1d" } },
                    }),
                };
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, [domain(), unknownZone])), []);
            });
            it("reads versions it cannot parse as hourly, and a minor version by its number", async () => {
                const hours = (props: Props, legacyDomain = false) =>
                    seen([legacyDomain ? legacy(props) : logs(props)], (rs) => automatedSnapshotHours(rs[0]));
                assert.deepStrictEqual(
                    [
                        await hours({ elasticsearchVersion: "latest" }, true),
                        await hours({ elasticsearchVersion: "ES_1.5" }, true),
                        await hours({ engineVersion: "Elasticsearch_5.10" }),
                    ],
                    [1, 1, 1],
                );
                assert.deepStrictEqual(
                    [
                        await hours({ elasticsearchVersion: "5.1" }, true),
                        await hours({ engineVersion: "Elasticsearch_2.3" }),
                        await hours({}, true),
                    ],
                    [24, 24, 24],
                );
            });
            it("finds a connection's end by dependency when its domain name is unknown, and not when the dependency is on another domain", async () => {
                const unknownRemote = connection({
                    acceptConnection: true,
                    remoteDomainInfo: { ownerId: "123456789012", region: "us-east-1", domainName: UNKNOWN },
                });
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, [logs(), follower(), unknownRemote])), []);
                const metrics = logs({}, "metrics");
                const toMetrics = {
                    ...unknownRemote,
                    propertyDependencies: { localDomainInfo: [urnOf(follower())], remoteDomainInfo: [urnOf(metrics)] },
                };
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, [logs(), metrics, follower(), toMetrics])), [
                    noCopy("logs", "us-east-1"),
                ]);
            });
            it("counts a domain whose name is unknown at preview as a possible end of a connection by name", async () => {
                const byName = { ...connection({ acceptConnection: true }), propertyDependencies: {} };
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, [logs({ domainName: UNKNOWN }), byName])), []);
                // So is an end of its name whose region is unknown, and any end of its name for a domain whose region is.
                const remoteRegionUnknown = {
                    ...byName,
                    props: { ...byName.props, remoteDomainInfo: { ownerId: "123456789012", region: UNKNOWN, domainName: "logs" } },
                };
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, [logs(), remoteRegionUnknown])), []);
                const regionless = { ...logs(), provider: AWS_PROVIDER(UNKNOWN as unknown as string) };
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, [regionless, byName])), []);
            });
            it("tells same-named domains apart by region, and names every connection it found", async () => {
                // The DR domain often has the leader's name, in another region.
                const twin = logs({}, "logs", "us-west-2");
                const sameNames = {
                    ...connection({ localDomainInfo: { ownerId: "123456789012", region: "us-west-2", domainName: "logs" } }),
                    propertyDependencies: {},
                };
                const notAccepted =
                    "its cross-cluster connection 'logs-ccr' is not accepted in this stack (acceptConnection, or an aws.opensearch.InboundConnectionAccepter)";
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, [logs(), sameNames])), [
                    noCopy("logs", "us-east-1", notAccepted),
                ]);
                assert.deepStrictEqual(
                    messages(
                        await checkStack(searchSnapshotDrCopy, [
                            { ...twin, urn: "urn:pulumi:test::continuity::aws:opensearch/domain:Domain::logs-west" },
                            sameNames,
                        ]),
                    ),
                    [noCopy("logs", "us-west-2", notAccepted)],
                );
                const local = {
                    ...connection({
                        acceptConnection: true,
                        remoteDomainInfo: { ownerId: "123456789012", region: "us-west-2", domainName: "logs-replica" },
                    }),
                    name: "logs-local",
                    propertyDependencies: { localDomainInfo: [urnOf(follower())] },
                };
                assert.deepStrictEqual(
                    messages(
                        await checkStack(searchSnapshotDrCopy, [
                            follower(),
                            local,
                            { ...connection(), propertyDependencies: { localDomainInfo: [urnOf(follower())] } },
                        ]),
                    ),
                    [
                        noCopy(
                            "logs-dr",
                            "us-west-2",
                            `its cross-cluster connection 'logs-local' links it to a domain in its own region us-west-2; ${notAccepted}`,
                        ),
                    ],
                );
            });
            it("says 'its own region' for a domain whose region is unknown at preview", async () => {
                const unknownRegion = { ...logs(), provider: AWS_PROVIDER(UNKNOWN as unknown as string) };
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, [unknownRegion])), [
                    noCopy("logs", "its own region"),
                ]);
            });
            it("takes an accepter built from the connection, depending on it, or naming its id; an unknown id only when it may be the connection's", async () => {
                const stack = (...more: TestResource[]) => [logs(), follower(), connection(), ...more];
                const accepterWith = (props: Props, links: Partial<TestResource> = {}): TestResource => ({
                    ...accepter(),
                    props,
                    propertyDependencies: {},
                    ...links,
                });
                const notAccepted =
                    "its cross-cluster connection 'logs-ccr' is not accepted in this stack (acceptConnection, or an aws.opensearch.InboundConnectionAccepter)";
                const neither = [noCopy("logs", "us-east-1", notAccepted), noCopy("logs-dr", "us-west-2", notAccepted)];
                assert.deepStrictEqual(
                    messages(
                        await checkStack(
                            searchSnapshotDrCopy,
                            stack(accepterWith({ connectionId: "cc-1" }, { dependencies: [urnOf(connection())] })),
                        ),
                    ),
                    [],
                );
                const withId = [logs(), follower(), { ...connection(), props: { ...connection().props, id: "cc-1" } }];
                assert.deepStrictEqual(
                    messages(await checkStack(searchSnapshotDrCopy, [...withId, accepterWith({ connectionId: "cc-1" })])),
                    [],
                );
                const otherId = accepterWith({ connectionId: "cc-2" }, { dependencies: [urnOf(follower())] });
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, [...withId, otherId])), neither);
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, stack(accepterWith({})))), neither);
                assert.deepStrictEqual(
                    messages(await checkStack(searchSnapshotDrCopy, stack(accepterWith({ connectionId: UNKNOWN })))),
                    [],
                );
                const parameter: TestResource = {
                    type: "aws:ssm/parameter:Parameter",
                    name: "ccr-id",
                    props: { name: "ccr-id", type: "String", value: "cc-1" },
                };
                assert.deepStrictEqual(
                    messages(
                        await checkStack(
                            searchSnapshotDrCopy,
                            stack(
                                parameter,
                                accepterWith({ connectionId: UNKNOWN }, { propertyDependencies: { connectionId: [urnOf(parameter)] } }),
                            ),
                        ),
                    ),
                    [],
                );
                // An accepter built from another connection (between two other domains) accepts that one only.
                const metricsConnection = {
                    ...connection({
                        localDomainInfo: { ownerId: "123456789012", region: "us-west-2", domainName: "metrics-dr" },
                        remoteDomainInfo: { ownerId: "123456789012", region: "us-east-1", domainName: "metrics" },
                    }),
                    name: "metrics-ccr",
                    propertyDependencies: {},
                };
                const forMetrics = accepterWith(
                    { connectionId: UNKNOWN },
                    { propertyDependencies: { connectionId: [urnOf(metricsConnection)] } },
                );
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, stack(metricsConnection, forMetrics))), neither);
                // A resource that only depends on the connection accepts nothing.
                const alarm: TestResource = {
                    type: "aws:ssm/parameter:Parameter",
                    name: "ccr-note",
                    props: { name: "ccr-note", type: "String", value: UNKNOWN },
                    dependencies: [urnOf(connection())],
                };
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, stack(alarm))), neither);
            });
            it("names the bucket '?' for an opensearch.SnapshotRepository without settings, and finds one by its settings' dependency", async () => {
                const noSettings = { ...providerRepo(), props: { name: "logs-repo", type: "s3" } };
                assert.deepStrictEqual(
                    messages(await checkStack(searchSnapshotDrCopy, [logs(), providerPolicy(smBody("14d")), noSettings])),
                    [
                        "The snapshot policy 'logs-snapshots' of OpenSearch domain 'logs' writes to the repository 'logs-repo', whose bucket '?' is not declared in this stack, so its copy in another region cannot be verified.",
                    ],
                );
                const unnamed: TestResource = { ...plainBucket("logs-snapshots-a1b2", "us-east-1"), props: { bucket: UNKNOWN } };
                const byDependency = { ...providerRepo("logs-snapshots"), propertyDependencies: { settings: [urnOf(unnamed)] } };
                assert.deepStrictEqual(
                    messages(await checkStack(searchSnapshotDrCopy, [logs(), providerPolicy(smBody("14d")), byDependency, unnamed])),
                    [
                        "The snapshot policy 'logs-snapshots' of OpenSearch domain 'logs' writes to the repository 'logs-repo', whose bucket 'logs-snapshots' has no copy in another region (S3 replication or a DataSync task); this environment requires one.",
                    ],
                );
                const seenBuckets = await snapshotsOf(
                    [
                        logs(),
                        providerPolicy(smBody("14d")),
                        { ...byDependency, props: { ...byDependency.props, settings: { bucket: UNKNOWN } } },
                        unnamed,
                    ],
                    "logs",
                );
                assert.deepStrictEqual(seenBuckets, [
                    { policy: "logs-snapshots", everyHours: 24, keptDays: 14, bucket: "logs-snapshots-a1b2" },
                ]);
                assert.deepStrictEqual(await snapshotsOf([logs(), providerPolicy(smBody("14d")), noSettings], "logs"), [
                    { policy: "logs-snapshots", everyHours: 24, keptDays: 14, bucket: undefined },
                ]);
                assert.deepStrictEqual(
                    await snapshotsOf(
                        [logs(), providerPolicy(smBody("14d")), providerRepo(), plainBucket("logs-snapshots", "us-east-1")],
                        "logs",
                    ),
                    [{ policy: "logs-snapshots", everyHours: 24, keptDays: 14, bucket: "logs-snapshots" }],
                );
            });
        });

        describe("resource policies on replicas leave out exempt domains", () => {
            const one = logs({ clusterConfig: { instanceType: "t3.small.search", instanceCount: 1 } });
            it("search-domain-data-nodes: an exempt single-node domain passes, a reasonless entry is reported on the domain it names", async () => {
                assert.deepStrictEqual(messages(await checkResource(searchDomainDataNodes, one)), [
                    "The OpenSearch domain 'logs' has 1 data node; this environment requires at least 3.",
                ]);
                assert.deepStrictEqual(
                    messages(await checkResource(searchDomainDataNodes, { ...one, props: { ...one.props, tags: exemptTags } })),
                    [],
                );
                assert.deepStrictEqual(messages(await checkResource(searchDomainDataNodes, one, { exemptions: [{ name: "logs" }] })), [
                    "The exemption from 'search-domain-data-nodes' for name logs gives no reason; an exemption needs one, so this one exempts nothing.",
                    "The OpenSearch domain 'logs' has 1 data node; this environment requires at least 3.",
                ]);
                assert.deepStrictEqual(messages(await checkResource(searchDomainDataNodes, one, { exemptions: [{ name: "metrics" }] })), [
                    "The OpenSearch domain 'logs' has 1 data node; this environment requires at least 3.",
                ]);
            });
            it("search-domain-zone-awareness: an exempt domain passes, an unknown tag exempts nothing", async () => {
                const flat = logs({ clusterConfig: { instanceCount: 3, zoneAwarenessEnabled: false } });
                const message =
                    "The OpenSearch domain 'logs' does not spread its nodes over availability zones (zoneAwarenessEnabled is not true); this environment requires 3 zones.";
                assert.deepStrictEqual(messages(await checkResource(searchDomainZoneAwareness, flat)), [message]);
                assert.deepStrictEqual(
                    messages(
                        await checkResource(searchDomainZoneAwareness, flat, {
                            exemptions: [{ type: "aws:opensearch/domain:Domain", reason: "scratch" }],
                        }),
                    ),
                    [],
                );
                const unknownTag = { ...flat, props: { ...flat.props, tags: { "continuity-dr": UNKNOWN, "continuity-dr-reason": "x" } } };
                assert.deepStrictEqual(messages(await checkResource(searchDomainZoneAwareness, unknownTag)), [message]);
                assert.deepStrictEqual(messages(await checkResource(searchDomainZoneAwareness, flat, { exemptions: [{ name: "logs" }] })), [
                    "The exemption from 'search-domain-zone-awareness' for name logs gives no reason; an exemption needs one, so this one exempts nothing.",
                    message,
                ]);
            });
        });
    });
});
