// README.md's configuration reference is generated from the tiers' schemas (npm run docs:config): a test
// fails when the committed table and what the schemas and stack files give differ, as for policies/README.md.
import * as assert from "assert";
import * as fs from "fs";
import { BEGIN, END, README_FILE, renderConfigReference, ROOT, withReference } from "../tools/docs/config";

describe("the configuration reference in README.md (npm run docs:config)", () => {
    it("is the table the schemas in infra/config and the stack files give", () => {
        const readme = fs.readFileSync(README_FILE, "utf8");
        assert.strictEqual(
            readme,
            withReference(readme, renderConfigReference()),
            "README.md's configuration reference is stale: run `npm run docs:config`",
        );
    });

    it("lists every key a tier's schema reads, with its default and the value in force in each stack", () => {
        const table = renderConfigReference();
        assert.ok(table.startsWith(BEGIN) && table.endsWith(END));
        assert.ok(!table.includes(ROOT), "names no path of the machine it was made on");
        for (const row of [
            "| `atlas.backup.snapshotIntervalHours` | 1, 2, 4, 6, 8, 12 (12 on NVMe) | 6 | 6 | 6 |",
            "| `storage.lock.mode` | governance, compliance | governance (staging), compliance (production) | governance | compliance |",
            "| `service.autoscaling.maxCount` | ≥ minCount | 2 × desiredCount | 4 | 9 |",
            "| `regions.primary` | an AWS region where Atlas runs | — (required) | us-west-2 | eu-west-1 |",
        ]) {
            assert.ok(table.split("\n").includes(row), `missing row ${row}`);
        }
    });

    it("refuses a README without the markers, rather than writing the table somewhere else", () => {
        assert.throws(() => withReference("# no reference here\n", "table"), {
            message: `README.md has no configuration reference between the markers ${BEGIN} and ${END}`,
        });
    });
});
