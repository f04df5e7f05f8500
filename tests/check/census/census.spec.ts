// What continuity-guard judged (policies/census.ts), as the check shows it, on hand-built stacks.
import * as assert from "assert";
import { PolicyResource } from "@pulumi/policy";
import { BucketRole, census, censusLine, exemptionLines, PackSettings, unjudgedLines } from "../../../policies/census";
import { reference } from "../../../policies/pack";
import { CheckedResource } from "../../../tools/check/packTypes";
import { policyResources } from "../../../tools/check/coverage";
import { BUCKET, RDS, TABLE, EFS, VERSIONING, REF, mandatory } from "./fixtures";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** A resource as the check holds it (wire form: UNKNOWN for a value unknown at preview). */
function res(type: string, name: string, properties: Record<string, unknown> = {}, more: Partial<CheckedResource> = {}): CheckedResource {
    return {
        type,
        name,
        urn: `urn:pulumi:test::census::${type}::${name}`,
        properties,
        dependencies: [],
        propertyDependencies: {},
        options: {},
        ...more,
    };
}

const DR_NONE = (reason?: string) => ({
    tags: { "continuity-dr": "none", ...(reason === undefined ? {} : { "continuity-dr-reason": reason }) },
});
const SETTINGS: PackSettings = {
    "bucket-copy": mandatory({ exemptions: [] }),
    "bucket-versioning": mandatory(),
    "rds-backups": mandatory({ exemptions: [] }),
    "table-tls": mandatory(),
    "data-exemption-reasons": mandatory(),
};
const allData = () => new Map<PolicyResource, BucketRole>();

