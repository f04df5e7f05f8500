import * as assert from "assert";
import { monitoringRecoveryPointWatch } from "../../policies/monitoring";
import { backupPlanFor, checkStack, messages, TestResource, UNKNOWN, urnOf } from "../helpers/policy";
import { compliant as searchWithSnapshotCopies } from "./search/fixtures";

// monitoring-recovery-point-watch: which alarm names a store by the values of its dimensions, and which
// AWS Backup Audit Manager framework covers a store, kind by kind (see also monitoring-watch.spec.ts).
const policy = monitoringRecoveryPointWatch;

const backupMessage = (label: string, names: string) =>
    `The ${label} 'store' keeps copies in us-east-1 (AWS Backup copy of rule 'daily' to us-east-1) but nothing watches their age: ` +
    `no CloudWatch alarm names it${names} in its dimensions. Add a CloudWatch alarm on the age of its newest copy ` +
    'whose dimensions name the store, with treatMissingData "breaching" and an alarm action, ' +
    "or an AWS Backup framework whose BACKUP_LAST_RECOVERY_POINT_CREATED control covers it.";

/** An Audit Manager framework in us-west-2 with these controls, as aws.backup.Framework takes them. */
const framework = (controls: unknown, region: unknown = "us-west-2"): TestResource => ({
    type: "aws:backup/framework:Framework",
    name: "backup-audit",
    props: { name: "backup_audit", region, controls },
});
const lastRecoveryPoint = (scope: unknown, name: unknown = "BACKUP_LAST_RECOVERY_POINT_CREATED") => ({
    name,
    inputParameters: [
        { name: "recoveryPointAgeUnit", value: "hours" },
        { name: "recoveryPointAgeValue", value: "26" },
    ],
    scope,
});

