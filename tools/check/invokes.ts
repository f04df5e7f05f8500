// The answers the offline check gives to the invokes (data-source functions such as aws.getRegion or
// aws.iam.getPolicyDocument) that a program makes. A real `pulumi preview` sends each invoke to the provider, which
// asks the cloud; the check has neither, so it answers in one of two ways.
//
// 1. Locally, for the lookups whose answer needs no cloud: these modules compute what @pulumi/aws v7
//    (terraform-provider-aws v6) returns, rule for rule, from the provider's own source (cited at each rule):
//      aws:iam/getPolicyDocument:getPolicyDocument        the policy JSON, byte for byte as the provider renders it
//                                                          (iamPolicyDocument.ts, iamPolicyJson.ts)
//      aws:index/getRegion:getRegion                       name, description, EC2 endpoint of a Region (awsRegions.ts)
//      aws:index/getPartition:getPartition                 partition, DNS suffix, reverse DNS prefix (awsRegions.ts)
//      aws:index/getAvailabilityZones:getAvailabilityZones the zone names and zone IDs of 15 Regions (awsZones.ts)
//      aws:index/getCallerIdentity:getCallerIdentity       a placeholder account (CHECK_ACCOUNT_ID, awsRegions.ts)
//      aws:elb/getServiceAccount:getServiceAccount         the ELB log-delivery account of a Region (awsRegions.ts)
//
// 2. From the stack's answers file (invokeAnswers.ts), for lookups only the cloud can answer (an AMI, an existing VPC, its subnets, a
//    Secrets Manager secret, a MongoDB Atlas project, an existing resource read with `Resource.get`, ...). The file
//    sits beside the stack's own file and is named `Pulumi.<stack>.invokes.yaml`. It is YAML (so JSON too): each key
//    is an invoke token and holds a list of answers; an answer is a `result` (the outputs the call returns, by their
//    Pulumi names) and, optionally, the `args` it answers:
//
//        # Pulumi.dev.invokes.yaml
//        aws:ec2/getAmi:getAmi:
//          - args: { mostRecent: true, owners: [amazon] }
//            result: { id: ami-0123456789abcdef0, architecture: x86_64 }
//        aws:ec2/getVpc:getVpc:
//          - result: { id: vpc-0abc, cidrBlock: 10.0.0.0/16 }     # no args: answers any call
//        aws:s3/bucket:Bucket:                                    # a resource type: answers Bucket.get(name, id)
//          - args: { id: acme-access-logs }
//            result: { bucket: acme-access-logs, arn: "arn:aws:s3:::acme-access-logs" }
//
//    Matching: the first answer whose `args` all equal the call's arguments wins. Each key given under `args` must
//    deep-equal the call's argument of that name (lists in the same order; an absent argument equals `null`); keys
//    the answer does not give are ignored, so `args` can name only the arguments that tell calls apart. Values are
//    compared as YAML reads them: quote a string YAML would read as a number (an account id "012345678901").
//    Arguments use the Pulumi names of the SDK (camelCase: `mostRecent`, `filters`), not Terraform's.
//
//    Precedence: a token present in the file is answered from the file only, even when the check could answer it
//    locally (so the file can override a local answer); a token absent from the file gets the local answer, if any.
//
// Every failure a user can meet is an InvokeError whose message names the token and the call's arguments (as JSON,
// with secret values shown as "[secret]") and prints a ready-to-paste YAML entry for the answers file. A secret
// argument is left out of that entry's `args` (the entry then matches whatever the secret is).
import { stringify } from "yaml";
import { getCallerIdentity, getPartition, getRegion, getServiceAccount } from "./awsRegions";
import { getAvailabilityZones } from "./awsZones";
import { policyDocument } from "./iamPolicyDocument";
import { argEquals, findAnswer, InvokeAnswer } from "./invokeAnswers";
import { Args, has, InvokeContext, InvokeError, isPlainObject, LocalAnswer, Refusal } from "./invokeCall";
import { isSecretValue, SECRET_PLACEHOLDER, unwrapSecrets } from "./wire";

/** The account the check answers for (awsRegions.ts); component tests read it from here. */
export { CHECK_ACCOUNT_ID, CHECK_PARTITION } from "./awsRegions";

/** The tokens the check answers without an answers file. */
export const LOCAL_INVOKES: readonly string[] = [
    "aws:iam/getPolicyDocument:getPolicyDocument",
    "aws:index/getRegion:getRegion",
    "aws:index/getPartition:getPartition",
    "aws:index/getAvailabilityZones:getAvailabilityZones",
    "aws:index/getCallerIdentity:getCallerIdentity",
    "aws:elb/getServiceAccount:getServiceAccount",
];

const LOCAL_ANSWERS: Record<string, LocalAnswer> = {
    "aws:iam/getPolicyDocument:getPolicyDocument": (args) => policyDocument(args),
    "aws:index/getRegion:getRegion": getRegion,
    "aws:index/getPartition:getPartition": getPartition,
    "aws:index/getAvailabilityZones:getAvailabilityZones": getAvailabilityZones,
    "aws:index/getCallerIdentity:getCallerIdentity": getCallerIdentity,
    "aws:elb/getServiceAccount:getServiceAccount": getServiceAccount,
};

