import * as assert from "assert";
import * as path from "path";
import {
    cronGapHours,
    keptDays,
    replicasOf,
    searchDomainDataNodes,
    searchDomainDedicatedMasters,
    searchDomainEncryption,
    searchDomainHttps,
    searchDomainZoneAwareness,
    searchIndexReplicas,
    searchPolicies,
    searchSnapshotDrCopy,
    searchSnapshotSchedule,
    timeValueDays,
} from "../../policies/search";
import { checkResource, checkStack, fromRecorded, messages, runPolicies, TestResource, UNKNOWN, urnOf } from "../helpers/policy";
import { ROOT, runStack } from "../helpers/program";

type Props = Record<string, unknown>;
const DYNAMIC = "pulumi-nodejs:dynamic/opensearch";

const domain = (props: Props = {}): TestResource => ({
    type: "aws:opensearch/domain:Domain",
    name: "search",
    props: {
        domainName: "search",
        region: "us-west-2",
        clusterConfig: {
            instanceCount: 3,
            zoneAwarenessEnabled: true,
            zoneAwarenessConfig: { availabilityZoneCount: 3 },
            dedicatedMasterEnabled: true,
            dedicatedMasterCount: 3,
        },
        encryptAtRest: { enabled: true },
        nodeToNodeEncryption: { enabled: true },
        domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10" },
        ...props,
    },
});
const withCluster = (cluster: Props) => domain({ clusterConfig: { ...(domain().props.clusterConfig as Props), ...cluster } });

/** A REST object on the domain, linked as a program links it: its endpoint is built from the domain's. */
const rest = (kind: string, name: string, restName: string, body: unknown, on: TestResource | undefined = domain()): TestResource => ({
    type: `${DYNAMIC}:${kind}`,
    name,
    props: { endpoint: UNKNOWN, region: "us-west-2", kind, name: restName, body },
    propertyDependencies: on ? { endpoint: [urnOf(on)] } : {},
});

const policyBody = (props: Props = {}) => ({
    enabled: true,
    creation: { schedule: { cron: { expression: "0 2 * * *", timezone: "UTC" } } },
    deletion: { schedule: { cron: { expression: "0 3 * * *", timezone: "UTC" } }, condition: { max_age: "14d", min_count: 14 } },
    snapshot_config: { repository: "snapshots", indices: "*" },
    ...props,
});
const smPolicy = (props: Props = {}) => rest("SnapshotPolicy", "daily", "search-daily", policyBody(props));
const repository = (bucket = "search-snapshots") =>
    rest("SnapshotRepository", "repo", "snapshots", { type: "s3", settings: { bucket, region: "us-west-2", role_arn: UNKNOWN } });
const template = (settings: unknown) =>
    rest("IndexTemplate", "app-template", "app", { index_patterns: ["app-*"], template: { settings } });

const bucket = (name: string, region: string): TestResource => ({ type: "aws:s3/bucket:Bucket", name, props: { bucket: name, region } });
const replication = (from: string, to: string): TestResource => ({
    type: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    name: `${from}-replication`,
    props: { bucket: from, rules: [{ id: "dr", status: "Enabled", destination: { bucket: `arn:aws:s3:::${to}`, storageClass: "STANDARD_IA" } }] },
});

/** A compliant stack: a domain, a daily policy kept 14 days, its repository, a bucket replicated to another region. */
function compliant(): TestResource[] {
    return [
        domain(),
        smPolicy(),
        repository(),
        bucket("search-snapshots", "us-west-2"),
        bucket("search-snapshots-dr", "us-east-1"),
        replication("search-snapshots", "search-snapshots-dr"),
        template({ number_of_shards: 3, number_of_replicas: 1 }),
    ];
}
const without = (rs: TestResource[], name: string) => rs.filter((r) => r.name !== name);

