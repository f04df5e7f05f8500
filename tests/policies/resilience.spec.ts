import * as assert from "assert";
import { drRecoveryObjectives } from "../../policies/resilience";
import { AtlasTypes } from "../../policies/atlas";
import { checkStack, messages, TestResource, UNKNOWN, urnOf } from "../helpers/policy";

type Props = Record<string, unknown>;

/** An Atlas cluster as another team declares it: three electable nodes in us-west-2, point-in-time restore off. */
const cluster = (props: Props = {}): TestResource => ({
    type: AtlasTypes.advancedCluster,
    name: "orders-db",
    props: {
        name: "orders",
        projectId: "p1",
        clusterType: "REPLICASET",
        backupEnabled: true,
        pitEnabled: false,
        replicationSpecs: [
            {
                regionConfigs: [
                    {
                        providerName: "AWS",
                        regionName: "US_WEST_2",
                        priority: 7,
                        electableSpecs: { instanceSize: "M30", nodeCount: 3, diskSizeGb: 40 },
                    },
                ],
            },
        ],
        ...props,
    },
});

/** Snapshots every 6 hours kept 7 days, weekly ones kept 4 weeks; copies to us-east-1 of the items given. */
const schedule = (copied: string[], props: Props = {}): TestResource => ({
    type: AtlasTypes.backupSchedule,
    name: "orders-backup",
    props: {
        projectId: "p1",
        clusterName: "orders",
        policyItemHourly: { frequencyInterval: 6, retentionUnit: "days", retentionValue: 7 },
        policyItemWeeklies: [{ frequencyInterval: 6, retentionUnit: "weeks", retentionValue: 4 }],
        copySettings: [
            {
                cloudProvider: "AWS",
                regionName: "US_EAST_1",
                shouldCopyOplogs: false,
                copyPolicyItems: copied.map((f) => ({ frequencyType: f, retentionUnit: "days", retentionValue: f === "weekly" ? 28 : 7 })),
            },
        ],
        ...props,
    },
});

const bucket = (name: string, region: string, props: Props = {}): TestResource => ({
    type: "aws:s3/bucketV2:BucketV2",
    name,
    props: { bucket: name, region, ...props },
});

async function judged(resources: TestResource[], config: Record<string, unknown> = {}): Promise<string[]> {
    const outcome = await checkStack(drRecoveryObjectives, resources, config);
    assert.strictEqual(outcome.skipped, undefined, "dr-recovery-objectives was skipped");
    return messages(outcome);
}

