// tools/check/analyzer.ts against real policy packs started the way the Pulumi CLI starts them
// (run-policy-pack + ts-node type-check + the @pulumi/policy gRPC server). Each pack start costs a few
// seconds, so every pack is started once, concurrently, in the root hook and shared by the tests.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";

import {
    AnalyzerInfo,
    CheckedResource,
    PolicyConfigError,
    PolicyPackClient,
    PolicyPackError,
    reconcilePolicyConfig,
    secretValue,
    startPolicyPack,
    UNKNOWN_VALUE,
} from "../../tools/check/analyzer";

const PACKS = path.join(__dirname, "..", "fixtures", "packs");
const HEALTHY = path.join(PACKS, "healthy");
const THROWS_AT_LOAD = path.join(PACKS, "throws-at-load");
const POLICY_THROWS = path.join(PACKS, "policy-throws");

const STACK = "urn:pulumi:ci::continuity-test";
const THING_TYPE = "test:index:Thing";
const thingUrn = (name: string) => `${STACK}::${THING_TYPE}::${name}`;

function resource(name: string, properties: Record<string, unknown>, type = THING_TYPE): CheckedResource {
    return {
        type,
        name,
        urn: `${STACK}::${type}::${name}`,
        properties,
        dependencies: [],
        propertyDependencies: {},
        options: {},
    };
}

function settle<T>(p: Promise<T>): Promise<T | Error> {
    return p.then(
        (v) => v,
        (e: unknown) => (e instanceof Error ? e : new Error(String(e))),
    );
}

function expectPackError(v: unknown): PolicyPackError {
    assert.ok(v instanceof PolicyPackError, `expected a PolicyPackError, got ${String(v)}`);
    return v;
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
    try {
        await p;
    } catch (e) {
        return e;
    }
    assert.fail("expected the promise to reject");
}

// A pack with a type error, written at test time into a dot-directory (which tsc's and mocha's
// globs skip) so it never breaks a repository-wide type-check.
function writeCompileErrorPack(): string {
    const dir = fs.mkdtempSync(path.join(PACKS, ".tmp-compile-error-"));
    fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\ndescription: compile error fixture\n");
    fs.writeFileSync(
        path.join(dir, "package.json"),
        JSON.stringify({ name: "fixture-compile-error", version: "0.0.3", main: "index.ts" }, null, 2),
    );
    fs.copyFileSync(path.join(HEALTHY, "tsconfig.json"), path.join(dir, "tsconfig.json"));
    fs.writeFileSync(
        path.join(dir, "index.ts"),
        '// A type error on line 2 (no SDK import, so the type-check stays quick).\nconst limit: number = "ten";\nexport { limit };\n',
    );
    return dir;
}

