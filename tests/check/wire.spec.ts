// Wire values (tools/check/wire.ts): unknowns, secrets and resource references as the engine hands
// them to a policy pack, and what the check makes of them before it sends or reads them.
import * as assert from "assert";
import {
    analyzerView,
    asReceived,
    isSecretValue,
    isUnknownValue,
    RESOURCE_SIG,
    SECRET_SIG,
    SECRET_SIG_KEY,
    secretValue,
    toWireObject,
    UNKNOWN_VALUE,
    unwrapSecrets,
} from "../../tools/check/wire";

describe("wire values (tools/check/wire.ts)", () => {
    it("wraps a secret as the engine does and tells one apart", () => {
        assert.deepStrictEqual(secretValue("s3cr3t"), { [SECRET_SIG_KEY]: SECRET_SIG, value: "s3cr3t" });
        assert.strictEqual(isSecretValue(secretValue(1)), true);
        assert.strictEqual(isSecretValue({ [SECRET_SIG_KEY]: RESOURCE_SIG, urn: "u" }), false);
        assert.strictEqual(isSecretValue([secretValue(1)]), false);
        assert.strictEqual(isUnknownValue(UNKNOWN_VALUE), true);
        assert.strictEqual(isUnknownValue("04da6b54"), false);
    });

    it("unwraps secrets (nested too) and drops undefined members, as a provider sees invoke arguments", () => {
        const args = { a: secretValue({ b: secretValue("x"), c: undefined }), list: [secretValue(2), 3], gone: undefined };
        assert.deepStrictEqual(unwrapSecrets(args), { a: { b: "x" }, list: [2, 3] });
    });

    it("turns a resource reference into its id, or a component's URN, keeping secrets and unknowns (analyzerView)", () => {
        const bucket = { [SECRET_SIG_KEY]: RESOURCE_SIG, urn: "urn:b", id: UNKNOWN_VALUE };
        const component = { [SECRET_SIG_KEY]: RESOURCE_SIG, urn: "urn:c" };
        assert.deepStrictEqual(analyzerView({ bucket, component, hidden: secretValue(bucket), tags: [UNKNOWN_VALUE] }), {
            bucket: UNKNOWN_VALUE,
            component: "urn:c",
            hidden: secretValue(UNKNOWN_VALUE),
            tags: [UNKNOWN_VALUE],
        });
    });

    it("sends plain JSON only: undefined and '__' members dropped, undefined items null, the rest refused by name", () => {
        assert.deepStrictEqual(toWireObject({ a: 1, b: undefined, __defaults: [], list: [undefined, "x"] }, "r."), {
            a: 1,
            list: [null, "x"],
        });
        assert.deepStrictEqual(asReceived({ a: 1, b: undefined, __defaults: [], list: [undefined, "x"] }), { a: 1, list: [null, "x"] });
        assert.throws(() => toWireObject({ when: new Date(0) }, "r."), {
            name: "TypeError",
            message: "r.when: a value of type Date cannot be sent to a policy pack (use plain JSON data)",
        });
        assert.throws(() => toWireObject({ n: [Infinity] }, "r."), {
            name: "TypeError",
            message: "r.n[0]: Infinity cannot be sent to a policy pack",
        });
    });
});
