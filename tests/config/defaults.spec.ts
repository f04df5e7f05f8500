import * as assert from "assert";
import { parseConfig } from "../../infra/config";
import { VALID, raw, edit, problems } from "./fixtures";

describe("stack configuration (infra/config.ts)", () => {
    describe("defaults", () => {
        it("applies the company's plan to a minimal staging config", () => {
            const c = parseConfig(raw(VALID));
            assert.strictEqual(c.environment, "staging");
            assert.deepStrictEqual(c.regions, { primary: "us-west-2", dr: "us-east-1" });
            assert.deepStrictEqual(c.atlas.backup, {
                snapshotIntervalHours: 6,
                retentionDays: 7,
                referenceHourOfDay: 3,
                referenceMinuteOfHour: 0,
                copyRegion: "us-east-1",
            });
            assert.strictEqual(c.atlas.clusterName, "continuity-staging");
            assert.strictEqual(c.atlas.instanceSize, "M10");
            assert.strictEqual(c.atlas.electableNodes, 3);
            assert.strictEqual(c.atlas.terminationProtection, false);
            assert.strictEqual(c.atlas.pointInTimeRestore, false);
            assert.deepStrictEqual(c.atlas.compliancePolicy, { enabled: false });
            assert.strictEqual(c.alerting.webhookUrl, undefined);
            assert.deepStrictEqual(c.storage, {
                buckets: [],
                lock: { mode: "governance", days: 30 },
                noncurrentVersionDays: 90,
                replicationTimeControl: false,
            });
        });

        it("copies a data bucket by replication unless told otherwise", () => {
            const c = parseConfig(raw(edit((s) => (s.storage = { buckets: [{ name: "uploads-1" }] }))));
            assert.deepStrictEqual(c.storage.buckets, [
                { name: "uploads-1", adopt: false, dataset: "uploads-1", copy: "replication", drName: "uploads-1-dr-us-east-1" },
            ]);
        });

        it("turns the protections on by default in production and derives the environment from the stack name", () => {
            const settings = edit((s) => {
                delete s.environment;
                s.regions = { primary: "eu-west-1", dr: "eu-central-1" };
                s.service.certificateArn = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b";
                s.atlas.compliancePolicy = {
                    authorizedEmail: "security@example.com",
                    authorizedUserFirstName: "Dana",
                    authorizedUserLastName: "Example",
                };
            });
            const c = parseConfig(raw(settings, { stack: "production" }));
            assert.strictEqual(c.environment, "production");
            assert.strictEqual(c.atlas.instanceSize, "M30");
            assert.strictEqual(c.atlas.terminationProtection, true);
            assert.strictEqual(c.atlas.pointInTimeRestore, true);
            assert.strictEqual(c.atlas.backup.copyRegion, "eu-central-1");
            assert.strictEqual(c.storage.lock.mode, "compliance");
            assert.deepStrictEqual(c.atlas.compliancePolicy, {
                enabled: true,
                authorizedEmail: "security@example.com",
                authorizedUserFirstName: "Dana",
                authorizedUserLastName: "Example",
                copyProtection: true,
            });
        });

        it("gives the search tier a zone-aware domain per environment: no masters and 7 days in staging, 3 masters and 14 days in production", () => {
            const staging = parseConfig(raw(VALID)).search;
            assert.deepStrictEqual(staging, {
                domainName: "continuity-staging",
                engineVersion: "OpenSearch_2.19",
                zones: 3,
                dataNodes: { instanceType: "t3.medium.search", count: 3 },
                dedicatedMasters: { instanceType: "m6g.large.search", count: 0 },
                volumeGiB: 20,
                accessRoleArns: [],
                vpc: undefined,
                snapshots: {
                    repository: "continuity-snapshots",
                    bucket: "continuity-staging-snapshots",
                    drBucket: "continuity-staging-snapshots-dr-us-east-1",
                    hourUtc: 2,
                    retentionDays: 7,
                    copyStorageClass: "STANDARD_IA",
                },
                indexTemplates: [{ name: "app", patterns: ["app-*"], shards: 3, replicas: 1, priority: 100 }],
            });
            const production = parseConfig(
                raw(
                    edit((s) => {
                        s.environment = "production";
                        s.atlas.compliancePolicy = { enabled: false };
                    }),
                ),
            ).search;
            assert.deepStrictEqual(
                [
                    production.domainName,
                    production.dataNodes,
                    production.dedicatedMasters,
                    production.volumeGiB,
                    production.snapshots.retentionDays,
                ],
                [
                    "continuity-production",
                    { instanceType: "r6g.large.search", count: 3 },
                    { instanceType: "m6g.large.search", count: 3 },
                    100,
                    14,
                ],
            );
        });

        it("defaults the data node count to at least 3, evenly over the zones", () => {
            assert.deepStrictEqual(parseConfig(raw(edit((s) => (s.search = { zones: 2 })))).search.dataNodes, {
                instanceType: "t3.medium.search",
                count: 4,
            });
        });

        it("refuses a production domain without dedicated masters or with an unreplicated template", () => {
            const settings = edit((s) => {
                s.environment = "production";
                s.atlas.compliancePolicy = { enabled: false };
                s.search = { dedicatedMasters: { count: 0 }, indexTemplates: [{ name: "app", patterns: ["app-*"], replicas: 0 }] };
            });
            assert.deepStrictEqual(problems(settings), [
                "continuity:search.dedicatedMasters.count must be 3 or 5 in production: without dedicated masters a busy data node can stall the cluster (got 0)",
                "continuity:search.indexTemplates[0].replicas must be at least 1 in production: with no replica, the loss of one node loses data (got 0)",
            ]);
        });

        it("gives the service tier a new VPC over three zones, 2 tasks with a 300 s grace in staging and 3 with a NAT per zone in production", () => {
            const staging = parseConfig(raw(VALID)).service;
            assert.deepStrictEqual(staging, {
                name: "web",
                network: { mode: "create", cidr: "10.20.0.0/16", zones: 3, natGateways: "single" },
                certificateArn: "arn:aws:acm:us-west-2:123456789012:certificate/0a1b",
                domainName: undefined,
                desiredCount: 2,
                healthCheckGracePeriodSeconds: 300,
                healthCheck: {
                    path: "/health",
                    intervalSeconds: 30,
                    timeoutSeconds: 5,
                    healthyThreshold: 3,
                    unhealthyThreshold: 3,
                    matcher: "200-399",
                },
                autoscaling: { minCount: 2, maxCount: 4, cpuTargetPercent: 60 },
                task: { image: "app:1", cpu: 512, memory: 1024, port: 8080, environment: {}, secrets: {}, logRetentionDays: 30 },
                accessLogsBucket: "continuity-staging-web-alb-logs",
                alarms: { elb5xxPercent: 5, responseTimeSeconds: 1 },
            });
            const production = parseConfig(
                raw(
                    edit((s) => {
                        s.environment = "production";
                        s.atlas.compliancePolicy = { enabled: false };
                    }),
                ),
            ).service;
            assert.deepStrictEqual(
                [production.desiredCount, production.autoscaling, production.network],
                [
                    3,
                    { minCount: 3, maxCount: 6, cpuTargetPercent: 60 },
                    { mode: "create", cidr: "10.20.0.0/16", zones: 3, natGateways: "per-zone" },
                ],
            );
        });

        it("takes an existing VPC when its id and both subnet lists are given", () => {
            const c = parseConfig(
                raw(
                    edit(
                        (s) =>
                            (s.service.network = {
                                vpcId: "vpc-0a",
                                publicSubnetIds: ["subnet-01", "subnet-02"],
                                privateSubnetIds: ["subnet-03", "subnet-04"],
                            }),
                    ),
                ),
            );
            assert.deepStrictEqual(c.service.network, {
                mode: "existing",
                vpcId: "vpc-0a",
                publicSubnetIds: ["subnet-01", "subnet-02"],
                privateSubnetIds: ["subnet-03", "subnet-04"],
            });
        });

        it("refuses a production service of one task, naming the environment", () => {
            const settings = edit((s) => {
                s.environment = "production";
                s.atlas.compliancePolicy = { enabled: false };
                s.service.desiredCount = 1;
                s.service.autoscaling = { minCount: 2 };
            });
            assert.deepStrictEqual(problems(settings), [
                "continuity:service.desiredCount must be at least 2 in production: with one task, its failure or a deployment takes the site down (got 1)",
                "continuity:service.desiredCount must lie between continuity:service.autoscaling.minCount (2) and maxCount (4) (got 1)",
            ]);
        });

        it("requires the service's settings: a certificate and an image have no default", () => {
            assert.deepStrictEqual(problems(edit((s) => delete s.service)), [
                "continuity:service is required: the web service's certificate and container image at least (service.certificateArn, service.task.image) (got nothing)",
            ]);
        });

        it("defaults the weekly day to Saturday and keeps a secret webhook secret", async () => {
            const c = parseConfig(
                raw(
                    edit((s) => (s.atlas.backup = { weekly: { retentionWeeks: 4 } })),
                    {
                        extra: { "continuity:alertWebhookUrl": "https://hooks.example.com/x" },
                        secretKeys: ["continuity:alertWebhookUrl"],
                    },
                ),
            );
            assert.deepStrictEqual(c.atlas.backup.weekly, { day: "saturday", retentionWeeks: 4 });
            assert.ok(c.alerting.webhookUrl);
            assert.strictEqual(await (c.alerting.webhookUrl as unknown as { isSecret: Promise<boolean> }).isSecret, true);
        });
    });
});