describe("search policies (policies/search.ts)", () => {
    it("let a zone-aware, encrypted domain with a daily, copied snapshot through, every one", async () => {
        for (const p of searchPolicies) {
            const outcomes =
                "validateStack" in p ? [await checkStack(p, compliant())] : await Promise.all(compliant().map((r) => checkResource(p, r)));
            assert.deepStrictEqual(outcomes.flatMap(messages), [], p.name);
        }
    });

    describe("search-domain-data-nodes", () => {
        it("rejects 2 data nodes, and a domain that leaves the count to AWS (1)", async () => {
            assert.deepStrictEqual(messages(await checkResource(searchDomainDataNodes, withCluster({ instanceCount: 2 }))), [
                "The OpenSearch domain 'search' has 2 data nodes; this environment requires at least 3.",
            ]);
            assert.deepStrictEqual(messages(await checkResource(searchDomainDataNodes, domain({ clusterConfig: {} }))), [
                "The OpenSearch domain 'search' has 1 data node; this environment requires at least 3.",
            ]);
        });
        it("takes the minimum from config", async () => {
            assert.deepStrictEqual(messages(await checkResource(searchDomainDataNodes, withCluster({ instanceCount: 2 }), { minDataNodes: 2 })), []);
            assert.deepStrictEqual(messages(await checkResource(searchDomainDataNodes, domain(), { minDataNodes: 6 })), [
                "The OpenSearch domain 'search' has 3 data nodes; this environment requires at least 6.",
            ]);
        });
        it("is skipped at preview when the cluster settings are unknown", async () => {
            const o = await checkResource(searchDomainDataNodes, domain({ clusterConfig: UNKNOWN }));
            assert.deepStrictEqual(o.violations, []);
            assert.match(o.skipped!, /^can't run policy 'search-domain-data-nodes' during preview: .*clusterConfig can't be known during preview$/);
        });
    });

    describe("search-domain-zone-awareness", () => {
        it("rejects zone awareness off", async () => {
            assert.deepStrictEqual(messages(await checkResource(searchDomainZoneAwareness, withCluster({ zoneAwarenessEnabled: false }))), [
                "The OpenSearch domain 'search' does not spread its nodes over availability zones (zoneAwarenessEnabled is not true); this environment requires 3 zones.",
            ]);
        });
        it("rejects two zones (AWS's default count), and takes the minimum from config", async () => {
            const two = withCluster({ zoneAwarenessConfig: undefined });
            assert.deepStrictEqual(messages(await checkResource(searchDomainZoneAwareness, two)), [
                "The OpenSearch domain 'search' spreads its nodes over 2 availability zones; this environment requires at least 3.",
            ]);
            assert.deepStrictEqual(messages(await checkResource(searchDomainZoneAwareness, two, { minZones: 2 })), []);
        });
        it("is skipped at preview when the zone count is unknown", async () => {
            const o = await checkResource(searchDomainZoneAwareness, withCluster({ zoneAwarenessConfig: { availabilityZoneCount: UNKNOWN } }));
            assert.deepStrictEqual(o.violations, []);
            assert.match(o.skipped!, /^can't run policy 'search-domain-zone-awareness' during preview: /);
        });
    });

    describe("search-domain-dedicated-masters", () => {
        it("rejects a domain without dedicated masters where they are required", async () => {
            assert.deepStrictEqual(messages(await checkResource(searchDomainDedicatedMasters, withCluster({ dedicatedMasterEnabled: false }))), [
                "The OpenSearch domain 'search' has no dedicated master nodes; this environment requires at least 3, so that a busy data node cannot stall the cluster.",
            ]);
        });
        it("lets it through where they are not required (staging)", async () => {
            const o = await checkResource(searchDomainDedicatedMasters, withCluster({ dedicatedMasterEnabled: false }), { required: false });
            assert.deepStrictEqual(messages(o), []);
        });
        it("rejects fewer masters than the minimum", async () => {
            assert.deepStrictEqual(messages(await checkResource(searchDomainDedicatedMasters, domain(), { minCount: 5 })), [
                "The OpenSearch domain 'search' has 3 dedicated master nodes; this environment requires at least 5.",
            ]);
        });
        it("is skipped at preview when the master settings are unknown", async () => {
            const o = await checkResource(searchDomainDedicatedMasters, withCluster({ dedicatedMasterEnabled: UNKNOWN }));
            assert.deepStrictEqual(o.violations, []);
            assert.match(o.skipped!, /^can't run policy 'search-domain-dedicated-masters' during preview: /);
        });
    });

    describe("search-domain-encryption", () => {
        it("rejects a domain that encrypts neither at rest nor between nodes", async () => {
            const o = await checkResource(searchDomainEncryption, domain({ encryptAtRest: { enabled: false }, nodeToNodeEncryption: undefined }));
            assert.deepStrictEqual(messages(o), [
                "The OpenSearch domain 'search' does not encrypt data at rest (encryptAtRest.enabled is not true).",
                "The OpenSearch domain 'search' does not encrypt traffic between its nodes (nodeToNodeEncryption.enabled is not true).",
            ]);
        });
        it("is skipped at preview when encryption is unknown", async () => {
            const o = await checkResource(searchDomainEncryption, domain({ encryptAtRest: UNKNOWN }));
            assert.deepStrictEqual(o.violations, []);
            assert.match(o.skipped!, /^can't run policy 'search-domain-encryption' during preview: /);
        });
    });

    describe("search-domain-https", () => {
        it("rejects plain HTTP and TLS 1.0", async () => {
            const o = await checkResource(searchDomainHttps, domain({ domainEndpointOptions: { enforceHttps: false, tlsSecurityPolicy: "Policy-Min-TLS-1-0-2019-07" } }));
            assert.deepStrictEqual(messages(o), [
                "The OpenSearch domain 'search' accepts plain HTTP (domainEndpointOptions.enforceHttps is not true).",
                "The OpenSearch domain 'search' uses the TLS policy Policy-Min-TLS-1-0-2019-07; this environment requires one of Policy-Min-TLS-1-2-2019-07, Policy-Min-TLS-1-2-PFS-2023-10.",
            ]);
        });
        it("rejects a domain that leaves the TLS policy to AWS, and takes the allowed policies from config", async () => {
            const o = await checkResource(searchDomainHttps, domain({ domainEndpointOptions: { enforceHttps: true } }));
            assert.deepStrictEqual(messages(o), [
                "The OpenSearch domain 'search' sets no TLS policy; this environment requires one of Policy-Min-TLS-1-2-2019-07, Policy-Min-TLS-1-2-PFS-2023-10.",
            ]);
            assert.deepStrictEqual(messages(await checkResource(searchDomainHttps, domain(), { tlsPolicies: ["Policy-Min-TLS-1-2-2019-07"] })), [
                "The OpenSearch domain 'search' uses the TLS policy Policy-Min-TLS-1-2-PFS-2023-10; this environment requires one of Policy-Min-TLS-1-2-2019-07.",
            ]);
        });
        it("also judges the legacy Elasticsearch domain type", async () => {
            const legacy = { ...domain({ domainEndpointOptions: { enforceHttps: false, tlsSecurityPolicy: "Policy-Min-TLS-1-2-2019-07" } }), type: "aws:elasticsearch/domain:Domain" };
            assert.deepStrictEqual(messages(await checkResource(searchDomainHttps, legacy)), [
                "The OpenSearch domain 'search' accepts plain HTTP (domainEndpointOptions.enforceHttps is not true).",
            ]);
        });
    });

    describe("search-index-replicas", () => {
        it("rejects 0 replicas", async () => {
            assert.deepStrictEqual(messages(await checkResource(searchIndexReplicas, template({ number_of_shards: 3, number_of_replicas: 0 }))), [
                "The index template 'app' (app-*) sets 0 replicas per shard; this environment requires at least 1.",
            ]);
        });
        it("rejects a template that leaves replicas unset", async () => {
            assert.deepStrictEqual(messages(await checkResource(searchIndexReplicas, template({ number_of_shards: 3 }))), [
                "The index template 'app' (app-*) does not set number_of_replicas; this environment requires at least 1.",
            ]);
        });
        it("reads the nested and dotted forms and strings, and takes the minimum from config", async () => {
            assert.deepStrictEqual(messages(await checkResource(searchIndexReplicas, template({ index: { number_of_replicas: "2" } }), { minReplicas: 2 })), []);
            assert.deepStrictEqual(messages(await checkResource(searchIndexReplicas, template({ "index.number_of_replicas": 1 }), { minReplicas: 2 })), [
                "The index template 'app' (app-*) sets 1 replica per shard; this environment requires at least 2.",
            ]);
            assert.strictEqual(replicasOf({ number_of_replicas: "x" }), undefined);
        });
        it("is skipped at preview when the body is unknown", async () => {
            const o = await checkResource(searchIndexReplicas, template(UNKNOWN));
            assert.deepStrictEqual(o.violations, []);
            assert.match(o.skipped!, /^can't run policy 'search-index-replicas' during preview: /);
        });
        it("ignores other dynamic resources", async () => {
            assert.deepStrictEqual(messages(await checkResource(searchIndexReplicas, { ...template({}), type: "pulumi-nodejs:dynamic:Resource" })), []);
        });
    });

    describe("search-snapshot-schedule", () => {
        const required = "this environment requires a snapshot at least every 24 hours, kept at least 14 days";
        it("rejects a domain without a snapshot policy, with the domain's URN", async () => {
            const o = await checkStack(searchSnapshotSchedule, without(compliant(), "daily"));
            assert.deepStrictEqual(o.violations, [
                {
                    message: `The OpenSearch domain 'search' has no snapshot-management policy, so it is only snapshotted by AWS in its own region; ${required}.`,
                    urn: urnOf(domain()),
                },
            ]);
        });
        it("rejects a weekly snapshot policy, with the policy's URN", async () => {
            const rs = [...without(compliant(), "daily"), smPolicy({ creation: { schedule: { cron: { expression: "0 2 * * SAT", timezone: "UTC" } } } })];
            const o = await checkStack(searchSnapshotSchedule, rs);
            assert.deepStrictEqual(o.violations, [
                { message: `The snapshot policy 'daily' of OpenSearch domain 'search' runs on "0 2 * * SAT", up to 168 hours apart; ${required}.`, urn: urnOf(smPolicy()) },
            ]);
        });
        it("rejects a short retention and a disabled policy, and takes both limits from config", async () => {
            const short = [...without(compliant(), "daily"), smPolicy({ deletion: { condition: { max_age: "3d", max_count: 20 } } })];
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, short)), [
                `The snapshot policy 'daily' of OpenSearch domain 'search' keeps snapshots 3 days; ${required}.`,
            ]);
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, short, { minRetentionDays: 3 })), []);
            const disabled = [...without(compliant(), "daily"), smPolicy({ enabled: false })];
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, disabled)), [
                `The snapshot policy 'daily' of OpenSearch domain 'search' is disabled; ${required}.`,
            ]);
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, compliant(), { maxIntervalHours: 6, minRetentionDays: 7 })), [
                "The snapshot policy 'daily' of OpenSearch domain 'search' runs on \"0 2 * * *\", up to 24 hours apart; this environment requires a snapshot at least every 6 hours, kept at least 7 days.",
            ]);
        });
        it("ignores a policy on another domain", async () => {
            const other = { ...domain({ domainName: "other" }), name: "other" };
            const rs = [...without(compliant(), "daily"), other, rest("SnapshotPolicy", "daily", "x", policyBody(), other)];
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, rs)), [
                `The OpenSearch domain 'search' has no snapshot-management policy, so it is only snapshotted by AWS in its own region; ${required}.`,
            ]);
        });
        it("links through a known endpoint once the domain exists", async () => {
            const rs = without(compliant(), "daily").map((r) => (r.name === "search" ? { ...r, props: { ...r.props, endpoint: "search-search-abc123.us-west-2.es.amazonaws.com" } } : r));
            const byHost = { ...smPolicy(), propertyDependencies: {}, props: { ...smPolicy().props, endpoint: "https://search-search-abc123.us-west-2.es.amazonaws.com" } };
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, [...rs, byHost])), []);
        });
        it("counts an unknown endpoint or schedule in the stack's favour at preview", async () => {
            const unlinked = { ...smPolicy(), propertyDependencies: {} };
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, [...without(compliant(), "daily"), unlinked])), []);
            const unknownCron = [...without(compliant(), "daily"), smPolicy({ creation: { schedule: { cron: { expression: UNKNOWN } } } })];
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, unknownCron)), []);
            const unknownBody = [...without(compliant(), "daily"), { ...smPolicy(), props: { ...smPolicy().props, body: UNKNOWN } }];
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, unknownBody)), []);
        });
        it("reads cron schedules and retention", () => {
            assert.strictEqual(cronGapHours("0 2 * * *"), 24);
            assert.strictEqual(cronGapHours("0 */6 * * *"), 6);
            assert.strictEqual(cronGapHours("0 2,14 * * *"), 12);
            assert.strictEqual(cronGapHours("0 2 * * SAT"), 168);
            assert.strictEqual(cronGapHours("0 2 * * 1-5"), 72);
            assert.strictEqual(cronGapHours("0 2 1 * *"), 672);
            assert.strictEqual(cronGapHours("daily"), undefined);
            assert.strictEqual(timeValueDays("14d"), 14);
            assert.strictEqual(timeValueDays("48h"), 2);
            assert.strictEqual(timeValueDays("two weeks"), undefined);
            // max_count 3 at three a day keeps one day; min_count 7 keeps 7/3 days anyway.
            assert.strictEqual(keptDays({ deletion: { condition: { max_count: 3, min_count: 7 } } }, 8), 7 / 3);
            assert.strictEqual(keptDays({ deletion: { condition: { max_age: "30d", max_count: 7 } } }, 24), 7);
            assert.strictEqual(keptDays({}, 24), Number.POSITIVE_INFINITY);
        });
    });

    describe("search-snapshot-dr-copy", () => {
        it("rejects a repository bucket without a DR copy, with the repository's URN", async () => {
            const o = await checkStack(searchSnapshotDrCopy, without(compliant(), "search-snapshots-replication"));
            assert.deepStrictEqual(o.violations, [
                {
                    message:
                        "The snapshot policy 'daily' of OpenSearch domain 'search' writes to the repository 'snapshots', whose bucket 'search-snapshots' has no copy in another region (S3 replication or a DataSync task); this environment requires one.",
                    urn: urnOf(repository()),
                },
            ]);
        });
        it("rejects a copy in the bucket's own region", async () => {
            const rs = compliant().map((r) => (r.name === "search-snapshots-dr" ? bucket("search-snapshots-dr", "us-west-2") : r));
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, rs)), [
                "The snapshot policy 'daily' of OpenSearch domain 'search' writes to the repository 'snapshots', whose bucket 'search-snapshots' is copied only within its own region us-west-2; the copy must be in another region.",
            ]);
        });
        it("rejects a repository that is not registered on the domain, and a bucket outside the stack", async () => {
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, without(compliant(), "repo"))), [
                "The snapshot policy 'daily' of OpenSearch domain 'search' writes to the repository 'snapshots', which this stack does not register on that domain, so where its snapshots go cannot be verified.",
            ]);
            const elsewhere = [...without(compliant(), "repo"), repository("someone-elses-bucket")];
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, elsewhere)), [
                "The snapshot policy 'daily' of OpenSearch domain 'search' writes to the repository 'snapshots', whose bucket 'someone-elses-bucket' is not declared in this stack, so its copy in another region cannot be verified.",
            ]);
        });
        it("rejects a policy that names no repository", async () => {
            const rs = [...without(compliant(), "daily"), smPolicy({ snapshot_config: { indices: "*" } })];
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, rs)), [
                "The snapshot policy 'daily' of OpenSearch domain 'search' names no repository (snapshot_config.repository), so its snapshots have no copy in another region.",
            ]);
        });
        it("counts unknown repository names, buckets and copy sources in the stack's favour at preview", async () => {
            const unknownName = compliant().map((r) => (r.name === "repo" ? { ...r, props: { ...r.props, name: UNKNOWN } } : r));
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, unknownName)), []);
            const unknownBucket = [...without(compliant(), "repo"), { ...repository(), props: { ...repository().props, body: { type: "s3", settings: { bucket: UNKNOWN } } } }];
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, unknownBucket)), []);
            const unknownSource = compliant().map((r) => (r.name === "search-snapshots-replication" ? { ...r, props: { ...r.props, bucket: UNKNOWN } } : r));
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, unknownSource)), []);
        });
    });

    for (const stack of ["staging", "production"]) {
        it(`pass the ${stack} stack's search tier with its config file, in a preview where endpoints are unknown`, async () => {
            const rs = (await runStack(stack, { preview: true })).resources.map(fromRecorded);
            assert.deepStrictEqual(await runPolicies(searchPolicies, rs, path.join(ROOT, "policies", "config", `${stack}.json`)), []);
        });
        it(`pass the ${stack} stack's search tier after an update, where endpoints are known`, async () => {
            const rs = (await runStack(stack)).resources.map(fromRecorded);
            assert.deepStrictEqual(await runPolicies(searchPolicies, rs, path.join(ROOT, "policies", "config", `${stack}.json`)), []);
        });
    }

    it("hold staging's domain to production's file: dedicated masters and 14 days of snapshots", async () => {
        const rs = (await runStack("staging", { preview: true })).resources.map(fromRecorded);
        assert.deepStrictEqual(await runPolicies(searchPolicies, rs, path.join(ROOT, "policies", "config", "production.json")), [
            {
                policy: "search-domain-dedicated-masters",
                message:
                    "The OpenSearch domain 'continuity-staging-search-domain' has no dedicated master nodes; this environment requires at least 3, so that a busy data node cannot stall the cluster.",
            },
            {
                policy: "search-snapshot-schedule",
                message:
                    "The snapshot policy 'continuity-staging-search-snapshot-policy' of OpenSearch domain 'continuity-staging-search-domain' keeps snapshots 7 days; this environment requires a snapshot at least every 24 hours, kept at least 14 days.",
            },
        ]);
    });
});
