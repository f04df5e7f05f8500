import * as assert from "assert";
import { StackValidationPolicy } from "@pulumi/policy";
import {
    dynamodbCrossRegionCopy,
    dynamodbDeletionProtection,
    dynamodbPointInTimeRecovery,
    dynamodbPolicies,
    dynamodbReference,
} from "../../policies/dynamodb";
import { backupPlanFor, checkStack, messages, TestResource, UNKNOWN, urnOf } from "../helpers/policy";

type Props = Record<string, unknown>;

/** The messages of a stack policy that ran to the end: an unknown value read outside known() would have skipped it. */
async function judged(policy: StackValidationPolicy, resources: TestResource[], config: Record<string, unknown> = {}): Promise<string[]> {
    const outcome = await checkStack(policy, resources, config);
    assert.strictEqual(outcome.skipped, undefined, `${policy.name} was skipped`);
    return messages(outcome);
}

/** A table as another team writes it with @pulumi/aws: no tags of ours. */
const table = (props: Props = {}, name = "orders"): TestResource => ({
    type: "aws:dynamodb/table:Table",
    name,
    props: {
        name,
        region: "us-west-2",
        billingMode: "PAY_PER_REQUEST",
        hashKey: "id",
        attributes: [{ name: "id", type: "S" }],
        pointInTimeRecovery: { enabled: true },
        deletionProtectionEnabled: true,
        ...props,
    },
});

const tableReplica = (of: TestResource | undefined, props: Props = {}, name = "orders-replica"): TestResource => ({
    type: "aws:dynamodb/tableReplica:TableReplica",
    name,
    props: { globalTableArn: UNKNOWN, region: "us-east-1", pointInTimeRecovery: true, ...props },
    propertyDependencies: of ? { globalTableArn: [urnOf(of)] } : {},
});

const backup = backupPlanFor;

const EXEMPT = { "continuity-dr": "none", "continuity-dr-reason": "session cache rebuilt from the orders service" };
const REASONLESS = { "continuity-dr": "none" };
const NO_REASON_ENTRY = { exemptions: [{ type: "aws:dynamodb/table:Table", name: "orders" }] };
const REASONLESS_MESSAGE = (policy: string) =>
    `The exemption from '${policy}' for type aws:dynamodb/table:Table, name orders gives no reason; an exemption needs one, so this one exempts nothing.`;

const NO_PITR =
    "The DynamoDB table 'orders' has point-in-time recovery off (pointInTimeRecovery.enabled is not true); this environment requires it, with a recovery period of at least 35 days.";
const NO_DP =
    "The DynamoDB table 'orders' has deletion protection off (deletionProtectionEnabled is not true); this environment requires it, so that no one deletes the table by mistake.";
const NO_COPY =
    "The DynamoDB table 'orders' in us-west-2 has no copy in another region: no replica in another region (replicas[].regionName on the table, or an aws.dynamodb.TableReplica), and no AWS Backup plan of the stack selects it; this environment requires one or the other.";

