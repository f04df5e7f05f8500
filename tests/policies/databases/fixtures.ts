import { TestResource, UNKNOWN, urnOf } from "../../helpers/policy";

// Another team's databases, written as Pulumi users write them with plain @pulumi/aws resources and
// sent as the engine sends them at preview: IDs and ARNs of resources not yet created are unknown,
// and the property that took them depends on their resource. No tags of ours, except where a test
// exempts a store.
type Props = Record<string, unknown>;

/** new aws.rds.Instance("orders", { engine: "postgres", instanceClass: "db.t3.micro", allocatedStorage: 20, ... }) */
export const instance = (name: string, props: Props = {}): TestResource => ({
    type: "aws:rds/instance:Instance",
    name,
    props: {
        identifier: name,
        engine: "postgres",
        engineVersion: "16.3",
        instanceClass: "db.t3.micro",
        allocatedStorage: 20,
        username: "app",
        password: "secret",
        region: "us-west-2",
        ...props,
    },
});
/** A production-grade instance: two weeks of backups, Multi-AZ, protected, with a final snapshot. */
export const orders = (props: Props = {}) =>
    instance("orders", {
        backupRetentionPeriod: 14,
        multiAz: true,
        deletionProtection: true,
        finalSnapshotIdentifier: "orders-final",
        ...props,
    });
/** new aws.rds.InstanceAutomatedBackupsReplication("orders-backups", { sourceDbInstanceArn: orders.arn, region: "us-east-1" }) */
export const backupsReplication = (source: TestResource, props: Props = {}): TestResource => ({
    type: "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
    name: `${source.name}-backups`,
    props: { sourceDbInstanceArn: UNKNOWN, retentionPeriod: 14, region: "us-east-1", ...props },
    propertyDependencies: { sourceDbInstanceArn: [urnOf(source)] },
});

/** Aurora: new aws.rds.Cluster("catalog", { engine: "aurora-postgresql", ... }) in us-west-2. */
export const cluster = (name: string, props: Props = {}, type = "aws:rds/cluster:Cluster"): TestResource => ({
    type,
    name,
    props: {
        clusterIdentifier: name,
        engine: "aurora-postgresql",
        masterUsername: "app",
        masterPassword: "secret",
        backupRetentionPeriod: 7,
        deletionProtection: true,
        finalSnapshotIdentifier: `${name}-final`,
        region: "us-west-2",
        ...props,
    },
});
/** A cluster instance joined by `clusterIdentifier: cluster.id`, unknown at preview. */
export const member = (of: TestResource, n: number, props: Props = {}): TestResource => ({
    type: of.type.replace("/cluster:Cluster", "/clusterInstance:ClusterInstance"),
    name: `${of.name}-${n}`,
    props: {
        identifier: `${of.name}-${n}`,
        clusterIdentifier: UNKNOWN,
        instanceClass: "db.r6g.large",
        engine: of.props.engine,
        region: of.props.region,
        ...props,
    },
    propertyDependencies: { clusterIdentifier: [urnOf(of)] },
});
export const globalCluster = (name: string, type = "aws:rds/globalCluster:GlobalCluster", props: Props = {}): TestResource => ({
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
export function auroraGlobal(): TestResource[] {
    const g = globalCluster("catalog-global");
    const primary = joined(cluster("catalog"), g);
    const {
        masterUsername: _u,
        masterPassword: _p,
        ...rest
    } = cluster("catalog-dr", { region: "us-east-1", skipFinalSnapshot: true }).props;
    const secondary = joined({ ...cluster("catalog-dr"), props: rest }, g, [primary]);
    return [g, primary, member(primary, 1), member(primary, 2), secondary];
}

/** DocumentDB copied by AWS Backup: a plan whose rule copies to a vault in us-east-1, selecting the cluster by dependency. */
export const docdb = (props: Props = {}) => cluster("profiles", { engine: "docdb", ...props }, "aws:docdb/cluster:Cluster");
export const vault = (name: string, region: string): TestResource => ({ type: "aws:backup/vault:Vault", name, props: { name, region } });
export function backupOf(store: TestResource, copyTo: TestResource | undefined, deleteAfter = 35): TestResource[] {
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
        props: {
            name: `${store.name}-selection`,
            iamRoleArn: "arn:aws:iam::123456789012:role/backup",
            planId: UNKNOWN,
            resources: [UNKNOWN],
            region: "us-west-2",
        },
        propertyDependencies: { planId: [urnOf(plan)], resources: [urnOf(store)] },
    };
    return [...(copyTo ? [copyTo] : []), plan, selection];
}

/** Neptune with a global database: a primary with two instances pinned in two zones, a secondary in eu-west-1. */
function neptuneGlobal(): TestResource[] {
    const g = globalCluster("graph-global", "aws:neptune/globalCluster:GlobalCluster", { engine: "neptune" });
    const primary = joined(
        cluster("graph", { engine: "neptune", masterUsername: undefined, masterPassword: undefined }, "aws:neptune/cluster:Cluster"),
        g,
    );
    const secondary = joined(
        cluster(
            "graph-dr",
            { engine: "neptune", masterUsername: undefined, masterPassword: undefined, region: "eu-west-1" },
            "aws:neptune/cluster:Cluster",
        ),
        g,
        [primary],
    );
    return [
        g,
        primary,
        member(primary, 1, { availabilityZone: "us-west-2a" }),
        member(primary, 2, { availabilityZone: "us-west-2b" }),
        secondary,
    ];
}

/** A stack that every database policy lets through. */
export function compliant(): TestResource[] {
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

export const withProps = (r: TestResource, props: Props): TestResource => ({ ...r, props: { ...r.props, ...props } });
export const patch = (rs: TestResource[], name: string, props: Props) => rs.map((r) => (r.name === name ? withProps(r, props) : r));
export const EXEMPT = { "continuity-dr": "none", "continuity-dr-reason": "rebuilt from the event log in an hour" };
export const reasonless = (policy: string) =>
    `The exemption from '${policy}' for type aws:rds/instance:Instance, name orders gives no reason; an exemption needs one, so this one exempts nothing.`;
export const REASONLESS = { exemptions: [{ type: "aws:rds/instance:Instance", name: "orders" }] };