describe("census (policies/census.ts)", () => {
    const stack = [
        res("pulumi:pulumi:Stack", "census-test"),
        res(BUCKET, "invoices"),
        res(BUCKET, "replica", { region: "us-east-1" }),
        res(BUCKET, "cache", DR_NONE("rebuilt by CI from the repository")),
        res(VERSIONING, "invoices-versioning", { bucket: UNKNOWN }),
        res(RDS, "orders", { identifier: UNKNOWN }),
        res(TABLE, "sessions"),
        res(EFS, "shared"),
        res("aws:sqs/queue:Queue", "jobs"),
    ];

    it("counts the data stores by kind, in the pack's order of kinds, and says which no data rule judges", () => {
        const c = census(policyResources(stack), SETTINGS, { reference: REF, bucketRoles: allData });
        assert.deepStrictEqual(c.stores.byKind, [
            { kind: "s3Bucket", label: "S3 bucket", count: 3 },
            { kind: "rdsInstance", label: "RDS instance", count: 1 },
            { kind: "dynamodbTable", label: "DynamoDB table", count: 1 },
            { kind: "efsFileSystem", label: "EFS file system", count: 1 },
        ]);
        assert.strictEqual(c.stores.total, 6);
        assert.strictEqual(censusLine(c), "judged 4 data stores: 3 S3 buckets, 1 RDS instance; 1 exempted");
        // The table: only a rule that protects no data reads it; the file system: only the exemption rule.
        assert.deepStrictEqual(unjudgedLines(c), [
            "warning: no enabled data rule judges the stack's 1 DynamoDB table (aws:dynamodb/table:Table); only table-tls, data-exemption-reasons read that type",
            "warning: no enabled data rule judges the stack's 1 EFS file system (aws:efs/fileSystem:FileSystem); only data-exemption-reasons reads that type",
        ]);
        assert.deepStrictEqual(
            c.types.map((t) => [t.type, t.count, t.policies, t.unjudged]),
            [
                [BUCKET, 3, ["bucket-copy", "bucket-versioning", "data-exemption-reasons"], false],
                [RDS, 1, ["rds-backups", "data-exemption-reasons"], false],
                [TABLE, 1, ["table-tls", "data-exemption-reasons"], true],
                [EFS, 1, ["data-exemption-reasons"], true],
            ],
        );
    });

    it("a tag with its reason exempts a store from every data rule but the exemption rule; per policy, the resources in scope", () => {
        const c = census(policyResources(stack), SETTINGS, { reference: REF, bucketRoles: allData });
        assert.deepStrictEqual(c.exemptions, [
            {
                urn: `urn:pulumi:test::census::${BUCKET}::cache`,
                name: "cache",
                type: BUCKET,
                label: "S3 bucket",
                by: "tag",
                reason: "rebuilt by CI from the repository",
            },
        ]);
        assert.deepStrictEqual(exemptionLines(c), [
            "exempted: the S3 bucket 'cache' from every data rule, by its tag continuity-dr = none: rebuilt by CI from the repository",
        ]);
        assert.deepStrictEqual(
            c.policies.map((p) => [p.name, p.enforcementLevel, p.protectsData, p.inScope, p.stores, p.exempted]),
            [
                ["bucket-copy", "mandatory", true, 2, 2, 1],
                ["bucket-versioning", "mandatory", true, 3, 2, 1], // two buckets and the versioning resource
                ["rds-backups", "mandatory", true, 1, 1, 0],
                ["table-tls", "mandatory", false, 1, 1, 0],
                ["data-exemption-reasons", "mandatory", true, 6, 6, 0],
            ],
        );
    });

    it("a tag without a reason, or an unknown one, exempts nothing", () => {
        const c = census(
            policyResources([
                res(BUCKET, "no-reason", DR_NONE()),
                res(BUCKET, "blank", DR_NONE("  ")),
                res(BUCKET, "later", { tags: UNKNOWN }),
                res(BUCKET, "half", { tags: { "continuity-dr": UNKNOWN } }),
            ]),
            SETTINGS,
            {
                reference: REF,
                bucketRoles: allData,
            },
        );
        assert.deepStrictEqual(c.exemptions, []);
        assert.strictEqual(censusLine(c), "judged 4 data stores: 4 S3 buckets; 0 exempted");
    });

    it("a policy's exemptions setting exempts from that policy alone, with its reason; a reasonless entry or a disabled policy's exempts nothing", () => {
        const settings: PackSettings = {
            ...SETTINGS,
            "bucket-copy": mandatory({
                exemptions: [
                    { type: BUCKET, name: "scratch-*", reason: "  scratch space, emptied daily " },
                    { name: "invoices" }, // no reason: the policy's own violation, no exemption
                ],
            }),
            "rds-backups": {
                enforcementLevel: "disabled",
                properties: { exemptions: [{ type: RDS, reason: "a disabled rule exempts nothing" }] },
            },
            // Not a rule that reads tables: its entry is not used.
            "bucket-versioning": mandatory({ exemptions: [{ type: TABLE, reason: "not this rule's type" }] }),
        };
        const c = census(
            policyResources([res(BUCKET, "scratch-1"), res(BUCKET, "invoices"), res(RDS, "orders"), res(TABLE, "sessions")]),
            settings,
            {
                reference: REF,
                bucketRoles: allData,
            },
        );
        assert.deepStrictEqual(exemptionLines(c), [
            "exempted: the S3 bucket 'scratch-1' from bucket-copy, by that policy's exemptions setting: scratch space, emptied daily",
        ]);
        assert.deepStrictEqual(c.exemptions[0], {
            urn: `urn:pulumi:test::census::${BUCKET}::scratch-1`,
            name: "scratch-1",
            type: BUCKET,
            label: "S3 bucket",
            by: "config",
            policy: "bucket-copy",
            reason: "scratch space, emptied daily",
        });
        assert.deepStrictEqual(
            c.policies.filter((p) => p.name.startsWith("bucket-")).map((p) => [p.name, p.inScope, p.exempted]),
            [
                ["bucket-copy", 1, 1],
                ["bucket-versioning", 2, 0],
            ],
        );
        // The RDS rule is disabled: the instance is data that no enabled data rule judges.
        assert.strictEqual(censusLine(c), "judged 2 data stores: 2 S3 buckets; 1 exempted");
        assert.deepStrictEqual(unjudgedLines(c), [
            "warning: no enabled data rule judges the stack's 1 RDS instance (aws:rds/instance:Instance); only data-exemption-reasons reads that type",
            "warning: no enabled data rule judges the stack's 1 DynamoDB table (aws:dynamodb/table:Table); only table-tls, data-exemption-reasons read that type",
        ]);
    });

    it("counts copies and log buckets apart, in parentheses", () => {
        const stack = policyResources([
            res(BUCKET, "data"),
            res(BUCKET, "copy"),
            res(BUCKET, "copy-2"),
            res(BUCKET, "logs"),
            res(BUCKET, "logs-2"),
        ]);
        const roles = (rs: PolicyResource[]) =>
            new Map(
                rs.map((r): [PolicyResource, BucketRole] => [
                    r,
                    r.name.startsWith("logs") ? "logs" : r.name.startsWith("copy") ? "copy" : "data",
                ]),
            );
        const c = census(stack, SETTINGS, { reference: REF, bucketRoles: roles });
        assert.strictEqual(censusLine(c), "judged 5 data stores: 5 S3 buckets (2 DR copies, 2 log buckets); 0 exempted");
        assert.deepStrictEqual(c.bucketRoles, { data: 1, copy: 2, logs: 2 });
        assert.deepStrictEqual(
            c.stores.list.map((s) => [s.name, s.role]),
            [
                ["copy", "copy"],
                ["copy-2", "copy"],
                ["data", "data"],
                ["logs", "logs"],
                ["logs-2", "logs"],
            ],
        );
    });

    it("by default, the roles policies/storage.ts gives (a replication destination is a copy)", () => {
        const source = res(BUCKET, "source", { bucket: "source" });
        const replica = res(BUCKET, "replica", { bucket: "replica", region: "us-east-1", arn: UNKNOWN });
        const replication = res(
            "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
            "source-replication",
            {
                bucket: UNKNOWN,
                role: "arn:aws:iam::123456789012:role/replication",
                rules: [{ id: "all", status: "Enabled", filter: {}, destination: { bucket: UNKNOWN } }],
            },
            { propertyDependencies: { bucket: [source.urn], rules: [replica.urn] } },
        );
        const c = census(policyResources([source, replica, replication]), SETTINGS, { reference: REF });
        assert.deepStrictEqual(
            c.stores.list.map((s) => [s.name, s.role]),
            [
                ["replica", "copy"],
                ["source", "data"],
            ],
        );
    });

    it("a stack without data says so in its line; the pack's own reference by default", () => {
        const settings = Object.fromEntries(Object.keys(reference).map((n) => [n, mandatory()]));
        const c = census(policyResources([res("aws:sqs/queue:Queue", "jobs")]), settings);
        assert.strictEqual(censusLine(c), "judged 0 data stores; 0 exempted");
        assert.deepStrictEqual(c.types, []);
        assert.strictEqual(c.policies.length, Object.keys(reference).length);
    });

    it("the resources read as the pack reads them: an unknown value is the SDK's unknown, a secret its value", () => {
        const [bucket] = policyResources([
            res(
                BUCKET,
                "b",
                {
                    bucket: UNKNOWN,
                    tags: { team: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "billing" } },
                    __defaults: [],
                },
                {
                    provider: {
                        type: "pulumi:providers:aws",
                        name: "east",
                        urn: "urn:pulumi:test::census::pulumi:providers:aws::east",
                        properties: { region: "us-east-1" },
                    },
                },
            ),
        ]);
        assert.throws(
            () => bucket.props.bucket,
            (e: Error) => e.constructor.name === "UnknownValueError",
        );
        assert.strictEqual(bucket.props.tags.team, "billing");
        assert.strictEqual("__defaults" in bucket.props, false);
        assert.strictEqual(bucket.provider!.props.region, "us-east-1");
    });
});