/** The outputs of invoke `token` called with `inputs` (the SDK's deserialised arguments; secrets may be wrapped). */
export function invokeResult(token: string, inputs: Record<string, unknown>, ctx: InvokeContext): Record<string, unknown> {
    const args = plainArgs(inputs);
    const entries = ctx.answers && has(ctx.answers, token) ? ctx.answers[token] : undefined;
    if (entries !== undefined) return fromAnswersFile(token, inputs, args, entries, ctx);
    const local = has(LOCAL_ANSWERS, token) ? LOCAL_ANSWERS[token] : undefined;
    if (!local) {
        const where = ctx.answers === undefined ? `${ctx.answersFile}, which does not exist yet` : ctx.answersFile;
        throw new InvokeError(
            `The offline check has no answer for the invoke '${token}' (arguments: ${showArgs(inputs)}). ` +
                `A real preview asks the cloud; offline, the answer comes from ${where}. ` +
                `Add this entry to it and fill in 'result' with the outputs the program reads:\n\n${snippet(token, inputs, true)}`,
        );
    }
    try {
        return local(args, ctx);
    } catch (e) {
        if (!(e instanceof Refusal)) throw e;
        throw new InvokeError(
            `The offline check cannot answer the invoke '${token}' (arguments: ${showArgs(inputs)}): ${e.message}\n` +
                `If the real provider answers this call, give the check its answer in ${ctx.answersFile} ` +
                `(an entry there replaces the check's own answer for this function):\n\n${snippet(token, inputs, true)}`,
        );
    }
}

function fromAnswersFile(token: string, inputs: Args, args: Args, entries: InvokeAnswer[], ctx: InvokeContext): Record<string, unknown> {
    const found = findAnswer(entries, args);
    if (found) return structuredClone(found.result);
    const expectations = entries.map((e, i) => {
        const wanted = e.args ?? {};
        const differing = Object.keys(wanted)
            .filter((k) => !argEquals(wanted[k], args[k]))
            .map((k) => `${k} is ${k in args && args[k] !== undefined ? showValue(inputs[k]) : "absent"} in the call`);
        return `answer ${i + 1} expects ${JSON.stringify(wanted)} (${differing.join(", ")})`;
    });
    throw new InvokeError(
        `${ctx.answersFile} has no answer for the invoke '${token}' with these arguments (${showArgs(inputs)}): ${expectations.join("; ")}. ` +
            `Add an entry for them under ${token}, and fill in 'result' with the outputs the program reads:\n\n${snippet(token, inputs, false)}`,
    );
}

// Secrets: the SDK hands an invoke a secret argument wrapped as { [sig]: secretSig, value } (rpc.ts,
// specialSecretSig); a stack's undecrypted `secure:` config value reaches the program as SECRET_PLACEHOLDER.

/** The arguments as the provider sees them: secrets unwrapped, undefined members dropped. */
function plainArgs(inputs: Args): Args {
    return unwrapSecrets(inputs ?? {}) as Args;
}

function containsSecret(v: unknown): boolean {
    if (isSecretValue(v)) return true;
    if (typeof v === "string") return v.includes(SECRET_PLACEHOLDER);
    if (Array.isArray(v)) return v.some(containsSecret);
    if (isPlainObject(v)) return Object.values(v).some(containsSecret);
    return false;
}

/** A value for a message: every secret replaced by "[secret]". */
function masked(v: unknown): unknown {
    if (containsSecret(v) && (isSecretValue(v) || typeof v === "string")) return "[secret]";
    if (Array.isArray(v)) return v.map(masked);
    if (isPlainObject(v))
        return Object.fromEntries(
            Object.entries(v)
                .filter(([, x]) => x !== undefined)
                .map(([k, x]) => [k, masked(x)]),
        );
    return v;
}

function showValue(v: unknown): string {
    return JSON.stringify(masked(v)) ?? "null";
}

function showArgs(inputs: Args): string {
    const shown = masked(inputs ?? {}) as Args;
    return Object.keys(shown).length === 0 ? "none" : JSON.stringify(shown);
}

/** A ready-to-paste answers-file entry for this call (under its token when `withToken`). */
function snippet(token: string, inputs: Args, withToken: boolean): string {
    const plain = plainArgs(inputs);
    const secret = Object.keys(plain).filter((k) => containsSecret((inputs ?? {})[k]));
    const args = Object.fromEntries(Object.entries(plain).filter(([k]) => !secret.includes(k)));
    const entry: Record<string, unknown> = Object.keys(args).length > 0 ? { args, result: {} } : { result: {} };
    let text = stringify(withToken ? { [token]: [entry] } : [entry]).trimEnd();
    if (!withToken) text = text.replace(/^/gm, "  ");
    text = text.replace(/result: \{\}$/, "result: {} # the outputs the program reads, by their Pulumi names");
    if (secret.length > 0) text += `\n# left out of args, being secret (this answer matches any value of them): ${secret.join(", ")}`;
    return text;
}
