import * as assert from "assert";
import * as path from "path";
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import {
    automatedSnapshotHours,
    cronGapHours,
    cronRuns,
    domainSnapshots,
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
    Runs,
    spanHours,
    timeValueDays,
} from "../../policies/search";
import { checkResource, checkStack, fromRecorded, messages, runPolicies, TestResource, UNKNOWN, urnOf } from "../helpers/policy";
import { ROOT, runStack } from "../helpers/program";
import { UNKNOWN as UNKNOWN_AT_PREVIEW } from "../../policies/util";

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

/** What `read` makes of a stack's resources, as a stack policy is handed them. */
async function seen<T>(rs: TestResource[], read: (resources: PolicyResource[]) => T): Promise<T> {
    const found: T[] = [];
    const probe: StackValidationPolicy = { name: "probe", description: "reads the stack", enforcementLevel: "advisory", validateStack: (args) => void found.push(read(args.resources)) };
    await checkStack(probe, rs);
    return found[0];
}
/** domainSnapshots of the domain named `name`, each policy and bucket by name. */
const snapshotsOf = (rs: TestResource[], name = "search") =>
    seen(rs, (resources) =>
        domainSnapshots(resources.find((r) => r.name === name)!, resources).map((s) => ({
            policy: s.policy.name,
            everyHours: s.everyHours,
            keptDays: s.keptDays,
            bucket: s.bucket === UNKNOWN_AT_PREVIEW ? UNKNOWN_AT_PREVIEW : s.bucket?.name,
        })),
    );

