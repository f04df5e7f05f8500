import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { runCheck } from "../../../tools/check/check";
import { renderHuman } from "../../../tools/check/report";
import { ROOT } from "../../helpers/program";
import { PACK, FIXTURES, ours } from "./fixtures";

const AWSGUARD = path.join(FIXTURES, "awsguard-pack");

describe("npm run check (tools/check)", () => {
    describe("a third-party pack beside ours: @pulumi/awsguard", function () {
        if (!fs.existsSync(path.join(AWSGUARD, "node_modules", "@pulumi", "awsguard"))) {
            it("needs its own install: npm ci --ignore-scripts --prefix tests/fixtures/awsguard-pack", () => {
                assert.fail("tests/fixtures/awsguard-pack is not installed; .ci/run installs it");
            });
            return;
        }
        const both = (projectDir: string, stack: string, config?: string) =>
            runCheck({ projectDir, stack, packs: [{ dir: PACK, configFile: config }, { dir: AWSGUARD }] });

        it("runs beside ours on the production stack: all 26 of its policies, advisory, and what they say", async () => {
            const r = await both(ROOT, "production", path.join(PACK, "config", "production.json"));
            const guard = r.packs.find((p) => p.info.name === "pulumi-awsguard")!;
            assert.strictEqual(guard.info.policies.length, 26);
            assert.ok(guard.info.policies.every((p) => p.enforcementLevel === "advisory"));
            const bucket = (dataset: string, part: string) =>
                `urn:pulumi:production::continuity::continuity:index:Continuity$continuity:storage:BucketBackup$aws:s3/bucket:Bucket::continuity-production-${dataset}-${part}`;
            const snapshots = (part: string) =>
                `urn:pulumi:production::continuity::continuity:index:Continuity$continuity:search:SearchDomain$continuity:storage:BucketBackup$aws:s3/bucket:Bucket::continuity-production-search-snapshots-${part}`;
            // Resources finish registering in an order their inputs decide; compare sorted by URN.
            const byUrn = (rows: (string | undefined)[][]) => rows.sort((a, b) => String(a[2]).localeCompare(String(b[2])));
            assert.deepStrictEqual(
                byUrn(guard.diagnostics.map((d) => [d.policyName, d.enforcementLevel, d.urn, d.message.split("\n").slice(-1)[0]])),
                byUrn([
                    ["s3-bucket-logging-enabled", "advisory", bucket("uploads", "bucket"), "Bucket logging must be defined."],
                    ["s3-bucket-logging-enabled", "advisory", bucket("exports", "bucket"), "Bucket logging must be defined."],
                    ["s3-bucket-logging-enabled", "advisory", bucket("uploads", "dr-bucket"), "Bucket logging must be defined."],
                    ["s3-bucket-logging-enabled", "advisory", bucket("exports", "dr-bucket"), "Bucket logging must be defined."],
                    ["s3-bucket-logging-enabled", "advisory", snapshots("bucket"), "Bucket logging must be defined."],
                    ["s3-bucket-logging-enabled", "advisory", snapshots("dr-bucket"), "Bucket logging must be defined."],
                    [
                        "s3-bucket-logging-enabled",
                        "advisory",
                        "urn:pulumi:production::continuity::continuity:index:Continuity$continuity:service:WebService$aws:s3/bucket:Bucket::continuity-production-web-access-logs",
                        "Bucket logging must be defined.",
                    ],
                ]),
            );
            assert.deepStrictEqual(ours(r).diagnostics, []);
        });

        it("shows its advisory diagnostic on a hand-written unencrypted file system, beside our verdict on the same stores", async () => {
            const r = await both(path.join(FIXTURES, "programs", "aws-handwritten"), "test");
            const guard = r.packs.find((p) => p.info.name === "pulumi-awsguard")!;
            assert.deepStrictEqual(
                guard.diagnostics.map((d) => [d.policyName, d.enforcementLevel, d.urn, d.message]),
                [
                    [
                        "efs-encrypted",
                        "advisory",
                        "urn:pulumi:test::aws-handwritten::aws:efs/fileSystem:FileSystem::shared",
                        "Checks whether Amazon Elastic File System (Amazon EFS) is configured to encrypt the file data using AWS Key Management Service (AWS KMS).\nAmazon Elastic File System must have a KMS Key defined.",
                    ],
                ],
            );
            // Ours judges the same hand-written table and file system by their types: no copy, no PITR.
            assert.deepStrictEqual(
                ours(r).diagnostics.map((d) => [d.policyName, d.urn!.split("::").pop()]),
                [
                    ["dynamodb-point-in-time-recovery", "sessions"],
                    ["dynamodb-deletion-protection", "sessions"],
                    ["dynamodb-cross-region-copy", "sessions"],
                    ["efs-cross-region-copy", "shared"],
                    // The same gaps as RPO/RTO: lost with the region, and no recovery point after a deletion.
                    ["dr-recovery-objectives", "shared"],
                    ["dr-recovery-objectives", "shared"],
                    ["dr-recovery-objectives", "sessions"],
                    ["dr-recovery-objectives", "sessions"],
                ],
            );
            assert.match(renderHuman(r, ROOT), /judged 2 data stores: 1 DynamoDB table, 1 EFS file system; 0 exempted\n/);
            assert.match(
                renderHuman(r, ROOT),
                /Check FAILED: 3 resources to create; 2 packs, 82 policies, 8 mandatory violations, 1 advisory/,
            );
        });
    });
});
