// tools/check/analyzer.ts against real policy packs started the way the Pulumi CLI starts them
// (run-policy-pack + ts-node type-check + the @pulumi/policy gRPC server). Each pack start costs a few
// seconds, so this file starts the packs it needs once, concurrently, in its before hook and shares them.
import { strict as assert } from "assert";
import { reconcilePolicyConfig } from "../../../tools/check/packConfig";
import { startPolicyPack } from "../../../tools/check/packProcess";
import { AnalyzerInfo, CheckedResource, PolicyConfigError, PolicyPackClient } from "../../../tools/check/packTypes";
import { secretValue } from "../../../tools/check/wire";
import { HEALTHY, POLICY_THROWS, STACK, THING_TYPE, thingUrn, resource, settle, expectPackError, rejection } from "./fixtures";

describe("tools/check/analyzer", () => {
    let healthy: PolicyPackClient;
    let throwing: PolicyPackClient;

    before(async () => {
        const [h, t] = await Promise.all([
            settle(
                startPolicyPack(HEALTHY, {
                    stack: { organization: "acme", project: "continuity-test", stack: "ci", tags: { env: "test" } },
                }),
            ),
            settle(startPolicyPack(POLICY_THROWS)),
        ]);
        if (h instanceof Error) {
            throw h;
        }
        if (t instanceof Error) {
            throw t;
        }
        healthy = h;
        throwing = t;
    });

    after(async () => {
        await Promise.all([healthy?.close(), throwing?.close()]);
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
                provider: {
                    type: "pulumi:providers:test",
                    name: "prov",
                    urn: providerUrn,
                    props: { region: "eu-west-1", token: "s3cr3t" },
                },
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
            initialConfig: {
                plain: { enforcementLevel: "disabled" },
                "needs-owner": { enforcementLevel: "mandatory", properties: { owner: "ops" } },
            },
        };

        it('layers defaults, the pack\'s initialConfig, then the file; keeps the "all" entry as the CLI does', () => {
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