const NO_CONNECTION = "no accepted cross-cluster connection links it to a domain in another region";
/** The message for a domain that nothing copies to another region; `found` replaces the connection clause. */
const noCopy = (name: string, region = "us-west-2", found = NO_CONNECTION) =>
    `The OpenSearch domain '${name}' has no copy in another region: no snapshot-management policy of the stack runs on it, ${found}, ` +
    `its automated snapshots stay in ${region}, and AWS Backup does not back up OpenSearch domains. Declare either a snapshot-management policy ` +
    "(an opensearch.SmPolicy of the opensearch provider, or a policy sent to _plugins/_sm/policies through a dynamic provider) writing to a snapshot repository " +
    "(opensearch.SnapshotRepository, or _snapshot through a dynamic provider) whose S3 bucket is replicated to another region, " +
    "or an aws.opensearch.OutboundConnection between it and a domain in another region, accepted by acceptConnection or an aws.opensearch.InboundConnectionAccepter, " +
    "with replication started on the follower through its REST API.";

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
        it("counts one data node (AWS's default) for a domain without cluster settings, and lets exactly the minimum through", async () => {
            assert.deepStrictEqual(messages(await checkResource(searchDomainDataNodes, domain({ clusterConfig: undefined }))), [
                "The OpenSearch domain 'search' has 1 data node; this environment requires at least 3.",
            ]);
            assert.deepStrictEqual(messages(await checkResource(searchDomainDataNodes, domain({ clusterConfig: undefined }), { minDataNodes: 1 })), []);
        });
    });

    describe("search-domain-zone-awareness", () => {
        it("rejects zone awareness off", async () => {
            assert.deepStrictEqual(messages(await checkResource(searchDomainZoneAwareness, withCluster({ zoneAwarenessEnabled: false }))), [
                "The OpenSearch domain 'search' does not spread its nodes over availability zones (zoneAwarenessEnabled is not true); this environment requires 3 zones.",
            ]);
        });
        it("rejects a domain without cluster settings, naming the zone count from config", async () => {
            assert.deepStrictEqual(messages(await checkResource(searchDomainZoneAwareness, domain({ clusterConfig: undefined }), { minZones: 2 })), [
                "The OpenSearch domain 'search' does not spread its nodes over availability zones (zoneAwarenessEnabled is not true); this environment requires 2 zones.",
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
        it("rejects a domain without cluster settings where masters are required", async () => {
            assert.deepStrictEqual(messages(await checkResource(searchDomainDedicatedMasters, domain({ clusterConfig: undefined }))), [
                "The OpenSearch domain 'search' has no dedicated master nodes; this environment requires at least 3, so that a busy data node cannot stall the cluster.",
            ]);
        });
        it("counts three masters (AWS's default) when the count is not given", async () => {
            const defaultCount = withCluster({ dedicatedMasterCount: undefined });
            assert.deepStrictEqual(messages(await checkResource(searchDomainDedicatedMasters, defaultCount)), []);
            assert.deepStrictEqual(messages(await checkResource(searchDomainDedicatedMasters, defaultCount, { minCount: 4 })), [
                "The OpenSearch domain 'search' has 3 dedicated master nodes; this environment requires at least 4.",
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
        it("rejects a domain that leaves encryption at rest unset, and lets one that encrypts both through", async () => {
            assert.deepStrictEqual(messages(await checkResource(searchDomainEncryption, domain({ encryptAtRest: undefined }))), [
                "The OpenSearch domain 'search' does not encrypt data at rest (encryptAtRest.enabled is not true).",
            ]);
            assert.deepStrictEqual(messages(await checkResource(searchDomainEncryption, domain())), []);
        });
    });

    describe("search-domain-https", () => {
        it("declares tlsPolicies as a list of names, which the CLI checks a config file against", () => {
            assert.deepStrictEqual(searchDomainHttps.configSchema, {
                properties: { tlsPolicies: { type: "array", items: { type: "string" }, default: ["Policy-Min-TLS-1-2-2019-07", "Policy-Min-TLS-1-2-PFS-2023-10"] } },
                additionalProperties: false,
            });
        });
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
        it("rejects a domain without endpoint options for both plain HTTP and a missing TLS policy", async () => {
            assert.deepStrictEqual(messages(await checkResource(searchDomainHttps, domain({ domainEndpointOptions: undefined }))), [
                "The OpenSearch domain 'search' accepts plain HTTP (domainEndpointOptions.enforceHttps is not true).",
                "The OpenSearch domain 'search' sets no TLS policy; this environment requires one of Policy-Min-TLS-1-2-2019-07, Policy-Min-TLS-1-2-PFS-2023-10.",
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
        it("rejects a template without settings or without a body, labelled by its resource name when it has no REST name", async () => {
            const noSettings = rest("IndexTemplate", "logs-template", "logs", { index_patterns: ["logs-*", "audit-*"], template: {} });
            assert.deepStrictEqual(messages(await checkResource(searchIndexReplicas, noSettings)), [
                "The index template 'logs' (logs-*, audit-*) does not set number_of_replicas; this environment requires at least 1.",
            ]);
            const noBody = { ...rest("IndexTemplate", "logs-template", "logs", undefined), props: { endpoint: UNKNOWN, region: "us-west-2" } };
            assert.deepStrictEqual(messages(await checkResource(searchIndexReplicas, noBody)), [
                "The index template 'logs-template' () does not set number_of_replicas; this environment requires at least 1.",
            ]);
        });
        it("rejects a template body without a template section, and a dotted setting reset to null", async () => {
            const noTemplate = rest("IndexTemplate", "app-template", "app", { index_patterns: ["app-*"] });
            assert.deepStrictEqual(messages(await checkResource(searchIndexReplicas, noTemplate)), [
                "The index template 'app' (app-*) does not set number_of_replicas; this environment requires at least 1.",
            ]);
            assert.deepStrictEqual(messages(await checkResource(searchIndexReplicas, template({ "index.number_of_replicas": null }))), [
                "The index template 'app' (app-*) does not set number_of_replicas; this environment requires at least 1.",
            ]);
        });
        it("rejects a template without index patterns, and lets exactly the configured minimum through", async () => {
            const noPatterns = rest("IndexTemplate", "app-template", "app", { template: { settings: { number_of_replicas: 1 } } });
            assert.deepStrictEqual(messages(await checkResource(searchIndexReplicas, noPatterns, { minReplicas: 2 })), [
                "The index template 'app' () sets 1 replica per shard; this environment requires at least 2.",
            ]);
            assert.deepStrictEqual(messages(await checkResource(searchIndexReplicas, noPatterns, { minReplicas: 1 })), []);
        });
        it("reads number_of_replicas flat first, then nested under index, then dotted; null or non-numbers count as unset", () => {
            assert.strictEqual(replicasOf(undefined), undefined);
            assert.strictEqual(replicasOf({}), undefined);
            assert.strictEqual(replicasOf({ number_of_replicas: null }), undefined);
            assert.strictEqual(replicasOf({ index: { number_of_replicas: null } }), undefined);
            assert.strictEqual(replicasOf({ "index.number_of_replicas": null }), undefined);
            assert.strictEqual(replicasOf({ number_of_replicas: "Infinity" }), undefined);
            assert.strictEqual(replicasOf({ number_of_replicas: 2, index: { number_of_replicas: 0 }, "index.number_of_replicas": 5 }), 2);
            assert.strictEqual(replicasOf({ index: { number_of_replicas: 0 }, "index.number_of_replicas": 5 }), 0);
            assert.strictEqual(replicasOf({ index: {}, "index.number_of_replicas": "3" }), 3);
            assert.strictEqual(replicasOf({ "index.number_of_replicas": 4 }), 4);
        });
    });

    describe("search-snapshot-schedule", () => {
        const required = "this environment requires a snapshot at least every 24 hours, kept at least 14 days";
        it("rejects a domain without a snapshot policy whose automated snapshots (kept 14 days) fall short, with the domain's URN", async () => {
            const o = await checkStack(searchSnapshotSchedule, without(compliant(), "daily"), { minRetentionDays: 30 });
            assert.deepStrictEqual(o.violations, [
                {
                    message:
                        "The OpenSearch domain 'search' has no snapshot-management policy, and AWS takes its automated snapshots every hour and keeps them 14 days, which no setting changes; this environment requires a snapshot at least every 24 hours, kept at least 30 days. Declare a snapshot-management policy on the domain that does (an opensearch.SmPolicy of the opensearch provider, or a policy sent to _plugins/_sm/policies through a dynamic provider).",
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
        it("reads the schedule as OpenSearch runs it: every day of the month is daily, and a day matching either day field runs", async () => {
            const on = (expression: string, timezone = "UTC") => [
                ...without(compliant(), "daily"),
                smPolicy({ creation: { schedule: { cron: { expression, timezone } } } }),
            ];
            // Before: "0 2 1-31 * *" was read as one run every 28 days.
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, on("0 2 1-31 * *"))), []);
            // Day of month OR day of week: the 1st and every day from Monday to Sunday.
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, on("0 2 1 * 0-6"))), []);
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, on("0 2 1,15 * MON"))), [
                `The snapshot policy 'daily' of OpenSearch domain 'search' runs on "0 2 1,15 * MON", up to 168 hours apart; ${required}.`,
            ]);
        });
        it("measures the schedule in its time zone, daylight saving included, and names a zone it cannot read", async () => {
            const on = (timezone: string) => [
                ...without(compliant(), "daily"),
                smPolicy({ creation: { schedule: { cron: { expression: "0 2 * * *", timezone } } } }),
            ];
            // The night the clocks go back, 02:00 New York time comes 25 hours after the one before.
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, on("America/New_York"))), [
                `The snapshot policy 'daily' of OpenSearch domain 'search' runs on "0 2 * * *" in time zone "America/New_York", up to 25 hours apart; ${required}.`,
            ]);
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, on("America/New_York"), { maxIntervalHours: 25 })), []);
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, on("Asia/Tokyo"))), []);
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, on("Mars/Olympus_Mons"))), [
                `The snapshot policy 'daily' of OpenSearch domain 'search' runs on "0 2 * * *" in time zone "Mars/Olympus_Mons", a schedule this guard cannot read; ${required}.`,
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
            const rs = [...without(compliant(), "daily"), other, rest("SnapshotPolicy", "daily", "x", policyBody({ enabled: false }), other)];
            // 'search' falls back on its automated snapshots; the disabled policy is 'other''s alone.
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, rs)), [
                `The snapshot policy 'daily' of OpenSearch domain 'other' is disabled; ${required}.`,
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
        const withPolicy = (policy: TestResource, rs = compliant()) => [...without(rs, "daily"), policy];
        /** A domain with no policy of its own passes on its automated snapshots (hourly, 14 days) under the default settings. */
        const noPolicy: string[] = [];
        const disabled = `The snapshot policy 'daily' of OpenSearch domain 'search' is disabled; ${required}.`;
        /** A disabled policy whose endpoint is `endpoint` and that is linked only by `dependencies`. */
        const unlinked = (endpoint: unknown, dependencies: string[] = []): TestResource => ({
            ...smPolicy({ enabled: false }),
            props: { ...smPolicy().props, body: policyBody({ enabled: false }), endpoint },
            propertyDependencies: {},
            dependencies,
        });
        const withEndpoint = (r: TestResource, props: Props) => ({ ...r, props: { ...r.props, ...props } });

        it("rejects a policy without a body, without a creation schedule, or on a schedule it cannot read", async () => {
            const noBody = withPolicy({ ...smPolicy(), props: { ...smPolicy().props, body: undefined } });
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, noBody)), [
                `The snapshot policy 'daily' of OpenSearch domain 'search' has no body; ${required}.`,
            ]);
            for (const creation of [undefined, {}, { schedule: {} }, { schedule: { cron: {} } }]) {
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, withPolicy(smPolicy({ creation })))), [
                    `The snapshot policy 'daily' of OpenSearch domain 'search' has no creation schedule; ${required}.`,
                ], JSON.stringify(creation));
            }
            const unreadable = withPolicy(smPolicy({ creation: { schedule: { cron: { expression: "@daily" } } } }));
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, unreadable)), [
                `The snapshot policy 'daily' of OpenSearch domain 'search' runs on "@daily", a schedule this guard cannot read; ${required}.`,
            ]);
        });
        it("rejects a retention it cannot read, and counts an unknown one in the stack's favour", async () => {
            const unreadable = withPolicy(smPolicy({ deletion: { condition: { max_age: "two weeks" } } }));
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, unreadable)), [
                `The snapshot policy 'daily' of OpenSearch domain 'search' keeps snapshots for "two weeks", a time this guard cannot read; ${required}.`,
            ]);
            const unknownAge = withPolicy(smPolicy({ deletion: { condition: { max_age: UNKNOWN } } }));
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, unknownAge)), []);
            const unknownEnabled = withPolicy(smPolicy({ enabled: UNKNOWN }));
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, unknownEnabled)), []);
        });
        it("rejects a count that a bunched schedule replaces within days, though its longest gap times the count is weeks", async () => {
            const bunched = { schedule: { cron: { expression: "0 0,1,2,3 * * *" } } };
            const rs = withPolicy(smPolicy({ creation: bunched, deletion: { condition: { max_count: 20 } } }));
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, rs)), [
                `The snapshot policy 'daily' of OpenSearch domain 'search' keeps snapshots 5 days; ${required}.`,
            ]);
            const enough = withPolicy(smPolicy({ creation: bunched, deletion: { condition: { max_count: 56 } } }));
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, enough)), []);
        });
        it("names a fractional retention to two decimals and a single day in the singular", async () => {
            const everyEightHours = { schedule: { cron: { expression: "0 */8 * * *" } } };
            const fraction = withPolicy(smPolicy({ creation: everyEightHours, deletion: { condition: { max_count: 7, min_count: 1 } } }));
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, fraction)), [
                `The snapshot policy 'daily' of OpenSearch domain 'search' keeps snapshots 2.33 days; ${required}.`,
            ]);
            const oneDay = withPolicy(smPolicy({ deletion: { condition: { max_age: "1d" } } }));
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, oneDay)), [
                `The snapshot policy 'daily' of OpenSearch domain 'search' keeps snapshots 1 day; ${required}.`,
            ]);
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, oneDay, { minRetentionDays: 1, maxIntervalHours: 24 })), []);
        });
        it("lets a domain through when one of its policies meets the schedule, and reports every policy when none does", async () => {
            const hourly = { ...smPolicy({ creation: { schedule: { cron: { expression: "0 * * * *" } } } }), name: "hourly" };
            const weekly = { ...smPolicy({ creation: { schedule: { cron: { expression: "0 2 * * SUN" } } } }), name: "weekly" };
            const off = smPolicy({ enabled: false });
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, [...compliant(), weekly])), []);
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, [...without(compliant(), "daily"), weekly, hourly])), []);
            const o = await checkStack(searchSnapshotSchedule, [...without(compliant(), "daily"), off, weekly]);
            assert.deepStrictEqual(o.violations, [
                { message: disabled, urn: urnOf(off) },
                { message: `The snapshot policy 'weekly' of OpenSearch domain 'search' runs on "0 2 * * SUN", up to 168 hours apart; ${required}.`, urn: urnOf(weekly) },
            ]);
        });
        it("does not judge a domain's failing policies while a policy of unknown endpoint may be its own", async () => {
            const maybe = { ...unlinked(UNKNOWN), name: "maybe" };
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, [...withPolicy(smPolicy({ enabled: false })), maybe])), []);
        });
        it("links a policy of unknown endpoint by a plain dependency on the domain, and leaves it undecided otherwise", async () => {
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, withPolicy(unlinked(UNKNOWN, [urnOf(domain())])))), [disabled]);
            const other = bucket("search-snapshots", "us-west-2");
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, withPolicy(unlinked(UNKNOWN, [urnOf(other)])))), []);
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, withPolicy(unlinked(UNKNOWN)))), []);
        });
        it("follows an endpoint built from a non-domain resource to the endpoint's value", async () => {
            const viaBucket = { ...unlinked(UNKNOWN, [urnOf(domain())]), propertyDependencies: { endpoint: [urnOf(bucket("search-snapshots", "us-west-2"))] } };
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, withPolicy(viaBucket))), [disabled]);
        });
        it("does not link a policy without an endpoint, or whose endpoint names another host", async () => {
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, withPolicy(unlinked(undefined, [urnOf(domain())])))), noPolicy);
            const known = compliant().map((r) => (r.name === "search" ? withEndpoint(r, { endpoint: "search-search-abc123.us-west-2.es.amazonaws.com" }) : r));
            const elsewhere = unlinked("https://search-logs-abc123.us-west-2.es.amazonaws.com");
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, withPolicy(elsewhere, known))), noPolicy);
        });
        it("links a policy whose endpoint host is the domain's own endpoint, with or without scheme, port and path", async () => {
            // The domain's name does not match the host, so only the endpoint itself links them.
            const custom = (endpoint: string) => compliant().map((r) => (r.name === "search" ? withEndpoint(r, { endpoint }) : r));
            const host = "vpc-custom-xyz789.us-west-2.es.amazonaws.com";
            for (const [own, theirs] of [
                [host, `http://${host}:443/_plugins/_sm`],
                [host, `https://${host}/`],
                [`https://${host}`, host],
                [`http://${host}`, `${host}:443`],
            ]) {
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, withPolicy(unlinked(theirs), custom(own)))), [disabled], `${own} / ${theirs}`);
            }
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, withPolicy(unlinked(`https://x${host}`), custom(host)))), noPolicy);
        });
        it("links a policy by the search-<name>-<id> or vpc-<name>-<id> host AWS gives the domain, and not a domain whose name only starts alike", async () => {
            const unknownEndpoint = compliant().map((r) => (r.name === "search" ? withEndpoint(r, { endpoint: UNKNOWN }) : r));
            for (const host of ["search-search-abc123.us-west-2.es.amazonaws.com", "vpc-search-0a1b2c.us-west-2.es.amazonaws.com"]) {
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, withPolicy(unlinked(`https://${host}`), unknownEndpoint))), [disabled], host);
            }
            for (const host of [
                "search-search-prod-abc123.us-west-2.es.amazonaws.com",
                "search-vpc-search-abc123.us-west-2.es.amazonaws.com",
                "search-search-.us-west-2.es.amazonaws.com",
                "other-search-abc123.us-west-2.es.amazonaws.com",
            ]) {
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, withPolicy(unlinked(`https://${host}`), unknownEndpoint))), noPolicy, host);
            }
        });
        it("does not link a known endpoint to a domain whose name and endpoint are unknown", async () => {
            const nameless = { ...domain({ domainName: UNKNOWN, endpoint: UNKNOWN }), name: "other" };
            const rs = withPolicy(unlinked("https://search-search-abc123.us-west-2.es.amazonaws.com"), [...compliant(), nameless]);
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, rs)), [disabled]);
        });
        it("reads cron hours and week days: lists in any order, ranges, steps, names and 7 for Sunday", () => {
            assert.strictEqual(cronGapHours("  0 2 * * *  "), 24);
            assert.strictEqual(cronGapHours("0\t2  * *   *"), 24);
            assert.strictEqual(cronGapHours("0 0 * * *"), 24);
            assert.strictEqual(cronGapHours("0 23 * * *"), 24);
            assert.strictEqual(cronGapHours("0 20,2,14 * * *"), 12);
            assert.strictEqual(cronGapHours("0 */12 * * *"), 12);
            assert.strictEqual(cronGapHours("0 1/10 * * *"), 10);
            assert.strictEqual(cronGapHours("0 2-8/3 * * *"), 18);
            assert.strictEqual(cronGapHours("0 * * * *"), 1);
            assert.strictEqual(cronGapHours("*/15 * * * *"), 0.25);
            assert.strictEqual(cronGapHours("30 1 * * *"), 24);
            assert.strictEqual(cronGapHours("0,30 2 * * *"), 23.5);
            assert.strictEqual(cronGapHours("0 2 * * sun"), 168);
            assert.strictEqual(cronGapHours("0 2 * * MON-FRI"), 72);
            assert.strictEqual(cronGapHours("0 2 * * SUN,MON,TUE,WED,THU,FRI,SAT"), 24);
            assert.strictEqual(cronGapHours("0 2 * * 7"), 168);
            assert.strictEqual(cronGapHours("0 2 * * 6,7"), 144);
            assert.strictEqual(cronGapHours("0 2 * * 0,3"), 96);
            assert.strictEqual(cronGapHours("0 2 * * */2"), 48);
        });
        it("reads days of the month and months from the calendar: every day is daily, a day matching either day field runs", () => {
            assert.strictEqual(cronGapHours("0 2 1-31 * *"), 24); // the issue's example, read as 28 days before
            assert.strictEqual(cronGapHours("0 2 */2 * *"), 48); // the 29th of a 30-day month, then the 1st
            assert.strictEqual(cronGapHours("0 2 1 * *"), 31 * 24);
            assert.strictEqual(cronGapHours("0 2 1,15 * *"), 17 * 24); // 15 January to 1 February
            assert.strictEqual(cronGapHours("0 2 31 * *"), 61 * 24); // 31 March to 31 May
            assert.strictEqual(cronGapHours("0 2 * 1 *"), 336 * 24); // 31 January to the next 1 January
            assert.strictEqual(cronGapHours("0 2 * jan *"), 336 * 24);
            assert.strictEqual(cronGapHours("0 2 * JAN-DEC *"), 24);
            assert.strictEqual(cronGapHours("0 0 29 2 *"), 1461 * 24); // 29 February 2024 to 29 February 2028
            // Both day fields restricted: either one (Vixie cron, OpenSearch), not both.
            assert.strictEqual(cronGapHours("0 2 1 * 1"), 168);
            assert.strictEqual(cronGapHours("0 2 1-31 * 1"), 24);
            assert.strictEqual(cronGapHours("0 2 1,15 * MON"), 168);
        });
        it("reads every month's name", () => {
            assert.strictEqual(cronGapHours("0 2 1 JAN,APR,JUL,OCT *"), 92 * 24);
            assert.strictEqual(cronGapHours("0 2 15 FEB,MAR,MAY,JUN,AUG,SEP,NOV,DEC *"), 62 * 24);
        });
        it("counts snapshots from the run of a day that is replaced soonest, not only from the first", () => {
            // 00:00 and 23:00: the 23:00 snapshot is replaced an hour later, by the next day's first.
            assert.strictEqual(spanHours(cronRuns("0 0,23 * * *")!, 1), 1);
        });
        it("measures in the policy's time zone, with its daylight-saving changes", () => {
            assert.strictEqual(cronGapHours("0 2 * * *", "UTC"), 24);
            assert.strictEqual(cronGapHours("0 2 * * *", "Asia/Tokyo"), 24);
            assert.strictEqual(cronGapHours("0 2 * * *", "America/New_York"), 25);
            assert.strictEqual(cronGapHours("30 1 * * *", "Europe/Paris"), 25);
            assert.strictEqual(cronGapHours("0 */6 * * *", "America/New_York"), 7); // 18:00 to 00:00 the night the clocks go back
            assert.strictEqual(cronGapHours("0 2 * * *", "Mars/Olympus_Mons"), undefined);
        });
        it("does not read out-of-range, reversed, zero-step, malformed, wrong-length or non-OpenSearch cron expressions, nor one that never runs", () => {
            for (const expression of [
                "0 24 * * *",
                "0 14-2 * * *",
                "0 */0 * * *",
                "0 X * * *",
                "0 #2 * * *",
                "0 2# * * *",
                "0 2 * * 8",
                "0 2 * * FOO",
                "0 2 * * SATURDAY",
                "0 2 * * 1X",
                "0 2 * * X1",
                "0 2 * * 1,",
                "0 2 * *",
                "0 2 * * * *", // cron-parser would read six fields as seconds first
                "",
                "@daily",
                "H 2 * * *",
                "0 2 ? * *",
                "0 2 L * *",
                "0 2 * * 5L",
                "0 2 * * 1#2",
                "0 2 * * JAN",
                "0 2 * SUN *",
                "0 2 31 2 *", // never runs
                "0 2,2,14 * * *", // cron-parser refuses a value listed twice
                "0 2 * * 0,3,7", // and Sunday twice
            ]) {
                assert.strictEqual(cronGapHours(expression), undefined, expression);
            }
        });
        it("reads time values in days, hours, minutes and seconds, and nothing else", () => {
            assert.strictEqual(timeValueDays(" 14d "), 14);
            assert.strictEqual(timeValueDays("336h"), 14);
            assert.strictEqual(timeValueDays("20160m"), 14);
            assert.strictEqual(timeValueDays("1209600s"), 14);
            for (const junk of ["14", "d", "14 d", "x14d", "14dx", "14w", "-1d", "1.5d"]) assert.strictEqual(timeValueDays(junk), undefined, junk);
        });
        /** A run every `hours` hours. */
        const every = (hours: 8 | 12 | 24): Runs => cronRuns(`0 */${hours} * * *`)!;
        it("keeps snapshots forever without a deletion condition, max_age alone, and min_count 1 at least", () => {
            assert.strictEqual(keptDays({ deletion: {} }, every(24)), Number.POSITIVE_INFINITY);
            assert.strictEqual(keptDays({ deletion: { condition: {} } }, every(24)), Number.POSITIVE_INFINITY);
            assert.strictEqual(keptDays({ deletion: { condition: { max_age: "14d" } } }, every(24)), 14);
            assert.strictEqual(keptDays({ deletion: { condition: { max_age: "1h" } } }, every(24)), 1);
            assert.strictEqual(keptDays({ deletion: { condition: { max_age: "1h" } } }, every(12)), 0.5);
            assert.strictEqual(keptDays({ deletion: { condition: { max_age: "soon" } } }, every(24)), undefined);
            assert.strictEqual(keptDays({ deletion: { condition: { max_count: 48 } } }, every(12)), 24);
        });
        it("counts snapshots by the runs that replace them at their most frequent, not by the longest gap", () => {
            // Four runs in the first hours of each day: 20 snapshots last 5 days, not 20 times the 21-hour gap.
            const bunched = cronRuns("0 0,1,2,3 * * *")!;
            assert.deepStrictEqual(bunched.offsets, [0, 1, 2, 3].map((h) => h * 3_600_000));
            assert.deepStrictEqual([spanHours(bunched, 1), spanHours(bunched, 4), spanHours(bunched, 20), spanHours(bunched, 21)], [1, 24, 120, 121]);
            assert.strictEqual(keptDays({ deletion: { condition: { max_count: 20 } } }, bunched), 5);
            // Weekdays only: five snapshots last a week whichever day the count starts on, not 5 × 72 hours.
            const weekdays = cronRuns("0 2 * * 1-5")!;
            assert.deepStrictEqual(weekdays.days.slice(0, 6).map((d) => new Date(d).toISOString()), [
                "2024-01-01T02:00:00.000Z",
                "2024-01-02T02:00:00.000Z",
                "2024-01-03T02:00:00.000Z",
                "2024-01-04T02:00:00.000Z",
                "2024-01-05T02:00:00.000Z",
                "2024-01-08T02:00:00.000Z",
            ]);
            assert.deepStrictEqual(weekdays.offsets, [0]);
            assert.deepStrictEqual([spanHours(weekdays, 1), spanHours(weekdays, 5), spanHours(weekdays, 6)], [24, 168, 192]);
            assert.strictEqual(keptDays({ deletion: { condition: { max_count: 5 } } }, weekdays), 7);
            assert.strictEqual(keptDays({ deletion: { condition: { max_age: "30d", max_count: 1, min_count: 10 } } }, weekdays), 14);
            // Twice a day, every day of the month: 14 snapshots last 7 days.
            assert.strictEqual(keptDays({ deletion: { condition: { max_count: 14 } } }, cronRuns("0 2,14 1-31 * *")!), 7);
            // More runs than the eight years hold: kept for longer than the window can show.
            assert.strictEqual(spanHours(cronRuns("0 2 1 1 *")!, 8), Number.POSITIVE_INFINITY);
            assert.strictEqual(cronRuns("daily"), undefined);
        });
        it("reads cron schedules and retention", () => {
            assert.strictEqual(cronGapHours("0 2 * * *"), 24);
            assert.strictEqual(cronGapHours("0 */6 * * *"), 6);
            assert.strictEqual(cronGapHours("0 2,14 * * *"), 12);
            assert.strictEqual(cronGapHours("0 2 * * SAT"), 168);
            assert.strictEqual(cronGapHours("0 2 * * 1-5"), 72);
            assert.strictEqual(cronGapHours("0 2 1 * *"), 744);
            assert.strictEqual(cronGapHours("daily"), undefined);
            assert.strictEqual(timeValueDays("14d"), 14);
            assert.strictEqual(timeValueDays("48h"), 2);
            assert.strictEqual(timeValueDays("two weeks"), undefined);
            // max_count 3 at three a day keeps one day; min_count 7 keeps 7/3 days anyway.
            assert.strictEqual(keptDays({ deletion: { condition: { max_count: 3, min_count: 7 } } }, every(8)), 7 / 3);
            assert.strictEqual(keptDays({ deletion: { condition: { max_age: "30d", max_count: 7 } } }, every(24)), 7);
            assert.strictEqual(keptDays({}, every(24)), Number.POSITIVE_INFINITY);
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
        const writesTo = "The snapshot policy 'daily' of OpenSearch domain 'search' writes to the repository 'snapshots'";
        const repoWith = (props: Props, propertyDependencies: Record<string, string[]> = { endpoint: [urnOf(domain())] }): TestResource => ({
            ...repository(),
            props: { ...repository().props, ...props },
            propertyDependencies,
        });
        it("rejects a policy without a body or without a snapshot_config, and skips one whose body is unknown", async () => {
            const names = "The snapshot policy 'daily' of OpenSearch domain 'search' names no repository (snapshot_config.repository), so its snapshots have no copy in another region.";
            const noBody = [...without(compliant(), "daily"), { ...smPolicy(), props: { ...smPolicy().props, body: undefined } }];
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, noBody)), [names]);
            const noConfig = [...without(compliant(), "daily"), smPolicy({ snapshot_config: undefined })];
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, noConfig)), [names]);
            const unknownBody = [...without(compliant(), "daily"), { ...smPolicy(), props: { ...smPolicy().props, body: UNKNOWN } }];
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, unknownBody)), []);
        });
        it("does not take a repository of the same name on another domain, or of another name on this one", async () => {
            const notRegistered = `${writesTo}, which this stack does not register on that domain, so where its snapshots go cannot be verified.`;
            const other = { ...domain({ domainName: "other" }), name: "other" };
            const onOther = [...without(compliant(), "repo"), other, repoWith({}, { endpoint: [urnOf(other)] })];
            // 'other' runs no snapshot policy: it has no copy at all.
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, onOther)), [notRegistered, noCopy("other")]);
            const renamed = [...without(compliant(), "repo"), repoWith({ name: "archive" })];
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, renamed)), [notRegistered]);
        });
        it("takes a repository whose endpoint is unknown at preview as possibly the domain's", async () => {
            const maybe = [...without(compliant(), "repo"), repoWith({}, {})];
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, maybe)), []);
            const maybeUncopied = without(maybe, "search-snapshots-replication");
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, maybeUncopied)), [
                `${writesTo}, whose bucket 'search-snapshots' has no copy in another region (S3 replication or a DataSync task); this environment requires one.`,
            ]);
        });
        it("lets the policy through when one of the candidate repositories is copied, and reports the first one otherwise", async () => {
            const uncopied = { ...repoWith({ name: UNKNOWN, body: { type: "s3", settings: { bucket: "search-other" } } }), name: "repo-2" };
            const rs = [...compliant(), bucket("search-other", "us-west-2"), uncopied];
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, rs)), []);
            const o = await checkStack(searchSnapshotDrCopy, without(rs, "search-snapshots-replication"));
            assert.deepStrictEqual(o.violations, [
                {
                    message: `${writesTo}, whose bucket 'search-snapshots' has no copy in another region (S3 replication or a DataSync task); this environment requires one.`,
                    urn: urnOf(repository()),
                },
            ]);
        });
        it("passes a bucket with one copy in another region even when another copy stays in its region", async () => {
            const twoRules = {
                ...replication("search-snapshots", "search-snapshots-dr"),
                props: {
                    bucket: "search-snapshots",
                    rules: [
                        { id: "local", status: "Enabled", destination: { bucket: "arn:aws:s3:::search-snapshots-local" } },
                        { id: "dr", status: "Enabled", destination: { bucket: "arn:aws:s3:::search-snapshots-dr" } },
                    ],
                },
            };
            const rs = [...without(compliant(), "search-snapshots-replication"), bucket("search-snapshots-local", "us-west-2"), twoRules];
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, rs)), []);
        });
        it("takes only repositories for the repository, not other REST objects of the same or an unknown name", async () => {
            const namedLikeRepo = rest("IndexTemplate", "snapshots-template", "snapshots", { index_patterns: ["snapshots-*"] });
            const unnamed = rest("IndexTemplate", "unnamed-template", UNKNOWN, { index_patterns: ["x-*"] });
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, [...without(compliant(), "repo"), namedLikeRepo, unnamed])), [
                `${writesTo}, which this stack does not register on that domain, so where its snapshots go cannot be verified.`,
            ]);
        });
        it("judges the policies of OpenSearch domains only, not of other resources a policy depends on", async () => {
            // Its endpoint is unknown and it depends on a bucket, not on the domain: no domain is known to be its.
            const onBucket: TestResource = {
                ...smPolicy({ snapshot_config: undefined }),
                name: "stray",
                propertyDependencies: {},
                dependencies: [urnOf(bucket("search-snapshots", "us-west-2"))],
            };
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, [...compliant(), onBucket])), []);
        });
        it("names the bucket '?' for a repository that sets none", async () => {
            const notDeclared = `${writesTo}, whose bucket '?' is not declared in this stack, so its copy in another region cannot be verified.`;
            for (const body of [undefined, { type: "s3" }, { type: "s3", settings: {} }]) {
                const rs = [...without(compliant(), "repo"), repoWith({ body })];
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, rs)), [notDeclared], JSON.stringify(body));
            }
        });
        it("finds the repository's bucket by its one body dependency on a bucket when the bucket's name is unknown", async () => {
            const unnamed = (name: string): TestResource => ({ ...bucket(name, "us-west-2"), props: { bucket: UNKNOWN, region: "us-west-2" } });
            // The body also takes the role's ARN: only bucket dependencies count.
            const role: TestResource = { type: "aws:iam/role:Role", name: "snapshot-role", props: { name: "snapshot-role" } };
            const byDependency = repoWith({}, { endpoint: [urnOf(domain())], body: [urnOf(unnamed("a")), urnOf(role)] });
            const rs = [domain(), smPolicy(), byDependency, unnamed("a"), role];
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, rs)), [
                `${writesTo}, whose bucket 'search-snapshots' has no copy in another region (S3 replication or a DataSync task); this environment requires one.`,
            ]);
            const twoDependencies = repoWith({}, { endpoint: [urnOf(domain())], body: [urnOf(unnamed("a")), urnOf(unnamed("b"))] });
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, [domain(), smPolicy(), twoDependencies, unnamed("a"), unnamed("b")])), [
                `${writesTo}, whose bucket 'search-snapshots' is not declared in this stack, so its copy in another region cannot be verified.`,
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

    describe("domainSnapshots (what the resilience model reads of a domain's snapshot policies)", () => {
        const sm = (body: unknown, name = "daily") => ({ ...smPolicy(), name, props: { ...smPolicy().props, body } });
        const stackWith = (...rs: TestResource[]) => [...without(without(compliant(), "daily"), "repo"), ...rs];
        const seenAs = (policy: string, everyHours: unknown, kept: unknown, bucketName: unknown) => ({ policy, everyHours, keptDays: kept, bucket: bucketName });
        it("gives a linked policy's longest gap, the days it keeps each snapshot, and its repository's bucket by name", async () => {
            // A replication config carries the bucket's name too: only buckets count.
            const rs = [replication("search-snapshots", "search-snapshots-dr"), ...compliant()];
            assert.deepStrictEqual(await snapshotsOf(rs), [seenAs("daily", 24, 14, "search-snapshots")]);
            const weekly = policyBody({ creation: { schedule: { cron: { expression: "0 2 * * SUN" } } }, deletion: { condition: { max_age: "30d" } } });
            assert.deepStrictEqual(await snapshotsOf(stackWith(sm(weekly, "weekly"), repository())), [seenAs("weekly", 168, 30, "search-snapshots")]);
            assert.deepStrictEqual(await snapshotsOf(stackWith(sm(policyBody({ deletion: undefined })), repository())), [seenAs("daily", 24, Number.POSITIVE_INFINITY, "search-snapshots")]);
        });
        it("leaves out policies on another domain and policies whose endpoint is unknown", async () => {
            const other = { ...domain({ domainName: "other" }), name: "other" };
            const elsewhere = { ...smPolicy(), propertyDependencies: { endpoint: [urnOf(other)] } };
            const unknownEndpoint = { ...smPolicy(), name: "maybe", propertyDependencies: {} };
            assert.deepStrictEqual(await snapshotsOf(stackWith(other, elsewhere, unknownEndpoint, repository())), []);
            assert.deepStrictEqual(await snapshotsOf(stackWith(other, elsewhere, repository()), "other"), [seenAs("daily", 24, 14, undefined)]);
        });
        it("gives UNKNOWN for all three when the body is unknown at preview, and undefined when there is none or the policy is off", async () => {
            assert.deepStrictEqual(await snapshotsOf(stackWith(sm(UNKNOWN), repository())), [seenAs("daily", UNKNOWN_AT_PREVIEW, UNKNOWN_AT_PREVIEW, UNKNOWN_AT_PREVIEW)]);
            for (const body of [undefined, null, "{not json", "[]", policyBody({ enabled: false })]) {
                assert.deepStrictEqual(await snapshotsOf(stackWith(sm(body), repository())), [seenAs("daily", undefined, undefined, undefined)], JSON.stringify(body));
            }
            assert.deepStrictEqual(await snapshotsOf(stackWith(sm(policyBody({ enabled: UNKNOWN })), repository())), [seenAs("daily", 24, 14, "search-snapshots")]);
        });
        it("gives UNKNOWN schedule and retention for an unknown expression or time zone, and undefined for none or an unreadable one", async () => {
            const cron = (c: unknown) => policyBody({ creation: { schedule: { cron: c } } });
            assert.deepStrictEqual(await snapshotsOf(stackWith(sm(cron({ expression: UNKNOWN })), repository())), [seenAs("daily", UNKNOWN_AT_PREVIEW, UNKNOWN_AT_PREVIEW, "search-snapshots")]);
            assert.deepStrictEqual(await snapshotsOf(stackWith(sm(cron({ expression: "0 2 * * *", timezone: UNKNOWN })), repository())), [
                seenAs("daily", UNKNOWN_AT_PREVIEW, UNKNOWN_AT_PREVIEW, "search-snapshots"),
            ]);
            assert.deepStrictEqual(await snapshotsOf(stackWith(sm(cron({ expression: "0 2 * * *", timezone: "America/New_York" })), repository())), [seenAs("daily", 25, 14, "search-snapshots")]);
            for (const creation of [undefined, {}, { schedule: {} }, { schedule: { cron: { expression: "@daily" } } }]) {
                assert.deepStrictEqual(await snapshotsOf(stackWith(sm(policyBody({ creation })), repository())), [seenAs("daily", undefined, undefined, "search-snapshots")], JSON.stringify(creation));
            }
            const unreadableAge = policyBody({ deletion: { condition: { max_age: "two weeks" } } });
            assert.deepStrictEqual(await snapshotsOf(stackWith(sm(unreadableAge), repository())), [seenAs("daily", 24, undefined, "search-snapshots")]);
        });
        it("gives no bucket without a repository name or a registered repository, and UNKNOWN for an unknown name", async () => {
            const repoWithoutName = { ...repository(), props: { ...repository().props, name: undefined } };
            assert.deepStrictEqual(await snapshotsOf(stackWith(sm(policyBody({ snapshot_config: undefined })), repoWithoutName)), [seenAs("daily", 24, 14, undefined)]);
            assert.deepStrictEqual(await snapshotsOf(stackWith(sm(policyBody({ snapshot_config: { repository: UNKNOWN } })), repository())), [seenAs("daily", 24, 14, UNKNOWN_AT_PREVIEW)]);
            assert.deepStrictEqual(await snapshotsOf(stackWith(smPolicy())), [seenAs("daily", 24, 14, undefined)]);
            // A REST object of another kind named like the repository, and the repository of another domain, are not it.
            const other = { ...domain({ domainName: "other" }), name: "other" };
            const namedLikeRepo = rest("IndexTemplate", "snapshots-template", "snapshots", { index_patterns: ["snapshots-*"], settings: { bucket: "search-snapshots" } });
            const othersRepo = { ...repository(), propertyDependencies: { endpoint: [urnOf(other)] } };
            assert.deepStrictEqual(await snapshotsOf(stackWith(namedLikeRepo, other, othersRepo, smPolicy())), [seenAs("daily", 24, 14, undefined)]);
            // A repository whose REST name is unknown at preview may be it.
            const unnamedRepo = { ...repository(), props: { ...repository().props, name: UNKNOWN } };
            assert.deepStrictEqual(await snapshotsOf(stackWith(unnamedRepo, smPolicy())), [seenAs("daily", 24, 14, "search-snapshots")]);
        });
        it("finds the bucket by name first, else by the repository's one dependency on a bucket; UNKNOWN while the name is", async () => {
            const repoWith = (body: unknown, dependencies: string[] = []) => ({
                ...repository(),
                props: { ...repository().props, body },
                propertyDependencies: { endpoint: [urnOf(domain())], body: dependencies },
            });
            const unnamed = (name: string): TestResource => ({ ...bucket(name, "us-west-2"), props: { bucket: UNKNOWN, region: "us-west-2" } });
            const role: TestResource = { type: "aws:iam/role:Role", name: "snapshot-role", props: { name: "snapshot-role" } };
            const settings = (b: unknown) => ({ type: "s3", settings: { bucket: b, region: "us-west-2" } });
            const rs = (...more: TestResource[]) => [domain(), smPolicy(), bucket("logs", "us-west-2"), bucket("search-snapshots", "us-west-2"), ...more];
            assert.deepStrictEqual(await snapshotsOf(rs(repoWith(settings("search-snapshots")))), [seenAs("daily", 24, 14, "search-snapshots")]);
            assert.deepStrictEqual(await snapshotsOf(rs(repoWith(settings("elsewhere")))), [seenAs("daily", 24, 14, undefined)]);
            assert.deepStrictEqual(await snapshotsOf(rs(repoWith(settings("elsewhere"), [urnOf(unnamed("a")), urnOf(role)]), unnamed("a"), role)), [seenAs("daily", 24, 14, "a")]);
            assert.deepStrictEqual(await snapshotsOf(rs(repoWith(settings(UNKNOWN), [urnOf(unnamed("a")), urnOf(role)]), unnamed("a"), role)), [seenAs("daily", 24, 14, "a")]);
            assert.deepStrictEqual(await snapshotsOf(rs(repoWith(settings(UNKNOWN), [urnOf(unnamed("a")), urnOf(unnamed("b"))]), unnamed("a"), unnamed("b"))), [
                seenAs("daily", 24, 14, UNKNOWN_AT_PREVIEW),
            ]);
            // An unknown name is no match for a bucket whose name is unknown too.
            assert.deepStrictEqual(await snapshotsOf(rs(repoWith(settings(UNKNOWN)), unnamed("a"))), [seenAs("daily", 24, 14, UNKNOWN_AT_PREVIEW)]);
            for (const body of [undefined, { type: "s3" }]) {
                assert.deepStrictEqual(await snapshotsOf(rs(repoWith(body))), [seenAs("daily", 24, 14, undefined)], JSON.stringify(body));
            }
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

    // ---- another team's program: plain @pulumi/aws (and opensearch provider) resources, no tags of ours ----
    describe("another team's domains, as plain programs declare them", () => {
        const AWS_PROVIDER = (region: string) => ({ type: "pulumi:providers:aws", name: `default_${region}`, props: { region } });
        const OS_PROVIDER = (url: unknown) => ({ type: "pulumi:providers:opensearch", name: "default_2_3_1", props: { url } });
        const ENDPOINT = "https://search-logs-x1y2z3.us-east-1.es.amazonaws.com";
        /** aws.opensearch.Domain as a team writes it: a name, an engine, a cluster; the region from the provider. */
        const logs = (props: Props = {}, name = "logs", region = "us-east-1"): TestResource => ({
            type: "aws:opensearch/domain:Domain",
            name,
            props: {
                domainName: name,
                engineVersion: "OpenSearch_2.11",
                clusterConfig: { instanceType: "r6g.large.search", instanceCount: 3, zoneAwarenessEnabled: true },
                ebsOptions: { ebsEnabled: true, volumeSize: 10 },
                ...props,
            },
            provider: AWS_PROVIDER(region),
        });
        const legacy = (props: Props = {}): TestResource => ({
            type: "aws:elasticsearch/domain:Domain",
            name: "legacy",
            props: { domainName: "legacy", clusterConfig: { instanceType: "r5.large.elasticsearch" }, ...props },
            provider: AWS_PROVIDER("us-east-1"),
        });
        const smBody = (maxAge: string, repository = "logs-repo") =>
            JSON.stringify({
                enabled: true,
                creation: { schedule: { cron: { expression: "0 0 * * *", timezone: "UTC" } }, time_limit: "1h" },
                deletion: { schedule: { cron: { expression: "0 1 * * *", timezone: "UTC" } }, condition: { max_age: maxAge, min_count: 1 } },
                snapshot_config: { indices: "*", repository },
            });
        /** opensearch.SmPolicy of the opensearch provider: policyName and a JSON body; linked by its provider's url. */
        const providerPolicy = (body: unknown, url: unknown = ENDPOINT): TestResource => ({
            type: "opensearch:index/smPolicy:SmPolicy",
            name: "logs-snapshots",
            props: { policyName: "logs-daily", body },
            provider: OS_PROVIDER(url),
        });
        const providerRepo = (bucket: unknown = "logs-snapshots", url: unknown = ENDPOINT): TestResource => ({
            type: "opensearch:index/snapshotRepository:SnapshotRepository",
            name: "logs-repo",
            props: { name: "logs-repo", type: "s3", settings: { bucket, region: "us-east-1", role_arn: "arn:aws:iam::123456789012:role/snapshots" } },
            provider: OS_PROVIDER(url),
        });
        const plainBucket = (name: string, region: string): TestResource => ({ type: "aws:s3/bucket:Bucket", name, props: { bucket: name }, provider: AWS_PROVIDER(region) });
        const follower = () => logs({}, "logs-dr", "us-west-2");
        /** The follower's outbound connection to its leader 'logs', as the pulumi-aws example declares it. */
        const connection = (props: Props = {}, remoteRegion: unknown = "us-east-1"): TestResource => ({
            type: "aws:opensearch/outboundConnection:OutboundConnection",
            name: "logs-ccr",
            props: {
                connectionAlias: "logs-leader",
                connectionMode: "DIRECT",
                localDomainInfo: { ownerId: "123456789012", region: "us-west-2", domainName: "logs-dr" },
                remoteDomainInfo: { ownerId: "123456789012", region: remoteRegion, domainName: "logs" },
                ...props,
            },
            propertyDependencies: { localDomainInfo: [urnOf(follower())], remoteDomainInfo: [urnOf(logs())] },
            provider: AWS_PROVIDER("us-west-2"),
        });
        const accepter = (): TestResource => ({
            type: "aws:opensearch/inboundConnectionAccepter:InboundConnectionAccepter",
            name: "logs-ccr-accept",
            props: { connectionId: UNKNOWN },
            propertyDependencies: { connectionId: [urnOf(connection())] },
            provider: AWS_PROVIDER("us-east-1"),
        });
        const exemptTags = { "continuity-dr": "none", "continuity-dr-reason": "a cache of the orders table, rebuilt in an hour" };
        const reasonless = (policy: string, name = "logs") =>
            `The exemption from '${policy}' for type aws:opensearch/domain:Domain, name ${name} gives no reason; an exemption needs one, so this one exempts nothing.`;
        const automated = (name: string, every: string, required: string) =>
            `The OpenSearch domain '${name}' has no snapshot-management policy, and AWS takes its automated snapshots ${every} and keeps them 14 days, which no setting changes; ${required}. ` +
            "Declare a snapshot-management policy on the domain that does (an opensearch.SmPolicy of the opensearch provider, or a policy sent to _plugins/_sm/policies through a dynamic provider).";
        const strict = "this environment requires a snapshot at least every 24 hours, kept at least 30 days";

        describe("search-snapshot-schedule", () => {
            it("counts AWS's hourly automated snapshots, kept 14 days, where the environment asks for no more than 14 days", async () => {
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, [logs()])), []);
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, [logs()], { minRetentionDays: 14, maxIntervalHours: 1 })), []);
            });
            it("rejects a domain whose automated snapshots are kept shorter than required, saying what to declare", async () => {
                const o = await checkStack(searchSnapshotSchedule, [logs()], { minRetentionDays: 30 });
                assert.deepStrictEqual(o.violations, [{ message: automated("logs", "every hour", strict), urn: urnOf(logs()) }]);
            });
            it("reads daily automated snapshots for Elasticsearch before 5.3 (aws.elasticsearch.Domain defaults to 1.5), hourly from 5.3", async () => {
                const twelve = "this environment requires a snapshot at least every 12 hours, kept at least 14 days";
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, [legacy()], { maxIntervalHours: 12 })), [automated("legacy", "once a day", twelve)]);
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, [legacy({ elasticsearchVersion: "7.10" })], { maxIntervalHours: 12 })), []);
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, [logs({ engineVersion: "Elasticsearch_5.1" })], { maxIntervalHours: 12 })), [
                    automated("logs", "once a day", twelve),
                ]);
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, [logs({ engineVersion: "Elasticsearch_5.3" })], { maxIntervalHours: 12 })), []);
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, [logs({ engineVersion: undefined })], { maxIntervalHours: 12 })), []);
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, [legacy()])), []);
            });
            it("counts an engine version unknown at preview as hourly", async () => {
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, [logs({ engineVersion: UNKNOWN })], { maxIntervalHours: 12 })), []);
            });
            it("judges the opensearch provider's SmPolicy on the domain its provider's url names, body as JSON", async () => {
                const short = providerPolicy(smBody("7d"));
                const o = await checkStack(searchSnapshotSchedule, [logs(), short], { minRetentionDays: 30 });
                assert.deepStrictEqual(o.violations, [{ message: `The snapshot policy 'logs-snapshots' of OpenSearch domain 'logs' keeps snapshots 7 days; ${strict}.`, urn: urnOf(short) }]);
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, [logs(), providerPolicy(smBody("30d"))], { minRetentionDays: 30 })), []);
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, [logs(), providerPolicy("{not json")], { minRetentionDays: 30 })), [
                    `The snapshot policy 'logs-snapshots' of OpenSearch domain 'logs' has a body that is not a JSON object; ${strict}.`,
                ]);
            });
            it("does not take an SmPolicy whose provider talks to another host, and counts one whose url or body is unknown at preview", async () => {
                const elsewhere = providerPolicy(smBody("30d"), "https://search-metrics-a1b2c3.us-east-1.es.amazonaws.com");
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, [logs(), elsewhere], { minRetentionDays: 30 })), [automated("logs", "every hour", strict)]);
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, [logs(), providerPolicy(smBody("7d"), UNKNOWN)], { minRetentionDays: 30 })), []);
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, [logs(), providerPolicy(UNKNOWN)], { minRetentionDays: 30 })), []);
            });
            it("leaves out a domain exempted by tag with a reason or by the setting, and judges it when the reason is missing", async () => {
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, [logs({ tags: exemptTags })], { minRetentionDays: 30 })), []);
                const noReason = logs({ tags: { "continuity-dr": "none" } });
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, [noReason], { minRetentionDays: 30 })), [automated("logs", "every hour", strict)]);
                const entry = { type: "aws:opensearch/domain:Domain", name: "logs" };
                assert.deepStrictEqual(
                    messages(await checkStack(searchSnapshotSchedule, [logs()], { minRetentionDays: 30, exemptions: [{ ...entry, reason: "rebuilt from the orders table" }] })),
                    [],
                );
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, [logs()], { minRetentionDays: 30, exemptions: [entry] })), [
                    reasonless("search-snapshot-schedule"),
                    automated("logs", "every hour", strict),
                ]);
            });
        });

        describe("search-snapshot-dr-copy", () => {
            it("rejects a plain domain: automated snapshots stay in its region and AWS Backup does not back it up", async () => {
                const o = await checkStack(searchSnapshotDrCopy, [logs()]);
                assert.deepStrictEqual(o.violations, [{ message: noCopy("logs", "us-east-1"), urn: urnOf(logs()) }]);
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, [legacy()])), [noCopy("legacy", "us-east-1")]);
            });
            it("does not count an AWS Backup plan that selects every resource", async () => {
                const plan: TestResource = { type: "aws:backup/plan:Plan", name: "all", props: { name: "all", rules: [{ ruleName: "daily", targetVaultName: "v", schedule: "cron(0 5 * * ? *)", copyActions: [{ destinationVaultArn: "arn:aws:backup:us-west-2:123456789012:backup-vault:dr" }] }] } };
                const selection: TestResource = { type: "aws:backup/selection:Selection", name: "all", props: { planId: UNKNOWN, iamRoleArn: "arn:aws:iam::123456789012:role/backup", resources: ["*"] }, propertyDependencies: { planId: [urnOf(plan)] } };
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, [logs(), plan, selection])), [noCopy("logs", "us-east-1")]);
            });
            it("passes both ends of an accepted cross-cluster connection to a follower in another region", async () => {
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, [logs(), follower(), connection({ acceptConnection: true })])), []);
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, [logs(), follower(), connection(), accepter()])), []);
            });
            it("rejects a connection nobody accepts in the stack, and one that stays in the domain's region", async () => {
                const notAccepted =
                    "its cross-cluster connection 'logs-ccr' is not accepted in this stack (acceptConnection, or an aws.opensearch.InboundConnectionAccepter)";
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, [logs(), follower(), connection()])), [
                    noCopy("logs", "us-east-1", notAccepted),
                    noCopy("logs-dr", "us-west-2", notAccepted),
                ]);
                const local = { ...connection({ acceptConnection: true, localDomainInfo: { ownerId: "123456789012", region: "us-east-1", domainName: "logs-replica" } }), propertyDependencies: { remoteDomainInfo: [urnOf(logs())] } };
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, [logs(), local])), [
                    noCopy("logs", "us-east-1", "its cross-cluster connection 'logs-ccr' links it to a domain in its own region us-east-1"),
                ]);
            });
            it("finds a connection's ends by domain name when no dependency tells, and not another domain's", async () => {
                const byName = { ...connection({ acceptConnection: true }), propertyDependencies: {} };
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, [logs(), byName])), []);
                const metrics = logs({}, "metrics");
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, [metrics, byName])), [noCopy("metrics", "us-east-1")]);
            });
            it("counts an acceptance, a remote region or a domain name unknown at preview in the stack's favour", async () => {
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, [logs(), follower(), connection({ acceptConnection: UNKNOWN })])), []);
                const unknownRegion = { ...connection({ acceptConnection: true, localDomainInfo: { ownerId: "1", region: UNKNOWN, domainName: "logs-dr" } }), propertyDependencies: { remoteDomainInfo: [urnOf(logs())] } };
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, [logs(), unknownRegion])), []);
                const unknownName = { ...connection({ acceptConnection: true, remoteDomainInfo: { ownerId: "1", region: "us-east-1", domainName: UNKNOWN } }), propertyDependencies: {} };
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
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, [logs(), providerPolicy(smBody("14d"), UNKNOWN)])), []);
                const unknownBucket = [logs(), providerPolicy(smBody("14d")), providerRepo(UNKNOWN)];
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, unknownBucket)), []);
                const elsewhere = [logs(), providerPolicy(smBody("14d")), providerRepo("logs-snapshots", "https://search-metrics-a1b2c3.us-east-1.es.amazonaws.com")];
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, elsewhere)), [
                    "The snapshot policy 'logs-snapshots' of OpenSearch domain 'logs' writes to the repository 'logs-repo', which this stack does not register on that domain, so where its snapshots go cannot be verified.",
                ]);
            });
            it("leaves out a domain exempted by tag with a reason or by the setting, and reports a reasonless entry", async () => {
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, [logs({ tags: exemptTags })])), []);
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, [logs({ tags: { "continuity-dr": "none", "continuity-dr-reason": " " } })])), [noCopy("logs", "us-east-1")]);
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, [logs()], { exemptions: [{ name: "log*", reason: "rebuilt from the orders table" }] })), []);
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, [logs()], { exemptions: [{ type: "aws:opensearch/domain:Domain", name: "logs" }] })), [
                    reasonless("search-snapshot-dr-copy"),
                    noCopy("logs", "us-east-1"),
                ]);
                // An unknown tag is no exemption.
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, [logs({ tags: { "continuity-dr": "none", "continuity-dr-reason": UNKNOWN } })])), [noCopy("logs", "us-east-1")]);
            });
        });

        describe("links, versions and connections at their edges", () => {
            const strict14 = "this environment requires a snapshot at least every 24 hours, kept at least 14 days";
            const judged = (body: unknown) => `The snapshot policy 'logs-snapshots' of OpenSearch domain 'logs' ${body}; ${strict14}.`;
            it("links an SmPolicy whose provider url is unknown by a dependency on the domain, and not by one on another", async () => {
                const dependent = { ...providerPolicy(JSON.stringify({ enabled: false })), provider: OS_PROVIDER(UNKNOWN), dependencies: [urnOf(logs())] };
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, [logs(), dependent])), [judged("is disabled")]);
                const metrics = logs({}, "metrics");
                const onMetrics = { ...dependent, dependencies: [urnOf(metrics)] };
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, [logs(), metrics, onMetrics])), [
                    `The snapshot policy 'logs-snapshots' of OpenSearch domain 'metrics' is disabled; ${strict14}.`,
                ]);
            });
            it("does not link an SmPolicy whose provider sets no url", async () => {
                const noUrl = { ...providerPolicy(JSON.stringify({ enabled: false })), provider: { type: "pulumi:providers:opensearch", name: "default", props: {} } };
                const twelve = "this environment requires a snapshot at least every 12 hours, kept at least 14 days";
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, [logs({ engineVersion: "Elasticsearch_5.1" }), noUrl], { maxIntervalHours: 12 })), [
                    automated("logs", "once a day", twelve),
                ]);
            });
            it("refuses a JSON body that is null, an array or a number, and reads a null body as none", async () => {
                for (const body of ["null", "[]", "42"]) {
                    assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, [logs(), providerPolicy(body)])), [judged("has a body that is not a JSON object")], body);
                }
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, [logs(), providerPolicy(null)])), [judged("has no body")]);
            });
            it("counts a time zone unknown at preview in the stack's favour", async () => {
                const body = JSON.parse(smBody("1d"));
                body.creation.schedule.cron.timezone = "Asia/Tokyo";
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, [logs(), providerPolicy(JSON.stringify(body))])), [
                    judged("keeps snapshots 1 day"),
                ]);
                // The opensearch provider takes the body as a JSON string: unknown when a part of it is.
                const unknownZone = { ...smPolicy({ creation: { schedule: { cron: { expression: "0 2 * * *", timezone: UNKNOWN } } }, deletion: { condition: { max_age: "1d" } } }) };
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, [domain(), unknownZone])), []);
            });
            it("reads versions it cannot parse as hourly, and a minor version by its number", async () => {
                const hours = (props: Props, legacyDomain = false) =>
                    seen([legacyDomain ? legacy(props) : logs(props)], (rs) => automatedSnapshotHours(rs[0]));
                assert.deepStrictEqual(
                    [await hours({ elasticsearchVersion: "latest" }, true), await hours({ elasticsearchVersion: "ES_1.5" }, true), await hours({ engineVersion: "Elasticsearch_5.10" })],
                    [1, 1, 1],
                );
                assert.deepStrictEqual([await hours({ elasticsearchVersion: "5.1" }, true), await hours({ engineVersion: "Elasticsearch_2.3" }), await hours({}, true)], [24, 24, 24]);
            });
            it("finds a connection's end by dependency when its domain name is unknown, and not when the dependency is on another domain", async () => {
                const unknownRemote = connection({ acceptConnection: true, remoteDomainInfo: { ownerId: "123456789012", region: "us-east-1", domainName: UNKNOWN } });
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, [logs(), follower(), unknownRemote])), []);
                const metrics = logs({}, "metrics");
                const toMetrics = { ...unknownRemote, propertyDependencies: { localDomainInfo: [urnOf(follower())], remoteDomainInfo: [urnOf(metrics)] } };
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, [logs(), metrics, follower(), toMetrics])), [noCopy("logs", "us-east-1")]);
            });
            it("counts a domain whose name is unknown at preview as a possible end of a connection by name", async () => {
                const byName = { ...connection({ acceptConnection: true }), propertyDependencies: {} };
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, [logs({ domainName: UNKNOWN }), byName])), []);
                // So is an end of its name whose region is unknown, and any end of its name for a domain whose region is.
                const remoteRegionUnknown = { ...byName, props: { ...byName.props, remoteDomainInfo: { ownerId: "123456789012", region: UNKNOWN, domainName: "logs" } } };
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
                const notAccepted = "its cross-cluster connection 'logs-ccr' is not accepted in this stack (acceptConnection, or an aws.opensearch.InboundConnectionAccepter)";
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, [logs(), sameNames])), [noCopy("logs", "us-east-1", notAccepted)]);
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, [{ ...twin, urn: "urn:pulumi:test::continuity::aws:opensearch/domain:Domain::logs-west" }, sameNames])), [
                    noCopy("logs", "us-west-2", notAccepted),
                ]);
                const local = {
                    ...connection({ acceptConnection: true, remoteDomainInfo: { ownerId: "123456789012", region: "us-west-2", domainName: "logs-replica" } }),
                    name: "logs-local",
                    propertyDependencies: { localDomainInfo: [urnOf(follower())] },
                };
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, [follower(), local, { ...connection(), propertyDependencies: { localDomainInfo: [urnOf(follower())] } }])), [
                    noCopy("logs-dr", "us-west-2", `its cross-cluster connection 'logs-local' links it to a domain in its own region us-west-2; ${notAccepted}`),
                ]);
            });
            it("says 'its own region' for a domain whose region is unknown at preview", async () => {
                const unknownRegion = { ...logs(), provider: AWS_PROVIDER(UNKNOWN as unknown as string) };
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, [unknownRegion])), [noCopy("logs", "its own region")]);
            });
            it("takes an accepter built from the connection, depending on it, or naming its id; an unknown id only when it may be the connection's", async () => {
                const stack = (...more: TestResource[]) => [logs(), follower(), connection(), ...more];
                const accepterWith = (props: Props, links: Partial<TestResource> = {}): TestResource => ({ ...accepter(), props, propertyDependencies: {}, ...links });
                const notAccepted = "its cross-cluster connection 'logs-ccr' is not accepted in this stack (acceptConnection, or an aws.opensearch.InboundConnectionAccepter)";
                const neither = [noCopy("logs", "us-east-1", notAccepted), noCopy("logs-dr", "us-west-2", notAccepted)];
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, stack(accepterWith({ connectionId: "cc-1" }, { dependencies: [urnOf(connection())] })))), []);
                const withId = [logs(), follower(), { ...connection(), props: { ...connection().props, id: "cc-1" } }];
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, [...withId, accepterWith({ connectionId: "cc-1" })])), []);
                const otherId = accepterWith({ connectionId: "cc-2" }, { dependencies: [urnOf(follower())] });
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, [...withId, otherId])), neither);
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, stack(accepterWith({})))), neither);
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, stack(accepterWith({ connectionId: UNKNOWN })))), []);
                const parameter: TestResource = { type: "aws:ssm/parameter:Parameter", name: "ccr-id", props: { name: "ccr-id", type: "String", value: "cc-1" } };
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, stack(parameter, accepterWith({ connectionId: UNKNOWN }, { propertyDependencies: { connectionId: [urnOf(parameter)] } })))), []);
                // An accepter built from another connection (between two other domains) accepts that one only.
                const metricsConnection = {
                    ...connection({
                        localDomainInfo: { ownerId: "123456789012", region: "us-west-2", domainName: "metrics-dr" },
                        remoteDomainInfo: { ownerId: "123456789012", region: "us-east-1", domainName: "metrics" },
                    }),
                    name: "metrics-ccr",
                    propertyDependencies: {},
                };
                const forMetrics = accepterWith({ connectionId: UNKNOWN }, { propertyDependencies: { connectionId: [urnOf(metricsConnection)] } });
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, stack(metricsConnection, forMetrics))), neither);
                // A resource that only depends on the connection accepts nothing.
                const alarm: TestResource = { type: "aws:ssm/parameter:Parameter", name: "ccr-note", props: { name: "ccr-note", type: "String", value: UNKNOWN }, dependencies: [urnOf(connection())] };
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, stack(alarm))), neither);
            });
            it("names the bucket '?' for an opensearch.SnapshotRepository without settings, and finds one by its settings' dependency", async () => {
                const noSettings = { ...providerRepo(), props: { name: "logs-repo", type: "s3" } };
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, [logs(), providerPolicy(smBody("14d")), noSettings])), [
                    "The snapshot policy 'logs-snapshots' of OpenSearch domain 'logs' writes to the repository 'logs-repo', whose bucket '?' is not declared in this stack, so its copy in another region cannot be verified.",
                ]);
                const unnamed: TestResource = { ...plainBucket("logs-snapshots-a1b2", "us-east-1"), props: { bucket: UNKNOWN } };
                const byDependency = { ...providerRepo("logs-snapshots"), propertyDependencies: { settings: [urnOf(unnamed)] } };
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, [logs(), providerPolicy(smBody("14d")), byDependency, unnamed])), [
                    "The snapshot policy 'logs-snapshots' of OpenSearch domain 'logs' writes to the repository 'logs-repo', whose bucket 'logs-snapshots' has no copy in another region (S3 replication or a DataSync task); this environment requires one.",
                ]);
                const seenBuckets = await snapshotsOf([logs(), providerPolicy(smBody("14d")), { ...byDependency, props: { ...byDependency.props, settings: { bucket: UNKNOWN } } }, unnamed], "logs");
                assert.deepStrictEqual(seenBuckets, [{ policy: "logs-snapshots", everyHours: 24, keptDays: 14, bucket: "logs-snapshots-a1b2" }]);
                assert.deepStrictEqual(await snapshotsOf([logs(), providerPolicy(smBody("14d")), noSettings], "logs"), [{ policy: "logs-snapshots", everyHours: 24, keptDays: 14, bucket: undefined }]);
                assert.deepStrictEqual(await snapshotsOf([logs(), providerPolicy(smBody("14d")), providerRepo(), plainBucket("logs-snapshots", "us-east-1")], "logs"), [
                    { policy: "logs-snapshots", everyHours: 24, keptDays: 14, bucket: "logs-snapshots" },
                ]);
            });
        });

        describe("resource policies on replicas leave out exempt domains", () => {
            const one = logs({ clusterConfig: { instanceType: "t3.small.search", instanceCount: 1 } });
            it("search-domain-data-nodes: an exempt single-node domain passes, a reasonless entry is reported on the domain it names", async () => {
                assert.deepStrictEqual(messages(await checkResource(searchDomainDataNodes, one)), ["The OpenSearch domain 'logs' has 1 data node; this environment requires at least 3."]);
                assert.deepStrictEqual(messages(await checkResource(searchDomainDataNodes, { ...one, props: { ...one.props, tags: exemptTags } })), []);
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
                const message = "The OpenSearch domain 'logs' does not spread its nodes over availability zones (zoneAwarenessEnabled is not true); this environment requires 3 zones.";
                assert.deepStrictEqual(messages(await checkResource(searchDomainZoneAwareness, flat)), [message]);
                assert.deepStrictEqual(messages(await checkResource(searchDomainZoneAwareness, flat, { exemptions: [{ type: "aws:opensearch/domain:Domain", reason: "scratch" }] })), []);
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
