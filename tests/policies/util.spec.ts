// The helpers every policy module shares: unknown values, settings over schema defaults, retention
// arithmetic and links between the resources of a stack.
import * as assert from "assert";
import { PolicyResource } from "@pulumi/policy";
import { UNKNOWN as UNKNOWN_ON_THE_WIRE } from "../helpers/policy";
import { dependsOn, is, known, plural, retentionDays, settingsOf, shareSource, UNKNOWN } from "../../policies/util";

const { unknownCheckingProxy } = require("@pulumi/policy/proxy");
const { deserializeProperties } = require("@pulumi/policy/deserialize");

/** Properties as the analyzer hands them to a policy: an unknown value throws when read. */
const props = (wire: Record<string, unknown>) => unknownCheckingProxy(deserializeProperties({ toJavaScript: () => wire }, false));

/** A stack resource with the links a policy sees. */
function resource(urn: string, links: { dependencies?: PolicyResource[]; propertyDependencies?: Record<string, PolicyResource[]> } = {}): PolicyResource {
    return { type: "test:index:R", name: urn, urn, props: {}, dependencies: links.dependencies ?? [], propertyDependencies: links.propertyDependencies ?? {} } as unknown as PolicyResource;
}

describe("shared policy helpers (policies/util.ts)", () => {
    describe("known", () => {
        it("returns a known value, and UNKNOWN for one the engine does not know yet", () => {
            const p = props({ name: "orders", id: UNKNOWN_ON_THE_WIRE });
            assert.strictEqual(known(() => p.name), "orders");
            assert.strictEqual(known(() => p.id), UNKNOWN);
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
            assert.deepStrictEqual(settingsOf(schema, { minDays: 7, regions: ["us-east-1"] }), { minDays: 7, required: false, regions: ["us-east-1"] });
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

    describe("links between resources", () => {
        const cluster = resource("urn:cluster");
        const other = resource("urn:other");
        it("is: matches any of the given type tokens", () => {
            const r = { type: "aws:s3/bucket:Bucket" } as PolicyResource;
            assert.deepStrictEqual([is("aws:s3/bucket:Bucket")(r), is("aws:s3/bucketV2:BucketV2", "aws:s3/bucket:Bucket")(r), is("aws:s3/bucketV2:BucketV2")(r), is()(r)], [true, true, false, false]);
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
            assert.deepStrictEqual([shareSource(a, b, "projectId"), shareSource(a, c, "projectId"), shareSource(a, b, "name"), shareSource(resource("urn:d"), a, "projectId")], [true, false, false, false]);
        });
    });
});
