import * as assert from "assert";
import {
    databaseBackupRetention,
    databaseCrossRegionCopy,
    databaseDeletionProtection,
    databaseFinalSnapshot,
    databaseMultiAz,
    databasePolicies,
    databaseReference,
} from "../../policies/databases";
import { checkStack, messages, TestResource, UNKNOWN, urnOf } from "../helpers/policy";

// Another team's databases, written as Pulumi users write them with plain @pulumi/aws resources and
// sent as the engine sends them at preview: IDs and ARNs of resources not yet created are unknown,
// and the property that took them depends on their resource. No tags of ours, except where a test
// exempts a store.
type Props = Record<string, unknown>;

/** new aws.rds.Instance("orders", { engine: "postgres", instanceClass: "db.t3.micro", allocatedStorage: 20, ... }) */
const instance = (name: string, props: Props = {}): TestResource => ({
    type: "aws:rds/instance:Instance",
    name,
    props: { identifier: name, engine: "postgres", engineVersion: "16.3", instanceClass: "db.t3.micro", allocatedStorage: 20, username: "app", password: "secret", region: "us-west-2", ...props },
});
/** A production-grade instance: two weeks of backups, Multi-AZ, protected, with a final snapshot. */
const orders = (props: Props = {}) =>
    instance("orders", { backupRetentionPeriod: 14, multiAz: true, deletionProtection: true, finalSnapshotIdentifier: "orders-final", ...props });
/** new aws.rds.InstanceAutomatedBackupsReplication("orders-backups", { sourceDbInstanceArn: orders.arn, region: "us-east-1" }) */
const backupsReplication = (source: TestResource, props: Props = {}): TestResource => ({
    type: "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
    name: `${source.name}-backups`,
    props: { sourceDbInstanceArn: UNKNOWN, retentionPeriod: 14, region: "us-east-1", ...props },
    propertyDependencies: { sourceDbInstanceArn: [urnOf(source)] },
});

/** Aurora: new aws.rds.Cluster("catalog", { engine: "aurora-postgresql", ... }) in us-west-2. */
const cluster = (name: string, props: Props = {}, type = "aws:rds/cluster:Cluster"): TestResource => ({
    type,
    name,
    props: { clusterIdentifier: name, engine: "aurora-postgresql", masterUsername: "app", masterPassword: "secret", backupRetentionPeriod: 7, deletionProtection: true, finalSnapshotIdentifier: `${name}-final`, region: "us-west-2", ...props },
});
/** A cluster instance joined by `clusterIdentifier: cluster.id`, unknown at preview. */
const member = (of: TestResource, n: number, props: Props = {}): TestResource => ({
    type: of.type.replace("/cluster:Cluster", "/clusterInstance:ClusterInstance"),
    name: `${of.name}-${n}`,
    props: { identifier: `${of.name}-${n}`, clusterIdentifier: UNKNOWN, instanceClass: "db.r6g.large", engine: of.props.engine, region: of.props.region, ...props },
    propertyDependencies: { clusterIdentifier: [urnOf(of)] },
});
const globalCluster = (name: string, type = "aws:rds/globalCluster:GlobalCluster", props: Props = {}): TestResource => ({
    type,
    name,
    props: { globalClusterIdentifier: name, engine: "aurora-postgresql", engineVersion: "16.4", ...props },
});
/** A cluster joined to a global cluster by `globalClusterIdentifier: global.id`. */
const joined = (c: TestResource, g: TestResource, dependsOn: TestResource[] = []): TestResource => ({
    ...c,
    props: { ...c.props, globalClusterIdentifier: UNKNOWN },
    propertyDependencies: { ...c.propertyDependencies, globalClusterIdentifier: [urnOf(g)] },
    dependencies: dependsOn.map(urnOf),
});
/** An Aurora global database as the provider's docs write it: a primary in us-west-2, a headless secondary in us-east-1. */
function auroraGlobal(): TestResource[] {
    const g = globalCluster("catalog-global");
    const primary = joined(cluster("catalog"), g);
    const { masterUsername: _u, masterPassword: _p, ...rest } = cluster("catalog-dr", { region: "us-east-1", skipFinalSnapshot: true }).props;
    const secondary = joined({ ...cluster("catalog-dr"), props: rest }, g, [primary]);
    return [g, primary, member(primary, 1), member(primary, 2), secondary];
}

