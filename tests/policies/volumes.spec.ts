import * as assert from "assert";
import { StackValidationPolicy } from "@pulumi/policy";
import { ebsCrossRegionCopy, ebsSnapshotRetention, efsCrossRegionCopy, volumePolicies, volumeReference } from "../../policies/volumes";
import { backupPlanFor, checkStack, messages, TestResource, UNKNOWN, urnOf } from "../helpers/policy";

type Props = Record<string, unknown>;

/** The messages of a stack policy that ran to the end: an unknown value read outside known() would have skipped it. */
async function judged(policy: StackValidationPolicy, resources: TestResource[], config: Record<string, unknown> = {}): Promise<string[]> {
    const outcome = await checkStack(policy, resources, config);
    assert.strictEqual(outcome.skipped, undefined, `${policy.name} was skipped`);
    return messages(outcome);
}

const backup = backupPlanFor;

const EXEMPT = { "continuity-dr": "none", "continuity-dr-reason": "build cache of the CI runners" };
const REASONLESS = { "continuity-dr": "none" };

// --- EFS ----------------------------------------------------------------------------------------

const fileSystem = (props: Props = {}, name = "shared"): TestResource => ({
    type: "aws:efs/fileSystem:FileSystem",
    name,
    props: { creationToken: name, encrypted: true, region: "us-west-2", ...props },
});

const replication = (
    source: TestResource,
    destination: Props = { region: "us-east-1" },
    extra: Partial<TestResource> = {},
): TestResource => ({
    type: "aws:efs/replicationConfiguration:ReplicationConfiguration",
    name: `${source.name}-replication`,
    props: { sourceFileSystemId: UNKNOWN, destination },
    propertyDependencies: { sourceFileSystemId: [urnOf(source)] },
    ...extra,
});

const backupPolicy = (fs: TestResource, status = "ENABLED"): TestResource => ({
    type: "aws:efs/backupPolicy:BackupPolicy",
    name: `${fs.name}-backup-policy`,
    props: { fileSystemId: UNKNOWN, backupPolicy: { status } },
    propertyDependencies: { fileSystemId: [urnOf(fs)] },
});

const EFS_NONE =
    "The EFS file system 'shared' in us-west-2 has no copy in another region: no aws.efs.ReplicationConfiguration replicates it to another region; no AWS Backup plan of the stack selects it; this environment requires a replication to another region or an AWS Backup copy to a vault in another region.";

// --- EBS ----------------------------------------------------------------------------------------

const volume = (props: Props = {}, name = "data"): TestResource => ({
    type: "aws:ebs/volume:Volume",
    name,
    props: { availabilityZone: "us-west-2a", size: 100, type: "gp3", encrypted: true, tags: { Name: name, Snapshot: "true" }, ...props },
});

const schedule = (props: Props = {}): Props => ({
    name: "daily",
    createRule: { interval: 24, intervalUnit: "HOURS", times: "23:45" },
    retainRule: { count: 14 },
    copyTags: true,
    crossRegionCopyRules: [{ target: "us-east-1", encrypted: true, retainRule: { interval: 30, intervalUnit: "DAYS" } }],
    ...props,
});

const dlm = (details: Props = {}, props: Props = {}, name = "snapshots"): TestResource => ({
    type: "aws:dlm/lifecyclePolicy:LifecyclePolicy",
    name,
    props: {
        description: "daily snapshots",
        executionRoleArn: UNKNOWN,
        state: "ENABLED",
        region: "us-west-2",
        policyDetails: { resourceTypes: ["VOLUME"], targetTags: { Snapshot: "true" }, schedules: [schedule()], ...details },
        ...props,
    },
});

const EXEMPT_HOW =
    "If it only holds a stateless cache, exempt it with the tags continuity-dr = none and continuity-dr-reason, or in this policy's exemptions setting.";
