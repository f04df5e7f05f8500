import * as assert from "assert";
import * as path from "path";
import { runCheck } from "../../../tools/check/check";
import { inBackground, runProcess, runTool } from "../../helpers/process";
import { PACK, FIXTURES, ours } from "./fixtures";

// The exit codes, each the check as a separate process: started when this file loads, in the background queue.
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const exits = {
    readme: inBackground(() => runProcess(npm, ["run", "-s", "check", "--", "--stack", "staging", "--json"])),
    staging: inBackground(() => runTool("check", ["--stack", "staging"])),
    violation: inBackground(() =>
        runTool(
            "check",
            ["--stack", "test", "--policy-pack", PACK, "--policy-pack-config", path.join(PACK, "config", "staging.json"), "--json"],
            path.join(FIXTURES, "programs", "atlas-handwritten"),
        ),
    ),
    badStackFile: inBackground(() =>
        runTool("check", ["--stack", "broken", "--policy-pack", PACK], path.join(FIXTURES, "programs", "bad-config")),
    ),
    packCannotStart: inBackground(() =>
        runTool("check", ["--stack", "staging", "--policy-pack", path.join(FIXTURES, "packs", "throws-at-load")]),
    ),
    badCommandLine: inBackground(() => runTool("check", ["--stack"])),
};

