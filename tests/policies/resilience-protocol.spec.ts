// dr-recovery-objectives through the real Analyzer protocol: another team's Atlas program, checked as
// `pulumi preview --policy-pack policies --policy-pack-config policies/config/production.json` would
// check it (tools/check as a process), once copying its snapshots weekly only, once every 6 hours.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { inBackground, runTool } from "../helpers/process";
import { ROOT } from "../helpers/program";

const PROGRAM = path.join(ROOT, "tests", "fixtures", "programs", "database-copies");
const PACK = path.join(ROOT, "policies");
const PRODUCTION = path.join(PACK, "config", "production.json");

const check = (stack: string) =>
    inBackground(() => runTool("check", ["--stack", stack, "--policy-pack", PACK, "--policy-pack-config", PRODUCTION, "--json"], PROGRAM));
// Started when this file loads, in the background queue; each test awaits its own run, so a failed run fails that test.
const weekly = check("weekly");
const all = check("all");

const objectives = (stdout: string) =>
    JSON.parse(stdout)
        .packs.flatMap((p: any) => p.diagnostics)
        .filter((d: any) => d.policyName === "dr-recovery-objectives")
        .map((d: any) => ({ level: d.enforcementLevel, urn: d.urn, message: d.message }));

describe("dr-recovery-objectives over the Analyzer protocol (tests/fixtures/programs/database-copies)", function () {
    this.timeout(Number(process.env.CONTINUITY_TEST_TIMEOUT_MS ?? 600_000));

    it("fails a production database whose snapshots reach another region only weekly", async () => {
        const r = await weekly;
        assert.strictEqual(r.status, 1, r.stderr);
        assert.deepStrictEqual(objectives(r.stdout), [
            {
                level: "mandatory",
                urn: "urn:pulumi:weekly::database-copies::mongodbatlas:index/advancedCluster:AdvancedCluster::orders",
                message:
                    "The Atlas cluster 'orders' misses its database targets for the primary region lost: RPO 170 h against a target of 8 h. " +
                    "Atlas snapshot copies in us-east-1: a point every 168 h + 2 h to arrive → up to 170 h lost; a new cluster in the copy region 30 min + 120 GiB at 200 GiB/h 36 min → RTO ≈ 1.1 h.",
            },
        ]);
    });

    it("lets it through when every snapshot is copied with its oplogs", async () => {
        const r = await all;
        assert.deepStrictEqual(objectives(r.stdout), []);
    });

    it("refuses an unknown store class in the targets and a size out of range, exit 2 in the CLI's words", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "objectives-config-"));
        const production = JSON.parse(fs.readFileSync(PRODUCTION, "utf8"));
        const write = (name: string, settings: Record<string, unknown>) => {
            const file = path.join(dir, name);
            fs.writeFileSync(
                file,
                JSON.stringify({ ...production, "dr-recovery-objectives": { ...production["dr-recovery-objectives"], ...settings } }),
            );
            return file;
        };
        const classes = write("classes.json", { targets: { databases: { region: { rpoHours: 8, rtoHours: 24 } } } });
        const sizes = write("sizes.json", { sizes: [{ name: "orders", sizeGiB: -5 }] });
        const [a, b] = await Promise.all(
            [classes, sizes].map((file) =>
                runTool("check", ["--stack", "all", "--policy-pack", PACK, "--policy-pack-config", file], PROGRAM),
            ),
        );
        assert.deepStrictEqual(
            [a.status, a.stdout, a.stderr.trim().split("\n")],
            [
                2,
                "",
                [
                    `${classes}: invalid policy config for policy pack "continuity-guard"`,
                    "  - dr-recovery-objectives: targets: Additional property databases is not allowed",
                ],
            ],
        );
        assert.deepStrictEqual(
            [b.status, b.stdout, b.stderr.trim().split("\n")],
            [
                2,
                "",
                [
                    `${sizes}: invalid policy config for policy pack "continuity-guard"`,
                    "  - dr-recovery-objectives: sizes.0.sizeGiB: Must be greater than 0",
                ],
            ],
        );
    });
});
