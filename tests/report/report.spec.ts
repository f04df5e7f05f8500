// `npm run report` as a user runs it: a separate process, its exit code, its output. Bad input stops
// with exit 2 and a message naming the flag, key or file; another team's plain @pulumi/aws program
// gets a plan that shows what it would lose; the drill record is read from the stack config.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadPrices } from "../../tools/report/cost";
import { DrillsConfigError, nextDrill, parseDrills } from "../../tools/report/drills";
import { SECRET_SIG, SECRET_SIG_KEY } from "../../tools/check/wire";
import { Graph } from "../../tools/report/graph";
import { parseReportArgs, secretPathsOf, USAGE } from "../../tools/report/index";
import { inBackground, Run, runTool } from "../helpers/process";
import { ROOT } from "../helpers/program";

const PLAIN = path.join(__dirname, "programs", "plain-aws");
const THROWING = path.join(ROOT, "tests", "fixtures", "programs", "throwing-apply");

/** The report as a process, in `cwd`. */
const report = (args: string[], cwd = ROOT) => runTool("report", args, cwd);

// Each case starts when this file loads, in the background queue; each test awaits its own.
const cases = new Map<string, Promise<Run>>();
function run(name: string, args: string[], cwd?: string): Promise<Run> {
    if (!cases.has(name))
        cases.set(
            name,
            inBackground(() => report(args, cwd)),
        );
    return cases.get(name)!;
}

const usage = (message: string) => `${message}\n\n${USAGE}\n`;
const NO_POLICIES =
    `${PLAIN} has no policies/ pack: checking with continuity-guard (${path.join(ROOT, "policies")}) and its defaults ` +
    `(the strict, production values).`;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "dr-report-"));
const badPrices = path.join(scratch, "prices.json");
fs.writeFileSync(badPrices, '{"currency": "USD", "regions": {"default": {"s3": {"storage": {"DEEP_ARCHIVE": {"price": -1}}}}}}');
const outFile = path.join(scratch, "plan.json");

const CASES: [string, string[], string?][] = [
    ["plain md", ["--stack", "test", "--cwd", PLAIN]],
    ["plain json out", ["--stack", "test", "--cwd", PLAIN, "--out", outFile]],
    ["unknown flag", ["--stack", "test", "--json"]],
    ["no stack", ["--format", "md"]],
    ["bad format", ["--stack", "test", "--format", "pdf"]],
    ["out without value", ["--stack", "test", "--out"]],
    ["missing stack file", ["--stack", "nope", "--cwd", PLAIN]],
    ["bad drills", ["--stack", "bad-drills", "--cwd", PLAIN]],
    ["bad prices", ["--stack", "test", "--cwd", PLAIN, "--prices", badPrices]],
    ["throwing program", ["--stack", "test"], THROWING],
];
for (const [name, args, cwd] of CASES) run(name, args, cwd);

