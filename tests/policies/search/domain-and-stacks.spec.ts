import * as assert from "assert";
import * as path from "path";
import {
    replicasOf,
    searchDomainDataNodes,
    searchDomainDedicatedMasters,
    searchDomainEncryption,
    searchDomainHttps,
    searchDomainZoneAwareness,
    searchIndexReplicas,
    searchPolicies,
} from "../../../policies/search";
import { checkResource, checkStack, fromRecorded, messages, runPolicies, UNKNOWN } from "../../helpers/policy";
import { ROOT, runStack } from "../../helpers/program";
import { domain, withCluster, rest, template, compliant } from "./fixtures";

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
            assert.deepStrictEqual(
                messages(await checkResource(searchDomainDataNodes, withCluster({ instanceCount: 2 }), { minDataNodes: 2 })),
                [],
            );
            assert.deepStrictEqual(messages(await checkResource(searchDomainDataNodes, domain(), { minDataNodes: 6 })), [
                "The OpenSearch domain 'search' has 3 data nodes; this environment requires at least 6.",
            ]);
        });
        it("is skipped at preview when the cluster settings are unknown", async () => {
            const o = await checkResource(searchDomainDataNodes, domain({ clusterConfig: UNKNOWN }));
            assert.deepStrictEqual(o.violations, []);
            assert.match(
                o.skipped!,
                /^can't run policy 'search-domain-data-nodes' during preview: .*clusterConfig can't be known during preview$/,
            );
        });
        it("counts one data node (AWS's default) for a domain without cluster settings, and lets exactly the minimum through", async () => {
            assert.deepStrictEqual(messages(await checkResource(searchDomainDataNodes, domain({ clusterConfig: undefined }))), [
                "The OpenSearch domain 'search' has 1 data node; this environment requires at least 3.",
            ]);
            assert.deepStrictEqual(
                messages(await checkResource(searchDomainDataNodes, domain({ clusterConfig: undefined }), { minDataNodes: 1 })),
                [],
            );
        });
    });

    describe("search-domain-zone-awareness", () => {
        it("rejects zone awareness off", async () => {
            assert.deepStrictEqual(messages(await checkResource(searchDomainZoneAwareness, withCluster({ zoneAwarenessEnabled: false }))), [
                "The OpenSearch domain 'search' does not spread its nodes over availability zones (zoneAwarenessEnabled is not true); this environment requires 3 zones.",
            ]);
        });
        it("rejects a domain without cluster settings, naming the zone count from config", async () => {
            assert.deepStrictEqual(
                messages(await checkResource(searchDomainZoneAwareness, domain({ clusterConfig: undefined }), { minZones: 2 })),
                [
                    "The OpenSearch domain 'search' does not spread its nodes over availability zones (zoneAwarenessEnabled is not true); this environment requires 2 zones.",
                ],
            );
        });
        it("rejects two zones (AWS's default count), and takes the minimum from config", async () => {
            const two = withCluster({ zoneAwarenessConfig: undefined });
            assert.deepStrictEqual(messages(await checkResource(searchDomainZoneAwareness, two)), [
                "The OpenSearch domain 'search' spreads its nodes over 2 availability zones; this environment requires at least 3.",
            ]);
            assert.deepStrictEqual(messages(await checkResource(searchDomainZoneAwareness, two, { minZones: 2 })), []);
        });
        it("is skipped at preview when the zone count is unknown", async () => {
            const o = await checkResource(
                searchDomainZoneAwareness,
                withCluster({ zoneAwarenessConfig: { availabilityZoneCount: UNKNOWN } }),
            );
            assert.deepStrictEqual(o.violations, []);
            assert.match(o.skipped!, /^can't run policy 'search-domain-zone-awareness' during preview: /);
        });
    });

    describe("search-domain-dedicated-masters", () => {
        it("rejects a domain without dedicated masters where they are required", async () => {
            assert.deepStrictEqual(
                messages(await checkResource(searchDomainDedicatedMasters, withCluster({ dedicatedMasterEnabled: false }))),
                [
                    "The OpenSearch domain 'search' has no dedicated master nodes; this environment requires at least 3, so that a busy data node cannot stall the cluster.",
                ],
            );
        });
        it("lets it through where they are not required (staging)", async () => {
            const o = await checkResource(searchDomainDedicatedMasters, withCluster({ dedicatedMasterEnabled: false }), {
                required: false,
            });
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
            const o = await checkResource(
                searchDomainEncryption,
                domain({ encryptAtRest: { enabled: false }, nodeToNodeEncryption: undefined }),
            );
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
                properties: {
                    tlsPolicies: {
                        type: "array",
                        items: { type: "string" },
                        default: ["Policy-Min-TLS-1-2-2019-07", "Policy-Min-TLS-1-2-PFS-2023-10"],
                    },
                },
                additionalProperties: false,
            });
        });
        it("rejects plain HTTP and TLS 1.0", async () => {
            const o = await checkResource(
                searchDomainHttps,
                domain({ domainEndpointOptions: { enforceHttps: false, tlsSecurityPolicy: "Policy-Min-TLS-1-0-2019-07" } }),
            );
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
            assert.deepStrictEqual(
                messages(await checkResource(searchDomainHttps, domain(), { tlsPolicies: ["Policy-Min-TLS-1-2-2019-07"] })),
                [
                    "The OpenSearch domain 'search' uses the TLS policy Policy-Min-TLS-1-2-PFS-2023-10; this environment requires one of Policy-Min-TLS-1-2-2019-07.",
                ],
            );
        });
        it("also judges the legacy Elasticsearch domain type", async () => {
            const legacy = {
                ...domain({ domainEndpointOptions: { enforceHttps: false, tlsSecurityPolicy: "Policy-Min-TLS-1-2-2019-07" } }),
                type: "aws:elasticsearch/domain:Domain",
            };
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
            assert.deepStrictEqual(
                messages(await checkResource(searchIndexReplicas, template({ number_of_shards: 3, number_of_replicas: 0 }))),
                ["The index template 'app' (app-*) sets 0 replicas per shard; this environment requires at least 1."],
            );
        });
        it("rejects a template that leaves replicas unset", async () => {
            assert.deepStrictEqual(messages(await checkResource(searchIndexReplicas, template({ number_of_shards: 3 }))), [
                "The index template 'app' (app-*) does not set number_of_replicas; this environment requires at least 1.",
            ]);
        });
        it("reads the nested and dotted forms and strings, and takes the minimum from config", async () => {
            assert.deepStrictEqual(
                messages(await checkResource(searchIndexReplicas, template({ index: { number_of_replicas: "2" } }), { minReplicas: 2 })),
                [],
            );
            assert.deepStrictEqual(
                messages(await checkResource(searchIndexReplicas, template({ "index.number_of_replicas": 1 }), { minReplicas: 2 })),
                ["The index template 'app' (app-*) sets 1 replica per shard; this environment requires at least 2."],
            );
            assert.strictEqual(replicasOf({ number_of_replicas: "x" }), undefined);
        });
        it("is skipped at preview when the body is unknown", async () => {
            const o = await checkResource(searchIndexReplicas, template(UNKNOWN));
            assert.deepStrictEqual(o.violations, []);
            assert.match(o.skipped!, /^can't run policy 'search-index-replicas' during preview: /);
        });
        it("ignores other dynamic resources", async () => {
            assert.deepStrictEqual(
                messages(await checkResource(searchIndexReplicas, { ...template({}), type: "pulumi-nodejs:dynamic:Resource" })),
                [],
            );
        });
        it("rejects a template without settings or without a body, labelled by its resource name when it has no REST name", async () => {
            const noSettings = rest("IndexTemplate", "logs-template", "logs", { index_patterns: ["logs-*", "audit-*"], template: {} });
            assert.deepStrictEqual(messages(await checkResource(searchIndexReplicas, noSettings)), [
                "The index template 'logs' (logs-*, audit-*) does not set number_of_replicas; this environment requires at least 1.",
            ]);
            const noBody = {
                ...rest("IndexTemplate", "logs-template", "logs", undefined),
                props: { endpoint: UNKNOWN, region: "us-west-2" },
            };
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
