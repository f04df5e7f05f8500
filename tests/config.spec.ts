import * as assert from "assert";
import { ConfigError, parseConfig, RawConfig } from "../infra/config";

const VALID = {
    environment: "staging",
    regions: { primary: "us-west-2", dr: "us-east-1" },
    atlas: { projectId: "0123456789abcdef01234567" },
    alerting: { emails: ["devops@example.com"] },
    service: { certificateArn: "arn:aws:acm:us-west-2:123456789012:certificate/0a1b", task: { image: "app:1" } },
};

type Settings = Record<string, any>;

/** A raw config as the CLI passes it, from settings by key without namespace. */
function raw(settings: Settings, opts: { stack?: string; secretKeys?: string[]; extra?: Record<string, string> } = {}): RawConfig {
    const values: Record<string, string> = { ...opts.extra };
    for (const [k, v] of Object.entries(settings)) {
        if (v !== undefined) values[`continuity:${k}`] = typeof v === "string" ? v : JSON.stringify(v);
    }
    return { stack: opts.stack ?? "staging", values, secretKeys: new Set(opts.secretKeys ?? []) };
}

function edit(change: (s: Settings) => void): Settings {
    const s = JSON.parse(JSON.stringify(VALID));
    change(s);
    return s;
}

/** The refusal of a bucket's weekly DataSync copy, which is no longer offered. */
const weeklyCopyRefused = (index: number) =>
    `continuity:storage.buckets[${index}].copy can no longer be weekly (a weekly DataSync copy): ` +
    "DataSync is not documented to write into a bucket under an Object Lock default retention, which the DR copy has. " +
    "Use replication (the default): every new version copied into Deep Archive under Object Lock within minutes. " +
    'See README, "Why replication" (got "weekly")';

/** The refusal of the weekly copy's schedule, no longer read; `got` is the value as the message shows it. */
const weeklyScheduleRefused = (got: string) =>
    "continuity:storage.weekly is no longer read: it scheduled the weekly DataSync copy, which is no longer offered " +
    "(DataSync is not documented to write into a bucket under an Object Lock default retention, which the DR copy has). " +
    "Every bucket is copied by replication within minutes, with no schedule: remove this setting. " +
    `See README, "Why replication" (got ${got})`;

