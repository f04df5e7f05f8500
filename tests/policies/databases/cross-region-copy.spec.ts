import * as assert from "assert";
import { databaseCrossRegionCopy } from "../../../policies/databases";
import { checkStack, messages, TestResource, UNKNOWN, urnOf } from "../../helpers/policy";
import {
    instance,
    orders,
    backupsReplication,
    cluster,
    globalCluster,
    auroraGlobal,
    docdb,
    vault,
    backupOf,
    withProps,
    patch,
    EXEMPT,
    reasonless,
    REASONLESS,
} from "./fixtures";

const without = (rs: TestResource[], ...names: string[]) => rs.filter((r) => !names.includes(r.name));

describe("database policies (policies/databases.ts)", () => {
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
            const replica = instance("orders-replica", {
                replicateSourceDb: "arn:aws:rds:us-west-2:123456789012:db:orders",
                region: "us-east-1",
                engine: undefined,
                username: undefined,
                password: undefined,
            });
            assert.deepStrictEqual(messages(await checkStack(databaseCrossRegionCopy, [orders(), replica])), []);
            const sameRegion = withProps(replica, { region: "us-west-2" });
            assert.deepStrictEqual(messages(await checkStack(databaseCrossRegionCopy, [orders(), sameRegion])), [
                "The RDS instance 'orders' in us-west-2 has no copy in another region (an aws.rds.InstanceAutomatedBackupsReplication or a read replica in another region, or an AWS Backup copy action): its read replica 'orders-replica' is in its own region (us-west-2); no AWS Backup plan of the stack selects it; this environment requires one.",
            ]);
        });
        it("accepts an AWS Backup copy action to a vault in another region, and rejects one to the same region", async () => {
            const profiles = docdb();
            assert.deepStrictEqual(
                messages(await checkStack(databaseCrossRegionCopy, [profiles, ...backupOf(profiles, vault("dr", "us-east-1"))])),
                [],
            );
            assert.deepStrictEqual(
                messages(await checkStack(databaseCrossRegionCopy, [profiles, ...backupOf(profiles, vault("dr", "us-west-2"))])),
                [
                    "The DocumentDB cluster 'profiles' in us-west-2 has no copy in another region (a secondary cluster of an aws.docdb.GlobalCluster in another region, or an AWS Backup copy action): the AWS Backup plan 'profiles-plan' that selects it has no copy action to a vault in another region; this environment requires one.",
                ],
            );
        });
        it("rejects an Aurora cluster whose global cluster has no secondary elsewhere", async () => {
            const rs = without(auroraGlobal(), "catalog-dr");
            assert.deepStrictEqual(messages(await checkStack(databaseCrossRegionCopy, rs)), [
                "The RDS cluster 'catalog' in us-west-2 has no copy in another region (a secondary cluster of an aws.rds.GlobalCluster in another region, a replica cluster there, or an AWS Backup copy action): its global cluster 'catalog-global' has no other cluster in another region; no AWS Backup plan of the stack selects it; this environment requires one.",
            ]);
            assert.deepStrictEqual(
                messages(await checkStack(databaseCrossRegionCopy, patch(auroraGlobal(), "catalog-dr", { region: "us-west-2" }))),
                [
                    "The RDS cluster 'catalog' in us-west-2 has no copy in another region (a secondary cluster of an aws.rds.GlobalCluster in another region, a replica cluster there, or an AWS Backup copy action): its global cluster 'catalog-global' has no other cluster in another region; no AWS Backup plan of the stack selects it; this environment requires one.",
                ],
            );
        });
        it("links a global cluster created from an existing cluster (sourceDbClusterIdentifier) and a secondary joined by its known name", async () => {
            const primary = cluster("catalog");
            const g = globalCluster("catalog-global", undefined, { sourceDbClusterIdentifier: UNKNOWN, engine: undefined });
            const linked: TestResource = { ...g, propertyDependencies: { sourceDbClusterIdentifier: [urnOf(primary)] } };
            const secondary = cluster("catalog-dr", {
                region: "eu-west-1",
                globalClusterIdentifier: "catalog-global",
                masterUsername: undefined,
                masterPassword: undefined,
            });
            assert.deepStrictEqual(messages(await checkStack(databaseCrossRegionCopy, [primary, linked, secondary])), []);
        });
        it("accepts a Neptune replica cluster in another region", async () => {
            const graph = cluster("graph", { engine: "neptune" }, "aws:neptune/cluster:Cluster");
            const replica: TestResource = {
                ...cluster(
                    "graph-dr",
                    { engine: "neptune", region: "eu-west-1", replicationSourceIdentifier: UNKNOWN },
                    "aws:neptune/cluster:Cluster",
                ),
                propertyDependencies: { replicationSourceIdentifier: [urnOf(graph)] },
            };
            assert.deepStrictEqual(messages(await checkStack(databaseCrossRegionCopy, [graph, replica])), []);
        });
        it("at preview, counts an unlinked unknown source, global-cluster link or region in the stack's favour", async () => {
            const unlinked: TestResource = { ...backupsReplication(orders()), propertyDependencies: {} };
            assert.deepStrictEqual(await checkStack(databaseCrossRegionCopy, [orders(), unlinked]), { violations: [] });
            assert.deepStrictEqual(
                await checkStack(databaseCrossRegionCopy, [orders(), backupsReplication(orders(), { region: UNKNOWN })]),
                { violations: [] },
            );
            assert.deepStrictEqual(await checkStack(databaseCrossRegionCopy, [cluster("catalog", { globalClusterIdentifier: UNKNOWN })]), {
                violations: [],
            });
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
            assert.strictEqual(
                messages(await checkStack(databaseCrossRegionCopy, [orders({ tags: { "continuity-dr": "none" } })])).length,
                1,
            );
            assert.deepStrictEqual(
                messages(await checkStack(databaseCrossRegionCopy, [orders(), backupsReplication(orders())], REASONLESS)),
                [reasonless("database-cross-region-copy")],
            );
        });
    });
});