describe("npm run report (tools/report/index.ts)", () => {
    after(() => fs.rmSync(scratch, { recursive: true, force: true }));

    it("refuses an unknown flag, a missing --stack, an unknown format and a flag without its value: exit 2 with the usage", async () => {
        for (const [name, message] of [
            ["unknown flag", "Unknown argument '--json'."],
            ["no stack", "--stack is required."],
            ["bad format", "--format must be one of md, html, json, found 'pdf'."],
            ["out without value", "--out needs a value."],
        ]) {
            const r = await run(name, []);
            assert.deepStrictEqual(
                { status: r.status, stdout: r.stdout, stderr: r.stderr },
                { status: 2, stdout: "", stderr: usage(message) },
                name,
            );
        }
    });

    it("names the stack file that does not exist, exit 2", async () => {
        const r = await run("missing stack file", []);
        assert.deepStrictEqual(
            { status: r.status, stdout: r.stdout, stderr: r.stderr },
            { status: 2, stdout: "", stderr: `${path.join(PLAIN, "Pulumi.nope.yaml")} does not exist.\n` },
        );
    });

    it("names the drill record's key, the value found and what is allowed, before running the program: exit 2", async () => {
        const r = await run("bad drills", []);
        assert.deepStrictEqual(
            { status: r.status, stdout: r.stdout, stderr: r.stderr },
            {
                status: 2,
                stdout: "",
                stderr:
                    "Pulumi.bad-drills.yaml: continuity:drills.last must be the date of the last drill, a real day written " +
                    "YYYY-MM-DD, found '2025-02-30'.\n",
            },
        );
    });

    it("stops on a bad price file with the price table's own message (the key and the value found): exit 2", async () => {
        let expected = "";
        assert.throws(
            () => loadPrices(badPrices),
            (e: Error) => ((expected = e.message), e.name === "PriceFileError"),
        );
        const r = await run("bad prices", []);
        assert.deepStrictEqual(
            { status: r.status, stdout: r.stdout, stderr: r.stderr },
            { status: 2, stdout: "", stderr: `${expected}\n` },
        );
    });

    it("stops when the program fails, with the program's own error: exit 2", async () => {
        const r = await run("throwing program", []);
        assert.strictEqual(r.status, 2);
        assert.strictEqual(r.stdout, "");
        assert.deepStrictEqual(r.stderr.split("\n").slice(1, 4), [
            "The program failed before the plan could be made:",
            `Running program '${path.join(THROWING, "index.ts")}' failed with an unhandled exception:`,
            "Error: ACME_SITE_DOMAIN_FOR_TESTS is not set: cannot name the host for bucket acme-site-content",
        ]);
    });

    it(
        "gives another team's plain @pulumi/aws program a plan: what a lost region or a deletion costs each store, and the " + "misses",
        async () => {
            const r = await run("plain md", []);
            assert.strictEqual(r.status, 0, r.stderr);
            assert.strictEqual(r.stderr, `${NO_POLICIES}\n`);
            const lines = r.stdout.split("\n");
            const rows = (store: string) =>
                lines.filter((l) => l.startsWith(`| ${store} | region lost | `) || l.startsWith(`| ${store} | corruption or deletion | `));
            assert.deepStrictEqual(rows("RDS instance `orders`"), [
                "| RDS instance `orders` | region lost | **∞** ✗ | 8 h | **∞** ✗ | 24 h | **missed: RPO, RTO** ✗ | no copy outside " +
                    "eu-west-1: the data is lost with the region |",
                "| RDS instance `orders` | corruption or deletion | **∞** ✗ | 6 h | **∞** ✗ | 24 h | **missed: RPO, RTO** ✗ | " +
                    "no recovery points (snapshots, versions, point-in-time restore): a deletion or corruption is final |",
            ]);
            assert.deepStrictEqual(rows("S3 bucket `uploads`"), [
                "| S3 bucket `uploads` | region lost | **∞** ✗ | 168 h | **∞** ✗ | 72 h | **missed: RPO, RTO** ✗ | no copy outside " +
                    "eu-west-1: the data is lost with the region |",
                "| S3 bucket `uploads` | corruption or deletion | **∞** ✗ | 24 h | **∞** ✗ | 72 h | **missed: RPO, RTO** ✗ | " +
                    "no recovery points (snapshots, versions, point-in-time restore): a deletion or corruption is final |",
            ]);
            assert.ok(
                lines.includes("- Recovery objectives: 12 of 16 RPO and RTO estimates miss their targets (see the table)."),
                r.stdout,
            );
            assert.ok(lines.includes("| 2025-04-15 | October 2025 |"), "the drill record from Pulumi.test.yaml");
            assert.ok(
                lines.includes("The primary region lost: nothing outside eu-west-1 to restore from; the data is lost with the region."),
            );
            assert.ok(
                lines.includes(
                    "| RDS instance `orders` | **region lost: the data is lost** ✗ | high | " +
                        "no copy outside eu-west-1: the data is lost with the region | Keep a copy in another region. |",
                ),
            );
        },
    );

    it("writes the plan to --out, in the format its extension names (JSON: the plan data structure)", async () => {
        const r = await run("plain json out", []);
        assert.strictEqual(r.status, 0, r.stderr);
        assert.strictEqual(r.stdout, "");
        assert.strictEqual(r.stderr, `${NO_POLICIES}\nWrote ${path.relative(ROOT, outFile)}: 2 stores, 12 missed targets.\n`);
        const plan = JSON.parse(fs.readFileSync(outFile, "utf8"));
        assert.deepStrictEqual(
            plan.stores.map((s: any) => [
                s.label,
                s.name,
                s.objectives.find((o: any) => o.disruption === "region").rpoHours,
                s.objectives.flatMap((o: any) => o.missed).length,
            ]),
            [
                ["RDS instance", "orders", null, 8],
                ["S3 bucket", "uploads", null, 4],
            ],
        );
        assert.deepStrictEqual(plan.drills, { last: "2025-04-15", months: [4, 10], monthsFrom: "default" });
        assert.deepStrictEqual(plan.topology.edges, []);
    });
});

