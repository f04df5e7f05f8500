// tools/check/analyzer.ts: policy settings checked against each policy's JSON Schema as the Pulumi CLI checks
// them (reconcilePolicyConfig); no pack is started.
import { strict as assert } from "assert";
import { reconcilePolicyConfig } from "../../../tools/check/packConfig";
import { AnalyzerInfo, PolicyConfigError } from "../../../tools/check/packTypes";

describe("tools/check/analyzer", () => {
    describe("policy settings validated as the CLI's gojsonschema validates them (full JSON Schema)", () => {
        /** The problems reconcilePolicyConfig reports for one policy with these schema properties and settings. */
        const problems = (properties: Record<string, Record<string, unknown>>, settings: Record<string, unknown>): string[] => {
            const info: AnalyzerInfo = {
                name: "keywords",
                version: "0.0.1",
                supportsConfig: true,
                policies: [{ name: "rule", description: "", enforcementLevel: "mandatory", configSchema: { properties } }],
            };
            try {
                reconcilePolicyConfig(info, { rule: settings });
                return [];
            } catch (e) {
                assert.ok(e instanceof PolicyConfigError);
                assert.equal(e.message.split("\n")[0], 'invalid policy config for policy pack "keywords"');
                return e.problems;
            }
        };

        it("uniqueItems: every repeat, paired with the last item before it of the same value", () => {
            const tags = { tags: { type: "array", uniqueItems: true } };
            assert.deepEqual(problems(tags, { tags: ["a", "b", "a"] }), ["rule: tags: array items[0,2] must be unique"]);
            assert.deepEqual(problems(tags, { tags: [1, 2, 1, 2] }), [
                "rule: tags: array items[0,2] must be unique",
                "rule: tags: array items[1,3] must be unique",
            ]);
            assert.deepEqual(
                problems(tags, {
                    tags: [
                        { x: 1, y: 2 },
                        { y: 2, x: 1 },
                    ],
                }),
                ["rule: tags: array items[0,1] must be unique"],
            );
            assert.deepEqual(problems(tags, { tags: ["a", "b"] }), []);
        });

        it("multipleOf, with limits printed as Go prints them", () => {
            assert.deepEqual(problems({ n: { type: "integer", multipleOf: 5 } }, { n: 12 }), ["rule: n: Must be a multiple of 5"]);
            assert.deepEqual(problems({ n: { type: "number", multipleOf: 0.5 } }, { n: 1.25 }), ["rule: n: Must be a multiple of 0.5"]);
            assert.deepEqual(problems({ n: { type: "number", multipleOf: 3000000 } }, { n: 1 }), ["rule: n: Must be a multiple of 3e+06"]);
            assert.deepEqual(problems({ n: { type: "integer", multipleOf: 5 } }, { n: 15 }), []);
            assert.deepEqual(problems({ n: { type: "integer", maximum: 1000000 } }, { n: 2000000 }), [
                "rule: n: Must be less than or equal to 1e+06",
            ]);
            assert.deepEqual(problems({ n: { type: "number", minimum: 0.00001 } }, { n: 0 }), [
                "rule: n: Must be greater than or equal to 1e-05",
            ]);
        });

        it("oneOf: none matches (with the closest branch's problems), or more than one", () => {
            const either = { x: { oneOf: [{ type: "string" }, { type: "integer" }] } };
            assert.deepEqual(problems(either, { x: true }), [
                "rule: x: Invalid type. Expected: string, given: boolean",
                "rule: x: Must validate one and only one schema (oneOf)",
            ]);
            assert.deepEqual(problems({ x: { oneOf: [{ type: "integer" }, { minimum: 0 }] } }, { x: 5 }), [
                "rule: x: Must validate one and only one schema (oneOf)",
            ]);
            assert.deepEqual(
                problems(
                    {
                        x: {
                            oneOf: [
                                { type: "integer", minimum: 10 },
                                { type: "string", minLength: 3 },
                            ],
                        },
                    },
                    { x: "ab" },
                ),
                ["rule: x: Must validate one and only one schema (oneOf)", "rule: x: String length must be greater than or equal to 3"],
            );
            const shapes = {
                x: {
                    oneOf: [
                        { type: "object", properties: { a: { type: "integer" } }, required: ["a"] },
                        { type: "object", properties: { b: { type: "string" } }, required: ["b", "c"] },
                    ],
                },
            };
            assert.deepEqual(problems(shapes, { x: { b: "s" } }), [
                "rule: x: Must validate one and only one schema (oneOf)",
                "rule: x: c is required",
            ]);
            assert.deepEqual(problems(either, { x: 3 }), []);
        });

        it("additionalProperties: a schema for the values of other keys, or false for none", () => {
            assert.deepEqual(problems({ m: { type: "object", additionalProperties: { type: "integer" } } }, { m: { a: 1, b: "two" } }), [
                "rule: m.b: Invalid type. Expected: integer, given: string",
            ]);
            assert.deepEqual(
                problems(
                    { m: { type: "object", properties: { a: { type: "integer" } }, additionalProperties: false } },
                    { m: { a: 1, b: 2, c: 3 } },
                ),
                ["rule: m: Additional property b is not allowed", "rule: m: Additional property c is not allowed"],
            );
            const exemptions = {
                exemptions: {
                    type: "array",
                    items: {
                        type: "object",
                        properties: { type: { type: "string" }, reason: { type: "string" } },
                        additionalProperties: false,
                    },
                },
            };
            assert.deepEqual(problems(exemptions, { exemptions: [{ type: "t", reasn: "r" }] }), [
                "rule: exemptions.0: Additional property reasn is not allowed",
            ]);
            // As the CLI validates: the settings object itself takes any other key (the protocol carries no additionalProperties).
            assert.deepEqual(problems({ a: { type: "integer" } }, { a: 1, zzz: 2 }), []);
        });

        it("the other keywords in the CLI's wording: several types, anyOf, allOf, not, if/then, contains, propertyNames, dependencies", () => {
            assert.deepEqual(problems({ a: { type: ["string", "integer"] } }, { a: true }), [
                "rule: a: Invalid type. Expected: [string,integer], given: boolean",
            ]);
            assert.deepEqual(problems({ a: { type: "integer", enum: [1, 2], minimum: 0 } }, { a: "s" }), [
                "rule: a: Invalid type. Expected: integer, given: string",
            ]);
            assert.deepEqual(
                problems(
                    {
                        x: {
                            anyOf: [
                                { type: "integer", minimum: 10 },
                                { type: "integer", maximum: 2 },
                            ],
                        },
                    },
                    { x: 5 },
                ),
                ["rule: x: Must be greater than or equal to 10", "rule: x: Must validate at least one schema (anyOf)"],
            );
            assert.deepEqual(
                problems({ x: { allOf: [{ properties: { a: { type: "integer" } } }, { required: ["b"] }] } }, { x: { a: "s" } }),
                [
                    "rule: x.a: Invalid type. Expected: integer, given: string",
                    "rule: x: Must validate all the schemas (allOf)",
                    "rule: x: b is required",
                ],
            );
            assert.deepEqual(problems({ x: { not: { type: "integer" } } }, { x: 1 }), ["rule: x: Must not validate the schema (not)"]);
            assert.deepEqual(problems({ x: { if: { type: "integer" }, then: { minimum: 5 }, else: { type: "string" } } }, { x: 3 }), [
                "rule: x: Must be greater than or equal to 5",
                'rule: x: Must validate "then" as "if" was valid',
            ]);
            assert.deepEqual(problems({ a: { type: "array", contains: { type: "string" } } }, { a: [1, 2] }), [
                "rule: a.0: Invalid type. Expected: string, given: integer",
                "rule: a: At least one of the items must match",
            ]);
            assert.deepEqual(problems({ m: { type: "object", propertyNames: { pattern: "^[a-z]+$" } } }, { m: { ok: 1, Bad: 2 } }), [
                "rule: m: Does not match pattern '^[a-z]+$'",
                'rule: m: Property name of "Bad" does not match',
            ]);
            assert.deepEqual(problems({ m: { type: "object", dependencies: { a: ["b", "c"] } } }, { m: { a: 1 } }), [
                "rule: m: Has a dependency on b",
                "rule: m: Has a dependency on c",
            ]);
        });
    });
});
