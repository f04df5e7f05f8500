// The cache rules against programs written as another team writes them: plain @pulumi/aws
// ElastiCache and MemoryDB resources, type tokens and properties as the engine sends them, no tags
// of ours except where a test is about an exemption.
import * as assert from "assert";
import { cacheAutomaticFailover, cachePolicies, cacheReference, cacheSnapshotRetention } from "../../policies/caches";
import { checkStack, messages, TestResource, UNKNOWN, urnOf } from "../helpers/policy";

type Props = Record<string, unknown>;

const group = (name: string, props: Props = {}): TestResource => ({
    type: "aws:elasticache/replicationGroup:ReplicationGroup",
    name,
    props: { replicationGroupId: name, description: `${name} cache`, nodeType: "cache.r7g.large", region: "us-west-2", ...props },
});
const cluster = (name: string, props: Props = {}): TestResource => ({
    type: "aws:elasticache/cluster:Cluster",
    name,
    props: { clusterId: name, engine: "redis", nodeType: "cache.t4g.small", numCacheNodes: 1, region: "us-west-2", ...props },
});
const memorydb = (name: string, props: Props = {}): TestResource => ({
    type: "aws:memorydb/cluster:Cluster",
    name,
    props: { name, aclName: "open-access", nodeType: "db.r7g.large", region: "us-west-2", ...props },
});
/** A read replica a program adds to a group, built from the group's id (unknown at preview). */
const member = (name: string, of: TestResource): TestResource => ({
    ...cluster(name, { engine: undefined, numCacheNodes: undefined, replicationGroupId: UNKNOWN }),
    propertyDependencies: { replicationGroupId: [urnOf(of)] },
});

/** What a careful team writes: failover, Multi-AZ, a replica per shard, a week of snapshots. */
const sessions = group("sessions", {
    automaticFailoverEnabled: true,
    multiAzEnabled: true,
    numCacheClusters: 2,
    snapshotRetentionLimit: 7,
});
const sharded = group("feed", {
    automaticFailoverEnabled: true,
    multiAzEnabled: true,
    numNodeGroups: 3,
    replicasPerNodeGroup: 1,
    snapshotRetentionLimit: 14,
});
const ledger = memorydb("ledger", { numShards: 2, snapshotRetentionLimit: 7 });
const compliant = (): TestResource[] => [sessions, sharded, ledger];

const withProps = (r: TestResource, props: Props): TestResource => ({ ...r, props: { ...r.props, ...props } });
const tagged = (r: TestResource, tags: Record<string, string>) => withProps(r, { tags });

