// The private parts of the Pulumi SDKs the check stands on (tools/check/pulumiInternals.ts): an
// upgrade that moves one fails here, naming the module, the member and what the check uses it for.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { computedOutputs } from "../../tools/check/planned";
import {
    checkInternals,
    missingMembers,
    OUTPUT_ONLY_PROPERTY,
    REGION_INPUT,
    STORE_FEATURES,
    WRITTEN_AGAINST,
} from "../../tools/check/pulumiInternals";
import { RESOURCE_SIG, SECRET_PLACEHOLDER, SECRET_SIG, SECRET_SIG_KEY, UNKNOWN_VALUE } from "../../tools/check/wire";
import { ROOT } from "../helpers/program";

const installed = (pkg: string): string =>
    JSON.parse(fs.readFileSync(require.resolve(`${pkg}/package.json`, { paths: [ROOT] }), "utf8")).version.replace(/^v/, "");

describe("the Pulumi SDK internals the check uses (tools/check/pulumiInternals.ts)", () => {
    it("finds every module and member it uses in the installed SDKs", () => {
        const moved = checkInternals();
        assert.deepStrictEqual(
            moved,
            [],
            `An upgrade of @pulumi/pulumi (installed ${installed("@pulumi/pulumi")}) or @pulumi/policy (installed ${installed("@pulumi/policy")}) ` +
                `moved what the check uses; it was written against ${JSON.stringify(WRITTEN_AGAINST)}:\n${moved.join("\n")}`,
        );
    });

    it("names the module, the member and its use when one has moved", () => {
        const internal = {
            module: "@pulumi/pulumi/x",
            usedFor: "the test",
            members: ["Client", "Client.prototype.call", "status.UNKNOWN"],
        };
        class Client {}
        assert.deepStrictEqual(missingMembers(internal, { Client, status: {} }), [
            "@pulumi/pulumi/x has no Client.prototype.call any more (the check uses it for the test)",
            "@pulumi/pulumi/x has no status.UNKNOWN any more (the check uses it for the test)",
        ]);
        assert.deepStrictEqual(
            missingMembers(internal, {
                Client: class {
                    call() {}
                },
                status: { UNKNOWN: 2 },
            }),
            [],
        );
    });

    it("sets only feature flags the runtime's store has", () => {
        const { LocalStore } = require("@pulumi/pulumi/runtime/state") as { LocalStore: new () => Record<string, unknown> };
        const store = new LocalStore();
        assert.deepStrictEqual(
            STORE_FEATURES.filter((k) => typeof store[k] !== "boolean"),
            [],
            "@pulumi/pulumi/runtime/state's LocalStore no longer has these feature flags, which engine.ts sets",
        );
    });

    it("reads output-only properties and the region input from a generated SDK as the code generator writes them", () => {
        const source = fs.readFileSync(require.resolve("@pulumi/aws/s3/bucket.js", { paths: [ROOT] }), "utf8");
        const computed = [...source.matchAll(OUTPUT_ONLY_PROPERTY)].map((m) => m[1]);
        assert.ok(computed.includes("arn"), `@pulumi/aws/s3/bucket.js no longer marks output-only properties as ${OUTPUT_ONLY_PROPERTY}`);
        assert.ok(source.includes(REGION_INPUT), `@pulumi/aws/s3/bucket.js no longer takes its region as ${REGION_INPUT}`);
        assert.deepStrictEqual(computedOutputs("aws:s3/bucket:Bucket", ROOT), computed);
    });

    it("pins @pulumi/policy to the version it was written against, and runs with @pulumi/pulumi of that minor version", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> };
        assert.strictEqual(pkg.dependencies["@pulumi/policy"], WRITTEN_AGAINST["@pulumi/policy"]);
        assert.strictEqual(installed("@pulumi/policy"), WRITTEN_AGAINST["@pulumi/policy"]);
        const minor = (v: string) => v.split(".").slice(0, 2).join(".");
        assert.strictEqual(minor(installed("@pulumi/pulumi")), minor(WRITTEN_AGAINST["@pulumi/pulumi"]));
    });

    it("speaks the wire vocabulary of the engine: the runtime's sentinel and signatures", () => {
        assert.deepStrictEqual(
            [UNKNOWN_VALUE, SECRET_SIG_KEY, SECRET_SIG, RESOURCE_SIG],
            [
                "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
                "4dabf18193072939515e22adb298388d",
                "1b47061264138c4ac30d75fd1eb44270",
                "5cf8f73096256a8f31e491e813e4eb8e",
            ],
        );
        assert.strictEqual(SECRET_PLACEHOLDER, "https://secret.placeholder.invalid/offline-check");
    });
});