/** DocumentDB copied by AWS Backup: a plan whose rule copies to a vault in us-east-1, selecting the cluster by dependency. */
const docdb = (props: Props = {}) => cluster("profiles", { engine: "docdb", ...props }, "aws:docdb/cluster:Cluster");
const vault = (name: string, region: string): TestResource => ({ type: "aws:backup/vault:Vault", name, props: { name, region } });
function backupOf(store: TestResource, copyTo: TestResource | undefined, deleteAfter = 35): TestResource[] {
    const plan: TestResource = {
        type: "aws:backup/plan:Plan",
        name: `${store.name}-plan`,
        props: {
            name: `${store.name}-plan`,
            region: "us-west-2",
            rules: [
                {
                    ruleName: "daily",
                    targetVaultName: "main",
                    schedule: "cron(0 3 * * ? *)",
                    lifecycle: { deleteAfter },
                    copyActions: copyTo ? [{ destinationVaultArn: UNKNOWN, lifecycle: { deleteAfter } }] : [],
                },
            ],
        },
        propertyDependencies: copyTo ? { rules: [urnOf(copyTo)] } : {},
    };
    const selection: TestResource = {
        type: "aws:backup/selection:Selection",
        name: `${store.name}-selection`,
        props: { name: `${store.name}-selection`, iamRoleArn: "arn:aws:iam::123456789012:role/backup", planId: UNKNOWN, resources: [UNKNOWN], region: "us-west-2" },
        propertyDependencies: { planId: [urnOf(plan)], resources: [urnOf(store)] },
    };
    return [...(copyTo ? [copyTo] : []), plan, selection];
}

/** Neptune with a global database: a primary with two instances pinned in two zones, a secondary in eu-west-1. */
function neptuneGlobal(): TestResource[] {
    const g = globalCluster("graph-global", "aws:neptune/globalCluster:GlobalCluster", { engine: "neptune" });
    const primary = joined(cluster("graph", { engine: "neptune", masterUsername: undefined, masterPassword: undefined }, "aws:neptune/cluster:Cluster"), g);
    const secondary = joined(cluster("graph-dr", { engine: "neptune", masterUsername: undefined, masterPassword: undefined, region: "eu-west-1" }, "aws:neptune/cluster:Cluster"), g, [primary]);
    return [g, primary, member(primary, 1, { availabilityZone: "us-west-2a" }), member(primary, 2, { availabilityZone: "us-west-2b" }), secondary];
}

/** A stack that every database policy lets through. */
function compliant(): TestResource[] {
    const profiles = docdb();
    return [
        orders(),
        backupsReplication(orders()),
        ...auroraGlobal(),
        profiles,
        member(profiles, 1),
        member(profiles, 2),
        ...backupOf(profiles, vault("dr", "us-east-1")),
        ...neptuneGlobal(),
    ];
}

const withProps = (r: TestResource, props: Props): TestResource => ({ ...r, props: { ...r.props, ...props } });
const patch = (rs: TestResource[], name: string, props: Props) => rs.map((r) => (r.name === name ? withProps(r, props) : r));
const without = (rs: TestResource[], ...names: string[]) => rs.filter((r) => !names.includes(r.name));
const EXEMPT = { "continuity-dr": "none", "continuity-dr-reason": "rebuilt from the event log in an hour" };
const reasonless = (policy: string) =>
    `The exemption from '${policy}' for type aws:rds/instance:Instance, name orders gives no reason; an exemption needs one, so this one exempts nothing.`;