describe("the drill record (tools/report/drills.ts)", () => {
    const where = "Pulumi.x.yaml";
    it("reads last and months; absent: no drill, April and October", () => {
        assert.deepStrictEqual(parseDrills(undefined, where), { months: [4, 10], monthsFrom: "default" });
        assert.deepStrictEqual(parseDrills('{"last":"2024-11-30","months":[11,5]}', where), {
            last: "2024-11-30",
            months: [5, 11],
            monthsFrom: "config",
        });
    });

    it("puts the next drill in the first listed month after the last one, into the next year when none is left", () => {
        const next = (last: string, months: number[]) => nextDrill({ last, months, monthsFrom: "config" });
        assert.deepStrictEqual(next("2025-04-15", [4, 10]), { year: 2025, month: 10 });
        assert.deepStrictEqual(next("2025-10-01", [4, 10]), { year: 2026, month: 4 });
        assert.deepStrictEqual(next("2025-03-31", [4, 10]), { year: 2025, month: 4 });
        assert.strictEqual(nextDrill({ months: [4, 10], monthsFrom: "default" }), undefined);
    });

    it("refuses a bad record naming the key, the value found and what is allowed", () => {
        for (const [raw, message] of [
            [
                '{"last":"2025-13-01"}',
                "Pulumi.x.yaml: continuity:drills.last must be the date of the last drill, a real day written YYYY-MM-DD, found " +
                    "'2025-13-01'.",
            ],
            [
                '{"last":20250401}',
                "Pulumi.x.yaml: continuity:drills.last must be the date of the last drill, a real day written YYYY-MM-DD, found 20250401.",
            ],
            [
                '{"months":[4,4]}',
                "Pulumi.x.yaml: continuity:drills.months must be a list of month numbers from 1 to 12, each at most once (e.g. [4, 10]), " +
                    "found [4,4].",
            ],
            [
                '{"months":[0,13]}',
                "Pulumi.x.yaml: continuity:drills.months must be a list of month numbers from 1 to 12, each at most once (e.g. [4, 10]), " +
                    "found [0,13].",
            ],
            [
                '{"months":[]}',
                "Pulumi.x.yaml: continuity:drills.months must be a list of month numbers from 1 to 12, each at most once (e.g. [4, 10]), " +
                    "found [].",
            ],
            ['{"lats":"2025-04-01"}', "Pulumi.x.yaml: continuity:drills has no setting 'lats'; its settings are last and months."],
            [
                "2025-04-01",
                "Pulumi.x.yaml: continuity:drills must be an object with 'last' (the last drill, YYYY-MM-DD) and 'months' (the months " +
                    "drills are held in, e.g. [4, 10]), found '2025-04-01'.",
            ],
        ]) {
            assert.throws(
                () => parseDrills(raw, where),
                (e: Error) => e instanceof DrillsConfigError && e.message === message,
                raw,
            );
        }
    });
});

describe("the report's command line and secrets, in process (tools/report/index.ts)", () => {
    it("resolves --out and --prices from the project directory, as pulumi --cwd does, and takes the format from --out's extension", () => {
        const opts = parseReportArgs(["--stack", "test", "--cwd", PLAIN, "--out", "plan.html", "--prices", "prices.json"], ROOT);
        assert.deepStrictEqual(
            { format: opts.format, out: opts.out, prices: opts.prices, stack: opts.check.stack, dir: opts.check.projectDir },
            { format: "html", out: path.join(PLAIN, "plan.html"), prices: path.join(PLAIN, "prices.json"), stack: "test", dir: PLAIN },
        );
        assert.strictEqual(parseReportArgs(["--stack", "test", "--cwd", PLAIN, "--out", "plan.html", "--format", "md"], ROOT).format, "md");
        assert.strictEqual(parseReportArgs(["--stack", "test", "--cwd", PLAIN], ROOT).format, "md");
    });

    it("finds every secret of the graph, nested ones too, and the plan treats what lies inside a secret as secret", () => {
        const secret = (value: unknown) => ({ [SECRET_SIG_KEY]: SECRET_SIG, value });
        const found = secretPathsOf([
            {
                urn: "u1",
                properties: {
                    endpoint: secret("https://hooks.example.com/x"),
                    notifications: [{ typeName: "EMAIL", emailAddress: secret("a@b.c") }],
                },
            },
            { urn: "u2", properties: { notifications: secret([{ typeName: "SMS", mobileNumber: "+1555" }]) } },
        ] as never);
        assert.deepStrictEqual([...found].sort(), ["u1#endpoint", "u1#notifications[0].emailAddress", "u2#notifications"]);
        const g = new Graph([], found);
        assert.deepStrictEqual(
            [
                g.secret("u1", "endpoint"),
                g.secret("u1", "notifications[0].emailAddress"),
                g.secret("u1", "notifications[0].typeName"),
                g.secret("u2", "notifications[0].mobileNumber"),
            ],
            [true, true, false, true],
        );
    });
});
