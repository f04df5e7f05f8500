// The helpers every policy module shares: unknown values, settings over schema defaults, retention
// arithmetic and links between the resources of a stack.
import * as assert from "assert";
import { PolicyResource } from "@pulumi/policy";
import { UNKNOWN as UNKNOWN_ON_THE_WIRE } from "../helpers/policy";
import {
    dependsOn,
    is,
    known,
    longestGapHours,
    plural,
    retentionDays,
    settingsOf,
    settingsSchema,
    shareSource,
    UNKNOWN,
} from "../../policies/util";

const { unknownCheckingProxy } = require("@pulumi/policy/proxy");
const { deserializeProperties } = require("@pulumi/policy/deserialize");

/** Properties as the analyzer hands them to a policy: an unknown value throws when read. */
const props = (wire: Record<string, unknown>) => unknownCheckingProxy(deserializeProperties({ toJavaScript: () => wire }, false));

/** A stack resource with the links a policy sees. */
function resource(
    urn: string,
    links: { dependencies?: PolicyResource[]; propertyDependencies?: Record<string, PolicyResource[]> } = {},
): PolicyResource {
    return {
        type: "test:index:R",
        name: urn,
        urn,
        props: {},
        dependencies: links.dependencies ?? [],
        propertyDependencies: links.propertyDependencies ?? {},
    } as unknown as PolicyResource;
}

