import * as assert from "assert";
import { C } from "../../../policies/resilience/constants";
import { TestResource, UNKNOWN, urnOf } from "../../helpers/policy";
import { h } from "../../helpers/resilience-facts";
import { Props, bucket, objectLock, replication, expected, stores, reasoning } from "./fixtures";

// --- OpenSearch -----------------------------------------------------------------------------------

const DYNAMIC = "pulumi-nodejs:dynamic/opensearch";
const domain = (props: Props = {}, type = "aws:opensearch/domain:Domain"): TestResource => ({
    type,
    name: "search",
    props: {
        domainName: "search",
        region: "us-west-2",
        clusterConfig: { instanceCount: 3, zoneAwarenessEnabled: true, zoneAwarenessConfig: { availabilityZoneCount: 3 } },
        ebsOptions: { ebsEnabled: true, volumeSize: 100 },
        ...props,
    },
});
const rest = (kind: string, name: string, restName: string, body: unknown, on: TestResource = domain()): TestResource => ({
    type: `${DYNAMIC}:${kind}`,
    name,
    props: { endpoint: UNKNOWN, region: "us-west-2", kind, name: restName, body },
    propertyDependencies: { endpoint: [urnOf(on)] },
});
const smPolicy = rest("SnapshotPolicy", "daily", "search-daily", {
    enabled: true,
    creation: { schedule: { cron: { expression: "0 2 * * *", timezone: "UTC" } } },
    deletion: { schedule: { cron: { expression: "0 3 * * *", timezone: "UTC" } }, condition: { max_age: "14d", min_count: 14 } },
    snapshot_config: { repository: "snapshots", indices: "*" },
});
const repository = rest("SnapshotRepository", "repo", "snapshots", {
    type: "s3",
    settings: { bucket: "search-snapshots", region: "us-west-2", role_arn: UNKNOWN },
});
const template = (replicas: number) =>
    rest("IndexTemplate", `app-template-${replicas}`, `app-${replicas}`, {
        index_patterns: ["app-*"],
        template: { settings: { number_of_shards: 3, number_of_replicas: replicas } },
    });

describe("resilience facts of S3, Atlas and OpenSearch (policies/resilience/facts.ts)", () => {
    describe("OpenSearch", () => {
        const SEARCH_RATE = C.openSearchRestoreGibPerHour.value;
        const COPIED = "snapshots of 'daily' copied by S3 replication into GLACIER in us-east-1";
        const automated = (every: number) =>
            expected("opensearch-snapshots", `automated snapshots every ${every} h (kept 14 days in us-west-2)`, "us-west-2", {
                everyHours: every,
                retentionDays: 14,
            });

        it("nodes, zones and replicas; a snapshot policy into a bucket replicated into a locked bucket in another region", async () => {
            const snaps = bucket("search-snapshots", "us-west-2");
            const drBucket = bucket("search-snapshots-dr", "us-east-1", { objectLockEnabled: true });
            const rs = [
                ...[domain(), smPolicy, repository, snaps, drBucket, objectLock(drBucket)],
                ...[replication(snaps, "search-snapshots-dr"), template(2), template(1)],
            ];
            const s = (await stores(rs)).find((x) => x.name === "search")!;
            assert.deepStrictEqual(s.redundancy, {
                nodes: 2,
                zones: 2,
                failoverSeconds: C.openSearchShardPromotionSeconds.value,
                what: "3 data nodes over 3 zones, 1 replica per shard",
                source: C.openSearchShardPromotionSeconds.source,
                dependsOn: [],
            });
            assert.deepStrictEqual(s.size, {
                gib: 150,
                dailyChangeGib: 150 * C.defaultDailyChangeShare.value,
                source: "the domain's EBS volumes (3 × 100 GiB ÷ 2 copies per shard), an upper bound",
            });
            assert.deepStrictEqual(s.fields, [
                automated(1),
                expected("opensearch-snapshots", "snapshot policy 'daily' every 24 h into bucket 'search-snapshots'", "us-west-2", {
                    everyHours: 24,
                    retentionDays: 14,
                }),
                expected("opensearch-snapshot-copy", COPIED, "us-east-1", {
                    elsewhere: true,
                    everyHours: 24,
                    lagHours: h(C.s3ReplicationHours),
                    retentionDays: 14,
                    immutable: true,
                    storageClass: "GLACIER",
                }),
            ]);
            assert.strictEqual(
                reasoning(s, "region"),
                "snapshots of 'daily' copied by S3 replication into GLACIER in us-east-1: " +
                    "a point every 24 h + 2 h to arrive → up to 26 h lost; " +
                    "a new domain in the DR region with the repository registered 30 min + " +
                    `GLACIER standard retrieval ${C.glacierStandardHours.value} h + ` +
                    `150 GiB at ${SEARCH_RATE} GiB/h 1.5 h → RTO ≈ 7 h`,
            );
        });

        it("Elasticsearch 5.1 takes automated snapshots daily; one node in one zone", async () => {
            const legacy = domain(
                { elasticsearchVersion: "5.1", clusterConfig: { instanceCount: 1 }, ebsOptions: { ebsEnabled: true, volumeSize: 10 } },
                "aws:elasticsearch/domain:Domain",
            );
            const [s] = await stores([legacy]);
            assert.deepStrictEqual(s.fields, [automated(24)]);
            const { nodes, zones, what } = s.redundancy;
            assert.deepStrictEqual([nodes, zones, what], [1, 1, "1 data node over 1 zone, 1 replica per shard"]);
            assert.strictEqual(s.size.gib, 5);
            assert.strictEqual(reasoning(s, "region"), "no copy outside us-west-2: the data is lost with the region");
        });
    });
});
