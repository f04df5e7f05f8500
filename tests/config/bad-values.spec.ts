import * as assert from "assert";
import { VALID, Settings, edit, weeklyCopyRefused, weeklyScheduleRefused, problems } from "./fixtures";

describe("stack configuration (infra/config.ts)", () => {
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
                edit(
                    (s) =>
                        (s.service.network = {
                            vpcId: "vpc-0a",
                            publicSubnetIds: ["subnet-01"],
                            privateSubnetIds: ["subnet-03", "subnet-04"],
                        }),
                ),
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
                edit(
                    (s) =>
                        (s.atlas.compliancePolicy = {
                            enabled: true,
                            authorizedEmail: "security@example.com",
                            authorizedUserFirstName: "Dana",
                        }),
                ),
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
                edit(
                    (s) =>
                        (s.storage = {
                            buckets: [
                                { name: "uploads-1", dataset: "a" },
                                { name: "uploads-1", dataset: "b" },
                            ],
                        }),
                ),
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
                edit(
                    (s) =>
                        (s.storage = {
                            buckets: [
                                { name: "uploads-1", copy: "replication" },
                                { name: "uploads-2", copy: "weekly" },
                            ],
                        }),
                ),
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
                'continuity:region is not a known setting; the settings are continuity:environment, continuity:regions, continuity:atlas, continuity:alerting, continuity:drills, continuity:storage, continuity:search, continuity:service, continuity:watch, continuity:alertWebhookUrl (got "us-west-2")',
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
});