function problems(settings: Settings, opts?: Parameters<typeof raw>[1]): readonly string[] {
    try {
        parseConfig(raw(settings, opts));
    } catch (e) {
        assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${e}`);
        return e.problems;
    }
    assert.fail("expected the config to be rejected");
}

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
                [production.domainName, production.dataNodes, production.dedicatedMasters, production.volumeGiB, production.snapshots.retentionDays],
                ["continuity-production", { instanceType: "r6g.large.search", count: 3 }, { instanceType: "m6g.large.search", count: 3 }, 100, 14],
            );
        });

        it("defaults the data node count to at least 3, evenly over the zones", () => {
            assert.deepStrictEqual(parseConfig(raw(edit((s) => (s.search = { zones: 2 })))).search.dataNodes, { instanceType: "t3.medium.search", count: 4 });
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
                healthCheck: { path: "/health", intervalSeconds: 30, timeoutSeconds: 5, healthyThreshold: 3, unhealthyThreshold: 3, matcher: "200-399" },
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
            assert.deepStrictEqual([production.desiredCount, production.autoscaling, production.network], [
                3,
                { minCount: 3, maxCount: 6, cpuTargetPercent: 60 },
                { mode: "create", cidr: "10.20.0.0/16", zones: 3, natGateways: "per-zone" },
            ]);
        });

        it("takes an existing VPC when its id and both subnet lists are given", () => {
            const c = parseConfig(
                raw(edit((s) => (s.service.network = { vpcId: "vpc-0a", publicSubnetIds: ["subnet-01", "subnet-02"], privateSubnetIds: ["subnet-03", "subnet-04"] }))),
            );
            assert.deepStrictEqual(c.service.network, { mode: "existing", vpcId: "vpc-0a", publicSubnetIds: ["subnet-01", "subnet-02"], privateSubnetIds: ["subnet-03", "subnet-04"] });
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
                raw(edit((s) => (s.atlas.backup = { weekly: { retentionWeeks: 4 } })), {
                    extra: { "continuity:alertWebhookUrl": "https://hooks.example.com/x" },
                    secretKeys: ["continuity:alertWebhookUrl"],
                }),
            );
            assert.deepStrictEqual(c.atlas.backup.weekly, { day: "saturday", retentionWeeks: 4 });
            assert.ok(c.alerting.webhookUrl);
            assert.strictEqual(await (c.alerting.webhookUrl as unknown as { isSecret: Promise<boolean> }).isSecret, true);
        });
    });

    describe("rejects each bad value with its key, the value found and what is allowed", () => {
        const cases: [string, Settings, string][] = [
            [
                "an OpenSearch domain name with capitals",
                edit((s) => (s.search = { domainName: "Search" })),
                'continuity:search.domainName must be an OpenSearch domain name: 3 to 28 lowercase letters, digits and hyphens, starting with a letter (got "Search")',
            ],
            [
                "an engine older than snapshot management",
                edit((s) => (s.search = { engineVersion: "Elasticsearch_7.10" })),
                'continuity:search.engineVersion must be an OpenSearch engine version such as "OpenSearch_2.19" (2.5 or later: snapshot management) (got "Elasticsearch_7.10")',
            ],
            [
                "a search zone count of 1",
                edit((s) => (s.search = { zones: 1 })),
                "continuity:search.zones must be one of 2, 3 (availability zones) (got 1)",
            ],
            [
                "fewer data nodes than zones",
                edit((s) => (s.search = { dataNodes: { count: 2 } })),
                "continuity:search.dataNodes.count must be at least continuity:search.zones (3): every zone holds a data node (got 2)",
            ],
            [
                "an odd data node count over two zones",
                edit((s) => (s.search = { zones: 2, dataNodes: { count: 3 } })),
                "continuity:search.dataNodes.count must be an even number of at least 2 over two availability zones (continuity:search.zones is 2) (got 3)",
            ],
            [
                "a t2 instance type",
                edit((s) => (s.search = { dataNodes: { instanceType: "t2.small.search" } })),
                'continuity:search.dataNodes.instanceType must not be a t2 type: t2 instances cannot encrypt data at rest (got "t2.small.search")',
            ],
            [
                "an instance type without the .search suffix",
                edit((s) => (s.search = { dedicatedMasters: { instanceType: "m6g.large" } })),
                'continuity:search.dedicatedMasters.instanceType must be an OpenSearch instance type such as r6g.large.search (got "m6g.large")',
            ],
            [
                "two dedicated masters",
                edit((s) => (s.search = { dedicatedMasters: { count: 2 } })),
                "continuity:search.dedicatedMasters.count must be one of 0, 3, 5: a quorum needs an odd number, 3 at least (got 2)",
            ],
            [
                "an access principal that is not a role ARN",
                edit((s) => (s.search = { accessRoleArns: ["arn:aws:iam::123456789012:user/alice"] })),
                'continuity:search.accessRoleArns[0] must be an IAM role ARN (arn:aws:iam::<account>:role/<name>) (got "arn:aws:iam::123456789012:user/alice")',
            ],
            [
                "a VPC with fewer subnets than zones",
                edit((s) => (s.search = { vpc: { subnetIds: ["subnet-0a", "subnet-0b"] } })),
                'continuity:search.vpc.subnetIds must list one subnet per availability zone (continuity:search.zones is 3) (got ["subnet-0a","subnet-0b"])',
            ],
            [
                "a snapshot hour of 24",
                edit((s) => (s.search = { snapshots: { hourUtc: 24 } })),
                "continuity:search.snapshots.hourUtc must be a whole number from 0 to 23 (got 24)",
            ],
            [
                "a snapshot copy in Deep Archive",
                edit((s) => (s.search = { snapshots: { copyStorageClass: "DEEP_ARCHIVE" } })),
                'continuity:search.snapshots.copyStorageClass must be one of STANDARD, STANDARD_IA, GLACIER_IR (a class OpenSearch can restore from directly) (got "DEEP_ARCHIVE")',
            ],
            [
                "a snapshot bucket that is also a data bucket",
                edit((s) => {
                    s.storage = { buckets: [{ name: "shared-bucket" }] };
                    s.search = { snapshots: { bucket: "shared-bucket" } };
                }),
                'continuity:search.snapshots.bucket is already a data bucket of continuity:storage.buckets; snapshots need their own (got "shared-bucket")',
            ],
            [
                "a snapshot bucket name too long for its copy",
                edit((s) => (s.search = { snapshots: { bucket: "a".repeat(51) } })),
                `continuity:search.snapshots.bucket must leave room for its DR copy's name ${"a".repeat(51)}-dr-us-east-1 (at most 63 characters: keep this one within 50) (got "${"a".repeat(51)}")`,
            ],
            [
                "an index template without patterns",
                edit((s) => (s.search = { indexTemplates: [{ name: "app", patterns: [] }] })),
                "continuity:search.indexTemplates[0].patterns must list at least one index pattern (got [])",
            ],
            [
                "an unknown search setting",
                edit((s) => (s.search = { replicas: 1 })),
                "continuity:search.replicas is not a known setting; the settings here are domainName, engineVersion, zones, dataNodes, dedicatedMasters, volumeGiB, accessRoleArns, vpc, snapshots, indexTemplates (got 1)",
            ],
            [
                "a grace period shorter than the health check's time to a first healthy result",
                edit((s) => {
                    s.service.healthCheckGracePeriodSeconds = 60;
                    s.service.healthCheck = { intervalSeconds: 30, healthyThreshold: 3 };
                }),
                "continuity:service.healthCheckGracePeriodSeconds must be at least the health check's time to a first healthy result, intervalSeconds × healthyThreshold = 90 s: ECS would stop new tasks before the load balancer can find them healthy (got 60)",
            ],
            [
                "a certificate ARN that is not an ACM ARN",
                edit((s) => (s.service.certificateArn = "arn:aws:iam::123456789012:server-certificate/web")),
                'continuity:service.certificateArn must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>) (got "arn:aws:iam::123456789012:server-certificate/web")',
            ],
            [
                "a certificate of another region",
                edit((s) => (s.service.certificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b")),
                'continuity:service.certificateArn must be a certificate of continuity:regions.primary (us-west-2): a load balancer uses certificates of its own region (got "arn:aws:acm:us-east-1:123456789012:certificate/0a1b")',
            ],
            [
                "a health-check timeout as long as its interval",
                edit((s) => (s.service.healthCheck = { intervalSeconds: 10, timeoutSeconds: 10 })),
                "continuity:service.healthCheck.timeoutSeconds must be less than continuity:service.healthCheck.intervalSeconds (10) (got 10)",
            ],
            [
                "a memory size Fargate does not offer for the cpu",
                edit((s) => (s.service.task.memory = 1536)),
                "continuity:service.task.memory must be a Fargate memory size for 512 cpu units: 1024 to 4096 MiB in steps of 1024 (got 1536)",
            ],
            [
                "a cpu size Fargate does not offer",
                edit((s) => (s.service.task.cpu = 768)),
                "continuity:service.task.cpu must be one of 256, 512, 1024, 2048, 4096, 8192, 16384 (Fargate cpu units) (got 768)",
            ],
            [
                "an existing VPC without its private subnets",
                edit((s) => (s.service.network = { vpcId: "vpc-0a", publicSubnetIds: ["subnet-01", "subnet-02"] })),
                "continuity:service.network.privateSubnetIds is required with an existing VPC: give vpcId, publicSubnetIds and privateSubnetIds together, or none to create a VPC (got nothing)",
            ],
            [
                "an existing VPC with one public subnet",
                edit((s) => (s.service.network = { vpcId: "vpc-0a", publicSubnetIds: ["subnet-01"], privateSubnetIds: ["subnet-03", "subnet-04"] })),
                'continuity:service.network.publicSubnetIds must list at least 2 public subnets, in two availability zones: one zone\'s loss must not stop the service (got ["subnet-01"])',
            ],
            [
                "a VPC over one zone",
                edit((s) => (s.service.network = { zones: 1 })),
                "continuity:service.network.zones must be a whole number from 2 to 4 (got 1)",
            ],
            [
                "a VPC block too large",
                edit((s) => (s.service.network = { cidr: "10.0.0.0/8" })),
                'continuity:service.network.cidr must be a block from /16 to /24 (AWS allows /16 to /28; each of its 8 subnets needs room for tasks) (got "10.0.0.0/8")',
            ],
            [
                "autoscaling down to one task",
                edit((s) => (s.service.autoscaling = { minCount: 1 })),
                "continuity:service.autoscaling.minCount must be at least 2: scaling in must never leave a single task (got 1)",
            ],
            [
                "a log retention CloudWatch does not offer",
                edit((s) => (s.service.task.logRetentionDays = 10)),
                "continuity:service.task.logRetentionDays must be one of CloudWatch's retention periods (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653) (got 10)",
            ],
            [
                "snapshot interval",
                edit((s) => (s.atlas.backup = { snapshotIntervalHours: 5 })),
                "continuity:atlas.backup.snapshotIntervalHours must be one of 1, 2, 4, 6, 8, 12 (got 5)",
            ],
            [
                "electable nodes",
                edit((s) => (s.atlas.electableNodes = 2)),
                "continuity:atlas.electableNodes must be one of 3, 5, 7: a replica set needs an odd number of at least 3 electable nodes (got 2)",
            ],
            [
                "an unknown region",
                edit((s) => (s.regions.primary = "es-west-1")),
                `continuity:regions.primary must be an AWS region code (one of us-east-1, us-east-2, us-west-1, us-west-2, ca-central-1, ca-west-1, mx-central-1, sa-east-1, eu-west-1, eu-west-2, eu-west-3, eu-central-1, eu-central-2, eu-north-1, eu-south-1, eu-south-2, me-south-1, me-central-1, il-central-1, af-south-1, ap-east-1, ap-south-1, ap-south-2, ap-northeast-1, ap-northeast-2, ap-northeast-3, ap-southeast-1, ap-southeast-2, ap-southeast-3, ap-southeast-4, ap-southeast-5, ap-southeast-7) (got "es-west-1")`,
            ],
            [
                "the DR region equal to the primary",
                edit((s) => (s.regions.dr = "us-west-2")),
                'continuity:regions.dr must differ from continuity:regions.primary (us-west-2) (got "us-west-2")',
            ],
            [
                "a copy region equal to the cluster's",
                edit((s) => (s.atlas.backup = { copyRegion: "us-west-2" })),
                `continuity:atlas.backup.copyRegion must differ from the cluster's region continuity:regions.primary (us-west-2): a copy in the same region does not survive its loss (got "us-west-2")`,
            ],
            [
                "both projectId and orgId",
                edit((s) => (s.atlas.orgId = "abcdefabcdefabcdefabcdef")),
                'continuity:atlas.orgId conflicts with continuity:atlas.projectId: give projectId to use an existing project, or orgId to create one, not both (got "abcdefabcdefabcdefabcdef")',
            ],
            [
                "neither projectId nor orgId",
                edit((s) => delete s.atlas.projectId),
                "continuity:atlas.projectId is required unless continuity:atlas.orgId is given (an existing project id, or an organization id to create the project in) (got nothing)",
            ],
            [
                "a malformed project id",
                edit((s) => (s.atlas.projectId = "prod")),
                'continuity:atlas.projectId must be an Atlas project id: 24 hexadecimal characters (got "prod")',
            ],
            [
                "a projectName with an existing project",
                edit((s) => (s.atlas.projectName = "mine")),
                'continuity:atlas.projectName only names a project created with continuity:atlas.orgId; an existing project (continuity:atlas.projectId) keeps its name (got "mine")',
            ],
            [
                "a shared tier",
                edit((s) => (s.atlas.instanceSize = "M0")),
                'continuity:atlas.instanceSize must be a dedicated Atlas tier such as M10, M30 or R40 (M10 or larger: shared tiers have no cloud backup copies) (got "M0")',
            ],
            [
                "an NVMe tier with a 6-hour interval",
                edit((s) => (s.atlas.instanceSize = "M40_NVME")),
                "continuity:atlas.backup.snapshotIntervalHours must be 12 for an NVMe tier (continuity:atlas.instanceSize is M40_NVME) (got 6)",
            ],
            [
                "a bad cluster name",
                edit((s) => (s.atlas.clusterName = "my_cluster")),
                'continuity:atlas.clusterName must be an Atlas cluster name: letters, digits and hyphens, 1 to 64 characters (got "my_cluster")',
            ],
            [
                "a retention of zero days",
                edit((s) => (s.atlas.backup = { retentionDays: 0 })),
                "continuity:atlas.backup.retentionDays must be a whole number from 1 to 365 (got 0)",
            ],
            [
                "a number given as text",
                edit((s) => (s.atlas.backup = { retentionDays: "7" })),
                'continuity:atlas.backup.retentionDays must be a whole number from 1 to 365 (got "7")',
            ],
            [
                "a reference hour out of range",
                edit((s) => (s.atlas.backup = { referenceHourOfDay: 24 })),
                "continuity:atlas.backup.referenceHourOfDay must be a whole number from 0 to 23 (got 24)",
            ],
            [
                "a weekly day that is not a day",
                edit((s) => (s.atlas.backup = { weekly: { day: "sat", retentionWeeks: 4 } })),
                'continuity:atlas.backup.weekly.day must be one of monday, tuesday, wednesday, thursday, friday, saturday, sunday (got "sat")',
            ],
            [
                "a weekly item kept shorter than the hourly one",
                edit((s) => (s.atlas.backup = { retentionDays: 14, weekly: { retentionWeeks: 1 } })),
                "continuity:atlas.backup.weekly.retentionWeeks must keep snapshots at least as long as continuity:atlas.backup.retentionDays (14 days); this keeps them 7 days (got 1)",
            ],
            [
                "a monthly day out of range",
                edit((s) => (s.atlas.backup = { monthly: { dayOfMonth: 31, retentionMonths: 12 } })),
                'continuity:atlas.backup.monthly.dayOfMonth must be a day from 1 to 28 or "last" (got 31)',
            ],
            [
                "a restore window longer than the hourly retention",
                edit((s) => {
                    s.atlas.pointInTimeRestore = true;
                    s.atlas.restoreWindowDays = 8;
                }),
                "continuity:atlas.restoreWindowDays must not exceed continuity:atlas.backup.retentionDays (7): the restore window cannot reach past the oldest hourly snapshot (got 8)",
            ],
            [
                "a compliance policy without its authorized user",
                edit((s) => (s.atlas.compliancePolicy = { enabled: true, authorizedEmail: "security@example.com", authorizedUserFirstName: "Dana" })),
                "continuity:atlas.compliancePolicy.authorizedUserLastName is required when the Backup Compliance Policy is enabled (Atlas records who may change it) (got nothing)",
            ],
            [
                "a bad authorized e-mail",
                edit((s) => (s.atlas.compliancePolicy = { enabled: false, authorizedEmail: "security" })),
                'continuity:atlas.compliancePolicy.authorizedEmail must be an e-mail address (got "security")',
            ],
            [
                "a boolean given as text",
                edit((s) => (s.atlas.terminationProtection = "yes")),
                'continuity:atlas.terminationProtection must be true or false (got "yes")',
            ],
            [
                "no alert address",
                edit((s) => (s.alerting.emails = [])),
                "continuity:alerting.emails must list at least one e-mail address: a backup that fails must reach someone (got [])",
            ],
            [
                "a bad alert address",
                edit((s) => (s.alerting.emails = ["devops@example.com", "oncall"])),
                'continuity:alerting.emails[1] must be an e-mail address (got "oncall")',
            ],
            [
                "no alerting at all",
                edit((s) => delete s.alerting),
                "continuity:alerting.emails must be a list of e-mail addresses (got nothing)",
            ],
            [
                "an unknown environment",
                edit((s) => (s.environment = "prod")),
                'continuity:environment must be one of staging, production (it defaults to the stack name only when the stack is named after one) (got "prod")',
            ],
            [
                "a typo in a nested key",
                edit((s) => (s.atlas.backup = { snapshotInterval: 6 })),
                "continuity:atlas.backup.snapshotInterval is not a known setting; the settings here are snapshotIntervalHours, retentionDays, referenceHourOfDay, referenceMinuteOfHour, daily, weekly, monthly, copyRegion (got 6)",
            ],
            [
                "a structured key given as text",
                edit((s) => (s.regions = "us-west-2")),
                'continuity:regions must be an object of settings (nested YAML keys) (got "us-west-2")',
            ],
            [
                "a bucket name that S3 refuses",
                edit((s) => (s.storage = { buckets: [{ name: "Uploads_2026" }] })),
                'continuity:storage.buckets[0].name must use lowercase letters, digits, dots and hyphens, and begin and end with a letter or digit (an S3 bucket name) (got "Uploads_2026")',
            ],
            [
                "a bucket name too long for its DR copy's name",
                edit((s) => (s.storage = { buckets: [{ name: "a".repeat(55) }] })),
                `continuity:storage.buckets[0].name must leave room for its DR copy's name ${"a".repeat(55)}-dr-us-east-1 (at most 63 characters: keep this one within 50) (got "${"a".repeat(55)}")`,
            ],
            [
                "the same bucket twice",
                edit((s) => (s.storage = { buckets: [{ name: "uploads-1", dataset: "a" }, { name: "uploads-1", dataset: "b" }] })),
                'continuity:storage.buckets[1].name appears twice in the list (got "uploads-1")',
            ],
            [
                "an unknown copy strategy",
                edit((s) => (s.storage = { buckets: [{ name: "uploads-1", copy: "daily" }] })),
                "continuity:storage.buckets[0].copy must be replication " +
                    '(S3 replication of every new version into the DR copy, the only strategy) (got "daily")',
            ],
            [
                "the weekly DataSync copy, no longer offered",
                edit((s) => (s.storage = { buckets: [{ name: "uploads-1", copy: "replication" }, { name: "uploads-2", copy: "weekly" }] })),
                weeklyCopyRefused(1),
            ],
            [
                "the weekly copy's schedule, no longer read",
                edit((s) => (s.storage = { buckets: [{ name: "uploads-1" }], weekly: { day: "saturday", hourUtc: 4 } })),
                weeklyScheduleRefused('{"day":"saturday","hourUtc":4}'),
            ],
            [
                "noncurrent versions expiring before the lock ends",
                edit((s) => (s.storage = { lock: { days: 30 }, noncurrentVersionDays: 14 })),
                "continuity:storage.noncurrentVersionDays must be at least continuity:storage.lock.days (30): a DR copy cannot expire while Object Lock still holds it (got 14)",
            ],
            [
                "a lock mode that S3 does not have",
                edit((s) => (s.storage = { lock: { mode: "legal-hold" } })),
                'continuity:storage.lock.mode must be one of governance, compliance (got "legal-hold")',
            ],
        ];
        for (const [what, settings, expected] of cases) {
            it(what, () => assert.deepStrictEqual(problems(settings), [expected]));
        }

        it("an unknown top-level key", () => {
            assert.deepStrictEqual(problems(VALID, { extra: { "continuity:region": "us-west-2" } }), [
                'continuity:region is not a known setting; the settings are continuity:environment, continuity:regions, continuity:atlas, continuity:alerting, continuity:drills, continuity:storage, continuity:search, continuity:service, continuity:alertWebhookUrl (got "us-west-2")',
            ]);
        });

        it("the weekly copy's schedule together with other storage problems, each reported; it is no longer a known setting", () => {
            const storage = { weekly: { day: "sunday" }, lok: { days: 7 }, buckets: [{ name: "uploads-1", copy: "weekly" }] };
            // The typo's list of the settings no longer offers `weekly`.
            assert.deepStrictEqual(problems(edit((s) => (s.storage = storage))), [
                weeklyScheduleRefused('{"day":"sunday"}'),
                weeklyCopyRefused(0),
                "continuity:storage.lok is not a known setting; " +
                    'the settings here are buckets, lock, noncurrentVersionDays, replicationTimeControl (got {"days":7})',
            ]);
        });

        it("a webhook URL stored in plain text, without echoing it", () => {
            const found = problems(VALID, { extra: { "continuity:alertWebhookUrl": "https://hooks.example.com/t0ken" } });
            assert.deepStrictEqual(found, [
                "continuity:alertWebhookUrl must be set as a secret (pulumi config set --secret alertWebhookUrl <url>); it is stored in plain text now",
            ]);
            assert.ok(!found[0].includes("t0ken"));
        });

        it("a secret webhook that is not https, without echoing it", () => {
            assert.deepStrictEqual(
                problems(VALID, { extra: { "continuity:alertWebhookUrl": "http://t0ken" }, secretKeys: ["continuity:alertWebhookUrl"] }),
                ["continuity:alertWebhookUrl must be an https:// URL (got a secret value that is not)"],
            );
        });

        it("Atlas API keys stored in plain text", () => {
            assert.deepStrictEqual(problems(VALID, { extra: { "mongodbatlas:privateKey": "abc" } }), [
                "mongodbatlas:privateKey must be set as a secret (pulumi config set --secret mongodbatlas:privateKey ...); it is stored in plain text now",
            ]);
        });
    });

    describe("refuses keys that nothing reads", () => {
        it("a misspelled project namespace, naming the key and the namespace it meant", () => {
            // Before: `continuty:storage` was read by nothing and the storage tier silently vanished.
            assert.deepStrictEqual(problems(VALID, { extra: { "continuty:storage": JSON.stringify({ buckets: [{ name: "uploads-1" }] }) } }), [
                'continuty:storage is read by nothing: its namespace "continuty" is not one this program or its providers read (continuity, aws, mongodbatlas, pulumi); did you mean continuity:storage?',
            ]);
        });

        it("a misspelled provider namespace, with a transposition counted as one edit", () => {
            assert.deepStrictEqual(problems(VALID, { extra: { "asw:region": "us-west-2", "mongodbatals:publicKey": "k" }, secretKeys: ["mongodbatals:publicKey"] }), [
                'asw:region is read by nothing: its namespace "asw" is not one this program or its providers read (continuity, aws, mongodbatlas, pulumi); did you mean aws:region?',
                'mongodbatals:publicKey is read by nothing: its namespace "mongodbatals" is not one this program or its providers read (continuity, aws, mongodbatlas, pulumi); did you mean mongodbatlas:publicKey?',
            ]);
        });

        it("a namespace close to none, without a guess", () => {
            assert.deepStrictEqual(problems(VALID, { extra: { "datadog:apiKey": "k" }, secretKeys: ["datadog:apiKey"] }), [
                'datadog:apiKey is read by nothing: its namespace "datadog" is not one this program or its providers read (continuity, aws, mongodbatlas, pulumi)',
            ]);
        });

        it("a project key named like a property every object inherits", () => {
            assert.deepStrictEqual(problems(VALID, { extra: { "continuity:constructor": "x" } }), [
                'continuity:constructor is not a known setting; the settings are continuity:environment, continuity:regions, continuity:atlas, continuity:alerting, continuity:drills, continuity:storage, continuity:search, continuity:service, continuity:alertWebhookUrl (got "x")',
            ]);
        });

        it("accepts the namespaces the program, its providers and the engine read", () => {
            const c = parseConfig(
                raw(VALID, {
                    extra: {
                        "aws:region": "us-west-2",
                        "mongodbatlas:publicKey": "pub",
                        "mongodbatlas:privateKey": "priv",
                        "pulumi:tags": JSON.stringify({ team: "sre" }),
                    },
                    secretKeys: ["mongodbatlas:publicKey", "mongodbatlas:privateKey"],
                }),
            );
            assert.strictEqual(c.environment, "staging");
        });
    });

    describe("keeps secrets out of plain text and out of every message", () => {
        const SECRET = "hunter2-Sup3rS3cret";
        const withDbPassword = edit((s) => (s.service.task.environment = { APP_ENV: "staging", DB_PASSWORD: SECRET }));

        it("refuses a secure value nested in a structured key, pointing to task secrets by ARN", () => {
            // The engine marks the whole key secret; the program cannot tell which leaf is, so it would
            // write the password into the task definition in plain text.
            const found = problems(withDbPassword, { secretKeys: ["continuity:service"] });
            assert.deepStrictEqual(found, [
                "continuity:service holds a secret (a `secure:` value inside it), and no setting there is secret: the program cannot tell which value is and would write it in plain text into the resources it declares. " +
                    "Give the container a secret by its ARN in continuity:service.task.secrets.<NAME> (a Secrets Manager secret or an SSM parameter): ECS reads it when a task starts and its value never enters the stack. " +
                    "The other settings of continuity:service are checked once it holds no secret.",
            ]);
        });

        it("names the right home of a secret for the other structured keys", () => {
            assert.deepStrictEqual(problems(VALID, { secretKeys: ["continuity:atlas", "continuity:alerting"] }), [
                "continuity:atlas holds a secret (a `secure:` value inside it), and no setting there is secret: the program cannot tell which value is and would write it in plain text into the resources it declares. " +
                    "The Atlas API keys belong in mongodbatlas:publicKey and mongodbatlas:privateKey, set with --secret. " +
                    "The other settings of continuity:atlas are checked once it holds no secret.",
                "continuity:alerting holds a secret (a `secure:` value inside it), and no setting there is secret: the program cannot tell which value is and would write it in plain text into the resources it declares. " +
                    "A chat or incident webhook belongs in continuity:alertWebhookUrl, set with --secret. " +
                    "The other settings of continuity:alerting are checked once it holds no secret.",
            ]);
        });

        it("refuses plaintext AWS credentials in the stack file, without echoing them", () => {
            const found = problems(VALID, { extra: { "aws:accessKey": "AKIAEXAMPLE0000", "aws:secretKey": SECRET, "aws:token": SECRET + "t" } });
            assert.deepStrictEqual(found, [
                "aws:accessKey must be set as a secret (pulumi config set --secret aws:accessKey ...), or better left to the AWS credential chain (environment, profile, SSO, role); it is stored in plain text now",
                "aws:secretKey must be set as a secret (pulumi config set --secret aws:secretKey ...), or better left to the AWS credential chain (environment, profile, SSO, role); it is stored in plain text now",
                "aws:token must be set as a secret (pulumi config set --secret aws:token ...), or better left to the AWS credential chain (environment, profile, SSO, role); it is stored in plain text now",
            ]);
            assert.ok(!found.join("\n").includes("AKIAEXAMPLE0000"));
        });

        it("accepts AWS credentials set as secrets", () => {
            const c = parseConfig(raw(VALID, { extra: { "aws:accessKey": "AKIA", "aws:secretKey": SECRET }, secretKeys: ["aws:accessKey", "aws:secretKey"] }));
            assert.strictEqual(c.environment, "staging");
        });

        it("refuses a secret environment, which names and tags resources", () => {
            assert.deepStrictEqual(problems(VALID, { secretKeys: ["continuity:environment"] }), [
                "continuity:environment must not be a secret: it names and tags resources, which are stored in plain text (set it without --secret)",
            ]);
        });

        it("reads task secrets as ARNs of Secrets Manager secrets and SSM parameters", () => {
            const secrets = {
                DB_PASSWORD: "arn:aws:secretsmanager:us-west-2:123456789012:secret:app/db-AbCdEf:password::",
                API_TOKEN: "arn:aws:ssm:us-west-2:123456789012:parameter/app/api-token",
            };
            const c = parseConfig(raw(edit((s) => (s.service.task.secrets = secrets))));
            assert.deepStrictEqual(c.service.task.secrets, secrets);
        });

        it("refuses a task secret that is not such an ARN, without echoing it (it may be the secret itself)", () => {
            const found = problems(edit((s) => (s.service.task.secrets = { DB_PASSWORD: SECRET })));
            assert.deepStrictEqual(found, [
                "continuity:service.task.secrets.DB_PASSWORD must be the ARN of a Secrets Manager secret (arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>, optionally :<json key>:<version stage>:<version id>) " +
                    "or of an SSM parameter (arn:aws:ssm:<region>:<account>:parameter/<name>) (got a value that is not; not shown, in case it is the secret itself)",
            ]);
        });

        it("refuses a variable set both in plain text and from a secret", () => {
            const settings = edit((s) => {
                s.service.task.environment = { DB_PASSWORD: "x" };
                s.service.task.secrets = { DB_PASSWORD: "arn:aws:ssm:us-west-2:123456789012:parameter/db" };
            });
            assert.deepStrictEqual(problems(settings), [
                "continuity:service.task.secrets.DB_PASSWORD names a variable that continuity:service.task.environment already sets: a container variable comes from one or the other (got \"arn:aws:ssm:us-west-2:123456789012:parameter/db\")",
            ]);
        });

        // Every path by which a bad config is reported, each with a secret in it: none may print it.
        const leaks: [string, Settings, Parameters<typeof raw>[1]][] = [
            ["a secret nested in the service", withDbPassword, { secretKeys: ["continuity:service"] }],
            ["a secret service with bad values too", edit((s) => Object.assign(s.service.task, { cpu: 768, environment: { K: SECRET } })), { secretKeys: ["continuity:service"] }],
            ["a secret regions value", edit((s) => (s.regions = { primary: SECRET, dr: "us-east-1" })), { secretKeys: ["continuity:regions"] }],
            ["a secret environment of an unknown name", edit((s) => (s.environment = SECRET)), { secretKeys: ["continuity:environment"] }],
            ["an unknown secret key", VALID, { extra: { "continuity:dbPassword": SECRET }, secretKeys: ["continuity:dbPassword"] }],
            ["a secret in an unknown namespace", VALID, { extra: { "continuty:dbPassword": SECRET }, secretKeys: ["continuty:dbPassword"] }],
            ["a plaintext key in an unknown namespace", VALID, { extra: { "continuty:service": JSON.stringify({ password: SECRET }) } }],
            ["a webhook that is not https", VALID, { extra: { "continuity:alertWebhookUrl": SECRET }, secretKeys: ["continuity:alertWebhookUrl"] }],
            ["a plaintext webhook", VALID, { extra: { "continuity:alertWebhookUrl": SECRET } }],
            ["plaintext Atlas keys", VALID, { extra: { "mongodbatlas:privateKey": SECRET, "mongodbatlas:publicKey": SECRET } }],
            ["a task secret given as its value", edit((s) => (s.service.task.secrets = { DB_PASSWORD: SECRET })), {}],
        ];
        for (const [what, settings, opts] of leaks) {
            it(`never echoes a secret: ${what}`, () => {
                const found = problems(settings, opts);
                assert.ok(found.length > 0);
                for (const p of found) assert.ok(!p.includes(SECRET) && !p.includes("Sup3r"), `leaked: ${p}`);
            });
        }

        it("names an unknown secret key without its value", () => {
            assert.deepStrictEqual(problems(VALID, { extra: { "continuity:dbPassword": SECRET }, secretKeys: ["continuity:dbPassword"] }), [
                "continuity:dbPassword is not a known setting; the settings are continuity:environment, continuity:regions, continuity:atlas, continuity:alerting, continuity:drills, continuity:storage, continuity:search, continuity:service, continuity:alertWebhookUrl (got a secret value, not shown)",
            ]);
        });
    });

    it("reports several bad keys together, in one error", () => {
        const settings = edit((s) => {
            s.regions.dr = "us-west-2";
            s.atlas.electableNodes = 2;
            s.atlas.backup = { snapshotIntervalHours: 5, retentionDays: 3 };
            s.alerting.emails = ["oncall"];
        });
        let error: ConfigError | undefined;
        try {
            parseConfig(raw(settings));
        } catch (e) {
            error = e as ConfigError;
        }
        assert.ok(error instanceof ConfigError);
        assert.strictEqual(
            error.message,
            [
                "The stack configuration has 4 problems:",
                '  - continuity:regions.dr must differ from continuity:regions.primary (us-west-2) (got "us-west-2")',
                "  - continuity:atlas.electableNodes must be one of 3, 5, 7: a replica set needs an odd number of at least 3 electable nodes (got 2)",
                "  - continuity:atlas.backup.snapshotIntervalHours must be one of 1, 2, 4, 6, 8, 12 (got 5)",
                '  - continuity:alerting.emails[0] must be an e-mail address (got "oncall")',
            ].join("\n"),
        );
    });
});

