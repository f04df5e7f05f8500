// What continuity-guard judged (policies/census.ts) and how a config weakens its data rules, as the
// check shows them: on hand-built stacks, then on a program written as another team writes it
// (tests/fixtures/programs/data-stores), run through the check in process.
import * as assert from "assert";
import * as path from "path";
import { PolicyResource } from "@pulumi/policy";
import { BucketRole, census, CensusReference, censusLine, exemptionLines, PackSettings, unjudgedLines, weakeningLines, weakenings } from "../../policies/census";
import { reference } from "../../policies/pack";
import { CheckedResource } from "../../tools/check/analyzer";
import { CheckResult, runCheck } from "../../tools/check/check";
import { policyResources } from "../../tools/check/coverage";
import { renderHuman, renderJson } from "../../tools/check/report";
import { ROOT } from "../helpers/program";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const PACK = path.join(ROOT, "policies");
const FIXTURE = path.join(ROOT, "tests", "fixtures", "programs", "data-stores");

const BUCKET = "aws:s3/bucket:Bucket";
const RDS = "aws:rds/instance:Instance";
const TABLE = "aws:dynamodb/table:Table";
const EFS = "aws:efs/fileSystem:FileSystem";
const VERSIONING = "aws:s3/bucketVersioning:BucketVersioning";

/** A resource as the check holds it (wire form: UNKNOWN for a value unknown at preview). */
function res(type: string, name: string, properties: Record<string, unknown> = {}, more: Partial<CheckedResource> = {}): CheckedResource {
    return { type, name, urn: `urn:pulumi:test::census::${type}::${name}`, properties, dependencies: [], propertyDependencies: {}, options: {}, ...more };
}

const DR_NONE = (reason?: string) => ({ tags: { "continuity-dr": "none", ...(reason === undefined ? {} : { "continuity-dr-reason": reason }) } });

// A small pack: two bucket rules (one takes exemptions), an RDS rule, a TLS rule that is no data rule,
// and the rule that judges exemptions (it reads every data-holding type, and protects no data).
const REF: CensusReference = {
    "bucket-copy": { resources: [BUCKET, "aws:s3/bucketReplicationConfig:BucketReplicationConfig"], protectsData: true },
    "bucket-versioning": { resources: [BUCKET, VERSIONING], protectsData: true },
    "rds-backups": { resources: [RDS], protectsData: true },
    "table-tls": { resources: [TABLE], protectsData: false },
    "data-exemption-reasons": { resources: [BUCKET, RDS, TABLE, EFS], protectsData: true },
};
const mandatory = (properties: Record<string, unknown> = {}) => ({ enforcementLevel: "mandatory", properties });
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
            { urn: `urn:pulumi:test::census::${BUCKET}::cache`, name: "cache", type: BUCKET, label: "S3 bucket", by: "tag", reason: "rebuilt by CI from the repository" },
        ]);
        assert.deepStrictEqual(exemptionLines(c), ["exempted: the S3 bucket 'cache' from every data rule, by its tag continuity-dr = none: rebuilt by CI from the repository"]);
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
        const c = census(policyResources([res(BUCKET, "no-reason", DR_NONE()), res(BUCKET, "blank", DR_NONE("  ")), res(BUCKET, "later", { tags: UNKNOWN }), res(BUCKET, "half", { tags: { "continuity-dr": UNKNOWN } })]), SETTINGS, {
            reference: REF,
            bucketRoles: allData,
        });
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
            "rds-backups": { enforcementLevel: "disabled", properties: { exemptions: [{ type: RDS, reason: "a disabled rule exempts nothing" }] } },
            // Not a rule that reads tables: its entry is not used.
            "bucket-versioning": mandatory({ exemptions: [{ type: TABLE, reason: "not this rule's type" }] }),
        };
        const c = census(policyResources([res(BUCKET, "scratch-1"), res(BUCKET, "invoices"), res(RDS, "orders"), res(TABLE, "sessions")]), settings, {
            reference: REF,
            bucketRoles: allData,
        });
        assert.deepStrictEqual(exemptionLines(c), ["exempted: the S3 bucket 'scratch-1' from bucket-copy, by that policy's exemptions setting: scratch space, emptied daily"]);
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
        const stack = policyResources([res(BUCKET, "data"), res(BUCKET, "copy"), res(BUCKET, "copy-2"), res(BUCKET, "logs"), res(BUCKET, "logs-2")]);
        const roles = (rs: PolicyResource[]) => new Map(rs.map((r): [PolicyResource, BucketRole] => [r, r.name.startsWith("logs") ? "logs" : r.name.startsWith("copy") ? "copy" : "data"]));
        const c = census(stack, SETTINGS, { reference: REF, bucketRoles: roles });
        assert.strictEqual(censusLine(c), "judged 5 data stores: 5 S3 buckets (2 DR copies, 2 log buckets); 0 exempted");
        assert.deepStrictEqual(c.bucketRoles, { data: 1, copy: 2, logs: 2 });
        assert.deepStrictEqual(c.stores.list.map((s) => [s.name, s.role]), [["copy", "copy"], ["copy-2", "copy"], ["data", "data"], ["logs", "logs"], ["logs-2", "logs"]]);
    });

    it("by default, the roles policies/storage.ts gives (a replication destination is a copy)", () => {
        const source = res(BUCKET, "source", { bucket: "source" });
        const replica = res(BUCKET, "replica", { bucket: "replica", region: "us-east-1", arn: UNKNOWN });
        const replication = res("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "source-replication", {
            bucket: UNKNOWN,
            role: "arn:aws:iam::123456789012:role/replication",
            rules: [{ id: "all", status: "Enabled", filter: {}, destination: { bucket: UNKNOWN } }],
        }, { propertyDependencies: { bucket: [source.urn], rules: [replica.urn] } });
        const c = census(policyResources([source, replica, replication]), SETTINGS, { reference: REF });
        assert.deepStrictEqual(c.stores.list.map((s) => [s.name, s.role]), [["replica", "copy"], ["source", "data"]]);
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
            res(BUCKET, "b", { bucket: UNKNOWN, tags: { team: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "billing" } }, __defaults: [] }, {
                provider: { type: "pulumi:providers:aws", name: "east", urn: "urn:pulumi:test::census::pulumi:providers:aws::east", properties: { region: "us-east-1" } },
            }),
        ]);
        assert.throws(() => bucket.props.bucket, (e: Error) => e.constructor.name === "UnknownValueError");
        assert.strictEqual(bucket.props.tags.team, "billing");
        assert.strictEqual("__defaults" in bucket.props, false);
        assert.strictEqual(bucket.provider!.props.region, "us-east-1");
    });
});