const EBS_NONE = `The EBS volume 'data' in us-west-2 has no snapshot copy in another region: no enabled DLM lifecycle policy (aws.dlm.LifecyclePolicy) targets it by its tags, and no AWS Backup plan of the stack selects it; this environment requires one. ${EXEMPT_HOW}`;
const EBS_NO_COPY = `The EBS volume 'data' in us-west-2 has no snapshot copy in another region: the DLM lifecycle policy 'snapshots' that targets it copies no snapshots to another region, and no AWS Backup plan of the stack selects it; this environment requires one. ${EXEMPT_HOW}`;

describe("volume policies (policies/volumes.ts)", () => {
    it("let an EFS file system replicated to another region and a volume with a DLM cross-Region copy through, every one", async () => {
        const fs = fileSystem();
        for (const p of volumePolicies) {
            assert.deepStrictEqual(await judged(p as StackValidationPolicy, [fs, replication(fs), volume(), dlm()]), [], p.name);
        }
    });

    it("documents every policy, mandatory and guarding data, with anchors", () => {
        assert.deepStrictEqual(
            Object.keys(volumeReference),
            volumePolicies.map((p) => p.name),
        );
        for (const p of volumePolicies) {
            assert.strictEqual(p.enforcementLevel, "mandatory", p.name);
            assert.strictEqual(volumeReference[p.name].protectsData, true, p.name);
        }
    });

    describe("efs-cross-region-copy", () => {
        it("rejects a file system with neither a replication nor a Backup copy, with its URN", async () => {
            const o = await checkStack(efsCrossRegionCopy, [fileSystem()]);
            assert.deepStrictEqual(o.violations, [{ message: EFS_NONE, urn: urnOf(fileSystem()) }]);
        });
        it("says that automatic backups (aws.efs.BackupPolicy) stay in the same region", async () => {
            const fs = fileSystem();
            assert.deepStrictEqual(await judged(efsCrossRegionCopy, [fs, backupPolicy(fs)]), [
                "The EFS file system 'shared' in us-west-2 has no copy in another region: no aws.efs.ReplicationConfiguration replicates it to another region; its automatic backups (aws.efs.BackupPolicy 'shared-backup-policy') go to AWS Backup's default EFS plan in the same region, which copies nothing to another region; no AWS Backup plan of the stack selects it; this environment requires a replication to another region or an AWS Backup copy to a vault in another region.",
            ]);
            assert.deepStrictEqual(await judged(efsCrossRegionCopy, [fs, backupPolicy(fs, "DISABLED")]), [EFS_NONE]);
        });
        it("rejects a replication within the file system's own region, named or implied", async () => {
            const fs = fileSystem();
            const within =
                "The EFS file system 'shared' in us-west-2 has no copy in another region: its replication 'shared-replication' copies it within us-west-2; no AWS Backup plan of the stack selects it; this environment requires a replication to another region or an AWS Backup copy to a vault in another region.";
            assert.deepStrictEqual(await judged(efsCrossRegionCopy, [fs, replication(fs, { region: "us-west-2" })]), [within]);
            assert.deepStrictEqual(await judged(efsCrossRegionCopy, [fs, replication(fs, { availabilityZoneName: "us-west-2b" })]), [
                within,
            ]);
        });
        it("does not count a replication of another file system", async () => {
            const [fs, other] = [fileSystem(), fileSystem({}, "scratch")];
            assert.deepStrictEqual(await judged(efsCrossRegionCopy, [fs, other, replication(other)]), [EFS_NONE]);
        });
        it("takes the destination file system of a replication as a copy, and its region when the replication names none", async () => {
            const fs = fileSystem();
            const replica = fileSystem({ region: "us-east-1", protection: { replicationOverwrite: "DISABLED" } }, "shared-replica");
            const r = replication(
                fs,
                { fileSystemId: UNKNOWN },
                { propertyDependencies: { sourceFileSystemId: [urnOf(fs)], destination: [urnOf(replica)] } },
            );
            assert.deepStrictEqual(await judged(efsCrossRegionCopy, [fs, replica, r]), []);
        });
        it("counts an unknown destination region, or a replication whose source is unknown and unlinked, in the stack's favour", async () => {
            const fs = fileSystem();
            assert.deepStrictEqual(await judged(efsCrossRegionCopy, [fs, replication(fs, { region: UNKNOWN })]), []);
            assert.deepStrictEqual(await judged(efsCrossRegionCopy, [fs, replication(fs, UNKNOWN as unknown as Props)]), []);
            assert.deepStrictEqual(
                await judged(efsCrossRegionCopy, [fs, replication(fs, { region: "us-east-1" }, { propertyDependencies: {} })]),
                [],
            );
            // A known ID that is not this file system's: a file system outside the stack.
            const foreign = replication(
                fs,
                { region: "us-east-1" },
                { props: { sourceFileSystemId: "fs-0123456789abcdef0", destination: { region: "us-east-1" } }, propertyDependencies: {} },
            );
            assert.deepStrictEqual(await judged(efsCrossRegionCopy, [fs, foreign]), [EFS_NONE]);
        });
        it("accepts an AWS Backup plan that copies to a vault in another region, and names one that does not", async () => {
            const fs = fileSystem();
            assert.deepStrictEqual(await judged(efsCrossRegionCopy, [fs, ...backup(fs, "us-east-1")]), []);
            assert.deepStrictEqual(await judged(efsCrossRegionCopy, [fs, ...backup(fs)]), [
                "The EFS file system 'shared' in us-west-2 has no copy in another region: no aws.efs.ReplicationConfiguration replicates it to another region; the AWS Backup plan 'backup' that selects it has no copy action to a vault in another region; this environment requires a replication to another region or an AWS Backup copy to a vault in another region.",
            ]);
        });
        it("honours tag and config exemptions with reasons only", async () => {
            assert.deepStrictEqual(await judged(efsCrossRegionCopy, [fileSystem({ tags: EXEMPT })]), []);
            assert.deepStrictEqual(await judged(efsCrossRegionCopy, [fileSystem({ tags: REASONLESS })]), [EFS_NONE]);
            assert.deepStrictEqual(
                await judged(efsCrossRegionCopy, [fileSystem()], {
                    exemptions: [{ type: "aws:efs/fileSystem:FileSystem", name: "shared" }],
                }),
                [
                    "The exemption from 'efs-cross-region-copy' for type aws:efs/fileSystem:FileSystem, name shared gives no reason; an exemption needs one, so this one exempts nothing.",
                    EFS_NONE,
                ],
            );
            assert.deepStrictEqual(
                await judged(efsCrossRegionCopy, [fileSystem()], {
                    exemptions: [{ name: "sha*", reason: "scratch space of the render farm" }],
                }),
                [],
            );
        });
    });

    describe("ebs-cross-region-copy", () => {
        it("rejects a volume with neither a DLM copy nor a Backup copy, with its URN and how to exempt a cache", async () => {
            const o = await checkStack(ebsCrossRegionCopy, [volume()]);
            assert.deepStrictEqual(o.violations, [{ message: EBS_NONE, urn: urnOf(volume()) }]);
        });
        it("names the DLM policy that targets the volume but copies nothing to another region", async () => {
            assert.deepStrictEqual(
                await judged(ebsCrossRegionCopy, [volume(), dlm({ schedules: [schedule({ crossRegionCopyRules: undefined })] })]),
                [EBS_NO_COPY],
            );
            assert.deepStrictEqual(
                await judged(ebsCrossRegionCopy, [
                    volume(),
                    dlm({ schedules: [schedule({ crossRegionCopyRules: [{ target: "us-west-2", encrypted: true }] })] }),
                ]),
                [EBS_NO_COPY],
            );
            // An Outpost ARN is no other region.
            const outpost = { target: "arn:aws:outposts:us-west-2:123456789012:outpost/op-0123456789abcdef0", encrypted: true };
            assert.deepStrictEqual(
                await judged(ebsCrossRegionCopy, [volume(), dlm({ schedules: [schedule({ crossRegionCopyRules: [outpost] })] })]),
                [EBS_NO_COPY],
            );
        });
        it("does not count a DLM policy whose tags, resource types, state or region miss the volume", async () => {
            for (const policy of [
                dlm({ targetTags: { Snapshot: "false" } }),
                dlm({ resourceTypes: ["INSTANCE"] }),
                dlm({}, { state: "DISABLED" }),
                dlm({}, { region: "eu-west-1" }),
                dlm({ policyType: "EVENT_BASED_POLICY" }),
            ]) {
                assert.deepStrictEqual(await judged(ebsCrossRegionCopy, [volume(), policy]), [EBS_NONE], JSON.stringify(policy.props));
            }
        });
        it("matches any one of the target tags, as DLM does, and accepts the legacy targetRegion", async () => {
            assert.deepStrictEqual(
                await judged(ebsCrossRegionCopy, [volume(), dlm({ targetTags: { Backup: "daily", Snapshot: "true" } })]),
                [],
            );
            assert.deepStrictEqual(
                await judged(ebsCrossRegionCopy, [
                    volume(),
                    dlm({ schedules: [schedule({ crossRegionCopyRules: [{ targetRegion: "us-east-2", encrypted: true }] })] }),
                ]),
                [],
            );
        });
        it("accepts an INSTANCE policy whose tags match the instance the volume is attached to", async () => {
            const instance: TestResource = {
                type: "aws:ec2/instance:Instance",
                name: "db-host",
                props: { ami: "ami-0123", instanceType: "m7g.large", tags: { Snapshot: "true" } },
            };
            const v = volume({ tags: { Name: "data" } });
            const attachment: TestResource = {
                type: "aws:ec2/volumeAttachment:VolumeAttachment",
                name: "data-attachment",
                props: { deviceName: "/dev/sdf", volumeId: UNKNOWN, instanceId: UNKNOWN },
                propertyDependencies: { volumeId: [urnOf(v)], instanceId: [urnOf(instance)] },
            };
            const policy = dlm({ resourceTypes: ["INSTANCE"] });
            assert.deepStrictEqual(await judged(ebsCrossRegionCopy, [v, instance, attachment, policy]), []);
            assert.deepStrictEqual(await judged(ebsCrossRegionCopy, [v, instance, policy]), [EBS_NONE]);
            const excluded = dlm({ resourceTypes: ["INSTANCE"], parameters: { excludeDataVolumeTags: { Name: "data" } } });
            assert.deepStrictEqual(await judged(ebsCrossRegionCopy, [v, instance, attachment, excluded]), [EBS_NONE]);
        });
        it("counts unknown tags, copy targets and schedules in the stack's favour at preview", async () => {
            assert.deepStrictEqual(await judged(ebsCrossRegionCopy, [volume({ tags: UNKNOWN }), dlm()]), []);
            assert.deepStrictEqual(await judged(ebsCrossRegionCopy, [volume({ tags: { Snapshot: UNKNOWN } }), dlm()]), []);
            assert.deepStrictEqual(await judged(ebsCrossRegionCopy, [volume(), dlm({ targetTags: UNKNOWN })]), []);
            assert.deepStrictEqual(await judged(ebsCrossRegionCopy, [volume(), dlm({ schedules: UNKNOWN })]), []);
            assert.deepStrictEqual(
                await judged(ebsCrossRegionCopy, [
                    volume(),
                    dlm({ schedules: [schedule({ crossRegionCopyRules: [{ target: UNKNOWN, encrypted: true }] })] }),
                ]),
                [],
            );
            assert.deepStrictEqual(await judged(ebsCrossRegionCopy, [volume(), dlm(UNKNOWN as unknown as Props)]), []);
        });
        it("does not count a default policy, which this provider cannot give cross-Region copy targets", async () => {
            const defaultPolicy = dlm(
                {
                    policyLanguage: "SIMPLIFIED",
                    resourceType: "VOLUME",
                    createInterval: 1,
                    retainInterval: 7,
                    schedules: undefined,
                    resourceTypes: undefined,
                    targetTags: undefined,
                },
                { defaultPolicy: "VOLUME" },
            );
            assert.deepStrictEqual(await judged(ebsCrossRegionCopy, [volume(), defaultPolicy]), [EBS_NONE]);
        });
        it("accepts an AWS Backup plan that copies to a vault in another region", async () => {
            const v = volume();
            assert.deepStrictEqual(await judged(ebsCrossRegionCopy, [v, ...backup(v, "us-east-1")]), []);
            assert.deepStrictEqual(await judged(ebsCrossRegionCopy, [v, ...backup(v)]), [
                `The EBS volume 'data' in us-west-2 has no snapshot copy in another region: no enabled DLM lifecycle policy (aws.dlm.LifecyclePolicy) targets it by its tags, and the AWS Backup plan 'backup' that selects it has no copy action to a vault in another region; this environment requires one. ${EXEMPT_HOW}`,
            ]);
        });
        it("exempts a stateless cache volume by tag with a reason or by config with a reason, and only so", async () => {
            assert.deepStrictEqual(await judged(ebsCrossRegionCopy, [volume({ tags: EXEMPT })]), []);
            assert.deepStrictEqual(await judged(ebsCrossRegionCopy, [volume({ tags: REASONLESS })]), [EBS_NONE]);
            assert.deepStrictEqual(
                await judged(ebsCrossRegionCopy, [volume()], { exemptions: [{ type: "aws:ebs/volume:Volume", reason: "" }] }),
                [
                    "The exemption from 'ebs-cross-region-copy' for type aws:ebs/volume:Volume gives no reason; an exemption needs one, so this one exempts nothing.",
                    EBS_NONE,
                ],
            );
            assert.deepStrictEqual(
                await judged(ebsCrossRegionCopy, [volume()], {
                    exemptions: [{ type: "aws:ebs/volume:Volume", name: "data", reason: "page cache of the render nodes" }],
                }),
                [],
            );
        });
    });

    describe("ebs-snapshot-retention", () => {
        it("accepts 14 daily snapshots kept and copies kept 30 days against the default of 7", async () => {
            assert.deepStrictEqual(await judged(ebsSnapshotRetention, [volume(), dlm()]), []);
        });
        it("rejects snapshots kept too few days, by count of the interval or by age, with its URN", async () => {
            const o = await checkStack(ebsSnapshotRetention, [volume(), dlm({ schedules: [schedule({ retainRule: { count: 3 } })] })]);
            assert.deepStrictEqual(o.violations, [
                {
                    message:
                        "The EBS volume 'data' keeps its snapshots 3 days (DLM lifecycle policy 'snapshots'); this environment requires at least 7.",
                    urn: urnOf(volume()),
                },
            ]);
            assert.deepStrictEqual(
                await judged(ebsSnapshotRetention, [
                    volume(),
                    dlm({ schedules: [schedule({ createRule: { interval: 12, intervalUnit: "HOURS" }, retainRule: { count: 10 } })] }),
                ]),
                [
                    "The EBS volume 'data' keeps its snapshots 5 days (DLM lifecycle policy 'snapshots'); this environment requires at least 7.",
                ],
            );
            assert.deepStrictEqual(
                await judged(ebsSnapshotRetention, [
                    volume(),
                    dlm({ schedules: [schedule({ retainRule: { interval: 2, intervalUnit: "WEEKS" } })] }),
                ]),
                [],
            );
        });
        it("rejects copies in another region kept too few days, and reads the minimum from the config", async () => {
            const short = [
                volume(),
                dlm({
                    schedules: [
                        schedule({
                            crossRegionCopyRules: [
                                { target: "us-east-1", encrypted: true, retainRule: { interval: 3, intervalUnit: "DAYS" } },
                            ],
                        }),
                    ],
                }),
            ];
            assert.deepStrictEqual(await judged(ebsSnapshotRetention, short), [
                "The EBS volume 'data' keeps its snapshot copies in another region 3 days (DLM lifecycle policy 'snapshots'); this environment requires at least 7.",
            ]);
            assert.deepStrictEqual(await judged(ebsSnapshotRetention, short, { minRetentionDays: 3 }), []);
            assert.deepStrictEqual(await judged(ebsSnapshotRetention, [volume(), dlm()], { minRetentionDays: 30 }), [
                "The EBS volume 'data' keeps its snapshots 14 days (DLM lifecycle policy 'snapshots'); this environment requires at least 30.",
            ]);
        });
        it("reads a count of a daily cron schedule as that many days, and says when it cannot read a retention", async () => {
            const cron = (expression: string) => [
                volume(),
                dlm({ schedules: [schedule({ createRule: { cronExpression: expression }, retainRule: { count: 3 } })] }),
            ];
            assert.deepStrictEqual(await judged(ebsSnapshotRetention, cron("cron(0 5 ? * * *)")), [
                "The EBS volume 'data' keeps its snapshots 3 days (DLM lifecycle policy 'snapshots'); this environment requires at least 7.",
            ]);
            assert.deepStrictEqual(await judged(ebsSnapshotRetention, cron("cron(0 5 ? * MON *)")), [
                "The EBS volume 'data' keeps its snapshots for a time this guard cannot read (DLM lifecycle policy 'snapshots': give its retain rule an interval and unit); this environment requires at least 7.",
            ]);
        });
        it("lets an AWS Backup rule covering the volume count, kept long enough", async () => {
            const v = volume();
            const shortDlm = dlm({ schedules: [schedule({ retainRule: { count: 3 } })] });
            assert.deepStrictEqual(await judged(ebsSnapshotRetention, [v, shortDlm, ...backup(v, "us-east-1", 35)]), []);
            assert.deepStrictEqual(await judged(ebsSnapshotRetention, [v, ...backup(v, "us-east-1", 5)]), [
                "The EBS volume 'data' keeps its snapshots 5 days (AWS Backup plan 'backup'); this environment requires at least 7.",
                "The EBS volume 'data' keeps its snapshot copies in another region 5 days (AWS Backup plan 'backup'); this environment requires at least 7.",
            ]);
        });
        it("leaves a volume with no snapshots to ebs-cross-region-copy, and counts unknown retention in the stack's favour", async () => {
            assert.deepStrictEqual(await judged(ebsSnapshotRetention, [volume()]), []);
            assert.deepStrictEqual(
                await judged(ebsSnapshotRetention, [volume(), dlm({ schedules: [schedule({ retainRule: { count: UNKNOWN } })] })]),
                [],
            );
            assert.deepStrictEqual(
                await judged(ebsSnapshotRetention, [
                    volume(),
                    dlm({ schedules: [schedule({ retainRule: { count: 1 }, crossRegionCopyRules: UNKNOWN })] }),
                ]),
                [
                    "The EBS volume 'data' keeps its snapshots 1 day (DLM lifecycle policy 'snapshots'); this environment requires at least 7.",
                ],
            );
            assert.deepStrictEqual(await judged(ebsSnapshotRetention, [volume(), dlm({ schedules: UNKNOWN })]), []);
        });
        it("honours tag and config exemptions with reasons only", async () => {
            const short = dlm({ schedules: [schedule({ retainRule: { count: 3 } })] });
            const message =
                "The EBS volume 'data' keeps its snapshots 3 days (DLM lifecycle policy 'snapshots'); this environment requires at least 7.";
            assert.deepStrictEqual(await judged(ebsSnapshotRetention, [volume({ tags: { ...EXEMPT, Snapshot: "true" } }), short]), []);
            assert.deepStrictEqual(await judged(ebsSnapshotRetention, [volume({ tags: { ...REASONLESS, Snapshot: "true" } }), short]), [
                message,
            ]);
            assert.deepStrictEqual(await judged(ebsSnapshotRetention, [volume(), short], { exemptions: [{ name: "data" }] }), [
                "The exemption from 'ebs-snapshot-retention' for name data gives no reason; an exemption needs one, so this one exempts nothing.",
                message,
            ]);
            assert.deepStrictEqual(
                await judged(ebsSnapshotRetention, [volume(), short], {
                    exemptions: [{ name: "data", reason: "scratch volume of the batch jobs" }],
                }),
                [],
            );
        });
    });
});