describe("npm run check (tools/check)", () => {
    describe("cross-tier rules on a hand-written stack, broken then fixed", () => {
        const dir = path.join(FIXTURES, "programs", "cross-tier");
        // "all": "mandatory" first, then per-policy settings, as the CLI reads the file.
        const guard = (stack: string) =>
            runCheck({ projectDir: dir, stack, packs: [{ dir: PACK, configFile: path.join(dir, "guard-config.json") }] });

        it("rejects a schedule without an alert, an alarm whose topic has no subscriber, an unprotected cluster and unwatched copies, each by URN", async () => {
            const r = await guard("broken");
            const urn = (type: string, name: string) => `urn:pulumi:broken::cross-tier::${type}::${name}`;
            const byUrn = (rows: string[][]) => rows.sort((a, b) => a[1].localeCompare(b[1]) || a[0].localeCompare(b[0]));
            assert.deepStrictEqual(
                byUrn(
                    ours(r).diagnostics.map((d) => [d.policyName, d.urn!, d.enforcementLevel, d.message.split("\n").slice(1).join("\n")]),
                ),
                byUrn([
                    [
                        "monitoring-backup-failure-alerts",
                        urn("mongodbatlas:index/cloudBackupSchedule:CloudBackupSchedule", "orders-backup"),
                        "mandatory",
                        "The Atlas backup schedule 'orders-backup' can fail silently: no enabled Atlas alert on snapshot, copy or oplog failures (CPS_SNAPSHOT_*, CPS_COPY_SNAPSHOT_*, CPS_OPLOG_*) in its project notifies anyone.",
                    ],
                    [
                        "monitoring-backup-failure-alerts",
                        urn("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "exports-replication"),
                        "mandatory",
                        "The S3 replication 'exports-replication' can fail silently: its alarm 'exports-replication-failed' sends to the SNS topic 'alerts', which has no subscription, so a failure would reach no one.",
                    ],
                    [
                        "monitoring-recovery-point-watch",
                        urn("aws:s3/bucket:Bucket", "exports"),
                        "mandatory",
                        "The S3 bucket 'exports' keeps copies in us-east-1 (S3 replication into DEEP_ARCHIVE in us-east-1) but nothing watches their age: its alarm 'exports-replication-failed' treats missing data as missing (the default), so a watch that stops reading stays silent. Add a CloudWatch alarm on the age of its newest copy whose dimensions name the store, with treatMissingData \"breaching\" and an alarm action.",
                    ],
                    [
                        "monitoring-recovery-point-watch",
                        urn("mongodbatlas:index/advancedCluster:AdvancedCluster", "orders"),
                        "mandatory",
                        "The Atlas cluster 'orders' keeps copies in us-east-1 (Atlas snapshot copies in us-east-1) but nothing watches their age: no CloudWatch alarm names it ('orders') in its dimensions. Add a CloudWatch alarm on the age of its newest copy whose dimensions name the store, with treatMissingData \"breaching\" and an alarm action.",
                    ],
                    [
                        "protection-stateful-resources",
                        urn("mongodbatlas:index/advancedCluster:AdvancedCluster", "orders"),
                        "mandatory",
                        "The Atlas cluster 'orders' is not protected from deletion: set the protect resource option or terminationProtectionEnabled; this environment requires it of everything that holds data.",
                    ],
                ]),
            );
        });

        it("passes every policy once the alert, the subscription, the protection and the copy-age alarms are there", async () => {
            const r = await guard("fixed");
            assert.deepStrictEqual(ours(r).diagnostics, []);
            assert.strictEqual(ours(r).info.policies.length, 56);
        });
    });

    describe("exit codes, as a separate process", () => {
        it("--json through the README's command (npm run -s check) prints only the document, with the levels in force after the config file", async () => {
            const r = await exits.readme;
            assert.strictEqual(r.status, 0, r.stderr);
            const doc = JSON.parse(r.stdout);
            const levels = Object.fromEntries(
                doc.packs[0].policies.map((p: { name: string; enforcementLevel: string }) => [p.name, p.enforcementLevel]),
            );
            // staging.json downgrades these two; the pack's own level for both is mandatory.
            assert.deepStrictEqual(
                [levels["service-desired-count"], levels["service-uptime-check"], levels["storage-dr-copy"]],
                ["advisory", "advisory", "mandatory"],
            );
            assert.strictEqual(
                doc.summary.replace(/ \(\d+\.\d s\)$/, ""),
                "Check passed: 140 resources to create; 1 pack, 56 policies, 0 mandatory violations, 0 advisory",
            );
        });

        it("0 and the summary for staging", async () => {
            const r = await exits.staging;
            assert.strictEqual(r.status, 0, r.stderr);
            assert.match(r.stdout, /Check passed: 140 resources to create; 1 pack, 56 policies, 0 mandatory violations, 0 advisory/);
        });

        it("1 on a mandatory violation, with --json for pipelines", async () => {
            const r = await exits.violation;
            assert.strictEqual(r.status, 1, r.stderr);
            const doc = JSON.parse(r.stdout);
            assert.strictEqual(doc.passed, false);
            assert.strictEqual(doc.packs[0].diagnostics.filter((d: { policyName: string }) => d.policyName.startsWith("atlas-")).length, 6);
            assert.strictEqual(
                doc.packs[0].diagnostics[0].message,
                "The Atlas cluster 'orders' has 2 electable nodes; this environment requires at least 3 so that losing a node keeps a majority.",
            );
        });

        it("2 with the program's own message on a bad stack file", async () => {
            const r = await exits.badStackFile;
            assert.strictEqual(r.status, 2);
            assert.strictEqual(
                r.stderr.trim(),
                [
                    "The program failed before the policies could run:",
                    "The stack configuration has 2 problems:",
                    '  - continuity:regions.dr must differ from continuity:regions.primary (us-west-2) (got "us-west-2")',
                    "  - continuity:atlas.backup.snapshotIntervalHours must be one of 1, 2, 4, 6, 8, 12 (got 5)",
                ].join("\n"),
            );
        });

        it("2 with the pack's stderr when a pack cannot start", async () => {
            const r = await exits.packCannotStart;
            assert.strictEqual(r.status, 2);
            assert.match(r.stderr, /throws-at-load/);
            assert.match(r.stderr, /failed to start/);
        });

        it("2 and the usage on a bad command line", async () => {
            const r = await exits.badCommandLine;
            assert.strictEqual(r.status, 2);
            assert.match(r.stderr, /^--stack needs a value\.\n\nusage: npm run check -- --stack <stack>/);
        });
    });
});