describe("weakened data rules (policies/census.ts weakenings)", () => {
    const production: PackSettings = {
        "bucket-copy": mandatory({ storageClasses: ["DEEP_ARCHIVE", "GLACIER"], maxCopyIntervalDays: 7, exemptions: [] }),
        "bucket-versioning": mandatory({ minRetentionDays: 30, requireComplianceMode: true }),
        "rds-backups": mandatory({ required: true, minRetentionDays: 7 }),
        "table-tls": mandatory({ minTlsVersion: 12 }),
        "data-exemption-reasons": mandatory(),
    };

    it("one line per weakened setting: a level below mandatory, a min lower, a max higher, a requirement off, a list that allows more", () => {
        const ws = weakenings(
            {
                "bucket-copy": mandatory({ storageClasses: ["DEEP_ARCHIVE", "STANDARD"], maxCopyIntervalDays: 30, exemptions: [{ type: BUCKET, reason: "not weighed: listed when used" }] }),
                "bucket-versioning": { enforcementLevel: "advisory", properties: { minRetentionDays: 7, requireComplianceMode: false } },
                "rds-backups": { enforcementLevel: "disabled", properties: { required: false, minRetentionDays: 14 } },
                "table-tls": { enforcementLevel: "disabled", properties: { minTlsVersion: 10 } }, // no data rule
                "data-exemption-reasons": mandatory(),
            },
            production,
            { reference: REF },
        );
        assert.deepStrictEqual(weakeningLines(ws), [
            'warning: data rule bucket-copy weaker than production: storageClasses ["DEEP_ARCHIVE","STANDARD"] (production: ["DEEP_ARCHIVE","GLACIER"])',
            "warning: data rule bucket-copy weaker than production: maxCopyIntervalDays 30 (production: 7)",
            'warning: data rule bucket-versioning weaker than production: enforcementLevel "advisory" (production: "mandatory")',
            "warning: data rule bucket-versioning weaker than production: minRetentionDays 7 (production: 30)",
            "warning: data rule bucket-versioning weaker than production: requireComplianceMode false (production: true)",
            'warning: data rule rds-backups weaker than production: enforcementLevel "disabled" (production: "mandatory")',
            "warning: data rule rds-backups weaker than production: required false (production: true)",
        ]);
        assert.deepStrictEqual(ws[0], { policy: "bucket-copy", setting: "storageClasses", found: ["DEEP_ARCHIVE", "STANDARD"], production: ["DEEP_ARCHIVE", "GLACIER"], via: "policy" });
    });

    it("stricter or equal settings are no warning: a narrower list, a higher min, a lower max, remediate", () => {
        const ws = weakenings(
            {
                "bucket-copy": mandatory({ storageClasses: ["DEEP_ARCHIVE"], maxCopyIntervalDays: 1 }),
                "bucket-versioning": { enforcementLevel: "remediate", properties: { minRetentionDays: 90, requireComplianceMode: true } },
                "rds-backups": mandatory({ required: true, minRetentionDays: 7 }),
            },
            production,
            { reference: REF },
        );
        assert.deepStrictEqual(ws, []);
    });

    it('"all" that covers the data rules is one line; a rule given its own level is its own line', () => {
        const settings: PackSettings = {
            all: { enforcementLevel: "advisory" },
            "bucket-copy": { enforcementLevel: "advisory", properties: {} },
            "bucket-versioning": { enforcementLevel: "advisory", properties: {} },
            "rds-backups": { enforcementLevel: "advisory", properties: {} },
            "table-tls": { enforcementLevel: "advisory", properties: {} },
            "data-exemption-reasons": { enforcementLevel: "mandatory" },
        };
        const ws = weakenings(settings, production, { reference: REF, ownLevels: new Set(["rds-backups"]) });
        assert.deepStrictEqual(weakeningLines(ws), [
            'warning: "all": "advisory" makes 2 data rules weaker than production: enforcementLevel "advisory" (production: "mandatory")',
            'warning: data rule rds-backups weaker than production: enforcementLevel "advisory" (production: "mandatory")',
        ]);
        assert.deepStrictEqual(
            ws.map((w) => [w.policy, w.via]),
            [
                ["bucket-copy", "all"],
                ["bucket-versioning", "all"],
                ["rds-backups", "policy"],
            ],
        );
    });
});