describe("monitoring-recovery-point-watch: frameworks and dimension values", () => {
    describe("each kind AWS Backup copies: the names in the message, the framework's resource types", () => {
        const kinds: { label: string; type: string; props: Record<string, unknown>; names: string; resourceTypes: string[][] }[] = [
            {
                label: "S3 bucket",
                type: "aws:s3/bucket:Bucket",
                props: { bucket: "acme-exports" },
                names: "acme-exports",
                resourceTypes: [["S3"]],
            },
            {
                label: "RDS instance",
                type: "aws:rds/instance:Instance",
                props: { identifier: "orders-db" },
                names: "orders-db",
                resourceTypes: [["RDS"]],
            },
            {
                label: "RDS cluster",
                type: "aws:rds/cluster:Cluster",
                props: { clusterIdentifier: "orders-aurora" },
                names: "orders-aurora",
                // AWS Backup names Aurora clusters "Aurora"; a scope of "RDS" takes them in too.
                resourceTypes: [["Aurora"], ["RDS"]],
            },
            {
                label: "DocumentDB cluster",
                type: "aws:docdb/cluster:Cluster",
                props: { clusterIdentifier: "orders-docs" },
                names: "orders-docs",
                resourceTypes: [["DocumentDB"]],
            },
            {
                label: "Neptune cluster",
                type: "aws:neptune/cluster:Cluster",
                props: { clusterIdentifier: "orders-graph" },
                names: "orders-graph",
                resourceTypes: [["Neptune"]],
            },
            {
                label: "Redshift cluster",
                type: "aws:redshift/cluster:Cluster",
                props: { clusterIdentifier: "orders-warehouse" },
                names: "orders-warehouse",
                resourceTypes: [["Redshift"]],
            },
            { label: "EFS file system", type: "aws:efs/fileSystem:FileSystem", props: {}, names: "", resourceTypes: [["EFS"]] },
            {
                label: "EBS volume",
                type: "aws:ebs/volume:Volume",
                props: { availabilityZone: "us-west-2a", size: 100 },
                names: "",
                resourceTypes: [["EBS"]],
            },
        ];
        for (const kind of kinds) {
            const scopes = kind.resourceTypes.map((t) => t.join()).join(" or ");
            it(`${kind.label}: refused unwatched, accepted with a framework scoped to ${scopes}`, async () => {
                const store: TestResource = { type: kind.type, name: "store", props: { region: "us-west-2", ...kind.props } };
                const stack = [store, ...backupPlanFor(store, "us-east-1")];
                const message = backupMessage(kind.label, kind.names ? ` ('${kind.names}')` : "");
                assert.deepStrictEqual(messages(await checkStack(policy, stack)), [message]);
                for (const types of kind.resourceTypes) {
                    const audit = framework([lastRecoveryPoint({ complianceResourceTypes: types })]);
                    assert.deepStrictEqual(await checkStack(policy, [...stack, audit]), { violations: [] });
                }
                const elsewhere = framework([lastRecoveryPoint({ complianceResourceTypes: ["FSx"] })]);
                assert.deepStrictEqual(messages(await checkStack(policy, [...stack, elsewhere])), [message]);
            });
        }
    });

    it("OpenSearch domain: names the domain and its snapshot buckets; an alarm on the domain's name watches it", async () => {
        const stack = searchWithSnapshotCopies();
        assert.deepStrictEqual(messages(await checkStack(policy, stack)), [
            "The OpenSearch domain 'search' keeps copies in us-east-1 " +
                "(snapshots of 'daily' copied by S3 replication into STANDARD_IA in us-east-1) but nothing watches their age: " +
                "no CloudWatch alarm names it ('search', 'search-snapshots', 'search-snapshots-dr') in its dimensions. " +
                "Add a CloudWatch alarm on the age of its newest copy whose dimensions name the store, " +
                'with treatMissingData "breaching" and an alarm action.',
        ]);
        const alarm: TestResource = {
            type: "aws:cloudwatch/metricAlarm:MetricAlarm",
            name: "search-snapshot-age",
            props: {
                region: "us-west-2",
                namespace: "Acme/Search",
                metricName: "SnapshotCopyAgeHours",
                dimensions: { DomainName: "search", ClientId: "123456789012" },
                treatMissingData: "breaching",
                alarmActions: ["arn:aws:sns:us-west-2:123456789012:oncall"],
            },
        };
        assert.deepStrictEqual(await checkStack(policy, [...stack, alarm]), { violations: [] });
    });

    describe("a framework's controls and scope", () => {
        const table: TestResource = {
            type: "aws:dynamodb/table:Table",
            name: "store",
            props: { name: "orders", region: "us-west-2", tags: { backup: "gold" } },
        };
        const stack = [table, ...backupPlanFor(table, "us-east-1")];
        const message = backupMessage("DynamoDB table", " ('orders')");
        const judge = async (audit: TestResource, store: TestResource[] = stack) => messages(await checkStack(policy, [...store, audit]));

        it("counts only the last-recovery-point control", async () => {
            const retention = lastRecoveryPoint(undefined, "BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK");
            assert.deepStrictEqual(await judge(framework([retention])), [message]);
            assert.deepStrictEqual(await judge(framework([retention, lastRecoveryPoint(undefined)])), []);
        });

        it("takes the table in by tags it has, not by tags it lacks", async () => {
            assert.deepStrictEqual(await judge(framework([lastRecoveryPoint({ tags: { backup: "gold" } })])), []);
            assert.deepStrictEqual(await judge(framework([lastRecoveryPoint({ tags: { backup: "silver" } })])), [message]);
        });

        it("takes the table in by its name or ARN among the resource ids, not by another table's", async () => {
            const ids = (complianceResourceIds: string[]) => framework([lastRecoveryPoint({ complianceResourceIds })]);
            assert.deepStrictEqual(await judge(ids(["arn:aws:dynamodb:us-west-2:123456789012:table/orders"])), []);
            assert.deepStrictEqual(await judge(ids(["orders-archive", "orders"])), []);
            assert.deepStrictEqual(await judge(ids(["orders-archive"])), [message]);
            assert.deepStrictEqual(await judge(ids(["arn:aws:dynamodb:us-west-2:123456789012:table/orders-archive"])), [message]);
        });

        it("takes a bucket in by its ARN, beside the replica its recovery points also go to", async () => {
            const bucket: TestResource = {
                type: "aws:s3/bucket:Bucket",
                name: "store",
                props: { bucket: "acme-exports", region: "us-west-2" },
            };
            const copy: TestResource = {
                type: "aws:s3/bucket:Bucket",
                name: "store-copy",
                props: { bucket: "acme-exports-copy", region: "us-east-1" },
            };
            const replication: TestResource = {
                type: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
                name: "store-replication",
                props: {
                    bucket: "acme-exports",
                    region: "us-west-2",
                    rules: [{ status: "Enabled", destination: { bucket: "arn:aws:s3:::acme-exports-copy", storageClass: "GLACIER" } }],
                },
                propertyDependencies: { bucket: [urnOf(bucket)], rules: [urnOf(copy)] },
            };
            const withBackup = [bucket, copy, replication, ...backupPlanFor(bucket, "us-east-1")];
            const ids = (complianceResourceIds: string[]) => framework([lastRecoveryPoint({ complianceResourceIds })]);
            assert.deepStrictEqual(await judge(ids(["arn:aws:s3:::acme-exports"]), withBackup), []);
            assert.deepStrictEqual(await judge(ids(["arn:aws:s3:::acme-logs"]), withBackup), [
                "The S3 bucket 'store' keeps copies in us-east-1 (S3 replication into GLACIER in us-east-1) " +
                    "but nothing watches their age: " +
                    "no CloudWatch alarm names it ('acme-exports', 'acme-exports-copy') in its dimensions. " +
                    "Add a CloudWatch alarm on the age of its newest copy whose dimensions name the store, " +
                    'with treatMissingData "breaching" and an alarm action, ' +
                    "or an AWS Backup framework whose BACKUP_LAST_RECOVERY_POINT_CREATED control covers it.",
            ]);
        });

        it("takes a control's name, a control, its scope or the framework's region unknown at preview in the stack's favour", async () => {
            assert.deepStrictEqual(await judge(framework([lastRecoveryPoint(undefined, UNKNOWN)])), []);
            assert.deepStrictEqual(await judge(framework([UNKNOWN])), []);
            assert.deepStrictEqual(await judge(framework([lastRecoveryPoint(UNKNOWN)])), []);
            assert.deepStrictEqual(await judge(framework([lastRecoveryPoint({ complianceResourceTypes: UNKNOWN })])), []);
            assert.deepStrictEqual(await judge(framework([lastRecoveryPoint(undefined)], UNKNOWN)), []);
            // The table's name unknown: a resource id may turn out to be it.
            const autonamed: TestResource = { ...table, props: { ...table.props, name: UNKNOWN } };
            const ids = framework([lastRecoveryPoint({ complianceResourceIds: ["arn:aws:dynamodb:us-west-2:123456789012:table/orders"] })]);
            assert.deepStrictEqual(await judge(ids, [autonamed, ...backupPlanFor(autonamed, "us-east-1")]), []);
        });
    });

    describe("an alarm's dimension values, built from nothing the stack shows", () => {
        const source = (bucket: unknown): TestResource => ({
            type: "aws:s3/bucket:Bucket",
            name: "exports",
            props: { bucket, region: "us-west-2" },
        });
        const copy: TestResource = {
            type: "aws:s3/bucket:Bucket",
            name: "exports-copy",
            props: { bucket: "acme-exports-copy", region: "us-east-1" },
        };
        const replicated = (bucket: unknown): TestResource[] => [
            source(bucket),
            copy,
            {
                type: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
                name: "exports-replication",
                props: {
                    bucket,
                    region: "us-west-2",
                    rules: [{ status: "Enabled", destination: { bucket: "arn:aws:s3:::acme-exports-copy", storageClass: "GLACIER" } }],
                },
                propertyDependencies: { bucket: [urnOf(source(bucket))], rules: [urnOf(copy)] },
            },
        ];
        const alarm = (props: Record<string, unknown>): TestResource => ({
            type: "aws:cloudwatch/metricAlarm:MetricAlarm",
            name: "copy-age",
            props: {
                region: "us-west-2",
                namespace: "Acme/Backups",
                metricName: "CopyAgeHours",
                treatMissingData: "breaching",
                alarmActions: ["arn:aws:sns:us-west-2:123456789012:oncall"],
                ...props,
            },
        });
        const unwatched = (names: string) =>
            "The S3 bucket 'exports' keeps copies in us-east-1 (S3 replication into GLACIER in us-east-1) but nothing watches their age: " +
            `no CloudWatch alarm names it${names} in its dimensions. Add a CloudWatch alarm on the age of its newest copy ` +
            'whose dimensions name the store, with treatMissingData "breaching" and an alarm action.';
        const judge = async (stack: TestResource[]) => messages(await checkStack(policy, stack));

        it("names the bucket when one value is its name, not when none is", async () => {
            const stack = replicated("acme-exports");
            assert.deepStrictEqual(
                await judge([...stack, alarm({ dimensions: { BucketName: "acme-exports", StorageType: "StandardStorage" } })]),
                [],
            );
            assert.deepStrictEqual(
                await judge([...stack, alarm({ dimensions: { BucketName: "acme-logs", StorageType: "StandardStorage" } })]),
                [unwatched(" ('acme-exports', 'acme-exports-copy')")],
            );
        });

        it("takes a value unknown at preview as naming it, though the other values are known", async () => {
            const stack = replicated("acme-exports");
            assert.deepStrictEqual(await judge([...stack, alarm({ dimensions: { BucketName: UNKNOWN } })]), []);
            assert.deepStrictEqual(
                await judge([...stack, alarm({ dimensions: { BucketName: UNKNOWN, StorageType: "StandardStorage" } })]),
                [],
            );
        });

        it("takes any value as naming a bucket whose name is unknown at preview, but an alarm without dimensions never", async () => {
            const stack = replicated(UNKNOWN);
            assert.deepStrictEqual(await judge([...stack, alarm({ dimensions: { BucketName: "acme-exports" } })]), []);
            assert.deepStrictEqual(await judge([...stack, alarm({})]), [unwatched(" ('acme-exports-copy')")]);
        });
    });
});