describe("stack configuration: sizes and drills for the DR plan (infra/config.ts)", () => {
    it("reads sizes per bucket and for the cluster, and the drill months (April and October by default)", () => {
        const c = parseConfig(
            raw(
                edit((s) => {
                    s.atlas.sizeGiB = 200;
                    s.atlas.dailyChangeGiB = 4;
                    s.storage = { buckets: [{ name: "acme-uploads", sizeGiB: 800, dailyChangeGiB: 10 }, { name: "acme-exports" }] };
                }),
            ),
        );
        assert.deepStrictEqual([c.atlas.sizeGiB, c.atlas.dailyChangeGiB], [200, 4]);
        assert.deepStrictEqual(
            c.storage.buckets.map((b) => [b.name, b.sizeGiB, b.dailyChangeGiB]),
            [
                ["acme-uploads", 800, 10],
                ["acme-exports", undefined, undefined],
            ],
        );
        assert.deepStrictEqual(c.drills, { months: [4, 10] });
        assert.deepStrictEqual(parseConfig(raw({ ...VALID, drills: { last: "2026-10-14", months: [3, 9] } })).drills, { last: "2026-10-14", months: [3, 9] });
    });

    it("refuses sizes and drill settings out of range, naming the key and the value", () => {
        assert.deepStrictEqual(
            problems(
                edit((s) => {
                    s.atlas.sizeGiB = 0;
                    s.storage = { buckets: [{ name: "acme-uploads", sizeGiB: 2_000_000, dailyChangeGiB: -1 }] };
                    s.drills = { last: "2026-02-30", months: [4, 13] };
                }),
            ),
            [
                "continuity:atlas.sizeGiB must be a number of GiB above 0, at most 1048576 (1 PiB) (got 0)",
                'continuity:drills.last must be a date written YYYY-MM-DD (got "2026-02-30")',
                "continuity:drills.months[1] must be a whole number from 1 to 12 (got 13)",
                "continuity:storage.buckets[0].sizeGiB must be a number of GiB above 0, at most 1048576 (1 PiB) (got 2000000)",
                "continuity:storage.buckets[0].dailyChangeGiB must be a number of GiB from 0 to 1048576 (1 PiB) (got -1)",
            ],
        );
        assert.deepStrictEqual(problems({ ...VALID, drills: { months: [] } }), ["continuity:drills.months must name at least one month: the plan tests the DR plan twice a year (got [])"]);
        assert.deepStrictEqual(problems({ ...VALID, drills: { months: [4, 4] } }), ["continuity:drills.months must not name a month twice (got [4,4])"]);
        assert.deepStrictEqual(problems({ ...VALID, drills: { next: "2027-04-01" } }), ['continuity:drills.next is not a known setting; the settings here are last, months (got "2027-04-01")']);
    });
});