describe("DynamoDB policies (policies/dynamodb.ts)", () => {
    it("let a protected table with a replica in another region through, every one", async () => {
        for (const p of dynamodbPolicies) {
            const outcome = await checkStack(p as any, [table({ replicas: [{ regionName: "us-east-1" }] })]);
            assert.deepStrictEqual(messages(outcome), [], p.name);
            assert.strictEqual(outcome.skipped, undefined, p.name);
        }
    });

    it("documents every policy, mandatory and guarding data, with anchors", () => {
        assert.deepStrictEqual(
            Object.keys(dynamodbReference),
            dynamodbPolicies.map((p) => p.name),
        );
        for (const p of dynamodbPolicies) {
            assert.strictEqual(p.enforcementLevel, "mandatory", p.name);
            assert.strictEqual(dynamodbReference[p.name].protectsData, true, p.name);
        }
        assert.strictEqual(dynamodbReference["dynamodb-point-in-time-recovery"].anchors.includes("CKV_AWS_28"), true);
    });

    describe("dynamodb-point-in-time-recovery", () => {
        it("rejects a table without point-in-time recovery, or with it disabled, with its URN", async () => {
            const o = await checkStack(dynamodbPointInTimeRecovery, [table({ pointInTimeRecovery: undefined })]);
            assert.deepStrictEqual(o.violations, [{ message: NO_PITR, urn: urnOf(table()) }]);
            assert.deepStrictEqual(await judged(dynamodbPointInTimeRecovery, [table({ pointInTimeRecovery: { enabled: false } })]), [
                NO_PITR,
            ]);
        });
        it("takes an unset recovery period as DynamoDB's default of 35 days, and rejects a shorter one", async () => {
            assert.deepStrictEqual(await judged(dynamodbPointInTimeRecovery, [table({ pointInTimeRecovery: { enabled: true } })]), []);
            assert.deepStrictEqual(
                await judged(dynamodbPointInTimeRecovery, [table({ pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: 7 } })]),
                ["The DynamoDB table 'orders' keeps point-in-time recovery 7 days; this environment requires at least 35."],
            );
        });
        it("reads the minimum recovery period from the config", async () => {
            const short = [table({ pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: 7 } })];
            assert.deepStrictEqual(await judged(dynamodbPointInTimeRecovery, short, { minRecoveryPeriodDays: 7 }), []);
            assert.deepStrictEqual(await judged(dynamodbPointInTimeRecovery, short, { minRecoveryPeriodDays: 14 }), [
                "The DynamoDB table 'orders' keeps point-in-time recovery 7 days; this environment requires at least 14.",
            ]);
            assert.deepStrictEqual(
                await judged(dynamodbPointInTimeRecovery, [table({ pointInTimeRecovery: undefined })], { minRecoveryPeriodDays: 1 }),
                [
                    "The DynamoDB table 'orders' has point-in-time recovery off (pointInTimeRecovery.enabled is not true); this environment requires it, with a recovery period of at least 1 day.",
                ],
            );
        });
        it("counts an unknown flag, period or block in the stack's favour at preview, without being skipped, and judges the other tables", async () => {
            for (const pointInTimeRecovery of [UNKNOWN, { enabled: UNKNOWN }, { enabled: true, recoveryPeriodInDays: UNKNOWN }]) {
                const o = await checkStack(dynamodbPointInTimeRecovery, [
                    table({ pointInTimeRecovery }),
                    table({ pointInTimeRecovery: undefined }, "carts"),
                ]);
                assert.deepStrictEqual(messages(o), [NO_PITR.replace("'orders'", "'carts'")]);
                assert.strictEqual(o.skipped, undefined);
            }
        });
        it("leaves a table tagged continuity-dr = none with a reason alone, but not one without a reason", async () => {
            const off = { pointInTimeRecovery: undefined };
            assert.deepStrictEqual(await judged(dynamodbPointInTimeRecovery, [table({ ...off, tags: EXEMPT })]), []);
            assert.deepStrictEqual(await judged(dynamodbPointInTimeRecovery, [table({ ...off, tags: REASONLESS })]), [NO_PITR]);
        });
        it("exempts a table listed in the config with a reason; an entry without one is a violation and exempts nothing", async () => {
            const off = [table({ pointInTimeRecovery: undefined })];
            const listed = { exemptions: [{ type: "aws:dynamodb/table:Table", name: "ord*", reason: "rebuilt nightly from S3" }] };
            assert.deepStrictEqual(await judged(dynamodbPointInTimeRecovery, off, listed), []);
            assert.deepStrictEqual(await judged(dynamodbPointInTimeRecovery, off, NO_REASON_ENTRY), [
                REASONLESS_MESSAGE("dynamodb-point-in-time-recovery"),
                NO_PITR,
            ]);
        });
    });

    describe("dynamodb-deletion-protection", () => {
        it("rejects a table without deletion protection, or with it false, with its URN", async () => {
            const o = await checkStack(dynamodbDeletionProtection, [table({ deletionProtectionEnabled: undefined })]);
            assert.deepStrictEqual(o.violations, [{ message: NO_DP, urn: urnOf(table()) }]);
            assert.deepStrictEqual(await judged(dynamodbDeletionProtection, [table({ deletionProtectionEnabled: false })]), [NO_DP]);
        });
        it("accepts deletionProtectionEnabled: true", async () => {
            assert.deepStrictEqual(await judged(dynamodbDeletionProtection, [table({ deletionProtectionEnabled: true })]), []);
        });
        it("counts an unknown flag in the stack's favour at preview, without being skipped", async () => {
            const o = await checkStack(dynamodbDeletionProtection, [
                table({ deletionProtectionEnabled: UNKNOWN }),
                table({ deletionProtectionEnabled: false }, "carts"),
            ]);
            assert.deepStrictEqual(messages(o), [NO_DP.replace("'orders'", "'carts'")]);
            assert.strictEqual(o.skipped, undefined);
        });
        it("honours tag and config exemptions with reasons only", async () => {
            const off = { deletionProtectionEnabled: false };
            assert.deepStrictEqual(await judged(dynamodbDeletionProtection, [table({ ...off, tags: EXEMPT })]), []);
            assert.deepStrictEqual(await judged(dynamodbDeletionProtection, [table({ ...off, tags: REASONLESS })]), [NO_DP]);
            assert.deepStrictEqual(await judged(dynamodbDeletionProtection, [table(off)], NO_REASON_ENTRY), [
                REASONLESS_MESSAGE("dynamodb-deletion-protection"),
                NO_DP,
            ]);
            assert.deepStrictEqual(
                await judged(dynamodbDeletionProtection, [table(off)], {
                    exemptions: [{ urn: "*::orders", reason: "scratch table for load tests" }],
                }),
                [],
            );
        });
    });

    describe("dynamodb-cross-region-copy", () => {
        it("rejects a table with neither a replica nor a Backup copy, with its URN", async () => {
            const o = await checkStack(dynamodbCrossRegionCopy, [table()]);
            assert.deepStrictEqual(o.violations, [{ message: NO_COPY, urn: urnOf(table()) }]);
        });
        it("accepts a replica on the table in another region (global tables version 2019.11.21)", async () => {
            assert.deepStrictEqual(
                await judged(dynamodbCrossRegionCopy, [table({ replicas: [{ regionName: "eu-west-1", pointInTimeRecovery: true }] })]),
                [],
            );
        });
        it("counts an unknown replica list or replica region in the stack's favour", async () => {
            assert.deepStrictEqual(await judged(dynamodbCrossRegionCopy, [table({ replicas: UNKNOWN })]), []);
            const o = await checkStack(dynamodbCrossRegionCopy, [table({ replicas: [{ regionName: UNKNOWN }] })]);
            assert.deepStrictEqual(messages(o), []);
            assert.strictEqual(o.skipped, undefined);
        });
        it("accepts an aws.dynamodb.TableReplica in another region, linked through its globalTableArn dependency", async () => {
            const t = table();
            assert.deepStrictEqual(await judged(dynamodbCrossRegionCopy, [t, tableReplica(t)]), []);
        });
        it("does not count a replica of another table, or one in the table's own region", async () => {
            const [t, other] = [table(), table({}, "carts")];
            assert.deepStrictEqual(await judged(dynamodbCrossRegionCopy, [t, other, tableReplica(other)]), [NO_COPY]);
            assert.deepStrictEqual(await judged(dynamodbCrossRegionCopy, [t, tableReplica(t, { region: "us-west-2" })]), [NO_COPY]);
        });
        it("links a TableReplica through a known ARN naming the table, and counts one whose table ARN is unknown and unlinked", async () => {
            const t = table();
            const byArn = tableReplica(undefined, { globalTableArn: "arn:aws:dynamodb:us-west-2:123456789012:table/orders" });
            assert.deepStrictEqual(await judged(dynamodbCrossRegionCopy, [t, byArn]), []);
            const otherArn = tableReplica(undefined, { globalTableArn: "arn:aws:dynamodb:us-west-2:123456789012:table/carts" });
            assert.deepStrictEqual(await judged(dynamodbCrossRegionCopy, [t, otherArn]), [NO_COPY]);
            assert.deepStrictEqual(await judged(dynamodbCrossRegionCopy, [t, tableReplica(undefined)]), []);
        });
        it("accepts a legacy aws.dynamodb.GlobalTable of the same name spanning another region", async () => {
            const global: TestResource = {
                type: "aws:dynamodb/globalTable:GlobalTable",
                name: "orders-global",
                props: { name: "orders", replicas: [{ regionName: "us-west-2" }, { regionName: "us-east-1" }] },
            };
            assert.deepStrictEqual(await judged(dynamodbCrossRegionCopy, [table(), global]), []);
            const sameRegion = { ...global, props: { name: "orders", replicas: [{ regionName: "us-west-2" }] } };
            assert.deepStrictEqual(await judged(dynamodbCrossRegionCopy, [table(), sameRegion]), [NO_COPY]);
        });
        it("accepts an AWS Backup plan that selects the table and copies to a vault in another region", async () => {
            const t = table();
            assert.deepStrictEqual(await judged(dynamodbCrossRegionCopy, [t, ...backup(t, "us-east-1")]), []);
        });
        it("names the Backup plan that selects the table but copies nothing to another region", async () => {
            const t = table();
            assert.deepStrictEqual(await judged(dynamodbCrossRegionCopy, [t, ...backup(t)]), [
                "The DynamoDB table 'orders' in us-west-2 has no copy in another region: no replica in another region (replicas[].regionName on the table, or an aws.dynamodb.TableReplica), and the AWS Backup plan 'backup' that selects it has no copy action to a vault in another region; this environment requires one or the other.",
            ]);
        });
        it("does not count a Backup copy when the stack turns AWS Backup's advanced DynamoDB features off in the table's region", async () => {
            const t = table();
            const settings: TestResource = {
                type: "aws:backup/regionSettings:RegionSettings",
                name: "backup-settings",
                props: {
                    region: "us-west-2",
                    resourceTypeOptInPreference: { DynamoDB: true },
                    resourceTypeManagementPreference: { DynamoDB: false, EFS: true },
                },
            };
            assert.deepStrictEqual(await judged(dynamodbCrossRegionCopy, [t, settings, ...backup(t, "us-east-1")]), [
                "The DynamoDB table 'orders' in us-west-2 has no copy in another region: no replica in another region (replicas[].regionName on the table, or an aws.dynamodb.TableReplica), and AWS Backup cannot copy it, because the aws.backup.RegionSettings 'backup-settings' turns off AWS Backup's advanced DynamoDB features (resourceTypeManagementPreference DynamoDB is false); this environment requires one or the other.",
            ]);
            const on = { ...settings, props: { ...settings.props, resourceTypeManagementPreference: { DynamoDB: true } } };
            assert.deepStrictEqual(await judged(dynamodbCrossRegionCopy, [t, on, ...backup(t, "us-east-1")]), []);
        });
        it("honours tag and config exemptions with reasons only", async () => {
            assert.deepStrictEqual(await judged(dynamodbCrossRegionCopy, [table({ tags: EXEMPT })]), []);
            assert.deepStrictEqual(await judged(dynamodbCrossRegionCopy, [table({ tags: REASONLESS })]), [NO_COPY]);
            assert.deepStrictEqual(await judged(dynamodbCrossRegionCopy, [table()], NO_REASON_ENTRY), [
                REASONLESS_MESSAGE("dynamodb-cross-region-copy"),
                NO_COPY,
            ]);
            assert.deepStrictEqual(
                await judged(dynamodbCrossRegionCopy, [table()], {
                    exemptions: [{ name: "orders", reason: "regional data by law: it must not leave us-west-2" }],
                }),
                [],
            );
        });
    });
});
