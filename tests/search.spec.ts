import * as assert from "assert";
import { dailyCron, SearchDomain, SearchDomainArgs, snapshotPolicyBody, TLS_POLICY } from "../infra/components/search";
import { runProgram } from "../tools/check/engine";
import { CHECK_ACCOUNT_ID } from "../tools/check/invokes";
import { runStack, StackRun, under } from "./helpers/program";

const T = {
    domain: "aws:opensearch/domain:Domain",
    bucket: "aws:s3/bucket:Bucket",
    replication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    lock: "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    key: "aws:kms/key:Key",
    repository: "pulumi-nodejs:dynamic/opensearch:SnapshotRepository",
    policy: "pulumi-nodejs:dynamic/opensearch:SnapshotPolicy",
    template: "pulumi-nodejs:dynamic/opensearch:IndexTemplate",
    channel: "pulumi-nodejs:dynamic/opensearch:NotificationChannel",
};
const arn = (service: string, region: string, name: string) => `arn:aws:${service}:${region}:${CHECK_ACCOUNT_ID}:${name}`;
const searchOnly = async (stack: string, opts?: Parameters<typeof runStack>[1]) =>
    under(await runStack(stack, opts), "continuity:search:SearchDomain");

describe("SearchDomain (infra/components/search.ts)", () => {
    describe("staging: three data nodes over three zones, no dedicated masters, snapshots kept 7 days", () => {
        let run: StackRun;
        before(async () => (run = await searchOnly("staging")));

        it("runs the domain in us-west-2 over 3 zones with 3 t3.medium data nodes and no dedicated masters", () => {
            const d = run.one(T.domain).properties;
            assert.deepStrictEqual([d.region, d.domainName, d.engineVersion], ["us-west-2", "continuity-staging", "OpenSearch_2.19"]);
            assert.deepStrictEqual(d.clusterConfig, {
                instanceType: "t3.medium.search",
                instanceCount: 3,
                zoneAwarenessEnabled: true,
                zoneAwarenessConfig: { availabilityZoneCount: 3 },
                dedicatedMasterEnabled: false,
            });
            assert.deepStrictEqual(d.ebsOptions, { ebsEnabled: true, volumeType: "gp3", volumeSize: 20 });
            assert.strictEqual(run.one(T.domain).options.protect ?? false, false);
        });

        it("encrypts at rest and between nodes, and accepts only HTTPS with TLS 1.2+", () => {
            const d = run.one(T.domain).properties;
            assert.deepStrictEqual([d.encryptAtRest, d.nodeToNodeEncryption], [{ enabled: true }, { enabled: true }]);
            assert.deepStrictEqual(d.domainEndpointOptions, { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10" });
        });

        it("lets only the account's IAM principals call the domain's API", () => {
            assert.deepStrictEqual(JSON.parse(run.one(T.domain).properties.accessPolicies as string).Statement, [
                {
                    Effect: "Allow",
                    Principal: { AWS: [`arn:aws:iam::${CHECK_ACCOUNT_ID}:root`] },
                    Action: "es:ESHttp*",
                    Resource: `arn:aws:es:us-west-2:${CHECK_ACCOUNT_ID}:domain/continuity-staging/*`,
                },
            ]);
        });

        it("gives the app template one replica and three shards per index", () => {
            const t = run.one(T.template).properties;
            assert.deepStrictEqual([t.kind, t.name, t.region], ["index-template", "app", "us-west-2"]);
            assert.deepStrictEqual(t.body, {
                index_patterns: ["app-*"],
                priority: 100,
                template: { settings: { number_of_shards: 3, number_of_replicas: 1 } },
            });
        });

        it("snapshots daily at 02:00 UTC into the repository, deleting after 7 days but keeping at least 7", () => {
            const p = run.one(T.policy).properties;
            assert.deepStrictEqual([p.kind, p.name], ["snapshot-policy", "continuity-staging-daily"]);
            assert.deepStrictEqual(p.body, {
                description: "continuity: daily snapshot of continuity-staging into continuity-snapshots, kept 7 days",
                enabled: true,
                creation: { schedule: { cron: { expression: "0 2 * * *", timezone: "UTC" } }, time_limit: "1h" },
                deletion: {
                    schedule: { cron: { expression: "0 3 * * *", timezone: "UTC" } },
                    condition: { max_age: "7d", min_count: 7 },
                    time_limit: "1h",
                },
                snapshot_config: {
                    repository: "continuity-snapshots",
                    indices: "*",
                    include_global_state: false,
                    partial: false,
                    ignore_unavailable: true,
                    date_format: "yyyy-MM-dd-HH:mm",
                    timezone: "UTC",
                },
                notification: {
                    channel: { id: "continuity-staging-alerts" },
                    conditions: { creation: false, deletion: false, failure: true, time_limit_exceeded: true },
                },
            });
        });

        it("reports a failed or overrunning snapshot through a Notifications channel to the alert topic, with a role that may only publish there", () => {
            const c = run.one(T.channel);
            const topic = arn("sns", "us-west-2", "continuity-staging-alerts-topic");
            assert.deepStrictEqual([c.properties.kind, c.properties.name], ["notification-channel", "continuity-staging-alerts"]);
            assert.deepStrictEqual(c.properties.body, {
                name: "continuity-staging alerts",
                description: "continuity: snapshot failures of this domain, to the alert topic",
                config_type: "sns",
                is_enabled: true,
                sns: { topic_arn: topic, role_arn: arn("iam", "us-east-1", "continuity-staging-search-notifications") },
            });
            assert.deepStrictEqual(c.propertyDependencies.endpoint, [run.one(T.domain).urn]);
            const role = run.resources.find((r) => r.type === T.role && r.name === "continuity-staging-search-notifications")!;
            assert.deepStrictEqual(JSON.parse(role.properties.assumeRolePolicy as string).Statement[0].Principal, {
                Service: "es.amazonaws.com",
            });
            const policy = run.resources.find((r) => r.type === T.rolePolicy && r.name === "continuity-staging-search-notifications")!;
            assert.deepStrictEqual(JSON.parse(policy.properties.policy as string).Statement, [
                { Effect: "Allow", Action: "sns:Publish", Resource: topic },
            ]);
        });

        it("registers the repository on the domain's endpoint, in the primary region's bucket, with the snapshot role", () => {
            const r = run.one(T.repository);
            const domain = run.one(T.domain);
            assert.deepStrictEqual([r.properties.kind, r.properties.name], ["snapshot-repository", "continuity-snapshots"]);
            assert.strictEqual(
                r.properties.endpoint,
                "https://search-continuity-staging-0123456789abcdefghijklmnop.us-west-2.es.amazonaws.com",
            );
            assert.deepStrictEqual(r.propertyDependencies.endpoint, [domain.urn]);
            assert.deepStrictEqual(r.properties.body, {
                type: "s3",
                settings: {
                    bucket: "continuity-staging-search-snapshots",
                    region: "us-west-2",
                    role_arn: arn("iam", "us-east-1", "continuity-staging-search-snapshot-role"),
                },
            });
            for (const o of [run.one(T.policy), run.one(T.template)]) assert.deepStrictEqual(o.propertyDependencies.endpoint, [domain.urn]);
        });

        it("keeps the repository bucket in the primary region and replicates it to the DR region in an instantly readable class", () => {
            const [source, copy] = run.all(T.bucket);
            assert.deepStrictEqual(
                [
                    source.properties.bucket,
                    source.properties.region,
                    (source.properties.tags as any).role,
                    (source.properties.tags as any).tier,
                ],
                ["continuity-staging-search-snapshots", "us-west-2", "snapshot-repository", "search"],
            );
            assert.deepStrictEqual(
                [copy.properties.bucket, copy.properties.region, copy.properties.objectLockEnabled, (copy.properties.tags as any).role],
                ["continuity-staging-search-snapshots-dr-us-east-1", "us-east-1", true, "dr-copy"],
            );
            const rule = (run.one(T.replication).properties.rules as any)[0];
            assert.deepStrictEqual(
                [rule.destination.bucket, rule.destination.storageClass, rule.deleteMarkerReplication],
                [arn("s3", "us-east-1", "continuity-staging-search-snapshots-dr-bucket"), "STANDARD_IA", { status: "Disabled" }],
            );
            assert.deepStrictEqual(run.one(T.lock).properties.rule, { defaultRetention: { mode: "GOVERNANCE", days: 7 } });
        });

        it("lets the domain's snapshot role use the repository bucket and its key, nothing else", () => {
            const role = run.resources.find((r) => r.type === T.role && r.name === "continuity-staging-search-snapshot-role")!;
            assert.deepStrictEqual(JSON.parse(role.properties.assumeRolePolicy as string).Statement, [
                { Effect: "Allow", Principal: { Service: "es.amazonaws.com" }, Action: "sts:AssumeRole" },
            ]);
            const policy = run.resources.find((r) => r.type === T.rolePolicy && r.name === "continuity-staging-search-snapshot-role")!;
            assert.deepStrictEqual(
                JSON.parse(policy.properties.policy as string).Statement.map((s: any) => [s.Action, s.Resource]),
                [
                    [["s3:ListBucket"], "arn:aws:s3:::continuity-staging-search-snapshots"],
                    [["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], "arn:aws:s3:::continuity-staging-search-snapshots/*"],
                    [
                        ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
                        arn("kms", "us-west-2", "continuity-staging-search-snapshots-key"),
                    ],
                ],
            );
        });

        it("alarms on red, yellow, snapshot failure, low storage, blocked writes and an unreachable master, to the alert topic", () => {
            const topic = arn("sns", "us-west-2", "continuity-staging-alerts-topic");
            const alarms = run.all(T.alarm).filter((a) => a.properties.namespace === "AWS/ES");
            assert.deepStrictEqual(
                alarms.map((a) => [
                    a.properties.metricName,
                    a.properties.statistic,
                    a.properties.comparisonOperator,
                    a.properties.threshold,
                    a.properties.period,
                    a.properties.evaluationPeriods,
                ]),
                [
                    ["ClusterStatus.red", "Maximum", "GreaterThanOrEqualToThreshold", 1, 60, 1],
                    ["ClusterStatus.yellow", "Maximum", "GreaterThanOrEqualToThreshold", 1, 60, 5],
                    ["AutomatedSnapshotFailure", "Maximum", "GreaterThanOrEqualToThreshold", 1, 60, 1],
                    ["FreeStorageSpace", "Minimum", "LessThanOrEqualToThreshold", 5120, 60, 1],
                    ["ClusterIndexWritesBlocked", "Maximum", "GreaterThanOrEqualToThreshold", 1, 300, 1],
                    ["MasterReachableFromNode", "Maximum", "LessThanThreshold", 1, 60, 5],
                ],
            );
            for (const a of alarms) {
                assert.deepStrictEqual(a.properties.alarmActions, [topic]);
                assert.deepStrictEqual(a.properties.dimensions, { DomainName: "continuity-staging", ClientId: CHECK_ACCOUNT_ID });
                assert.strictEqual(a.properties.region, "us-west-2");
            }
        });

        it("exports the endpoint and the snapshot buckets", () => {
            assert.strictEqual(
                run.outputs.searchEndpoint,
                "https://search-continuity-staging-0123456789abcdefghijklmnop.us-west-2.es.amazonaws.com",
            );
            assert.deepStrictEqual(
                [run.outputs.searchSnapshotBucket, run.outputs.searchSnapshotCopy],
                ["continuity-staging-search-snapshots", "continuity-staging-search-snapshots-dr-us-east-1"],
            );
        });
    });

    describe("production: dedicated masters, 14 days, everything stateful protected", () => {
        let run: StackRun;
        before(async () => (run = await searchOnly("production")));

        it("runs 3 r6g data nodes over 3 zones and 3 dedicated m6g masters in eu-west-1", () => {
            const d = run.one(T.domain).properties;
            assert.deepStrictEqual([d.region, d.domainName], ["eu-west-1", "continuity-production"]);
            assert.deepStrictEqual(d.clusterConfig, {
                instanceType: "r6g.large.search",
                instanceCount: 3,
                zoneAwarenessEnabled: true,
                zoneAwarenessConfig: { availabilityZoneCount: 3 },
                dedicatedMasterEnabled: true,
                dedicatedMasterType: "m6g.large.search",
                dedicatedMasterCount: 3,
            });
            assert.strictEqual((d.ebsOptions as any).volumeSize, 100);
        });

        it("keeps snapshots 14 days and copies them to eu-central-1 under a 30-day compliance lock", () => {
            assert.deepStrictEqual((run.one(T.policy).properties.body as any).deletion.condition, { max_age: "14d", min_count: 14 });
            assert.deepStrictEqual(
                run.all(T.bucket).map((b) => [b.properties.bucket, b.properties.region]),
                [
                    ["continuity-production-search-snapshots", "eu-west-1"],
                    ["continuity-production-search-snapshots-dr-eu-central-1", "eu-central-1"],
                ],
            );
            assert.deepStrictEqual(run.one(T.lock).properties.rule, { defaultRetention: { mode: "COMPLIANCE", days: 30 } });
        });

        it("alerts when a node has less than a quarter of its 100 GiB free", () => {
            const low = run.all(T.alarm).find((a) => a.properties.metricName === "FreeStorageSpace")!;
            assert.strictEqual(low.properties.threshold, 25600);
        });

        it("protects the domain, the snapshot buckets and their keys", () => {
            assert.strictEqual(run.one(T.domain).options.protect, true);
            assert.deepStrictEqual(
                run.all(T.bucket).map((b) => b.options.protect),
                [true, true],
            );
            assert.deepStrictEqual(
                run.all(T.key).map((k) => k.options.protect),
                [true, true],
            );
        });
    });

    it("links the REST objects to the domain through dependencies in a preview, where the endpoint is unknown", async () => {
        const run = await searchOnly("production", { preview: true });
        const domain = run.one(T.domain);
        for (const type of [T.repository, T.policy, T.template]) {
            const r = run.one(type);
            assert.deepStrictEqual(r.propertyDependencies.endpoint, [domain.urn], type);
            assert.strictEqual((r.properties.body as any) !== undefined, true);
        }
        assert.strictEqual((run.one(T.repository).properties.body as any).settings.bucket, "continuity-production-search-snapshots");
    });

    it("takes access roles, a VPC and several templates from config", async () => {
        const run = await searchOnly("staging", {
            edit: (c) => {
                c.search.accessRoleArns = ["arn:aws:iam::123456789012:role/app", "arn:aws:iam::123456789012:role/deployer"];
                c.search.vpc = { subnetIds: ["subnet-0a", "subnet-0b", "subnet-0c"], securityGroupIds: ["sg-01"] };
                c.search.indexTemplates = [
                    { name: "app", patterns: ["app-*"] },
                    { name: "logs", patterns: ["logs-*", "audit-*"], shards: 1, replicas: 2, priority: 50 },
                ];
            },
        });
        const d = run.one(T.domain).properties;
        assert.deepStrictEqual(JSON.parse(d.accessPolicies as string).Statement[0].Principal, {
            AWS: ["arn:aws:iam::123456789012:role/app", "arn:aws:iam::123456789012:role/deployer"],
        });
        assert.deepStrictEqual(d.vpcOptions, { subnetIds: ["subnet-0a", "subnet-0b", "subnet-0c"], securityGroupIds: ["sg-01"] });
        assert.strictEqual(
            run.one(T.repository).properties.endpoint,
            "https://vpc-continuity-staging-0123456789abcdefghijklmnop.us-west-2.es.amazonaws.com",
        );
        assert.deepStrictEqual(
            run.all(T.template).map((t) => t.properties.body),
            [
                { index_patterns: ["app-*"], priority: 100, template: { settings: { number_of_shards: 3, number_of_replicas: 1 } } },
                {
                    index_patterns: ["logs-*", "audit-*"],
                    priority: 50,
                    template: { settings: { number_of_shards: 1, number_of_replicas: 2 } },
                },
            ],
        );
    });

    it("writes the snapshot policy for any hour, deleting an hour later", () => {
        assert.strictEqual(dailyCron(23), "0 23 * * *");
        const body = snapshotPolicyBody("d", "r", 23, 30);
        assert.deepStrictEqual(
            [body.creation.schedule.cron.expression, body.deletion.schedule.cron.expression, body.deletion.condition],
            ["0 23 * * *", "0 0 * * *", { max_age: "30d", min_count: 30 }],
        );
        assert.strictEqual(TLS_POLICY, "Policy-Min-TLS-1-2-PFS-2023-10");
    });

    describe("argument checks", () => {
        const base: SearchDomainArgs = {
            domainName: "d",
            engineVersion: "OpenSearch_2.19",
            zones: 3,
            dataNodes: { instanceType: "r6g.large.search", count: 3 },
            dedicatedMasters: { instanceType: "m6g.large.search", count: 0 },
            volumeGiB: 10,
            accessRoleArns: [],
            snapshots: {
                repository: "r",
                bucket: "b-snap",
                drBucket: "b-snap-dr",
                hourUtc: 2,
                retentionDays: 7,
                copyStorageClass: "STANDARD_IA",
            },
            indexTemplates: [],
            region: "us-west-2",
            drRegion: "us-east-1",
            lock: { mode: "governance", days: 7 },
            noncurrentVersionDays: 30,
            alertTopicArn: "arn:aws:sns:us-west-2:123456789012:alerts",
            tags: {},
        };
        const construct = (args: Partial<SearchDomainArgs>) => () =>
            runProgram({
                project: "p",
                stack: "s",
                config: {},
                preview: false,
                program: () => new SearchDomain("s", { ...base, ...args }),
            });

        it("rejects fewer data nodes than zones", async () => {
            await assert.rejects(construct({ dataNodes: { instanceType: "r6g.large.search", count: 2 } }), {
                message: "SearchDomain 's': dataNodes.count (2) must be at least zones (3).",
            });
        });
        it("rejects a VPC with fewer subnets than zones", async () => {
            await assert.rejects(construct({ vpc: { subnetIds: ["subnet-1"], securityGroupIds: [] } }), {
                message: "SearchDomain 's': vpc.subnetIds lists 1 subnet for 3 zones; give one per zone.",
            });
        });
    });
});