describe("the census in the check, on another team's program (tests/fixtures/programs/data-stores)", () => {
    const run = (configFile?: string) =>
        runCheck({ projectDir: FIXTURE, stack: "test", packs: [{ dir: PACK, configFile: configFile && path.join(FIXTURE, configFile) }], programEnv: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" } });
    /** The pack's block of the human output, up to its first diagnostic. */
    const head = (r: CheckResult) => {
        const lines = renderHuman(r, ROOT).split("\n");
        const start = lines.findIndex((l) => l.startsWith("    ✓ continuity-guard") || l.startsWith("    ✗ continuity-guard"));
        const block: string[] = [];
        for (const l of lines.slice(start + 1)) {
            if (!l.startsWith("        ") || l.startsWith("        - [")) break;
            block.push(l.slice(8));
        }
        return block;
    };
    const URN = (type: string, name: string) => `urn:pulumi:test::data-stores::${type}::${name}`;
    const results: Record<string, Promise<CheckResult>> = {};
    before(() => {
        // One at a time: the machine has two cores, and each run starts the pack.
        results.defaults = run();
        results.weakened = results.defaults.catch(() => undefined).then(() => run("weakened-config.json"));
        results.disabled = results.weakened.catch(() => undefined).then(() => run("all-disabled-config.json"));
        for (const r of Object.values(results)) r.catch(() => undefined);
    });

    it("prints one census line, then the exemption used with its reason; nothing weakened with the pack's defaults", async () => {
        const r = await results.defaults;
        assert.deepStrictEqual(head(r), [
            "judged 8 data stores: 5 S3 buckets (1 DR copy, 1 log bucket), 1 RDS instance, 1 DynamoDB table, 1 EFS file system; 1 exempted",
            "exempted: the S3 bucket 'build-cache' from every data rule, by its tag continuity-dr = none: rebuilt by CI from the repository",
        ]);
    });

    it("--json carries the whole census and the (empty) list of weakened rules", async () => {
        const doc = JSON.parse(renderJson(await results.defaults));
        const pack = doc.packs[0];
        assert.deepStrictEqual(pack.weakened, []);
        const c = pack.census;
        assert.deepStrictEqual(c.stores.byKind, [
            { kind: "s3Bucket", label: "S3 bucket", count: 5 },
            { kind: "rdsInstance", label: "RDS instance", count: 1 },
            { kind: "dynamodbTable", label: "DynamoDB table", count: 1 },
            { kind: "efsFileSystem", label: "EFS file system", count: 1 },
        ]);
        assert.deepStrictEqual(c.judged, { total: 8, byKind: c.stores.byKind });
        assert.deepStrictEqual(c.bucketRoles, { data: 3, copy: 1, logs: 1 });
        assert.deepStrictEqual(
            c.stores.list.map((s: any) => [s.name, s.role ?? null, s.judged]),
            [
                ["access-logs", "logs", true],
                ["build-cache", "data", true],
                ["invoices", "data", true],
                ["invoices-replica", "copy", true],
                ["uploads", "data", true],
                ["orders", null, true],
                ["sessions", null, true],
                ["shared", null, true],
            ],
        );
        assert.deepStrictEqual(c.exemptions, [
            { urn: URN(BUCKET, "build-cache"), name: "build-cache", type: BUCKET, label: "S3 bucket", by: "tag", reason: "rebuilt by CI from the repository" },
        ]);
        assert.strictEqual(c.exempted, 1);
        assert.deepStrictEqual(c.unjudged, []);
        assert.deepStrictEqual(
            c.types.map((t: any) => [t.type, t.count]),
            [
                [BUCKET, 5],
                [RDS, 1],
                [TABLE, 1],
                [EFS, 1],
            ],
        );
        // Every data-holding type is read by the rule for exemptions and by at least one other data rule.
        for (const t of c.types) {
            assert.ok(t.policies.includes("data-exemption-reasons"), t.type);
            assert.ok(t.policies.some((p: string) => p !== "data-exemption-reasons" && reference[p]?.protectsData), t.type);
        }
        // Per policy: the resources of the types it reads, less the stores exempted from it.
        const scope = Object.fromEntries(c.policies.map((p: any) => [p.name, p]));
        assert.deepStrictEqual(scope["data-exemption-reasons"], { name: "data-exemption-reasons", enforcementLevel: "mandatory", protectsData: true, inScope: 8, stores: 8, exempted: 0 });
        // The five buckets, the two versionings, the replication and the logging that tell a bucket's role, less the exempted cache.
        assert.deepStrictEqual(scope["storage-bucket-versioning"], { name: "storage-bucket-versioning", enforcementLevel: "mandatory", protectsData: true, inScope: 8, stores: 4, exempted: 1 });
        assert.deepStrictEqual(scope["service-desired-count"], { name: "service-desired-count", enforcementLevel: "mandatory", protectsData: false, inScope: 0, stores: 0, exempted: 0 });
        // Every policy of the pack that the reference describes (tests/policies/pack.spec.ts: all of them).
        assert.deepStrictEqual(
            c.policies.map((p: any) => p.name).sort(),
            pack.policies.map((p: any) => p.name).filter((n: string) => reference[n] !== undefined).sort(),
        );
    });

    it("a config that disables a data rule and lowers a min setting: one warning line each, counted in --json", async () => {
        const r = await results.weakened;
        assert.deepStrictEqual(head(r).slice(2), [
            'warning: data rule storage-dr-copy weaker than production: enforcementLevel "disabled" (production: "mandatory")',
            "warning: data rule storage-dr-object-lock weaker than production: minRetentionDays 7 (production: 30)",
        ]);
        assert.deepStrictEqual(JSON.parse(renderJson(r)).packs[0].weakened, [
            { policy: "storage-dr-copy", setting: "enforcementLevel", found: "disabled", production: "mandatory", via: "policy" },
            { policy: "storage-dr-object-lock", setting: "minRetentionDays", found: 7, production: 30, via: "policy" },
        ]);
    });

    it('"all": "disabled" leaves the data judged by nothing, and says so', async () => {
        const r = await results.disabled;
        const dataRules = Object.keys(r.packs[0].config).filter((n) => reference[n]?.protectsData).length;
        assert.deepStrictEqual(head(r), [
            "judged 0 data stores; 1 exempted",
            "exempted: the S3 bucket 'build-cache' from every data rule, by its tag continuity-dr = none: rebuilt by CI from the repository",
            "warning: no enabled data rule judges the stack's 5 S3 buckets (aws:s3/bucket:Bucket)",
            "warning: no enabled data rule judges the stack's 1 RDS instance (aws:rds/instance:Instance)",
            "warning: no enabled data rule judges the stack's 1 DynamoDB table (aws:dynamodb/table:Table)",
            "warning: no enabled data rule judges the stack's 1 EFS file system (aws:efs/fileSystem:FileSystem)",
            `warning: "all": "disabled" makes ${dataRules} data rules weaker than production: enforcementLevel "disabled" (production: "mandatory")`,
        ]);
        assert.strictEqual(r.packs[0].coverage!.weakened.length, dataRules);
        assert.ok(r.packs[0].coverage!.weakened.every((w) => w.via === "all" && w.setting === "enforcementLevel"));
    });
});