describe("shared policy helpers (policies/util.ts)", () => {
    describe("known", () => {
        it("returns a known value, and UNKNOWN for one the engine does not know yet", () => {
            const p = props({ name: "orders", id: UNKNOWN_ON_THE_WIRE });
            assert.strictEqual(
                known(() => p.name),
                "orders",
            );
            assert.strictEqual(
                known(() => p.id),
                UNKNOWN,
            );
        });
        it("passes any other error through, so a broken policy fails loudly instead of passing", () => {
            assert.throws(
                () => known(() => (undefined as unknown as { a: string }).a),
                (e: Error) => e instanceof TypeError && /Cannot read properties of undefined/.test(e.message),
            );
        });
    });

    describe("settingsOf", () => {
        const schema = {
            properties: {
                minDays: { type: "integer" as const, default: 30 },
                required: { type: "boolean" as const, default: false },
                regions: { type: "array" as const, items: { type: "string" as const } },
            },
        };
        it("fills the schema's defaults, including false ones, and leaves keys without a default out", () => {
            assert.deepStrictEqual(settingsOf(schema, {}), { minDays: 30, required: false });
            assert.ok(!("regions" in settingsOf<object>(schema, {})));
        });
        it("lets the config file's values win over the defaults", () => {
            assert.deepStrictEqual(settingsOf(schema, { minDays: 7, regions: ["us-east-1"] }), {
                minDays: 7,
                required: false,
                regions: ["us-east-1"],
            });
        });
        it("refuses a setting a settingsSchema does not declare, naming it and the settings there are", () => {
            assert.throws(() => settingsOf(settingsSchema(schema), { minDay: 7, regions: ["us-east-1"] }), {
                message: "Additional property minDay is not allowed (the settings of this policy: minDays, required, regions)",
            });
        });
        it("leaves a schema without additionalProperties: false open to other keys, as JSON Schema does", () => {
            assert.deepStrictEqual(settingsOf(schema, { minDay: 7 }), { minDays: 30, required: false, minDay: 7 });
        });
    });

    describe("retentionDays and plural", () => {
        it("counts weeks as 7 days, months as 28 and years as 365, never rounding up", () => {
            assert.deepStrictEqual(
                [retentionDays("days", 3), retentionDays("weeks", 2), retentionDays("months", 12), retentionDays("years", 7)],
                [3, 14, 336, 2555],
            );
        });
        it("gives NaN for a unit it does not know, which no minimum lets through", () => {
            assert.ok(Number.isNaN(retentionDays("fortnights", 2)));
            assert.ok(!(retentionDays("fortnights", 2) >= 1));
        });
        it("writes a count with its word, plural except for one", () => {
            assert.deepStrictEqual([plural(0, "day"), plural(1, "day"), plural(2, "day")], ["0 days", "1 day", "2 days"]);
        });
    });

    describe("longestGapHours", () => {
        // The cases of backup.spec.ts's table are not repeated here; these are the edges of the reader.
        it("reads month names, in any case, to the longest time between two months' runs", () => {
            assert.strictEqual(longestGapHours("cron(0 3 1 JAN,APR,JUL,OCT ? *)"), 92 * 24);
            assert.strictEqual(longestGapHours("cron(0 3 15 FEB,MAR,MAY,JUN,AUG,SEP,NOV,DEC ? *)"), 62 * 24);
            assert.strictEqual(longestGapHours("cron(0 3 1 jan-dec ? *)"), 31 * 24);
        });
        it("refuses a word that only begins with a name, and reads FRIL as the last Friday", () => {
            assert.strictEqual(longestGapHours("cron(0 3 1 SEPT ? *)"), undefined);
            assert.strictEqual(longestGapHours("cron(0 3 ? * FRIL *)"), 35 * 24);
        });
        it("sorts the times of day whatever order the expression lists them in", () => {
            // 01:00, 01:30, 03:00, 03:30: the longest gap is from 03:30 to 01:00 the next day.
            assert.strictEqual(longestGapHours("cron(30,0 3,1 * * ? *)"), 21.5);
        });
        it("allows spaces inside rate( ), and refuses a rate of zero", () => {
            assert.strictEqual(longestGapHours("rate( 2 hours )"), 2);
            assert.strictEqual(longestGapHours("rate(0 hours)"), undefined);
            assert.strictEqual(longestGapHours("rate(0 minutes)"), undefined);
        });
        it("gives undefined for a minute field that yields no minute, or L where a minute goes (AWS refuses both)", () => {
            assert.strictEqual(longestGapHours("cron(-1 3 ? * MON *)"), undefined);
            assert.strictEqual(longestGapHours("cron(L 3 ? * MON *)"), undefined);
            assert.strictEqual(longestGapHours("cron(0 L ? * MON *)"), undefined);
        });
        it("counts a gap within a day when it is longer than the one overnight", () => {
            assert.strictEqual(longestGapHours("cron(0 1,23 * * ? *)"), 22);
        });
        it("counts runs at midnight on consecutive days, from 2024-01-01 00:00 to the end of 2031", () => {
            assert.strictEqual(longestGapHours("cron(0 0 ? * * *)"), 24);
            // 2024 is a leap year: its first run, at the window's first instant, is counted.
            assert.strictEqual(longestGapHours("cron(0 0 1 1 ? *)"), 366 * 24);
            // Nothing runs before 2029: the gap from the window's start (2024-01-01) to the first run counts,
            // and the one from 2030 to the run of 2032-01-01, past the window.
            assert.strictEqual(longestGapHours("cron(0 0 1 1 ? 2029,2030,2032)"), (366 + 365 * 3 + 366) * 24);
            // Once in 2026, then in 2032: every six years, not "no gap".
            assert.strictEqual(longestGapHours("cron(0 0 1 1 ? 2026,2032)"), (365 + 365 + 366 + 365 + 365 + 365) * 24);
        });
        it("gives undefined for a schedule whose runs all fall after 2031", () => {
            assert.strictEqual(longestGapHours("cron(0 5 1 1 ? 2040)"), undefined);
        });
    });

    describe("links between resources", () => {
        const cluster = resource("urn:cluster");
        const other = resource("urn:other");
        it("is: matches any of the given type tokens", () => {
            const r = { type: "aws:s3/bucket:Bucket" } as PolicyResource;
            assert.deepStrictEqual(
                [
                    is("aws:s3/bucket:Bucket")(r),
                    is("aws:s3/bucketV2:BucketV2", "aws:s3/bucket:Bucket")(r),
                    is("aws:s3/bucketV2:BucketV2")(r),
                    is()(r),
                ],
                [true, true, false, false],
            );
        });
        it("dependsOn: through the named property, or through any dependency", () => {
            const viaName = resource("urn:schedule", { propertyDependencies: { clusterName: [cluster] } });
            assert.strictEqual(dependsOn(viaName, cluster, "clusterName"), true);
            assert.strictEqual(dependsOn(viaName, cluster, "projectId"), false);
            assert.strictEqual(dependsOn(viaName, other, "clusterName"), false);
            const anywhere = resource("urn:schedule", { dependencies: [other, cluster] });
            assert.strictEqual(dependsOn(anywhere, cluster, "clusterName"), true);
            assert.strictEqual(dependsOn(anywhere, cluster), true);
            assert.strictEqual(dependsOn(resource("urn:schedule", { dependencies: [other] }), cluster), false);
        });
        it("shareSource: two resources took one property from the same resource", () => {
            const project = resource("urn:project");
            const a = resource("urn:a", { propertyDependencies: { projectId: [project] } });
            const b = resource("urn:b", { propertyDependencies: { projectId: [other, project] } });
            const c = resource("urn:c", { propertyDependencies: { projectId: [other] }, dependencies: [project] });
            assert.deepStrictEqual(
                [
                    shareSource(a, b, "projectId"),
                    shareSource(a, c, "projectId"),
                    shareSource(a, b, "name"),
                    shareSource(resource("urn:d"), a, "projectId"),
                ],
                [true, false, false, false],
            );
        });
    });
});
