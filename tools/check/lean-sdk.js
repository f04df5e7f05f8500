// Preloaded (`node -r`) into the program and policy pack processes the check starts, before the
// compile cache. It spares three costs of @pulumi/pulumi that change nothing a program or a pack can
// observe but time; everything else runs as `pulumi preview` runs it.
//
// 1. The SDK loads npm's Arborist when it loads (`runtime/closure/codePaths.js` requires
//    `@npmcli/arborist`, some 300 modules): 0.3–0.45 s of CPU in every process, though only
//    serializing a function (`pulumi.runtime.serializeFunction`, `aws.lambda.CallbackFunction`) uses
//    it. Here the SDK gets a stand-in that loads Arborist at its first use. codePaths.js reads it as
//    `__importStar(require("@npmcli/arborist")).Arborist`; the stand-in says it is an ES module so
//    that `__importStar` hands it over as it is instead of copying (and so loading) every export.
//    tests/check/lean-sdk.spec.ts fails when an SDK upgrade uses Arborist otherwise.
// 2. `debuggablePromise` (`runtime/debuggable.js`) keeps `new Error().stack` on every promise the
//    runtime makes, and ts-node's source-map-support maps each of those stacks frame by frame: about
//    0.6 s of CPU for our production stack. The SDK reads that stack only to describe leaked promises
//    when PULUMI_DEBUG_PROMISE_LEAKS is set; unless it is, the stack is captured without frames.
//    tests/check/pulumiInternals.spec.ts fails when an upgrade moves debuggablePromise.
//    (The stack the SDK captures for each resource's source position is left as it is.)
// 3. A program that fails: the SDK shows the error as `util.inspect(err, { colors: true })` and, when that
//    throws, as `util.inspect(err)`. On Node.js 20.19.6 and later 20.x (and other lines until the fix
//    of nodejs/node#64011, pull request #64022), the colored inspect loops, growing a string until
//    "RangeError: Invalid string length", when a stack line has a node_modules segment not followed
//    by a package directory, as the SDK's own source-mapped frames are
//    (`.../node_modules/@pulumi/output.ts:516:31`): 15-30 s and gigabytes of heap before the SDK
//    falls back. For such a stack the SDK is handed its fallback at once; the text is the same.
//
// Plain JavaScript on purpose, like compile-cache.js: it runs before ts-node exists in the process.
"use strict";
const Module = require("module");

/** Whether `file` is one of @pulumi/pulumi's own modules (any copy: a pack may have its own). */
function inPulumiSdk(file) {
    const parts = typeof file === "string" ? file.split(/[\\/]/) : [];
    const i = parts.lastIndexOf("node_modules");
    return i >= 0 && parts[i + 1] === "@pulumi" && parts[i + 2] === "pulumi";
}

/** A module that is loaded at the first use of any of its exports. */
function lazyModule(load) {
    let real;
    const target = () => (real === undefined ? (real = load()) : real);
    const configurable = (d) => d && { ...d, configurable: true };
    return new Proxy(
        {},
        {
            get: (_, key) => (key === "__esModule" ? true : Reflect.get(target(), key)),
            has: (_, key) => key === "__esModule" || Reflect.has(target(), key),
            ownKeys: () => Reflect.ownKeys(target()),
            getOwnPropertyDescriptor: (_, key) => configurable(Reflect.getOwnPropertyDescriptor(target(), key)),
            set: (_, key, value) => Reflect.set(target(), key, value),
        },
    );
}

/** Replaces `exports[name]` by `wrap(original)`, once: the SDK's modules call their siblings' exports by property. */
function wrapExport(exports, name, wrap) {
    const original = exports[name];
    if (original.__continuityLean) return;
    const lean = wrap(original);
    lean.__continuityLean = true;
    exports[name] = lean;
}

/** debuggablePromise without the frames of its stack, unless the SDK describes leaks (PULUMI_DEBUG_PROMISE_LEAKS). */
function withoutPromiseStacks(debuggable) {
    // The SDK reads the variable once, when it loads, into debugPromiseLeaks.
    if (debuggable.debugPromiseLeaks ?? Boolean(process.env.PULUMI_DEBUG_PROMISE_LEAKS)) return;
    wrapExport(
        debuggable,
        "debuggablePromise",
        (original) =>
            function (p, ctx) {
                const limit = Error.stackTraceLimit;
                Error.stackTraceLimit = 0;
                try {
                    return original.call(this, p, ctx);
                } finally {
                    Error.stackTraceLimit = limit;
                }
            },
    );
}

/**
 * Whether Node's colored inspect of this stack would loop (markNodeModules in lib/internal/util/inspect.js
 * before nodejs/node#64022): a node_modules segment without the separator that ends its package name
 * (two separators for a scoped package).
 */
function coloredInspectLoops(stack) {
    for (const line of stack.split("\n")) {
        let from = 0;
        for (;;) {
            const at = line.indexOf("node_modules", from);
            if (at === -1) break;
            const separator = line[at - 1];
            const after = line[at + 12];
            if ((separator !== "/" && separator !== "\\") || (after !== "/" && after !== "\\")) {
                from = at + 1;
                continue;
            }
            const start = at + 13;
            let end = line.indexOf(separator, start);
            if (line[start] === "@") end = end === -1 ? -1 : line.indexOf(separator, end + 1);
            if (end === -1) return true;
            from = end;
        }
    }
    return false;
}

/** The SDK's error text without the loop of coloredInspectLoops: what the SDK falls back to, at once. */
function withoutInspectLoop(errors) {
    const util = require("util");
    wrapExport(
        errors,
        "defaultErrorMessage",
        (original) =>
            function (err) {
                if (err && typeof err.stack === "string" && coloredInspectLoops(err.stack)) {
                    try {
                        return util.inspect(err);
                    } catch {
                        return original.call(this, err);
                    }
                }
                return original.call(this, err);
            },
    );
}

const load = Module._load;
Module._load = function (request, parent) {
    if (request === "@npmcli/arborist" && parent && inPulumiSdk(parent.filename)) {
        const args = arguments;
        return lazyModule(() => load.apply(this, args));
    }
    const exported = load.apply(this, arguments);
    const fromSdk = parent && inPulumiSdk(parent.filename);
    if (fromSdk && exported && typeof exported.debuggablePromise === "function" && typeof exported.promiseDebugString === "function") {
        withoutPromiseStacks(exported);
    }
    if (fromSdk && exported && typeof exported.defaultErrorMessage === "function") withoutInspectLoop(exported);
    return exported;
};

module.exports = { inPulumiSdk, lazyModule, coloredInspectLoops, withoutInspectLoop };
