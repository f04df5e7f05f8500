import * as assert from "assert";
import { databaseBackupRetention, databaseMultiAz, databasePolicies, databaseReference } from "../../../policies/databases";
import { checkStack, messages, TestResource, UNKNOWN, urnOf } from "../../helpers/policy";
import {
    instance,
    orders,
    cluster,
    member,
    auroraGlobal,
    docdb,
    backupOf,
    compliant,
    withProps,
    patch,
    EXEMPT,
    reasonless,
    REASONLESS,
} from "./fixtures";

describe("database policies (policies/databases.ts)", () => {
    it("let a stack with a replicated RDS instance, global Aurora and Neptune, and DocumentDB copied by AWS Backup through, every one", async () => {
        for (const p of databasePolicies) assert.deepStrictEqual(await checkStack(p, compliant()), { violations: [] }, p.name);
    });

    it("describe every policy in the reference, with anchors", () => {
        assert.deepStrictEqual(Object.keys(databaseReference).sort(), databasePolicies.map((p) => p.name).sort());
        for (const [name, ref] of Object.entries(databaseReference)) {
            assert.ok(ref.protectsData, name);
            assert.match(ref.anchors, /CKV_AWS_\d+|AWS Config|^none: /, name);
        }
    });

    describe("database-backup-retention", () => {
        it("reads an unset retention as the AWS default of 1 day, with the instance's URN", async () => {
            const o = await checkStack(databaseBackupRetention, [orders({ backupRetentionPeriod: undefined })]);
            assert.deepStrictEqual(o.violations, [
                {
                    message:
                        "The RDS instance 'orders' keeps automated backups 1 day (backupRetentionPeriod unset: the AWS default); this environment requires at least 7 days.",
                    urn: urnOf(orders()),
                },
            ]);
        });
        it("rejects backups turned off, and a DocumentDB cluster kept 3 days", async () => {
            const rs = [orders({ backupRetentionPeriod: 0 }), docdb({ backupRetentionPeriod: 3 })];
            assert.deepStrictEqual(messages(await checkStack(databaseBackupRetention, rs)), [
                "The RDS instance 'orders' has automated backups turned off (backupRetentionPeriod 0); this environment requires at least 7 days.",
                "The DocumentDB cluster 'profiles' keeps automated backups 3 days; this environment requires at least 7 days.",
            ]);
        });
        it("reads an unset cluster retention as the provider's default of 1 day", async () => {
            const graph = cluster("graph", { engine: "neptune", backupRetentionPeriod: undefined }, "aws:neptune/cluster:Cluster");
            assert.deepStrictEqual(messages(await checkStack(databaseBackupRetention, [graph])), [
                "The Neptune cluster 'graph' keeps automated backups 1 day (backupRetentionPeriod unset: the AWS default); this environment requires at least 7 days.",
            ]);
        });
        it("takes the environment's minimum from its config", async () => {
            const rs = [docdb({ backupRetentionPeriod: 3 })];
            assert.deepStrictEqual(messages(await checkStack(databaseBackupRetention, rs, { minRetentionDays: 3 })), []);
            assert.deepStrictEqual(messages(await checkStack(databaseBackupRetention, rs, { minRetentionDays: 4 })), [
                "The DocumentDB cluster 'profiles' keeps automated backups 3 days; this environment requires at least 4 days.",
            ]);
        });
        it("counts an AWS Backup rule that selects the database and keeps its recovery points long enough, and names one that does not", async () => {
            const short = orders({ backupRetentionPeriod: 1 });
            assert.deepStrictEqual(messages(await checkStack(databaseBackupRetention, [short, ...backupOf(short, undefined, 35)])), []);
            assert.deepStrictEqual(messages(await checkStack(databaseBackupRetention, [short, ...backupOf(short, undefined, 3)])), [
                "The RDS instance 'orders' keeps automated backups 1 day, and the AWS Backup plan 'orders-plan' that selects it keeps recovery points 3 days; this environment requires at least 7 days.",
            ]);
        });
        it("at preview, counts an unknown retention or an unknown Backup rule in the stack's favour, without skipping the policy", async () => {
            assert.deepStrictEqual(await checkStack(databaseBackupRetention, [orders({ backupRetentionPeriod: UNKNOWN })]), {
                violations: [],
            });
            const short = orders({ backupRetentionPeriod: 1 });
            const rs = patch([short, ...backupOf(short, undefined)], "orders-plan", { rules: UNKNOWN });
            assert.deepStrictEqual(await checkStack(databaseBackupRetention, rs), { violations: [] });
        });
        it("asks no backups of a read replica or a global secondary, nor of an RDS instance of an Aurora cluster", async () => {
            const replica = instance("orders-replica", { replicateSourceDb: "orders", backupRetentionPeriod: 0 });
            const auroraMember = instance("legacy-member", { engine: "aurora-mysql", backupRetentionPeriod: 0 });
            const rs = [orders(), replica, auroraMember, ...patch(auroraGlobal(), "catalog-dr", { backupRetentionPeriod: 1 })];
            assert.deepStrictEqual(messages(await checkStack(databaseBackupRetention, rs)), []);
        });
        it("does not take a secondary for a copy when its global cluster shows no primary: both are judged", async () => {
            // No source cluster, no dependency between the members, master credentials on neither.
            const rs = auroraGlobal().map((r) =>
                r.name === "catalog-dr"
                    ? { ...withProps(r, { backupRetentionPeriod: 1 }), dependencies: [] }
                    : r.name === "catalog"
                      ? withProps(r, { masterUsername: undefined, masterPassword: undefined, backupRetentionPeriod: 2 })
                      : r,
            );
            assert.deepStrictEqual(messages(await checkStack(databaseBackupRetention, rs)), [
                "The RDS cluster 'catalog' keeps automated backups 2 days; this environment requires at least 7 days.",
                "The RDS cluster 'catalog-dr' keeps automated backups 1 day; this environment requires at least 7 days.",
            ]);
        });
        it("exempts a database tagged with a reason; a config entry without one is a violation and exempts nothing", async () => {
            assert.deepStrictEqual(
                messages(await checkStack(databaseBackupRetention, [orders({ backupRetentionPeriod: 1, tags: EXEMPT })])),
                [],
            );
            assert.deepStrictEqual(
                messages(await checkStack(databaseBackupRetention, [orders({ backupRetentionPeriod: 1 })], REASONLESS)),
                [
                    reasonless("database-backup-retention"),
                    "The RDS instance 'orders' keeps automated backups 1 day; this environment requires at least 7 days.",
                ],
            );
        });
    });

    describe("database-multi-az", () => {
        it("rejects a single-AZ RDS instance, unset or false, with its URN", async () => {
            const o = await checkStack(databaseMultiAz, [
                orders({ multiAz: undefined }),
                withProps({ ...orders(), name: "billing" }, { identifier: "billing", multiAz: false }),
            ]);
            assert.deepStrictEqual(o.violations, [
                {
                    message:
                        "The RDS instance 'orders' runs in one Availability Zone (multiAz is unset); this environment requires a Multi-AZ deployment, with a standby in another zone.",
                    urn: urnOf(orders()),
                },
                {
                    message:
                        "The RDS instance 'billing' runs in one Availability Zone (multiAz is false); this environment requires a Multi-AZ deployment, with a standby in another zone.",
                    urn: urnOf({ ...orders(), name: "billing" }),
                },
            ]);
        });
        it("rejects an Aurora cluster with one instance, and a Neptune cluster with none", async () => {
            const catalog = cluster("catalog");
            const graph = cluster("graph", { engine: "neptune" }, "aws:neptune/cluster:Cluster");
            assert.deepStrictEqual(messages(await checkStack(databaseMultiAz, [catalog, member(catalog, 1), graph])), [
                "The RDS cluster 'catalog' has 1 instance (aws.rds.ClusterInstance); this environment requires at least 2 in at least 2 Availability Zones, so that a replica takes over when the writer's zone fails.",
                "The Neptune cluster 'graph' has 0 instances (aws.neptune.ClusterInstance); this environment requires at least 2 in at least 2 Availability Zones, so that a replica takes over when the writer's zone fails.",
            ]);
        });
        it("rejects instances the program pins into one zone, and accepts unset zones (RDS spreads the first three)", async () => {
            const profiles = docdb();
            const pinned = [
                profiles,
                member(profiles, 1, { availabilityZone: "us-west-2a" }),
                member(profiles, 2, { availabilityZone: "us-west-2a" }),
            ];
            assert.deepStrictEqual(messages(await checkStack(databaseMultiAz, pinned)), [
                "The DocumentDB cluster 'profiles' has its 2 instances in 1 Availability Zone (us-west-2a); this environment requires at least 2.",
            ]);
            assert.deepStrictEqual(
                messages(await checkStack(databaseMultiAz, patch(pinned, "profiles-2", { availabilityZone: undefined }))),
                [],
            );
        });
        it("links instances by a cluster identifier known at preview, and not another cluster's instances", async () => {
            const catalog = cluster("catalog");
            const other = cluster("search");
            const byName = (n: number): TestResource => ({
                ...member(catalog, n),
                props: { ...member(catalog, n).props, clusterIdentifier: "catalog" },
                propertyDependencies: {},
            });
            assert.deepStrictEqual(messages(await checkStack(databaseMultiAz, [catalog, byName(1), byName(2)])), []);
            assert.deepStrictEqual(
                messages(await checkStack(databaseMultiAz, [catalog, member(catalog, 1), other, member(other, 1), member(other, 2)])),
                [
                    "The RDS cluster 'catalog' has 1 instance (aws.rds.ClusterInstance); this environment requires at least 2 in at least 2 Availability Zones, so that a replica takes over when the writer's zone fails.",
                ],
            );
        });
        it("takes a Multi-AZ DB cluster (postgres with a DB cluster instance class) as multi-AZ by construction", async () => {
            const c = cluster("ledger", {
                engine: "postgres",
                dbClusterInstanceClass: "db.m6gd.large",
                storageType: "io1",
                allocatedStorage: 100,
                iops: 1000,
            });
            assert.deepStrictEqual(messages(await checkStack(databaseMultiAz, [c])), []);
        });
        it("at preview, counts an unknown multiAz, zone or instance link in the stack's favour", async () => {
            assert.deepStrictEqual(await checkStack(databaseMultiAz, [orders({ multiAz: UNKNOWN })]), { violations: [] });
            const catalog = cluster("catalog");
            const unlinked: TestResource = { ...member(catalog, 2), propertyDependencies: {} };
            assert.deepStrictEqual(await checkStack(databaseMultiAz, [catalog, member(catalog, 1), unlinked]), { violations: [] });
            const zones = [
                catalog,
                member(catalog, 1, { availabilityZone: "us-west-2a" }),
                member(catalog, 2, { availabilityZone: UNKNOWN }),
            ];
            assert.deepStrictEqual(await checkStack(databaseMultiAz, zones), { violations: [] });
        });
        it("takes its minimums from config", async () => {
            const catalog = cluster("catalog");
            const rs = [catalog, member(catalog, 1), member(catalog, 2)];
            assert.deepStrictEqual(messages(await checkStack(databaseMultiAz, rs, { minInstances: 3, minZones: 3 })), [
                "The RDS cluster 'catalog' has 2 instances (aws.rds.ClusterInstance); this environment requires at least 3 in at least 3 Availability Zones, so that a replica takes over when the writer's zone fails.",
            ]);
        });
        it("asks no zones of a headless global secondary or a read replica", async () => {
            const replica = instance("orders-replica", { replicateSourceDb: UNKNOWN, region: "us-east-1" });
            assert.deepStrictEqual(
                messages(
                    await checkStack(databaseMultiAz, [
                        orders(),
                        { ...replica, propertyDependencies: { replicateSourceDb: [urnOf(orders())] } },
                        ...auroraGlobal(),
                    ]),
                ),
                [],
            );
        });
        it("exempts by a config entry with a reason; one without a reason is a violation", async () => {
            const single = orders({ multiAz: false });
            assert.deepStrictEqual(
                messages(
                    await checkStack(databaseMultiAz, [single], {
                        exemptions: [{ type: "aws:rds/instance:Instance", name: "ord*", reason: "read-only reference data" }],
                    }),
                ),
                [],
            );
            assert.deepStrictEqual(messages(await checkStack(databaseMultiAz, [single], REASONLESS)), [
                reasonless("database-multi-az"),
                "The RDS instance 'orders' runs in one Availability Zone (multiAz is false); this environment requires a Multi-AZ deployment, with a standby in another zone.",
            ]);
        });
    });
});
