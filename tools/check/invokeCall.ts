// An invoke call as the check's answers see it: its arguments, the context it is made in, how a
// local answer refuses it, and the InvokeError every failure a user can meet becomes (invokes.ts).
import type { InvokeAnswers } from "./invokeAnswers";
import { Ordered } from "./iamPolicyJson";

/** The arguments of a call, by their Pulumi names. */
export type Args = Record<string, unknown>;

export interface InvokeContext {
    /**
     * The region of the provider the invoke goes through: an explicit provider's `region` input, else the stack's
     * `aws:region` config, else undefined.
     */
    providerRegion?: string;
    /** Parsed answers file (invokeAnswers.ts), or undefined when the project has none. */
    answers?: InvokeAnswers;
    /** Path of the answers file for messages ("/x/proj/Pulumi.dev.invokes.yaml"), the one read, even when it does not exist. */
    answersFile: string;
}

/** An invoke the check cannot answer (or the provider would refuse), or an unreadable answers file. */
export class InvokeError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "InvokeError";
    }
}

/** A local answer refuses a call: the reason, as the provider (or the check) gives it. */
export class Refusal extends Error {}

export function refuse(reason: string): never {
    throw new Refusal(reason);
}

/** A local answer: the outputs of a call, or a Refusal. */
export type LocalAnswer = (args: Args, ctx: InvokeContext) => Record<string, unknown>;

export function has(o: object, key: string): boolean {
    return Object.prototype.hasOwnProperty.call(o, key);
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Ordered);
}

export function kindOf(v: unknown): string {
    if (v === null || v === undefined) return "nothing";
    if (Array.isArray(v)) return "a list";
    if (typeof v === "object") return "a mapping";
    return `the ${typeof v} ${JSON.stringify(v)}`;
}

export function optString(v: unknown, name: string): string | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "string") refuse(`'${name}' must be a string, not ${JSON.stringify(v)}.`);
    return v;
}

export function stringList(v: unknown, name: string): string[] {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) refuse(`'${name}' must be a list of strings.`);
    return v as string[];
}
