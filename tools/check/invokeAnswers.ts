// The stack's answers file, `Pulumi.<stack>.invokes.yaml`: the answers to the invokes only the cloud
// can answer (the format is described in invokes.ts). Reading it, with a message naming the file and
// the problem when it is malformed, and finding the answer to a call.
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { Args, InvokeError, isPlainObject, kindOf } from "./invokeCall";

/** One answer of the answers file: the outputs `result` for the calls whose arguments include `args`. */
export interface InvokeAnswer {
    /** Arguments the call must have (deep-equal, by Pulumi name); absent: any call. */
    args?: Record<string, unknown>;
    /** The outputs the invoke returns, by their Pulumi names. */
    result: Record<string, unknown>;
}

/** The answers file: invoke token → its answers, the first matching one wins. */
export type InvokeAnswers = Record<string, InvokeAnswer[]>;

/** Where the answers of stack `stack` live: `Pulumi.<stack>.invokes.yaml` beside `Pulumi.<stack>.yaml`. */
export function invokeAnswersPath(stackConfigDir: string, stack: string): string {
    return path.join(stackConfigDir, `Pulumi.${stack}.invokes.yaml`);
}

/** `pkg:module:member`, the shape of every Pulumi invoke token and resource type. */
const TOKEN_SHAPE = /^[^:\s]+:[^:\s]+:[^:\s]+$/;

/** Reads an answers file: undefined when it does not exist, an InvokeError naming the file and the problem when it is malformed. */
export function readInvokeAnswers(file: string): InvokeAnswers | undefined {
    if (!fs.existsSync(file)) return undefined;
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new InvokeError(`${file} cannot be read: ${(e as Error).message}`);
    }
    let doc: unknown;
    try {
        doc = parse(text);
    } catch (e) {
        throw new InvokeError(`${file} is not valid YAML (or JSON): ${(e as Error).message}`);
    }
    if (doc === null || doc === undefined) return {};
    const example = `like\n\naws:ec2/getAmi:getAmi:\n  - args: { mostRecent: true }\n    result: { id: ami-0123456789abcdef0 }`;
    if (!isPlainObject(doc)) {
        throw new InvokeError(`${file} must map invoke tokens to lists of answers, ${example}\n\nIt holds ${kindOf(doc)}.`);
    }
    const answers: InvokeAnswers = {};
    for (const [token, entries] of Object.entries(doc)) {
        if (!TOKEN_SHAPE.test(token)) {
            throw new InvokeError(
                `${file}: '${token}' is not an invoke token. Tokens look like aws:ec2/getAmi:getAmi (module path, then the function); the check's message for an unanswered invoke names it.`,
            );
        }
        if (!Array.isArray(entries)) {
            throw new InvokeError(
                `${file}: ${token} must hold a list of answers ("- args: ...  result: ..."), ${example}\n\nIt holds ${kindOf(entries)}.`,
            );
        }
        answers[token] = entries.map((entry, i) => {
            const where = `${file}: answer ${i + 1} of ${token}`;
            if (!isPlainObject(entry))
                throw new InvokeError(`${where} must be a mapping with a 'result' (and optionally 'args'); it is ${kindOf(entry)}.`);
            for (const key of Object.keys(entry)) {
                if (key !== "args" && key !== "result")
                    throw new InvokeError(`${where} has the key '${key}'; an answer has only 'args' and 'result'.`);
            }
            const args = entry.args;
            if (args !== undefined && args !== null && !isPlainObject(args)) {
                throw new InvokeError(`${where}: 'args' must map argument names to values; it is ${kindOf(args)}.`);
            }
            if (!("result" in entry) || entry.result === null)
                throw new InvokeError(`${where} has no 'result' (the outputs the invoke returns).`);
            if (!isPlainObject(entry.result))
                throw new InvokeError(`${where}: 'result' must map output names to values; it is ${kindOf(entry.result)}.`);
            return isPlainObject(args) ? { args, result: entry.result } : { result: entry.result };
        });
    }
    return answers;
}

/** The first answer whose `args` all equal the call's arguments; undefined when none does. */
export function findAnswer(entries: InvokeAnswer[], args: Args): InvokeAnswer | undefined {
    return entries.find((e) => answerMatches(e, args));
}

function answerMatches(answer: InvokeAnswer, args: Args): boolean {
    const wanted = answer.args;
    if (!wanted) return true;
    return Object.keys(wanted).every((k) => argEquals(wanted[k], args[k]));
}

/** Deep equality of an answer's argument and the call's; `null` and absent are the same. */
export function argEquals(a: unknown, b: unknown): boolean {
    if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
    if (Array.isArray(a) || Array.isArray(b)) {
        return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => argEquals(x, b[i]));
    }
    if (isPlainObject(a) || isPlainObject(b)) {
        if (!isPlainObject(a) || !isPlainObject(b)) return false;
        const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
        return [...keys].every((k) => argEquals(a[k], b[k]));
    }
    return a === b;
}
