// The census on a program written as another team writes it (tests/fixtures/programs/data-stores), run through
// the check in process.
import * as assert from "assert";
import * as path from "path";
import { reference } from "../../../policies/pack";
import { CheckResult, runCheck } from "../../../tools/check/check";
import { renderHuman, renderJson } from "../../../tools/check/report";
import { ROOT } from "../../helpers/program";
import { BUCKET, RDS, TABLE, EFS } from "./fixtures";

const PACK = path.join(ROOT, "policies");
const FIXTURE = path.join(ROOT, "tests", "fixtures", "programs", "data-stores");

describe("the census in the check, on another team's program (tests/fixtures/programs/data-stores)", () => {
    const run = (configFile?: string) =>
        runCheck({
            projectDir: FIXTURE,
            stack: "test",
            packs: [{ dir: PACK, configFile: configFile && path.join(FIXTURE, configFile) }],
            programEnv: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
        });
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
            {
                urn: URN(BUCKET, "build-cache"),
                name: "build-cache",
                type: BUCKET,
                label: "S3 bucket",
                by: "tag",
                reason: "rebuilt by CI from the repository",
            },
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
            assert.ok(
                t.policies.some((p: string) => p !== "data-exemption-reasons" && reference[p]?.protectsData),
                t.type,
            );
        }
        // Per policy: the resources of the types it reads, less the stores exempted from it.
        const scope = Object.fromEntries(c.policies.map((p: any) => [p.name, p]));
        assert.deepStrictEqual(scope["data-exemption-reasons"], {
            name: "data-exemption-reasons",
            enforcementLevel: "mandatory",
            protectsData: true,
            inScope: 8,
            stores: 8,
            exempted: 0,
        });
        // The five buckets, the two versionings, the replication and the logging that tell a bucket's role, less the exempted cache.
        assert.deepStrictEqual(scope["storage-bucket-versioning"], {
            name: "storage-bucket-versioning",
            enforcementLevel: "mandatory",
            protectsData: true,
            inScope: 8,
            stores: 4,
            exempted: 1,
        });
        assert.deepStrictEqual(scope["service-desired-count"], {
            name: "service-desired-count",
            enforcementLevel: "mandatory",
            protectsData: false,
            inScope: 0,
            stores: 0,
            exempted: 0,
        });
        // Every policy of the pack that the reference describes (tests/policies/pack.spec.ts: all of them).
        assert.deepStrictEqual(
            c.policies.map((p: any) => p.name).sort(),
            pack.policies
                .map((p: any) => p.name)
                .filter((n: string) => reference[n] !== undefined)
                .sort(),
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
