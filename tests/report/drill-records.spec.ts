// The DR plan reads the drill records `npm run drill:verify` writes (docs/drills/<date>-<environment>.md):
// the newest of the stack's environment gives the last drill, its result and the measured restore times,
// shown beside the model's estimates.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DrillRecord, renderRecord, StoreRecord } from "../../tools/drill/record";
import { Drills, DrillsConfigError, lastDrill, nextDrill, readDrills } from "../../tools/report/drills";
import { buildPlan, Cell, DrPlan, Section, Table } from "../../tools/report/plan";
import * as F from "./fixtures";

const store = (over: Partial<StoreRecord> & Pick<StoreRecord, "store" | "kind">): StoreRecord => ({
    result: "pass",
    copy: "a copy",
    copyAgeHours: 5,
    rtoHours: 1.5,
    steps: [],
    checks: [],
    problems: [],
    ...over,
});
const record = (over: Partial<DrillRecord> = {}): DrillRecord => ({
    date: "2026-04-15",
    environment: "staging",
    stack: "staging-drill",
    source: "staging",
    region: "us-east-1",
    result: "pass",
    stores: [
        store({ store: "atlas", kind: "atlas", copy: "Atlas snapshot 65snap of orders copied to EU_CENTRAL_1" }),
        store({ store: "uploads", kind: "s3", copy: "2 sampled objects of s3://acme-uploads-dr", copyAgeHours: 0, rtoHours: 48 }),
        store({
            store: "search",
            kind: "opensearch",
            result: "fail",
            rtoHours: 0.75,
            problems: ["index app-users: missing from the drill domain (source 50 documents)."],
        }),
    ],
    ...over,
});

describe("drill records in the DR plan (tools/report/drills.ts, sections.ts)", () => {
    let dir = "";
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "drill-records-"));
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: orders\nruntime: nodejs\n");
        fs.writeFileSync(
            path.join(dir, "Pulumi.stage.yaml"),
            'config:\n  continuity:environment: staging\n  continuity:drills:\n    last: "2025-10-14"\n',
        );
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
    const put = (name: string, text: string) => {
        fs.mkdirSync(path.join(dir, "docs", "drills"), { recursive: true });
        fs.writeFileSync(path.join(dir, "docs", "drills", name), text);
    };

    it("reads the newest record of the stack's environment, which then gives the last and the next drill", () => {
        assert.deepStrictEqual(readDrills(dir, "stage"), { last: "2025-10-14", months: [4, 10], monthsFrom: "default" });
        put("README.md", "# Drill records\n");
        put("2025-04-01-staging.md", renderRecord(record({ date: "2025-04-01" })));
        put("2026-04-15-staging.md", renderRecord(record()));
        put("2026-10-02-production.md", renderRecord(record({ date: "2026-10-02", environment: "production" })));
        const drills = readDrills(dir, "stage");
        assert.deepStrictEqual(drills, {
            last: "2025-10-14",
            months: [4, 10],
            monthsFrom: "default",
            record: { file: "2026-04-15-staging.md", record: record() },
        });
        assert.strictEqual(lastDrill(drills), "2026-04-15");
        assert.deepStrictEqual(nextDrill(drills), { year: 2026, month: 10 });
        // A `last` set later than the newest record wins.
        assert.strictEqual(lastDrill({ ...drills, last: "2026-05-01" }), "2026-05-01");
    });

    it("a record whose front matter is not as described is an input error naming the file and the field", () => {
        put("2026-04-15-staging.md", renderRecord(record()).replace("result: pass\nstores:", "result: maybe\nstores:"));
        assert.throws(
            () => readDrills(dir, "stage"),
            (e: unknown) =>
                e instanceof DrillsConfigError &&
                e.message.startsWith(
                    "docs/drills/2026-04-15-staging.md: front matter field 'result' is not as docs/drills/README.md describes it",
                ),
        );
        put("2026-04-15-staging.md", "# no front matter\n");
        assert.throws(
            () => readDrills(dir, "stage"),
            new DrillsConfigError(
                "docs/drills/2026-04-15-staging.md: a drill record starts with YAML front matter between two '---' lines; none found.",
            ),
        );
    });

    const text = (c: Cell) => (typeof c === "string" ? c : `${c.text} ✗`);
    function tables(plan: DrPlan): string[][][] {
        const s = plan.sections.find((x: Section) => x.id === "dr-tests")!;
        return s.blocks.filter((b): b is Table => b.kind === "table").map((t) => t.rows.map((r) => r.map(text)));
    }
    const plan = (drills: Drills) =>
        buildPlan({
            project: "orders",
            stack: "prod",
            stores: [F.ledgerStore, F.bucketStore, F.atlasStore],
            resources: F.RESOURCES,
            secretPaths: F.SECRET_PATHS,
            settings: {},
            cost: F.COST,
            drills,
        });

    it("shows the record's date and result, and each store's measured RTO beside the estimate", () => {
        const p = plan({ months: [4, 10], monthsFrom: "config", record: { file: "2026-04-15-orders.md", record: record() } });
        assert.deepStrictEqual(tables(p), [
            [["2026-04-15: pass (docs/drills/2026-04-15-orders.md)", "October 2026"]],
            [
                [
                    "atlas: Atlas cluster `orders-db`",
                    "Atlas snapshot 65snap of orders copied to EU_CENTRAL_1",
                    "5 h",
                    "1.5 h",
                    "≈ 42 min",
                    "pass",
                ],
                ["uploads: S3 bucket `uploads`", "2 sampled objects of s3://acme-uploads-dr", "0 min", "48 h", "≈ 12.5 h", "pass"],
                [
                    "search (opensearch)",
                    "a copy",
                    "5 h",
                    "45 min",
                    "no estimate (no matching store)",
                    "fail: index app-users: missing from the drill domain (source 50 documents). ✗",
                ],
            ],
        ]);
        const s = p.sections.find((x) => x.id === "dr-tests")!;
        const paragraphs = s.blocks.flatMap((b) => (b.kind === "paragraph" ? [b.text] : []));
        assert.deepStrictEqual(paragraphs.slice(1), [
            "Measured by the last drill (`docs/drills/2026-04-15-orders.md`):",
            "What each drill must prove:",
            "After a drill, `npm run drill:verify -- --stack <drill stack>` writes its record in `docs/drills/`; " +
                "then regenerate this plan.",
        ]);
    });

    it("a failed or pending drill is marked as a miss; an older record than `last` is not shown", () => {
        const failed = plan({ months: [4, 10], monthsFrom: "config", record: { file: "f.md", record: record({ result: "pending" }) } });
        assert.deepStrictEqual(tables(failed)[0], [["2026-04-15: pending (docs/drills/f.md) ✗", "October 2026"]]);
        const older = plan({ last: "2026-05-02", months: [4, 10], monthsFrom: "config", record: { file: "f.md", record: record() } });
        assert.deepStrictEqual(tables(older), [[["2026-05-02", "October 2026"]]]);
    });
});