// Scoped in one suite so the pack-starting hooks are not root hooks of a whole mocha run.
describe("tools/check/analyzer", () => {
    let healthy: PolicyPackClient;
    let throwing: PolicyPackClient;
    let loadFailure: unknown;
    let compileFailure: unknown;
    let compileErrorDir: string;

    before(async () => {
        compileErrorDir = writeCompileErrorPack();
        const [h, t, l, c] = await Promise.all([
            settle(
                startPolicyPack(HEALTHY, {
                    stack: { organization: "acme", project: "continuity-test", stack: "ci", tags: { env: "test" } },
                }),
            ),
            settle(startPolicyPack(POLICY_THROWS)),
            settle(startPolicyPack(THROWS_AT_LOAD)),
            settle(startPolicyPack(compileErrorDir)),
        ]);
        if (h instanceof Error) {
            throw h;
        }
        if (t instanceof Error) {
            throw t;
        }
        healthy = h;
        throwing = t;
        loadFailure = l;
        compileFailure = c;
    });

    after(async () => {
        await Promise.all([healthy?.close(), throwing?.close()]);
        if (compileErrorDir) {
            fs.rmSync(compileErrorDir, { recursive: true, force: true });
        }
    });

    describe("a pack that fails to start", () => {
        it("names a directory that does not exist", async () => {
            const dir = path.join(PACKS, "no-such-pack");
            const err = expectPackError(await rejection(startPolicyPack(dir)));
            assert.equal(err.message, `policy pack ${dir} failed to start: no such directory`);
            assert.equal(err.packDir, dir);
            assert.equal(err.reason, "start");
            assert.equal(err.stderrTail, "");
        });

        it("names a directory without PulumiPolicy.yaml", async () => {
            const err = expectPackError(await rejection(startPolicyPack(__dirname)));
            assert.equal(
                err.message,
                `policy pack ${__dirname} failed to start: could not load PulumiPolicy.yaml: ` +
                    `${path.join(__dirname, "PulumiPolicy.yaml")} does not exist`,
            );
        });

        it("reports a pack that throws while loading, with its stderr tail", () => {
            const err = expectPackError(loadFailure);
            assert.equal(err.packDir, THROWS_AT_LOAD);
            assert.equal(err.reason, "start");
            assert.ok(
                err.message.startsWith(
                    `policy pack ${THROWS_AT_LOAD} failed to start: it exited with code 32 before printing its gRPC port\n` +
                        "--- last lines of the policy pack's stderr ---\n",
                ),
                err.message,
            );
            assert.match(err.stderrTail, /^error: \[runtime\] Running program '.*throws-at-load' failed with an unhandled exception:/);
            assert.match(err.stderrTail, /Error: fixture-throws-at-load: deliberately thrown while loading/);
            assert.ok(err.stderrTail.split("\n").length <= 20);
            assert.ok(!err.stderrTail.includes("\u001b["), "ANSI colour codes are stripped");
            assert.ok(err.message.endsWith(err.stderrTail));
        });

        it("reports a pack that does not type-check, with the compiler's message", () => {
            const err = expectPackError(compileFailure);
            assert.equal(err.packDir, compileErrorDir);
            assert.ok(err.message.startsWith(`policy pack ${compileErrorDir} failed to start: it exited with code`), err.message);
            assert.match(err.stderrTail, /index\.ts\(2,7\): error TS2322: Type 'string' is not assignable to type 'number'\./);
        });

        it("times out and kills a pack that does not print its port in time", async () => {
            const started = Date.now();
            const err = expectPackError(await rejection(startPolicyPack(HEALTHY, { timeoutMs: 300 })));
            assert.equal(err.message.split("\n")[0], `policy pack ${HEALTHY} failed to start: timed out after 300 ms waiting for its gRPC port`);
            assert.equal(err.reason, "start");
            assert.ok(Date.now() - started < 5_000, "the child is killed promptly, not left to finish starting");
        });
    });

    describe("GetAnalyzerInfo", () => {
        it("returns the pack's metadata, policies sorted by name as the CLI sorts them", async () => {
            const info = await healthy.getAnalyzerInfo();
            assert.deepEqual(info, {
                name: "fixture-healthy",
                version: "1.2.3",
                supportsConfig: true,
                policies: [
                    {
                        name: "always-off",
                        description: "Disabled by default; fires for every Thing once enabled.",
                        enforcementLevel: "disabled",
                        policyType: "resource",
                    },
                    {
                        name: "stack-shape",
                        description: "Echoes what the engine sent for each Thing.",
                        enforcementLevel: "advisory",
                        policyType: "stack",
                        configSchema: { properties: { note: { type: "string", default: "default-note" } } },
                    },
                    {
                        name: "thing-max-size",
                        description: "Things must not be larger than maxSize.",
                        enforcementLevel: "mandatory",
                        policyType: "resource",
                        severity: "high",
                        configSchema: {
                            properties: {
                                maxSize: { type: "number", default: 10 },
                                unit: { type: "string", enum: ["GB", "TB"], default: "GB" },
                            },
                        },
                    },
                ],
            } satisfies AnalyzerInfo);
        });
    });

    describe("Analyze, per resource", () => {
        let info: AnalyzerInfo;
        before(async () => {
            info = await healthy.getAnalyzerInfo();
        });

        const sizeViolation = (name: string, text: string, level: "mandatory" | "advisory" = "mandatory") => ({
            policyPackName: "fixture-healthy",
            policyPackVersion: "1.2.3",
            policyName: "thing-max-size",
            description: "Things must not be larger than maxSize.",
            message: `Things must not be larger than maxSize.\n${text}`,
            enforcementLevel: level,
            urn: thingUrn(name),
            severity: "high",
        });

        it("applies configSchema defaults when no config file is given", async () => {
            await healthy.configure(undefined, info);
            const diags = await healthy.analyze([
                resource("big", { size: 11 }),
                resource("fits", { size: 10 }),
                resource("other", { size: 99 }, "test:index:Other"),
            ]);
            assert.deepEqual(diags, [sizeViolation("big", "size 11GB exceeds maxSize 10GB")]);
        });

        it("passes configured properties over the defaults", async () => {
            await healthy.configure({ "thing-max-size": { maxSize: 20, unit: "TB" } }, info);
            const diags = await healthy.analyze([resource("mid", { size: 11 }), resource("huge", { size: 25 })]);
            assert.deepEqual(diags, [sizeViolation("huge", "size 25TB exceeds maxSize 20TB")]);
        });

        it("takes a string entry as an enforcement level and keeps the defaults", async () => {
            await healthy.configure({ "thing-max-size": "advisory" }, info);
            const diags = await healthy.analyze([resource("big", { size: 11 })]);
            assert.deepEqual(diags, [sizeViolation("big", "size 11GB exceeds maxSize 10GB", "advisory")]);
        });

        it('"all": "advisory" downgrades every policy, enabling a disabled one too', async () => {
            await healthy.configure({ all: "advisory" }, info);
            const diags = await healthy.analyze([resource("big", { size: 11 })]);
            assert.deepEqual(diags, [
                sizeViolation("big", "size 11GB exceeds maxSize 10GB", "advisory"),
                {
                    policyPackName: "fixture-healthy",
                    policyPackVersion: "1.2.3",
                    policyName: "always-off",
                    description: "Disabled by default; fires for every Thing once enabled.",
                    message: "Disabled by default; fires for every Thing once enabled.\nalways-off saw big",
                    enforcementLevel: "advisory",
                    urn: thingUrn("big"),
                },
            ]);
        });

        it("a per-policy level beats \"all\"", async () => {
            await healthy.configure({ all: "disabled", "thing-max-size": "mandatory" }, info);
            const diags = await healthy.analyze([resource("big", { size: 11 })]);
            assert.deepEqual(diags, [sizeViolation("big", "size 11GB exceeds maxSize 10GB")]);
        });

        it("an unknown value makes the SDK emit its advisory can't-run-during-preview diagnostic", async () => {
            await healthy.configure(undefined, info);
            const diags = await healthy.analyze([resource("pending", { size: UNKNOWN_VALUE })]);
            assert.deepEqual(diags, [
                {
                    policyPackName: "fixture-healthy",
                    policyPackVersion: "1.2.3",
                    policyName: "thing-max-size",
                    description: "Things must not be larger than maxSize.",
                    message:
                        "can't run policy 'thing-max-size' from policy pack 'fixture-healthy@v1.2.3' during preview: " +
                        "string value at .size can't be known during preview",
                    enforcementLevel: "advisory",
                    urn: thingUrn("pending"),
                    severity: "high",
                },
            ]);
        });

        it("secrets arrive unwrapped to the policy", async () => {
            await healthy.configure(undefined, info);
            const diags = await healthy.analyze([resource("hidden", { size: secretValue(12) })]);
            assert.deepEqual(diags, [sizeViolation("hidden", "size 12GB exceeds maxSize 10GB")]);
        });

        it("rejects a value that is not plain JSON data", async () => {
            const err = await rejection(healthy.analyze([resource("bad", { when: new Date(0) })]));
            assert.ok(err instanceof TypeError);
            assert.equal(
                err.message,
                `${thingUrn("bad")} properties.when: a value of type Date cannot be sent to a policy pack (use plain JSON data)`,
            );
        });
    });

    describe("AnalyzeStack", () => {
        const group = resource("grp", {}, "test:index:Group");
        const dep = resource("dep", { size: 1 }, "test:index:Other");
        const other = resource("other", {}, "test:index:Other");
        const providerUrn = `${STACK}::pulumi:providers:test::prov`;
        const thing: CheckedResource = {
            ...resource("child", {
                size: 5,
                tags: { team: "dr", __internal: "dropped" },
                __defaults: ["size"],
            }),
            urn: `${STACK}::test:index:Group$${THING_TYPE}::child`,
            parent: group.urn,
            dependencies: [dep.urn],
            propertyDependencies: { size: [dep.urn], tags: [] },
            provider: {
                type: "pulumi:providers:test",
                name: "prov",
                urn: providerUrn,
                properties: { region: "eu-west-1", token: secretValue("s3cr3t") },
            },
            options: {
                protect: true,
                ignoreChanges: ["size"],
                deleteBeforeReplace: true,
                aliases: [`${STACK}::${THING_TYPE}::old-child`],
                additionalSecretOutputs: ["password"],
                customTimeouts: { create: 60, update: 120, delete: 30 },
                dependsOn: [other.urn],
            },
        };

        async function echo(): Promise<Record<string, unknown>> {
            const diags = await healthy.analyzeStack([group, dep, other, thing]);
            assert.equal(diags.length, 1);
            const [d] = diags;
            const [description, json] = d.message.split("\n");
            assert.deepEqual(
                { ...d, message: description },
                {
                    policyPackName: "fixture-healthy",
                    policyPackVersion: "1.2.3",
                    policyName: "stack-shape",
                    description: "Echoes what the engine sent for each Thing.",
                    message: "Echoes what the engine sent for each Thing.",
                    enforcementLevel: "advisory",
                    urn: thing.urn,
                },
            );
            return JSON.parse(json) as Record<string, unknown>;
        }

        it("delivers parent, dependencies, property dependencies, provider, options and stack tags", async () => {
            await healthy.configure(undefined, await healthy.getAnalyzerInfo());
            assert.deepEqual(await echo(), {
                name: "child",
                props: { size: 5, tags: { team: "dr" } },
                parent: group.urn,
                parentType: "test:index:Group",
                // dependsOn is folded into the dependencies, as the engine records them.
                dependencies: [dep.urn, other.urn],
                // Properties without dependencies are dropped, as the CLI does.
                propertyDependencies: { size: [dep.urn] },
                provider: { type: "pulumi:providers:test", name: "prov", urn: providerUrn, props: { region: "eu-west-1", token: "s3cr3t" } },
                opts: {
                    protect: true,
                    ignoreChanges: ["size"],
                    aliases: [`${STACK}::${THING_TYPE}::old-child`],
                    customTimeouts: { createSeconds: 60, updateSeconds: 120, deleteSeconds: 30 },
                    additionalSecretOutputs: ["password"],
                    deleteBeforeReplace: true,
                    parent: group.urn,
                },
                note: "default-note",
                tags: { env: "test" },
            });
        });

        it("leaves out the resources the program reads (Resource.get), as the engine does: it keeps them apart from the stack's", async () => {
            await healthy.configure(undefined, await healthy.getAnalyzerInfo());
            const read: CheckedResource = { ...resource("existing", { size: 1 }), external: true };
            const diags = await healthy.analyzeStack([group, dep, other, thing, read]);
            assert.deepEqual(
                diags.map((d) => d.urn),
                [thing.urn],
            );
        });

        it("gives stack policies their configured properties", async () => {
            await healthy.configure({ "stack-shape": { note: "from the file" } }, await healthy.getAnalyzerInfo());
            const e = await echo();
            assert.equal(e.note, "from the file");
        });
    });

    describe("policy config reconciliation", () => {
        it("rejects unknown policy names, naming them", async () => {
            const info = await healthy.getAnalyzerInfo();
            const err = await rejection(healthy.configure({ all: "mandatory", "no-such": "advisory", "nor-this": { x: 1 } }, info));
            assert.ok(err instanceof PolicyConfigError);
            assert.equal(
                err.message,
                'policy pack config names policies that policy pack "fixture-healthy" does not have: no-such, nor-this\n' +
                    "  - known policies: always-off, stack-shape, thing-max-size",
            );
        });

        it("validates properties against the configSchema, in the CLI's wording", async () => {
            const info = await healthy.getAnalyzerInfo();
            const err = await rejection(healthy.configure({ "thing-max-size": { maxSize: "big", unit: "PB" } }, info));
            assert.ok(err instanceof PolicyConfigError);
            assert.deepEqual(err.problems, [
                "thing-max-size: maxSize: Invalid type. Expected: number, given: string",
                'thing-max-size: unit: unit must be one of the following: "GB", "TB"',
            ]);
        });

        it("rejects malformed entries as the CLI's parser does", async () => {
            const info = await healthy.getAnalyzerInfo();
            const err = await rejection(
                healthy.configure({ "thing-max-size": "loud", "stack-shape": { enforcementLevel: 3 }, "always-off": 7 }, info),
            );
            assert.ok(err instanceof PolicyConfigError);
            assert.deepEqual(err.problems, [
                'parsing enforcement level for "thing-max-size": "loud" is not a valid enforcement level',
                'parsing enforcement level for "stack-shape": 3 is not a valid enforcement level; must be a string',
                'parsing "always-off": 7 is not a valid value; must be a string or object',
            ]);
        });

        const synthetic: AnalyzerInfo = {
            name: "synthetic",
            version: "0.0.1",
            supportsConfig: true,
            policies: [
                {
                    name: "needs-owner",
                    description: "",
                    enforcementLevel: "mandatory",
                    configSchema: {
                        properties: { owner: { type: "string", minLength: 2 }, retries: { type: "integer", default: 3, maximum: 5 } },
                        required: ["owner"],
                    },
                },
                { name: "plain", description: "", enforcementLevel: "advisory" },
            ],
            initialConfig: { plain: { enforcementLevel: "disabled" }, "needs-owner": { enforcementLevel: "mandatory", properties: { owner: "ops" } } },
        };

        it("layers defaults, the pack's initialConfig, then the file; keeps the \"all\" entry as the CLI does", () => {
            assert.deepEqual(reconcilePolicyConfig(synthetic, undefined), {
                "needs-owner": { enforcementLevel: "mandatory", properties: { retries: 3, owner: "ops" } },
                plain: { enforcementLevel: "disabled" },
            });
            assert.deepEqual(reconcilePolicyConfig(synthetic, { all: "advisory", "needs-owner": { retries: 4 } }), {
                all: { enforcementLevel: "advisory" },
                "needs-owner": { enforcementLevel: "advisory", properties: { retries: 4, owner: "ops" } },
                plain: { enforcementLevel: "advisory" },
            });
        });

        it("reports required properties and bounds", () => {
            const noInitial: AnalyzerInfo = { ...synthetic, initialConfig: undefined };
            assert.throws(
                () => reconcilePolicyConfig(noInitial, {}),
                (e: unknown) => e instanceof PolicyConfigError && e.problems.join("|") === "needs-owner: owner is required",
            );
            assert.throws(
                () => reconcilePolicyConfig(noInitial, { "needs-owner": { owner: "x", retries: 6.5 } }),
                (e: unknown) =>
                    e instanceof PolicyConfigError &&
                    e.problems.join("|") ===
                        "needs-owner: owner: String length must be greater than or equal to 2|" +
                            "needs-owner: retries: Invalid type. Expected: integer, given: number",
            );
        });
    });

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
            assert.deepEqual(problems(tags, { tags: [1, 2, 1, 2] }), ["rule: tags: array items[0,2] must be unique", "rule: tags: array items[1,3] must be unique"]);
            assert.deepEqual(problems(tags, { tags: [{ x: 1, y: 2 }, { y: 2, x: 1 }] }), ["rule: tags: array items[0,1] must be unique"]);
            assert.deepEqual(problems(tags, { tags: ["a", "b"] }), []);
        });

        it("multipleOf, with limits printed as Go prints them", () => {
            assert.deepEqual(problems({ n: { type: "integer", multipleOf: 5 } }, { n: 12 }), ["rule: n: Must be a multiple of 5"]);
            assert.deepEqual(problems({ n: { type: "number", multipleOf: 0.5 } }, { n: 1.25 }), ["rule: n: Must be a multiple of 0.5"]);
            assert.deepEqual(problems({ n: { type: "number", multipleOf: 3000000 } }, { n: 1 }), ["rule: n: Must be a multiple of 3e+06"]);
            assert.deepEqual(problems({ n: { type: "integer", multipleOf: 5 } }, { n: 15 }), []);
            assert.deepEqual(problems({ n: { type: "integer", maximum: 1000000 } }, { n: 2000000 }), ["rule: n: Must be less than or equal to 1e+06"]);
            assert.deepEqual(problems({ n: { type: "number", minimum: 0.00001 } }, { n: 0 }), ["rule: n: Must be greater than or equal to 1e-05"]);
        });

        it("oneOf: none matches (with the closest branch's problems), or more than one", () => {
            const either = { x: { oneOf: [{ type: "string" }, { type: "integer" }] } };
            assert.deepEqual(problems(either, { x: true }), [
                "rule: x: Invalid type. Expected: string, given: boolean",
                "rule: x: Must validate one and only one schema (oneOf)",
            ]);
            assert.deepEqual(problems({ x: { oneOf: [{ type: "integer" }, { minimum: 0 }] } }, { x: 5 }), ["rule: x: Must validate one and only one schema (oneOf)"]);
            assert.deepEqual(problems({ x: { oneOf: [{ type: "integer", minimum: 10 }, { type: "string", minLength: 3 }] } }, { x: "ab" }), [
                "rule: x: Must validate one and only one schema (oneOf)",
                "rule: x: String length must be greater than or equal to 3",
            ]);
            const shapes = {
                x: {
                    oneOf: [
                        { type: "object", properties: { a: { type: "integer" } }, required: ["a"] },
                        { type: "object", properties: { b: { type: "string" } }, required: ["b", "c"] },
                    ],
                },
            };
            assert.deepEqual(problems(shapes, { x: { b: "s" } }), ["rule: x: Must validate one and only one schema (oneOf)", "rule: x: c is required"]);
            assert.deepEqual(problems(either, { x: 3 }), []);
        });

        it("additionalProperties: a schema for the values of other keys, or false for none", () => {
            assert.deepEqual(problems({ m: { type: "object", additionalProperties: { type: "integer" } } }, { m: { a: 1, b: "two" } }), [
                "rule: m.b: Invalid type. Expected: integer, given: string",
            ]);
            assert.deepEqual(problems({ m: { type: "object", properties: { a: { type: "integer" } }, additionalProperties: false } }, { m: { a: 1, b: 2, c: 3 } }), [
                "rule: m: Additional property b is not allowed",
                "rule: m: Additional property c is not allowed",
            ]);
            const exemptions = {
                exemptions: { type: "array", items: { type: "object", properties: { type: { type: "string" }, reason: { type: "string" } }, additionalProperties: false } },
            };
            assert.deepEqual(problems(exemptions, { exemptions: [{ type: "t", reasn: "r" }] }), ["rule: exemptions.0: Additional property reasn is not allowed"]);
            // As the CLI validates: the settings object itself takes any other key (the protocol carries no additionalProperties).
            assert.deepEqual(problems({ a: { type: "integer" } }, { a: 1, zzz: 2 }), []);
        });

        it("the other keywords in the CLI's wording: several types, anyOf, allOf, not, if/then, contains, propertyNames, dependencies", () => {
            assert.deepEqual(problems({ a: { type: ["string", "integer"] } }, { a: true }), ["rule: a: Invalid type. Expected: [string,integer], given: boolean"]);
            assert.deepEqual(problems({ a: { type: "integer", enum: [1, 2], minimum: 0 } }, { a: "s" }), ["rule: a: Invalid type. Expected: integer, given: string"]);
            assert.deepEqual(problems({ x: { anyOf: [{ type: "integer", minimum: 10 }, { type: "integer", maximum: 2 }] } }, { x: 5 }), [
                "rule: x: Must be greater than or equal to 10",
                "rule: x: Must validate at least one schema (anyOf)",
            ]);
            assert.deepEqual(problems({ x: { allOf: [{ properties: { a: { type: "integer" } } }, { required: ["b"] }] } }, { x: { a: "s" } }), [
                "rule: x.a: Invalid type. Expected: integer, given: string",
                "rule: x: Must validate all the schemas (allOf)",
                "rule: x: b is required",
            ]);
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

    describe("a pack whose policies throw or crash", () => {
        it("surfaces a policy's exception from Analyze, naming the policy", async () => {
            const err = expectPackError(await rejection(throwing.analyze([resource("t", { mode: "throw" })])));
            assert.equal(err.reason, "policy");
            assert.equal(err.packDir, POLICY_THROWS);
            const first = err.message.split("\n").slice(0, 2).join("\n");
            assert.equal(
                first,
                `policy pack ${POLICY_THROWS} returned an error from Analyze(${thingUrn("t")}): ` +
                    "Error validating resource with policy 'explodes' from policy pack 'fixture-policy-throws@v0.0.2':\n" +
                    "Error: kaboom from explodes",
            );
        });

        it("surfaces a stack policy's exception from AnalyzeStack", async () => {
            const err = expectPackError(await rejection(throwing.analyzeStack([resource("s", { mode: "stack-throw" })])));
            assert.equal(err.reason, "policy");
            assert.match(
                err.message,
                /^policy pack .*policy-throws returned an error from AnalyzeStack: Error validating resource with policy 'stack-explodes' from policy pack 'fixture-policy-throws@v0\.0\.2':\nError: kaboom from stack-explodes/,
            );
        });

        it("keeps serving after a policy error", async () => {
            const diags = await throwing.analyze([resource("v", { mode: "violate" })]);
            assert.deepEqual(diags, [
                {
                    policyPackName: "fixture-policy-throws",
                    policyPackVersion: "0.0.2",
                    policyName: "explodes",
                    description: "Throws or crashes on demand.",
                    message: "Throws or crashes on demand.\nviolated on request",
                    enforcementLevel: "mandatory",
                    urn: thingUrn("v"),
                },
            ]);
        });

        it("reports a crash mid-analysis with the exit and the stderr tail, then refuses further calls", async () => {
            const err = expectPackError(await rejection(throwing.analyze([resource("c", { mode: "crash" })])));
            assert.equal(err.reason, "crash");
            assert.equal(
                err.message,
                `policy pack ${POLICY_THROWS} crashed during Analyze(${thingUrn("c")}): it exited with code 7\n` +
                    "--- last lines of the policy pack's stderr ---\n" +
                    "fixture-policy-throws: crashing on purpose",
            );
            assert.equal(err.stderrTail, "fixture-policy-throws: crashing on purpose");

            const again = expectPackError(await rejection(throwing.analyzeStack([])));
            assert.equal(again.reason, "crash");
            assert.match(again.message, /crashed during AnalyzeStack: it exited with code 7/);
        });

        it("close() is safe to call twice", async () => {
            await throwing.close();
            await throwing.close();
        });
    });
});
