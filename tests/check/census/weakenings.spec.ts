// How a config weakens continuity-guard's data rules (policies/census.ts), as the check shows it, on hand-built stacks.
import * as assert from "assert";
import { PackSettings, weakeningLines, weakenings } from "../../../policies/census";
import { BUCKET, REF, mandatory } from "./fixtures";

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
                "bucket-copy": mandatory({
                    storageClasses: ["DEEP_ARCHIVE", "STANDARD"],
                    maxCopyIntervalDays: 30,
                    exemptions: [{ type: BUCKET, reason: "not weighed: listed when used" }],
                }),
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
        assert.deepStrictEqual(ws[0], {
            policy: "bucket-copy",
            setting: "storageClasses",
            found: ["DEEP_ARCHIVE", "STANDARD"],
            production: ["DEEP_ARCHIVE", "GLACIER"],
            via: "policy",
        });
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