describe("cache policies (policies/caches.ts)", () => {
    it("let replicated, Multi-AZ caches with a week of snapshots through, every one", async () => {
        for (const p of cachePolicies) {
            const o = await checkStack(p, compliant());
            assert.deepStrictEqual(messages(o), [], p.name);
            assert.strictEqual(o.skipped, undefined, p.name);
        }
    });

    it("document every policy in the reference, as data rules with anchors", () => {
        assert.deepStrictEqual(Object.keys(cacheReference).sort(), cachePolicies.map((p) => p.name).sort());
        for (const p of cachePolicies) {
            assert.strictEqual(p.enforcementLevel, "mandatory", p.name);
            assert.strictEqual(cacheReference[p.name].protectsData, true, p.name);
        }
        assert.match(cacheReference["cache-automatic-failover"].anchors, /elasticache-repl-grp-auto-failover-enabled/);
        assert.match(cacheReference["cache-snapshot-retention"].anchors, /CKV_AWS_134/);
    });

    describe("cache-automatic-failover", () => {
        it("rejects a replication group written with the provider's defaults, once per missing part, against its URN", async () => {
            const bare = group("sessions", { numCacheClusters: 1 });
            const o = await checkStack(cacheAutomaticFailover, [bare]);
            assert.deepStrictEqual(o.violations, [
                {
                    message:
                        "The ElastiCache replication group 'sessions' has automatic failover off (automaticFailoverEnabled is unset, default false); this environment requires it, so that a replica takes over when the primary fails.",
                    urn: urnOf(bare),
                },
                {
                    message:
                        "The ElastiCache replication group 'sessions' has 0 replicas per shard (numCacheClusters 1); this environment requires at least 1 replica per shard.",
                    urn: urnOf(bare),
                },
                {
                    message:
                        "The ElastiCache replication group 'sessions' does not spread its nodes over Availability Zones (multiAzEnabled is unset, default false); this environment requires Multi-AZ, so that losing one zone leaves a replica to fail over to.",
                    urn: urnOf(bare),
                },
            ]);
        });

        it("reads an unset numCacheClusters as its default of one node", async () => {
            const o = await checkStack(cacheAutomaticFailover, [withProps(sessions, { numCacheClusters: undefined })]);
            assert.deepStrictEqual(messages(o), [
                "The ElastiCache replication group 'sessions' has 0 replicas per shard (numCacheClusters unset, default 1); this environment requires at least 1 replica per shard.",
            ]);
        });

        it("rejects failover and Multi-AZ set to false, and lets Multi-AZ go where the environment does not require it", async () => {
            const off = withProps(sessions, { automaticFailoverEnabled: false, multiAzEnabled: false });
            assert.deepStrictEqual(messages(await checkStack(cacheAutomaticFailover, [off])), [
                "The ElastiCache replication group 'sessions' has automatic failover off (automaticFailoverEnabled is false); this environment requires it, so that a replica takes over when the primary fails.",
                "The ElastiCache replication group 'sessions' does not spread its nodes over Availability Zones (multiAzEnabled is false); this environment requires Multi-AZ, so that losing one zone leaves a replica to fail over to.",
            ]);
            const singleZone = withProps(sessions, { multiAzEnabled: false });
            assert.deepStrictEqual(messages(await checkStack(cacheAutomaticFailover, [singleZone], { requireMultiAz: false })), []);
        });

        it("counts replicas per shard of a sharded group: replicasPerNodeGroup, or the smallest replicaCount of its node groups", async () => {
            const none = withProps(sharded, { replicasPerNodeGroup: undefined });
            assert.deepStrictEqual(messages(await checkStack(cacheAutomaticFailover, [none])), [
                "The ElastiCache replication group 'feed' has 0 replicas per shard (replicasPerNodeGroup unset); this environment requires at least 1 replica per shard.",
            ]);
            const uneven = withProps(sharded, {
                replicasPerNodeGroup: undefined,
                numNodeGroups: 2,
                nodeGroupConfigurations: [
                    { nodeGroupId: "0001", replicaCount: 2 },
                    { nodeGroupId: "0002", replicaCount: 0 },
                ],
            });
            assert.deepStrictEqual(messages(await checkStack(cacheAutomaticFailover, [uneven])), [
                "The ElastiCache replication group 'feed' has 0 replicas per shard (nodeGroupConfigurations replicaCount); this environment requires at least 1 replica per shard.",
            ]);
            const even = withProps(uneven, { nodeGroupConfigurations: [{ replicaCount: 2 }, { replicaCount: 1 }] });
            assert.deepStrictEqual(messages(await checkStack(cacheAutomaticFailover, [even])), []);
            // A node group without its own count takes replicasPerNodeGroup.
            const fallback = withProps(uneven, { replicasPerNodeGroup: 1, nodeGroupConfigurations: [{ replicaCount: 2 }, {}] });
            assert.deepStrictEqual(messages(await checkStack(cacheAutomaticFailover, [fallback])), []);
        });

        it("requires the configured number of replicas", async () => {
            assert.deepStrictEqual(messages(await checkStack(cacheAutomaticFailover, compliant(), { minReplicas: 2 })), [
                "The ElastiCache replication group 'sessions' has 1 replica per shard (numCacheClusters 2); this environment requires at least 2 replicas per shard.",
                "The ElastiCache replication group 'feed' has 1 replica per shard (replicasPerNodeGroup 1); this environment requires at least 2 replicas per shard.",
                "The MemoryDB cluster 'ledger' has 1 replica per shard (numReplicasPerShard unset, default 1); this environment requires at least 2 replicas per shard, so that a replica takes over when a primary fails.",
            ]);
        });

        it("counts the member clusters a program adds to a group as its replicas, linked by dependency or by the group id, and does not judge them alone", async () => {
            const one = withProps(sessions, { numCacheClusters: 1 });
            assert.deepStrictEqual(messages(await checkStack(cacheAutomaticFailover, [one, member("sessions-replica", one)])), []);
            const byId = cluster("sessions-replica", { engine: undefined, numCacheNodes: undefined, replicationGroupId: "SESSIONS" });
            assert.deepStrictEqual(messages(await checkStack(cacheAutomaticFailover, [one, byId])), []);
            // A replica of another group adds nothing to this one.
            const other = group("other", { automaticFailoverEnabled: true, multiAzEnabled: true, numCacheClusters: 2 });
            assert.deepStrictEqual(messages(await checkStack(cacheAutomaticFailover, [one, other, member("other-replica", other)])), [
                "The ElastiCache replication group 'sessions' has 0 replicas per shard (numCacheClusters 1); this environment requires at least 1 replica per shard.",
            ]);
            assert.deepStrictEqual(
                messages(await checkStack(cacheAutomaticFailover, [one, member("r1", one), member("r2", one)], { minReplicas: 3 })),
                [
                    "The ElastiCache replication group 'sessions' has 2 replicas per shard (numCacheClusters 1 and 2 member clusters); this environment requires at least 3 replicas per shard.",
                ],
            );
        });

        it("rejects a standalone Redis cluster and a Memcached cluster, saying what to do instead", async () => {
            const o = await checkStack(cacheAutomaticFailover, [
                cluster("cache"),
                cluster("pages", { engine: "memcached", numCacheNodes: 3, azMode: "cross-az" }),
            ]);
            assert.deepStrictEqual(messages(o), [
                "The ElastiCache cluster 'cache' is a single node outside any replication group, so it has no replica to fail over to; this environment requires an aws.elasticache.ReplicationGroup with automatic failover and at least 1 replica, or else exempt the cache with its reason (tags continuity-dr = none and continuity-dr-reason).",
                "The ElastiCache cluster 'pages' runs Memcached, which has no replicas and no failover; this environment requires data to sit in Redis OSS or Valkey (an aws.elasticache.ReplicationGroup with automatic failover and at least 1 replica), or else exempt the cache with its reason (tags continuity-dr = none and continuity-dr-reason) when it holds nothing that needs recovering.",
            ]);
        });

        it("rejects a MemoryDB cluster without replicas", async () => {
            assert.deepStrictEqual(messages(await checkStack(cacheAutomaticFailover, [withProps(ledger, { numReplicasPerShard: 0 })])), [
                "The MemoryDB cluster 'ledger' has 0 replicas per shard (numReplicasPerShard 0); this environment requires at least 1 replica per shard, so that a replica takes over when a primary fails.",
            ]);
        });

        it("counts values unknown at preview in the stack's favour, without the SDK skipping the policy", async () => {
            const unknowns = [
                group("sessions", { automaticFailoverEnabled: UNKNOWN, multiAzEnabled: UNKNOWN, numCacheClusters: UNKNOWN }),
                group("feed", { automaticFailoverEnabled: true, multiAzEnabled: true, numNodeGroups: 2, replicasPerNodeGroup: UNKNOWN }),
                group("rank", {
                    automaticFailoverEnabled: true,
                    multiAzEnabled: true,
                    numNodeGroups: 2,
                    nodeGroupConfigurations: [{ replicaCount: UNKNOWN }],
                }),
                memorydb("ledger", { numReplicasPerShard: UNKNOWN }),
                // A cluster whose group id is computed is a member of some group: judged through it.
                cluster("replica", { replicationGroupId: UNKNOWN }),
                group("tags", { ...sessions.props, tags: UNKNOWN }),
            ];
            const o = await checkStack(cacheAutomaticFailover, unknowns);
            assert.deepStrictEqual(messages(o), []);
            assert.strictEqual(o.skipped, undefined);
        });

        it("leaves out a store exempted by tag with a reason, and judges one whose tag gives none", async () => {
            const bare = cluster("cache");
            const exempt = tagged(bare, { "continuity-dr": "none", "continuity-dr-reason": "holds rendered pages only" });
            assert.deepStrictEqual(messages(await checkStack(cacheAutomaticFailover, [exempt])), []);
            const reasonless = tagged(bare, { "continuity-dr": "none" });
            assert.deepStrictEqual(messages(await checkStack(cacheAutomaticFailover, [reasonless])), [
                "The ElastiCache cluster 'cache' is a single node outside any replication group, so it has no replica to fail over to; this environment requires an aws.elasticache.ReplicationGroup with automatic failover and at least 1 replica, or else exempt the cache with its reason (tags continuity-dr = none and continuity-dr-reason).",
            ]);
        });

        it("leaves out a store exempted in the config with a reason; an entry without one is a violation and exempts nothing", async () => {
            const pages = cluster("pages", { engine: "memcached" });
            const withReason = {
                exemptions: [{ type: "aws:elasticache/cluster:Cluster", name: "pag*", reason: "rendered pages, rebuilt on a miss" }],
            };
            assert.deepStrictEqual(messages(await checkStack(cacheAutomaticFailover, [pages], withReason)), []);
            const without = { exemptions: [{ type: "aws:elasticache/cluster:Cluster", name: "pages" }] };
            assert.deepStrictEqual(messages(await checkStack(cacheAutomaticFailover, [pages], without)), [
                "The exemption from 'cache-automatic-failover' for type aws:elasticache/cluster:Cluster, name pages gives no reason; an exemption needs one, so this one exempts nothing.",
                "The ElastiCache cluster 'pages' runs Memcached, which has no replicas and no failover; this environment requires data to sit in Redis OSS or Valkey (an aws.elasticache.ReplicationGroup with automatic failover and at least 1 replica), or else exempt the cache with its reason (tags continuity-dr = none and continuity-dr-reason) when it holds nothing that needs recovering.",
            ]);
        });
    });

    describe("cache-snapshot-retention", () => {
        it("rejects stores written with the provider's defaults (snapshots off) and short retentions, against their URNs", async () => {
            const bare = group("sessions", { automaticFailoverEnabled: true, numCacheClusters: 2 });
            const short = memorydb("ledger", { snapshotRetentionLimit: 3 });
            const off = cluster("cache", { snapshotRetentionLimit: 0 });
            const o = await checkStack(cacheSnapshotRetention, [bare, short, off, memorydb("queue")]);
            assert.deepStrictEqual(o.violations, [
                {
                    message:
                        "The ElastiCache replication group 'sessions' has automatic snapshots turned off (snapshotRetentionLimit unset, default 0); this environment requires at least 7 days.",
                    urn: urnOf(bare),
                },
                {
                    message:
                        "The MemoryDB cluster 'ledger' keeps automatic snapshots 3 days (snapshotRetentionLimit 3); this environment requires at least 7 days.",
                    urn: urnOf(short),
                },
                {
                    message:
                        "The ElastiCache cluster 'cache' has automatic snapshots turned off (snapshotRetentionLimit 0); this environment requires at least 7 days.",
                    urn: urnOf(off),
                },
                {
                    message:
                        "The MemoryDB cluster 'queue' has automatic snapshots turned off (snapshotRetentionLimit unset, default 0); this environment requires at least 7 days.",
                    urn: urnOf(memorydb("queue")),
                },
            ]);
        });

        it("accepts a standalone Redis cluster that keeps its snapshots, and the configured minimum", async () => {
            assert.deepStrictEqual(
                messages(await checkStack(cacheSnapshotRetention, [cluster("cache", { snapshotRetentionLimit: 7 })])),
                [],
            );
            const three = [withProps(sessions, { snapshotRetentionLimit: 3 }), withProps(ledger, { snapshotRetentionLimit: 2 })];
            assert.deepStrictEqual(messages(await checkStack(cacheSnapshotRetention, three, { minRetentionDays: 3 })), [
                "The MemoryDB cluster 'ledger' keeps automatic snapshots 2 days (snapshotRetentionLimit 2); this environment requires at least 3 days.",
            ]);
            assert.deepStrictEqual(
                messages(
                    await checkStack(cacheSnapshotRetention, [withProps(ledger, { snapshotRetentionLimit: 1 })], { minRetentionDays: 2 }),
                ),
                [
                    "The MemoryDB cluster 'ledger' keeps automatic snapshots 1 day (snapshotRetentionLimit 1); this environment requires at least 2 days.",
                ],
            );
        });

        it("judges a member cluster through its group, and rejects Memcached, which takes no snapshots", async () => {
            const o = await checkStack(cacheSnapshotRetention, [
                sessions,
                member("sessions-replica", sessions),
                cluster("pages", { engine: "memcached" }),
            ]);
            assert.deepStrictEqual(messages(o), [
                "The ElastiCache cluster 'pages' runs Memcached, which takes no snapshots; this environment requires snapshots kept at least 7 days, so data must sit in Redis OSS or Valkey, or else exempt the cache with its reason (tags continuity-dr = none and continuity-dr-reason) when it holds nothing that needs recovering.",
            ]);
        });

        it("counts an unknown retention, or an unknown engine with an unknown retention, in the stack's favour", async () => {
            const unknowns = [
                withProps(sessions, { snapshotRetentionLimit: UNKNOWN }),
                withProps(ledger, { snapshotRetentionLimit: UNKNOWN }),
                cluster("cache", { engine: UNKNOWN, snapshotRetentionLimit: UNKNOWN }),
            ];
            const o = await checkStack(cacheSnapshotRetention, unknowns);
            assert.deepStrictEqual(messages(o), []);
            assert.strictEqual(o.skipped, undefined);
            // An unknown engine with snapshots off fails either way (Memcached takes none; Redis keeps none).
            assert.deepStrictEqual(messages(await checkStack(cacheSnapshotRetention, [cluster("cache", { engine: UNKNOWN })])), [
                "The ElastiCache cluster 'cache' has automatic snapshots turned off (snapshotRetentionLimit unset, default 0); this environment requires at least 7 days.",
            ]);
        });

        it("leaves out stores exempted by tag or config with a reason; a reasonless config entry is a violation", async () => {
            const pages = cluster("pages", { engine: "memcached" });
            const exempt = tagged(pages, { "continuity-dr": "none", "continuity-dr-reason": "rendered pages only" });
            assert.deepStrictEqual(messages(await checkStack(cacheSnapshotRetention, [exempt])), []);
            const byUrn = { exemptions: [{ urn: "*::pages", reason: "rendered pages only" }] };
            assert.deepStrictEqual(messages(await checkStack(cacheSnapshotRetention, [pages], byUrn)), []);
            assert.deepStrictEqual(
                messages(
                    await checkStack(cacheSnapshotRetention, [withProps(ledger, { snapshotRetentionLimit: 1 })], {
                        exemptions: [{ name: "ledger", reason: " " }],
                    }),
                ),
                [
                    "The exemption from 'cache-snapshot-retention' for name ledger gives no reason; an exemption needs one, so this one exempts nothing.",
                    "The MemoryDB cluster 'ledger' keeps automatic snapshots 1 day (snapshotRetentionLimit 1); this environment requires at least 7 days.",
                ],
            );
        });
    });
});
