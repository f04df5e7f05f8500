// tools/check/lean-sdk.js, preloaded into the program and pack processes: @pulumi/pulumi loads
// without npm's Arborist until a function is serialized, runtime promises keep a stack without
// frames unless PULUMI_DEBUG_PROMISE_LEAKS asks for them, and a failing program's error is not run
// through Node's looping colored inspect. Nothing else may differ.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "../helpers/program";

const LEAN = path.join(ROOT, "tools", "check", "lean-sdk.js");
const PROBE = path.join(ROOT, "tests", "fixtures", "lean-sdk", "probe.js");
const { lazyModule, inPulumiSdk, coloredInspectLoops, withoutInspectLoop } = require(LEAN) as {
    lazyModule<T extends object>(load: () => T): T;
    inPulumiSdk(file: string): boolean;
    coloredInspectLoops(stack: string): boolean;
    withoutInspectLoop(errors: { defaultErrorMessage(err: unknown): string }): void;
};

interface Probe {
    arboristModulesAfterLoad: number;
    arboristModulesAfterUse: number;
    codePaths: string[];
    promiseStack: string;
}

function probe(preload: boolean, env: NodeJS.ProcessEnv = {}): Probe {
    const args = preload ? ["-r", LEAN, PROBE] : [PROBE];
    const r = spawnSync(process.execPath, args, {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, PULUMI_DEBUG_PROMISE_LEAKS: undefined, ...env },
    });
    assert.strictEqual(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as Probe;
}

describe("the lean start of @pulumi/pulumi in program and pack processes (tools/check/lean-sdk.js)", () => {
    let plain: Probe;
    let lean: Probe;
    before(() => {
        plain = probe(false);
        lean = probe(true);
    });

    it("loads Arborist only when the code paths of a function are computed, and computes the same paths", () => {
        assert.ok(plain.arboristModulesAfterLoad > 20, `the SDK alone loads Arborist: ${plain.arboristModulesAfterLoad} modules`);
        assert.strictEqual(lean.arboristModulesAfterLoad, 0);
        assert.strictEqual(lean.arboristModulesAfterUse, plain.arboristModulesAfterUse);
        assert.ok(lean.codePaths.includes(path.join("node_modules", "yaml")), lean.codePaths.join(", "));
        assert.deepStrictEqual(lean.codePaths, plain.codePaths);
    });

    it("keeps a runtime promise's stack without frames, unless PULUMI_DEBUG_PROMISE_LEAKS asks the SDK to describe leaks", () => {
        assert.match(plain.promiseStack, /^Error\n {4}at (Object\.)?debuggablePromise \(.*debuggable\.js:\d+:\d+\)\n/);
        assert.strictEqual(lean.promiseStack, "Error");
        const debugging = probe(true, { PULUMI_DEBUG_PROMISE_LEAKS: "1" });
        assert.match(debugging.promiseStack, /^Error\n {4}at (Object\.)?debuggablePromise \(.*debuggable\.js:\d+:\d+\)\n/);
    });

    it("the SDK reads Arborist as codePaths.js did when this was written: through __importStar, one member, Arborist", () => {
        const file = require.resolve("@pulumi/pulumi/runtime/closure/codePaths.js", { paths: [ROOT] });
        const source = fs.readFileSync(file, "utf8");
        const uses = [...source.matchAll(/\barborist\b[^;\n]*/g)].map((m) => m[0]);
        assert.deepStrictEqual(uses, [
            'arborist = __importStar(require("@npmcli/arborist"))',
            "arborist.Arborist({ path: workspaceRoot })",
        ]);
    });

    it("a lazy module loads at the first use of an export, once, and then answers as the module", () => {
        let loads = 0;
        const real = { Arborist: class Arborist {}, version: "9.1.0" };
        const m = lazyModule(() => {
            loads++;
            return real;
        }) as typeof real & { __esModule?: boolean };
        assert.strictEqual(m.__esModule, true);
        assert.strictEqual(loads, 0);
        assert.strictEqual(m.Arborist, real.Arborist);
        assert.strictEqual(m.version, "9.1.0");
        assert.deepStrictEqual(Object.keys(m), ["Arborist", "version"]);
        assert.strictEqual("version" in m, true);
        assert.strictEqual(loads, 1);
    });

    it("knows the stacks Node's colored inspect loops on (nodejs/node#64011): a node_modules segment without its package directory", () => {
        const frames = [
            // The SDK's own source-mapped frames, as a failing apply shows them.
            "    at applyHelperAsync (/srv/app/node_modules/@pulumi/output.ts:516:31)",
            "    at Object.<anonymous> (/srv/app/node_modules/left-pad.js:1:1)",
            "    at C:\\app\\node_modules\\@acme\\util.ts:3:9",
            "    at Bucket (/srv/app/node_modules/@pulumi/aws/s3/bucket.ts:120:9)",
            "    at /srv/app/node_modules/yaml/dist/index.js:4:2",
            "    at /srv/app/index.ts:8:24",
            "    at /srv/app/my_node_modules_notes/x.ts:1:1",
        ];
        assert.deepStrictEqual(
            frames.map((f) => coloredInspectLoops(`Error: boom\n${f}`)),
            [true, true, true, false, false, false, false],
        );
    });

    it("hands the SDK its uncolored fallback at once for such a stack, and leaves every other error to the SDK", () => {
        const errors = {
            defaultErrorMessage: (err: unknown) => `the SDK's own text of ${(err as Error).message}`,
        };
        withoutInspectLoop(errors);
        const looping = new Error("ACME_SITE_DOMAIN_FOR_TESTS is not set");
        looping.stack =
            "Error: ACME_SITE_DOMAIN_FOR_TESTS is not set\n    at applyHelperAsync (/srv/app/node_modules/@pulumi/output.ts:516:31)";
        assert.strictEqual(errors.defaultErrorMessage(looping), looping.stack);
        const plain = new Error("bucket name taken");
        plain.stack = "Error: bucket name taken\n    at /srv/app/index.ts:8:24";
        assert.strictEqual(errors.defaultErrorMessage(plain), "the SDK's own text of bucket name taken");
    });

    it("treats only @pulumi/pulumi's own modules as the SDK, whichever copy", () => {
        assert.deepStrictEqual(
            [
                "/srv/app/node_modules/@pulumi/pulumi/runtime/closure/codePaths.js",
                "/srv/pack/node_modules/@pulumi/policy/node_modules/@pulumi/pulumi/runtime/index.js",
                "/srv/app/node_modules/@pulumi/policy/server.js",
                "/srv/app/node_modules/@pulumi/pulumi-extra/index.js",
                "/srv/app/pulumi/runtime/index.js",
            ].map(inPulumiSdk),
            [true, true, false, false, false],
        );
    });
});