describe("dr-recovery-objectives (policies/resilience.ts)", () => {
    it("fails a database whose snapshots reach another region only weekly", async () => {
        assert.deepStrictEqual(await judged([cluster(), schedule(["weekly"])]), [
            "The Atlas cluster 'orders-db' misses its database targets for the primary region lost: RPO 170 h against a target of 8 h. " +
                "Atlas snapshot copies in us-east-1: a point every 168 h + 2 h to arrive → up to 170 h lost; a new cluster in the copy region 30 min + 40 GiB at 200 GiB/h 12 min → RTO ≈ 42 min.",
        ]);
    });

    it("lets the same database through when its 6-hourly snapshots are copied too (6 h + 2 h = the 8 h target)", async () => {
        assert.deepStrictEqual(await judged([cluster(), schedule(["hourly", "weekly"])]), []);
    });

    it("fails a bucket without versioning or a copy elsewhere for a lost region and for deleted data", async () => {
        assert.deepStrictEqual(await judged([bucket("invoices", "us-west-2")]), [
            "The S3 bucket 'invoices' misses its objects targets for the primary region lost: RPO unbounded against a target of 168 h; RTO unbounded against a target of 72 h. No copy outside us-west-2: the data is lost with the region.",
            "The S3 bucket 'invoices' misses its objects targets for data corrupted or deleted by software or a person: RPO unbounded against a target of 24 h; RTO unbounded against a target of 72 h. No recovery points (snapshots, versions, point-in-time restore): a deletion or corruption is final.",
        ]);
    });

    it("lets a versioned bucket replicated to another region through, and judges targets from the config", async () => {
        const source = bucket("invoices", "us-west-2");
        const copy = bucket("invoices-dr", "us-east-1");
        const stack: TestResource[] = [
            source,
            copy,
            {
                type: "aws:s3/bucketVersioningV2:BucketVersioningV2",
                name: "invoices-versioning",
                props: { bucket: "invoices", versioningConfiguration: { status: "Enabled" } },
            },
            {
                type: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
                name: "invoices-replication",
                props: {
                    bucket: "invoices",
                    role: "arn:aws:iam::1:role/r",
                    rules: [
                        {
                            id: "all",
                            status: "Enabled",
                            filter: {},
                            destination: { bucket: "arn:aws:s3:::invoices-dr", storageClass: "DEEP_ARCHIVE" },
                        },
                    ],
                },
            },
        ];
        assert.deepStrictEqual(await judged(stack), []);
        // A team that wants the data back within 6 hours after losing the region: Deep Archive's retrieval alone takes 12.
        assert.deepStrictEqual(await judged(stack, { stores: [{ name: "invoices", targets: { region: { rpoHours: 4, rtoHours: 6 } } }] }), [
            "The S3 bucket 'invoices' misses its objects targets for the primary region lost: RTO 12.5 h against a target of 6 h. " +
                "S3 replication into DEEP_ARCHIVE in us-east-1: continuous + 2 h to arrive → up to 2 h lost; DEEP_ARCHIVE standard retrieval 12 h + 500 GiB at 1000 GiB/h 30 min → RTO ≈ 12.5 h.",
        ]);
    });

    it("sizes a store from its tags before the settings and the resource", async () => {
        const tagged = cluster({ tags: [{ key: "continuity-size-gib", value: "2000" }] });
        assert.deepStrictEqual(await judged([tagged, schedule(["hourly", "weekly"])]), []);
        assert.deepStrictEqual(
            await judged([tagged, schedule(["hourly", "weekly"])], { targets: { database: { region: { rpoHours: 8, rtoHours: 6 } } } }),
            [
                "The Atlas cluster 'orders-db' misses its database targets for the primary region lost: RTO 10.5 h against a target of 6 h. " +
                    "Atlas snapshot copies in us-east-1: a point every 6 h + 2 h to arrive → up to 8 h lost; a new cluster in the copy region 30 min + 2000 GiB at 200 GiB/h 10 h → RTO ≈ 10.5 h.",
            ],
        );
    });

    it("counts a copy region unknown at preview as another region (judged again at pulumi up)", async () => {
        const unknownRegion = schedule(["hourly", "weekly"], {
            copySettings: [
                {
                    cloudProvider: "AWS",
                    regionName: UNKNOWN,
                    shouldCopyOplogs: false,
                    copyPolicyItems: [{ frequencyType: "hourly", retentionUnit: "days", retentionValue: 7 }],
                },
            ],
        });
        assert.deepStrictEqual(await judged([cluster(), unknownRegion]), []);
    });

    it("leaves an exempted store alone, and reports an exemption without a reason", async () => {
        const scratch = bucket("scratch", "us-west-2", {
            tags: { "continuity-dr": "none", "continuity-dr-reason": "build cache rebuilt by CI" },
        });
        assert.deepStrictEqual(await judged([scratch]), []);
        assert.deepStrictEqual(await judged([bucket("scratch", "us-west-2")], { exemptions: [{ name: "scratch" }] }), [
            "The exemption from 'dr-recovery-objectives' for name scratch gives no reason; an exemption needs one, so this one exempts nothing.",
            "The S3 bucket 'scratch' misses its objects targets for the primary region lost: RPO unbounded against a target of 168 h; RTO unbounded against a target of 72 h. No copy outside us-west-2: the data is lost with the region.",
            "The S3 bucket 'scratch' misses its objects targets for data corrupted or deleted by software or a person: RPO unbounded against a target of 24 h; RTO unbounded against a target of 72 h. No recovery points (snapshots, versions, point-in-time restore): a deletion or corruption is final.",
        ]);
    });

    it("names the store's URN on each violation", async () => {
        const outcome = await checkStack(drRecoveryObjectives, [bucket("invoices", "us-west-2")]);
        assert.deepStrictEqual(
            outcome.violations.map((v) => v.urn),
            [urnOf(bucket("invoices", "us-west-2")), urnOf(bucket("invoices", "us-west-2"))],
        );
    });
});