const REASONLESS = { exemptions: [{ type: "aws:rds/instance:Instance", name: "orders" }] };

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
                    message: "The RDS instance 'orders' keeps automated backups 1 day (backupRetentionPeriod unset: the AWS default); this environment requires at least 7 days.",
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
            assert.deepStrictEqual(await checkStack(databaseBackupRetention, [orders({ backupRetentionPeriod: UNKNOWN })]), { violations: [] });
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
                r.name === "catalog-dr" ? { ...withProps(r, { backupRetentionPeriod: 1 }), dependencies: [] } : r.name === "catalog" ? withProps(r, { masterUsername: undefined, masterPassword: undefined, backupRetentionPeriod: 2 }) : r,
            );
            assert.deepStrictEqual(messages(await checkStack(databaseBackupRetention, rs)), [
                "The RDS cluster 'catalog' keeps automated backups 2 days; this environment requires at least 7 days.",
                "The RDS cluster 'catalog-dr' keeps automated backups 1 day; this environment requires at least 7 days.",
            ]);
        });
        it("exempts a database tagged with a reason; a config entry without one is a violation and exempts nothing", async () => {
            assert.deepStrictEqual(messages(await checkStack(databaseBackupRetention, [orders({ backupRetentionPeriod: 1, tags: EXEMPT })])), []);
            assert.deepStrictEqual(messages(await checkStack(databaseBackupRetention, [orders({ backupRetentionPeriod: 1 })], REASONLESS)), [
                reasonless("database-backup-retention"),
                "The RDS instance 'orders' keeps automated backups 1 day; this environment requires at least 7 days.",
            ]);
        });
    });

    describe("database-multi-az", () => {
        it("rejects a single-AZ RDS instance, unset or false, with its URN", async () => {
            const o = await checkStack(databaseMultiAz, [orders({ multiAz: undefined }), withProps({ ...orders(), name: "billing" }, { identifier: "billing", multiAz: false })]);
            assert.deepStrictEqual(o.violations, [
                {
                    message: "The RDS instance 'orders' runs in one Availability Zone (multiAz is unset); this environment requires a Multi-AZ deployment, with a standby in another zone.",
                    urn: urnOf(orders()),
                },
                {
                    message: "The RDS instance 'billing' runs in one Availability Zone (multiAz is false); this environment requires a Multi-AZ deployment, with a standby in another zone.",
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
            const pinned = [profiles, member(profiles, 1, { availabilityZone: "us-west-2a" }), member(profiles, 2, { availabilityZone: "us-west-2a" })];
            assert.deepStrictEqual(messages(await checkStack(databaseMultiAz, pinned)), [
                "The DocumentDB cluster 'profiles' has its 2 instances in 1 Availability Zone (us-west-2a); this environment requires at least 2.",
            ]);
            assert.deepStrictEqual(messages(await checkStack(databaseMultiAz, patch(pinned, "profiles-2", { availabilityZone: undefined }))), []);
        });
        it("links instances by a cluster identifier known at preview, and not another cluster's instances", async () => {
            const catalog = cluster("catalog");
            const other = cluster("search");
            const byName = (n: number): TestResource => ({ ...member(catalog, n), props: { ...member(catalog, n).props, clusterIdentifier: "catalog" }, propertyDependencies: {} });
            assert.deepStrictEqual(messages(await checkStack(databaseMultiAz, [catalog, byName(1), byName(2)])), []);
            assert.deepStrictEqual(messages(await checkStack(databaseMultiAz, [catalog, member(catalog, 1), other, member(other, 1), member(other, 2)])), [
                "The RDS cluster 'catalog' has 1 instance (aws.rds.ClusterInstance); this environment requires at least 2 in at least 2 Availability Zones, so that a replica takes over when the writer's zone fails.",
            ]);
        });
        it("takes a Multi-AZ DB cluster (postgres with a DB cluster instance class) as multi-AZ by construction", async () => {
            const c = cluster("ledger", { engine: "postgres", dbClusterInstanceClass: "db.m6gd.large", storageType: "io1", allocatedStorage: 100, iops: 1000 });
            assert.deepStrictEqual(messages(await checkStack(databaseMultiAz, [c])), []);
        });
        it("at preview, counts an unknown multiAz, zone or instance link in the stack's favour", async () => {
            assert.deepStrictEqual(await checkStack(databaseMultiAz, [orders({ multiAz: UNKNOWN })]), { violations: [] });
            const catalog = cluster("catalog");
            const unlinked: TestResource = { ...member(catalog, 2), propertyDependencies: {} };
            assert.deepStrictEqual(await checkStack(databaseMultiAz, [catalog, member(catalog, 1), unlinked]), { violations: [] });
            const zones = [catalog, member(catalog, 1, { availabilityZone: "us-west-2a" }), member(catalog, 2, { availabilityZone: UNKNOWN })];
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
            assert.deepStrictEqual(messages(await checkStack(databaseMultiAz, [orders(), { ...replica, propertyDependencies: { replicateSourceDb: [urnOf(orders())] } }, ...auroraGlobal()])), []);
        });
        it("exempts by a config entry with a reason; one without a reason is a violation", async () => {
            const single = orders({ multiAz: false });
            assert.deepStrictEqual(
                messages(await checkStack(databaseMultiAz, [single], { exemptions: [{ type: "aws:rds/instance:Instance", name: "ord*", reason: "read-only reference data" }] })),
                [],
            );
            assert.deepStrictEqual(messages(await checkStack(databaseMultiAz, [single], REASONLESS)), [
                reasonless("database-multi-az"),
                "The RDS instance 'orders' runs in one Availability Zone (multiAz is false); this environment requires a Multi-AZ deployment, with a standby in another zone.",
            ]);
        });
    });

    describe("database-cross-region-copy", () => {
        it("rejects an RDS instance without any copy, with its URN and what it lacks", async () => {
            const o = await checkStack(databaseCrossRegionCopy, [orders()]);
            assert.deepStrictEqual(o.violations, [
                {
                    message:
                        "The RDS instance 'orders' in us-west-2 has no copy in another region (an aws.rds.InstanceAutomatedBackupsReplication or a read replica in another region, or an AWS Backup copy action): no AWS Backup plan of the stack selects it; this environment requires one.",
                    urn: urnOf(orders()),
                },
            ]);
        });
        it("rejects an automated-backups replication in the instance's own region, and a Backup plan without a copy action", async () => {
            const rs = [orders(), backupsReplication(orders(), { region: "us-west-2" }), ...backupOf(orders(), undefined)];
            assert.deepStrictEqual(messages(await checkStack(databaseCrossRegionCopy, rs)), [
                "The RDS instance 'orders' in us-west-2 has no copy in another region (an aws.rds.InstanceAutomatedBackupsReplication or a read replica in another region, or an AWS Backup copy action): its automated-backups replication 'orders-backups' is in its own region (us-west-2); the AWS Backup plan 'orders-plan' that selects it has no copy action to a vault in another region; this environment requires one.",
            ]);
        });
        it("takes both without a region, under the same provider, as in one region", async () => {
            const rs = [orders({ region: undefined }), backupsReplication(orders(), { region: undefined })];
            assert.deepStrictEqual(messages(await checkStack(databaseCrossRegionCopy, rs)), [
                "The RDS instance 'orders' in the provider's region has no copy in another region (an aws.rds.InstanceAutomatedBackupsReplication or a read replica in another region, or an AWS Backup copy action): its automated-backups replication 'orders-backups' is in its own region (the provider's region); no AWS Backup plan of the stack selects it; this environment requires one.",
            ]);
        });
        it("accepts a cross-region read replica named by the source's ARN, and asks the replica for no copy of its own", async () => {
            const replica = instance("orders-replica", { replicateSourceDb: "arn:aws:rds:us-west-2:123456789012:db:orders", region: "us-east-1", engine: undefined, username: undefined, password: undefined });
            assert.deepStrictEqual(messages(await checkStack(databaseCrossRegionCopy, [orders(), replica])), []);
            const sameRegion = withProps(replica, { region: "us-west-2" });
            assert.deepStrictEqual(messages(await checkStack(databaseCrossRegionCopy, [orders(), sameRegion])), [
                "The RDS instance 'orders' in us-west-2 has no copy in another region (an aws.rds.InstanceAutomatedBackupsReplication or a read replica in another region, or an AWS Backup copy action): its read replica 'orders-replica' is in its own region (us-west-2); no AWS Backup plan of the stack selects it; this environment requires one.",
            ]);
        });
        it("accepts an AWS Backup copy action to a vault in another region, and rejects one to the same region", async () => {
            const profiles = docdb();
            assert.deepStrictEqual(messages(await checkStack(databaseCrossRegionCopy, [profiles, ...backupOf(profiles, vault("dr", "us-east-1"))])), []);
            assert.deepStrictEqual(messages(await checkStack(databaseCrossRegionCopy, [profiles, ...backupOf(profiles, vault("dr", "us-west-2"))])), [
                "The DocumentDB cluster 'profiles' in us-west-2 has no copy in another region (a secondary cluster of an aws.docdb.GlobalCluster in another region, or an AWS Backup copy action): the AWS Backup plan 'profiles-plan' that selects it has no copy action to a vault in another region; this environment requires one.",
            ]);
        });
        it("rejects an Aurora cluster whose global cluster has no secondary elsewhere", async () => {
            const rs = without(auroraGlobal(), "catalog-dr");
            assert.deepStrictEqual(messages(await checkStack(databaseCrossRegionCopy, rs)), [
                "The RDS cluster 'catalog' in us-west-2 has no copy in another region (a secondary cluster of an aws.rds.GlobalCluster in another region, a replica cluster there, or an AWS Backup copy action): its global cluster 'catalog-global' has no other cluster in another region; no AWS Backup plan of the stack selects it; this environment requires one.",
            ]);
            assert.deepStrictEqual(messages(await checkStack(databaseCrossRegionCopy, patch(auroraGlobal(), "catalog-dr", { region: "us-west-2" }))), [
                "The RDS cluster 'catalog' in us-west-2 has no copy in another region (a secondary cluster of an aws.rds.GlobalCluster in another region, a replica cluster there, or an AWS Backup copy action): its global cluster 'catalog-global' has no other cluster in another region; no AWS Backup plan of the stack selects it; this environment requires one.",
            ]);
        });
        it("links a global cluster created from an existing cluster (sourceDbClusterIdentifier) and a secondary joined by its known name", async () => {
            const primary = cluster("catalog");
            const g = globalCluster("catalog-global", undefined, { sourceDbClusterIdentifier: UNKNOWN, engine: undefined });
            const linked: TestResource = { ...g, propertyDependencies: { sourceDbClusterIdentifier: [urnOf(primary)] } };
            const secondary = cluster("catalog-dr", { region: "eu-west-1", globalClusterIdentifier: "catalog-global", masterUsername: undefined, masterPassword: undefined });
            assert.deepStrictEqual(messages(await checkStack(databaseCrossRegionCopy, [primary, linked, secondary])), []);
        });
        it("accepts a Neptune replica cluster in another region", async () => {
            const graph = cluster("graph", { engine: "neptune" }, "aws:neptune/cluster:Cluster");
            const replica: TestResource = {
                ...cluster("graph-dr", { engine: "neptune", region: "eu-west-1", replicationSourceIdentifier: UNKNOWN }, "aws:neptune/cluster:Cluster"),
                propertyDependencies: { replicationSourceIdentifier: [urnOf(graph)] },
            };
            assert.deepStrictEqual(messages(await checkStack(databaseCrossRegionCopy, [graph, replica])), []);
        });
        it("at preview, counts an unlinked unknown source, global-cluster link or region in the stack's favour", async () => {
            const unlinked: TestResource = { ...backupsReplication(orders()), propertyDependencies: {} };
            assert.deepStrictEqual(await checkStack(databaseCrossRegionCopy, [orders(), unlinked]), { violations: [] });
            assert.deepStrictEqual(await checkStack(databaseCrossRegionCopy, [orders(), backupsReplication(orders(), { region: UNKNOWN })]), { violations: [] });
            assert.deepStrictEqual(await checkStack(databaseCrossRegionCopy, [cluster("catalog", { globalClusterIdentifier: UNKNOWN })]), { violations: [] });
        });
        it("does not take a replication of another instance for this one's", async () => {
            const billing = instance("billing", { backupRetentionPeriod: 14 });
            const rs = [orders(), billing, backupsReplication(billing)];
            assert.deepStrictEqual(messages(await checkStack(databaseCrossRegionCopy, rs)), [
                "The RDS instance 'orders' in us-west-2 has no copy in another region (an aws.rds.InstanceAutomatedBackupsReplication or a read replica in another region, or an AWS Backup copy action): no AWS Backup plan of the stack selects it; this environment requires one.",
            ]);
        });
        it("exempts a database tagged with a reason; a tag without a reason exempts nothing", async () => {
            assert.deepStrictEqual(messages(await checkStack(databaseCrossRegionCopy, [orders({ tags: EXEMPT })])), []);
            assert.strictEqual(messages(await checkStack(databaseCrossRegionCopy, [orders({ tags: { "continuity-dr": "none" } })])).length, 1);
            assert.deepStrictEqual(messages(await checkStack(databaseCrossRegionCopy, [orders(), backupsReplication(orders())], REASONLESS)), [reasonless("database-cross-region-copy")]);
        });
    });

    describe("database-deletion-protection", () => {
        it("rejects an unprotected RDS instance and a replica, with their URNs", async () => {
            const replica = instance("orders-replica", { replicateSourceDb: "orders", deletionProtection: false });
            const o = await checkStack(databaseDeletionProtection, [orders({ deletionProtection: undefined }), replica]);
            assert.deepStrictEqual(o.violations, [
                { message: "The RDS instance 'orders' has no deletion protection (deletionProtection is unset, which AWS reads as false); this environment requires it.", urn: urnOf(orders()) },
                { message: "The RDS instance 'orders-replica' (a read replica) has no deletion protection (deletionProtection is false); this environment requires it.", urn: urnOf(replica) },
            ]);
        });
        it("judges a global secondary and every kind of cluster", async () => {
            const rs = patch(patch(compliant(), "catalog-dr", { deletionProtection: false }), "profiles", { deletionProtection: undefined });
            assert.deepStrictEqual(messages(await checkStack(databaseDeletionProtection, rs)), [
                "The RDS cluster 'catalog-dr' (a secondary cluster) has no deletion protection (deletionProtection is false); this environment requires it.",
                "The DocumentDB cluster 'profiles' has no deletion protection (deletionProtection is unset, which AWS reads as false); this environment requires it.",
            ]);
        });
        it("at preview, counts an unknown flag in the stack's favour; an Aurora instance's own flag is not judged", async () => {
            assert.deepStrictEqual(await checkStack(databaseDeletionProtection, [orders({ deletionProtection: UNKNOWN }), instance("member", { engine: "aurora-mysql" })]), { violations: [] });
        });
        it("requires nothing where the environment does not", async () => {
            assert.deepStrictEqual(messages(await checkStack(databaseDeletionProtection, [orders({ deletionProtection: false })], { required: false })), []);
        });
        it("exempts a database tagged with a reason; a config entry without one is a violation and exempts nothing", async () => {
            assert.deepStrictEqual(messages(await checkStack(databaseDeletionProtection, [orders({ deletionProtection: false, tags: EXEMPT })])), []);
            assert.deepStrictEqual(messages(await checkStack(databaseDeletionProtection, [orders({ deletionProtection: false })], REASONLESS)), [
                reasonless("database-deletion-protection"),
                "The RDS instance 'orders' has no deletion protection (deletionProtection is false); this environment requires it.",
            ]);
        });
    });

    describe("database-final-snapshot", () => {
        it("rejects skipFinalSnapshot: true on an instance and a cluster, with their URNs", async () => {
            const profiles = docdb({ skipFinalSnapshot: true });
            const o = await checkStack(databaseFinalSnapshot, [orders({ skipFinalSnapshot: true }), profiles]);
            assert.deepStrictEqual(o.violations, [
                {
                    message: "The RDS instance 'orders' is deleted without a final snapshot (skipFinalSnapshot: true); this environment requires one, so that deleting the database keeps its data.",
                    urn: urnOf(orders()),
                },
                {
                    message: "The DocumentDB cluster 'profiles' is deleted without a final snapshot (skipFinalSnapshot: true); this environment requires one, so that deleting the database keeps its data.",
                    urn: urnOf(profiles),
                },
            ]);
        });
        it("accepts the provider's default (false), a replica that skips it, and skipping where the environment allows it", async () => {
            const replica = instance("orders-replica", { replicateSourceDb: "orders", skipFinalSnapshot: true });
            assert.deepStrictEqual(messages(await checkStack(databaseFinalSnapshot, [instance("orders"), replica])), []);
            assert.deepStrictEqual(messages(await checkStack(databaseFinalSnapshot, [orders({ skipFinalSnapshot: true })], { allowSkipFinalSnapshot: true })), []);
        });
        it("at preview, counts an unknown flag in the stack's favour", async () => {
            assert.deepStrictEqual(await checkStack(databaseFinalSnapshot, [orders({ skipFinalSnapshot: UNKNOWN })]), { violations: [] });
        });
        it("exempts a database tagged with a reason; a config entry without one is a violation and exempts nothing", async () => {
            assert.deepStrictEqual(messages(await checkStack(databaseFinalSnapshot, [orders({ skipFinalSnapshot: true, tags: EXEMPT })])), []);
            assert.deepStrictEqual(messages(await checkStack(databaseFinalSnapshot, [orders({ skipFinalSnapshot: true })], REASONLESS)), [
                reasonless("database-final-snapshot"),
                "The RDS instance 'orders' is deleted without a final snapshot (skipFinalSnapshot: true); this environment requires one, so that deleting the database keeps its data.",
            ]);
        });
    });
});
