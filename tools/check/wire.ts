// Wire values: how the engine writes what a preview does not know, what is secret and what refers to
// a resource, in the properties it hands a policy pack. The one vocabulary of the check:
//
//   UNKNOWN_VALUE    a value unknown until the resource exists (an id, an ARN at preview): this
//                    string in place of the value, the engine's and the SDK's sentinel
//   secretValue(v)   a secret: `{ [SECRET_SIG_KEY]: SECRET_SIG, value: v }`; isSecretValue tells one
//   RESOURCE_SIG     the signature of a resource reference `{ [SECRET_SIG_KEY]: RESOURCE_SIG, urn, id }`
//   SECRET_PLACEHOLDER  what a program receives for a `secure:` config value the check cannot decrypt
//
// The signatures are the Pulumi runtime's own (@pulumi/pulumi/runtime, rpc.ts), so the check and
// the SDK cannot disagree. (A policy's "unknown" is another thing: policies/util.ts UNKNOWN, the
// symbol a policy's own code uses once the SDK has thrown for a value that is UNKNOWN_VALUE here.)
import { specialResourceSig, specialSecretSig, specialSigKey, unknownValue } from "@pulumi/pulumi/runtime";

/** The engine's wire sentinel for a value that is unknown during preview. */
export const UNKNOWN_VALUE: string = unknownValue;
/** Signature key / value the engine uses to mark a secret: `{ [SECRET_SIG_KEY]: SECRET_SIG, value }`. */
export const SECRET_SIG_KEY: string = specialSigKey;
export const SECRET_SIG: string = specialSecretSig;
/** The SDK's signature of a resource reference on the wire (under SECRET_SIG_KEY). */
export const RESOURCE_SIG: string = specialResourceSig;

/** What a program receives for a secret config value the check could not decrypt (stackConfig.ts). Not a secret itself. */
export const SECRET_PLACEHOLDER = "https://secret.placeholder.invalid/offline-check";

/** Wraps a wire value as a secret, the way the engine marshals it for analyzers. */
export function secretValue(value: unknown): Record<string, unknown> {
    return { [SECRET_SIG_KEY]: SECRET_SIG, value };
}

/** A wire value that is a secret: `{ [SECRET_SIG_KEY]: SECRET_SIG, value }`. */
export function isSecretValue(v: unknown): v is { value: unknown } {
    return isRecord(v) && v[SECRET_SIG_KEY] === SECRET_SIG;
}

/** The wire sentinel of a value unknown at preview. */
export function isUnknownValue(v: unknown): boolean {
    return v === UNKNOWN_VALUE;
}

/** A wire value with secrets unwrapped and undefined members dropped: what a provider sees of an invoke's arguments. */
export function unwrapSecrets(v: unknown): unknown {
    if (isSecretValue(v)) return unwrapSecrets(v.value);
    if (Array.isArray(v)) return v.map(unwrapSecrets);
    if (v !== null && typeof v === "object") {
        return Object.fromEntries(
            Object.entries(v)
                .filter(([, x]) => x !== undefined)
                .map(([k, x]) => [k, unwrapSecrets(x)]),
        );
    }
    return v;
}

/**
 * A wire value as the engine marshals it for analyzers (plugin.MarshalProperties with
 * KeepResources false): a reference to a custom resource becomes its id (unknown while it is being
 * created), a reference to a component its URN; secrets and unknowns stay as they are.
 */
export function analyzerView(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(analyzerView);
    if (v !== null && typeof v === "object") {
        const o = v as Record<string, unknown>;
        if (o[SECRET_SIG_KEY] === RESOURCE_SIG) return "id" in o ? analyzerView(o.id) : o.urn;
        if (isSecretValue(o)) return secretValue(analyzerView(o.value));
        return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, analyzerView(x)]));
    }
    return v;
}

/** A wire value as the analyzer receives it: undefined members and "__" keys dropped (toWireObject), never refused. */
export function asReceived(v: unknown): unknown {
    if (Array.isArray(v)) return v.map((e) => (e === undefined ? null : asReceived(e)));
    if (v !== null && typeof v === "object") {
        return Object.fromEntries(
            Object.entries(v as Record<string, unknown>)
                .filter(([k, x]) => x !== undefined && !k.startsWith("__"))
                .map(([k, x]) => [k, asReceived(x)]),
        );
    }
    return v;
}

/** A JSON value of a protobuf Struct (google-protobuf's JavaScriptValue). */
export type StructValue = null | number | string | boolean | StructValue[] | { [key: string]: StructValue };

/**
 * A plain JSON object for a protobuf Struct, as the CLI sends it: undefined members dropped,
 * "__"-prefixed keys skipped. Anything that is not plain JSON data (a class instance, a function,
 * a non-finite number) is refused with a TypeError naming where it is (`prefix` + key).
 */
export function toWireObject(obj: Record<string, unknown>, prefix: string): Record<string, StructValue> {
    const out: Record<string, StructValue> = {};
    for (const [k, v] of Object.entries(obj)) {
        if (v === undefined || k.startsWith("__")) {
            continue;
        }
        out[k] = toWireValue(v, `${prefix}${k}`);
    }
    return out;
}

function toWireValue(v: unknown, where: string): StructValue {
    if (v === null || typeof v === "string" || typeof v === "boolean") {
        return v;
    }
    if (typeof v === "number") {
        if (!Number.isFinite(v)) {
            throw new TypeError(`${where}: ${v} cannot be sent to a policy pack`);
        }
        return v;
    }
    if (Array.isArray(v)) {
        return v.map((e, i) => (e === undefined ? null : toWireValue(e, `${where}[${i}]`)));
    }
    if (isRecord(v)) {
        const proto = Object.getPrototypeOf(v) as unknown;
        if (proto === Object.prototype || proto === null) {
            return toWireObject(v, `${where}.`);
        }
    }
    const kind = v === undefined ? "undefined" : typeof v === "object" ? (v.constructor?.name ?? "object") : typeof v;
    throw new TypeError(`${where}: a value of type ${kind} cannot be sent to a policy pack (use plain JSON data)`);
}

export function isRecord(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}
