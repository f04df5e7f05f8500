// The answers the offline check gives to the invokes (data-source functions such as aws.getRegion or
// aws.iam.getPolicyDocument) that a program makes. A real `pulumi preview` sends each invoke to the provider, which
// asks the cloud; the check has neither, so it answers in one of two ways.
//
// 1. Locally, for the lookups whose answer needs no cloud: the functions below compute what @pulumi/aws v7
//    (terraform-provider-aws v6) returns, rule for rule, from the provider's own source (cited at each rule):
//      aws:iam/getPolicyDocument:getPolicyDocument        the policy JSON, byte for byte as the provider renders it
//      aws:index/getRegion:getRegion                       name, description, EC2 endpoint of a Region
//      aws:index/getPartition:getPartition                 partition, DNS suffix, reverse DNS prefix
//      aws:index/getAvailabilityZones:getAvailabilityZones the zone names and zone IDs of 15 Regions
//      aws:index/getCallerIdentity:getCallerIdentity       a placeholder account (CHECK_ACCOUNT_ID)
//      aws:elb/getServiceAccount:getServiceAccount         the ELB log-delivery account of a Region
//
// 2. From the stack's answers file, for lookups only the cloud can answer (an AMI, an existing VPC, its subnets, a
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

import * as fs from "fs";
import * as path from "path";
import { parse, stringify } from "yaml";
import { isSecretValue, unwrapSecrets } from "./analyzer";
import { SECRET_PLACEHOLDER } from "./stackConfig";

/**
 * The account the check answers for. A placeholder (AWS's documentation example account), not a real account:
 * what a policy derives from it (ARNs, `aws:SourceAccount` conditions) has the real account in a real preview.
 */
export const CHECK_ACCOUNT_ID = "123456789012";
export const CHECK_PARTITION = "aws";

export interface InvokeContext {
    /** The region of the provider the invoke goes through: an explicit provider's `region` input, else the stack's `aws:region` config, else undefined. */
    providerRegion?: string;
    /** Parsed answers file (see below), or undefined when the project has none. */
    answers?: InvokeAnswers;
    /** Path of the answers file for messages (e.g. "/x/proj/Pulumi.dev.invokes.yaml"), the one that would be read even when it does not exist. */
    answersFile: string;
}

/** One answer of the answers file: the outputs `result` for the calls whose arguments include `args`. */
export interface InvokeAnswer {
    /** Arguments the call must have (deep-equal, by Pulumi name); absent: any call. */
    args?: Record<string, unknown>;
    /** The outputs the invoke returns, by their Pulumi names. */
    result: Record<string, unknown>;
}

/** The answers file: invoke token → its answers, the first matching one wins. */
export type InvokeAnswers = Record<string, InvokeAnswer[]>;

/** An invoke the check cannot answer (or the provider would refuse), or an unreadable answers file. */
export class InvokeError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "InvokeError";
    }
}

/** Where the answers of stack `stack` live: `Pulumi.<stack>.invokes.yaml` beside `Pulumi.<stack>.yaml`. */
export function invokeAnswersPath(stackConfigDir: string, stack: string): string {
    return path.join(stackConfigDir, `Pulumi.${stack}.invokes.yaml`);
}

/** The tokens the check answers without an answers file. */
export const LOCAL_INVOKES: readonly string[] = [
    "aws:iam/getPolicyDocument:getPolicyDocument",
    "aws:index/getRegion:getRegion",
    "aws:index/getPartition:getPartition",
    "aws:index/getAvailabilityZones:getAvailabilityZones",
    "aws:index/getCallerIdentity:getCallerIdentity",
    "aws:elb/getServiceAccount:getServiceAccount",
];

// ---------------------------------------------------------------------------------------------------------------
// The answers file
// ---------------------------------------------------------------------------------------------------------------

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
            throw new InvokeError(`${file}: ${token} must hold a list of answers ("- args: ...  result: ..."), ${example}\n\nIt holds ${kindOf(entries)}.`);
        }
        answers[token] = entries.map((entry, i) => {
            const where = `${file}: answer ${i + 1} of ${token}`;
            if (!isPlainObject(entry)) throw new InvokeError(`${where} must be a mapping with a 'result' (and optionally 'args'); it is ${kindOf(entry)}.`);
            for (const key of Object.keys(entry)) {
                if (key !== "args" && key !== "result") throw new InvokeError(`${where} has the key '${key}'; an answer has only 'args' and 'result'.`);
            }
            const args = entry.args;
            if (args !== undefined && args !== null && !isPlainObject(args)) {
                throw new InvokeError(`${where}: 'args' must map argument names to values; it is ${kindOf(args)}.`);
            }
            if (!("result" in entry) || entry.result === null) throw new InvokeError(`${where} has no 'result' (the outputs the invoke returns).`);
            if (!isPlainObject(entry.result)) throw new InvokeError(`${where}: 'result' must map output names to values; it is ${kindOf(entry.result)}.`);
            return isPlainObject(args) ? { args, result: entry.result } : { result: entry.result };
        });
    }
    return answers;
}

// ---------------------------------------------------------------------------------------------------------------
// Answering
// ---------------------------------------------------------------------------------------------------------------

/** A local answer refuses a call: the reason, as the provider (or the check) gives it. */
class Refusal extends Error {}

function refuse(reason: string): never {
    throw new Refusal(reason);
}

type Args = Record<string, unknown>;
type LocalAnswer = (args: Args, ctx: InvokeContext) => Record<string, unknown>;

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
    const found = entries.find((e) => answerMatches(e, args));
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

function answerMatches(answer: InvokeAnswer, args: Args): boolean {
    const wanted = answer.args;
    if (!wanted) return true;
    return Object.keys(wanted).every((k) => argEquals(wanted[k], args[k]));
}

/** Deep equality of an answer's argument and the call's; `null` and absent are the same. */
function argEquals(a: unknown, b: unknown): boolean {
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
    if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, masked(x)]));
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

// ---------------------------------------------------------------------------------------------------------------
// Regions and partitions
// ---------------------------------------------------------------------------------------------------------------

interface Partition {
    id: string;
    dnsSuffix: string;
    regionRegex: RegExp;
}

// hashicorp/aws-sdk-go-base v2, endpoints/endpoints_gen.go (the `partitions` table the provider resolves Regions
// with): partition ids, DNS suffixes and Region-name patterns. The ISO partitions are left out.
const PARTITIONS: Partition[] = [
    { id: "aws", dnsSuffix: "amazonaws.com", regionRegex: /^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/ },
    { id: "aws-cn", dnsSuffix: "amazonaws.com.cn", regionRegex: /^cn-\w+-\d+$/ },
    { id: "aws-eusc", dnsSuffix: "amazonaws.eu", regionRegex: /^eusc-(de)-\w+-\d+$/ },
    { id: "aws-us-gov", dnsSuffix: "amazonaws.com", regionRegex: /^us-gov-\w+-\d+$/ },
];

// The same file, `regions` of each partition: Region id → description (what aws.getRegion returns as
// `description`).
const REGION_DESCRIPTIONS: Record<string, string> = {
    "af-south-1": "Africa (Cape Town)",
    "ap-east-1": "Asia Pacific (Hong Kong)",
    "ap-east-2": "Asia Pacific (Taipei)",
    "ap-northeast-1": "Asia Pacific (Tokyo)",
    "ap-northeast-2": "Asia Pacific (Seoul)",
    "ap-northeast-3": "Asia Pacific (Osaka)",
    "ap-south-1": "Asia Pacific (Mumbai)",
    "ap-south-2": "Asia Pacific (Hyderabad)",
    "ap-southeast-1": "Asia Pacific (Singapore)",
    "ap-southeast-2": "Asia Pacific (Sydney)",
    "ap-southeast-3": "Asia Pacific (Jakarta)",
    "ap-southeast-4": "Asia Pacific (Melbourne)",
    "ap-southeast-5": "Asia Pacific (Malaysia)",
    "ap-southeast-6": "Asia Pacific (New Zealand)",
    "ap-southeast-7": "Asia Pacific (Thailand)",
    "ca-central-1": "Canada (Central)",
    "ca-west-1": "Canada West (Calgary)",
    "eu-central-1": "Europe (Frankfurt)",
    "eu-central-2": "Europe (Zurich)",
    "eu-north-1": "Europe (Stockholm)",
    "eu-south-1": "Europe (Milan)",
    "eu-south-2": "Europe (Spain)",
    "eu-west-1": "Europe (Ireland)",
    "eu-west-2": "Europe (London)",
    "eu-west-3": "Europe (Paris)",
    "il-central-1": "Israel (Tel Aviv)",
    "me-central-1": "Middle East (UAE)",
    "me-south-1": "Middle East (Bahrain)",
    "mx-central-1": "Mexico (Central)",
    "sa-east-1": "South America (Sao Paulo)",
    "us-east-1": "US East (N. Virginia)",
    "us-east-2": "US East (Ohio)",
    "us-west-1": "US West (N. California)",
    "us-west-2": "US West (Oregon)",
    "cn-north-1": "China (Beijing)",
    "cn-northwest-1": "China (Ningxia)",
    "eusc-de-east-1": "AWS European Sovereign Cloud (Germany)",
    "us-gov-east-1": "AWS GovCloud (US-East)",
    "us-gov-west-1": "AWS GovCloud (US-West)",
};

/** The partition of a Region: the first whose pattern it matches, else "aws" (aws-sdk-go-base's fallback). */
function partitionOf(region: string): Partition {
    return PARTITIONS.find((p) => p.regionRegex.test(region)) ?? PARTITIONS[0];
}

/**
 * The EC2 endpoint host of a Region, what aws.getRegion returns as `endpoint`: terraform-provider-aws v6
 * internal/service/meta/region_data_source.go resolves it with aws-sdk-go-v2's EC2 endpoint resolver, whose
 * default rule is https://ec2.{Region}.{PartitionResult#dnsSuffix}, and keeps the host.
 */
function ec2Endpoint(region: string): string {
    return `ec2.${region}.${partitionOf(region).dnsSuffix}`;
}

const NO_REGION =
    "the AWS provider has no region: set the stack's aws:region (pulumi config set aws:region <region>), give the provider a region, or pass the call a region argument. A real preview fails the same way.";

/** The Region a call is about: its `region` argument, else the provider's. */
function callRegion(args: Args, ctx: InvokeContext): string {
    const region = optString(args.region, "region");
    if (region !== undefined && region !== "") return region;
    if (!ctx.providerRegion) refuse(NO_REGION);
    return ctx.providerRegion;
}

// terraform-provider-aws v6, internal/service/meta/region_data_source.go (Read): `endpoint` selects the Region
// whose EC2 endpoint it is; `region` (else the deprecated `name`) selects by name and must agree with the
// endpoint; neither: the provider's Region. `name` and `region` conflict (ConfigValidators). The result sets
// description, endpoint, id, name and region from the Region found.
function getRegion(args: Args, ctx: InvokeContext): Record<string, unknown> {
    const endpoint = optString(args.endpoint, "endpoint");
    const region = optString(args.region, "region");
    const name = optString(args.name, "name");
    if (region !== undefined && name !== undefined) {
        refuse(`'name' and 'region' cannot both be given (the provider: Attribute "name" cannot be specified when "region" is specified); 'name' is the deprecated spelling of 'region'.`);
    }
    let found: string | undefined;
    if (endpoint !== undefined) {
        found = Object.keys(REGION_DESCRIPTIONS).find((r) => ec2Endpoint(r) === endpoint);
        if (!found) refuse(`no AWS Region has the EC2 endpoint '${endpoint}' (the provider: finding Region by endpoint (${endpoint}): couldn't find resource).`);
    }
    const wanted = region ?? name;
    if (wanted !== undefined && wanted !== "") {
        if (!has(REGION_DESCRIPTIONS, wanted)) refuse(`there is no AWS Region '${wanted}' (the provider: finding Region by name (${wanted}): couldn't find resource).`);
        if (found !== undefined && found !== wanted) refuse(`the endpoint '${endpoint}' is the one of ${found}, not of ${wanted} (the provider: multiple Regions matched).`);
        found = wanted;
    }
    if (found === undefined) {
        if (!ctx.providerRegion) refuse(NO_REGION);
        if (!has(REGION_DESCRIPTIONS, ctx.providerRegion)) {
            refuse(`the provider's region '${ctx.providerRegion}' is not an AWS Region (the provider: finding Region by name (${ctx.providerRegion}): couldn't find resource).`);
        }
        found = ctx.providerRegion;
    }
    return { description: REGION_DESCRIPTIONS[found], endpoint: ec2Endpoint(found), id: found, name: found, region: found };
}

// terraform-provider-aws v6, internal/service/meta/partition_data_source.go: the partition, DNS suffix and reverse
// DNS prefix of the provider's Region (no region override: @Region(overrideEnabled=false)). The reverse DNS
// prefix is the DNS suffix with its labels reversed (names.ReverseDNS: amazonaws.com → com.amazonaws).
function getPartition(_args: Args, ctx: InvokeContext): Record<string, unknown> {
    if (!ctx.providerRegion) refuse(NO_REGION);
    const p = partitionOf(ctx.providerRegion);
    return { dnsSuffix: p.dnsSuffix, id: p.id, partition: p.id, reverseDnsPrefix: p.dnsSuffix.split(".").reverse().join(".") };
}

// The caller is a placeholder: account CHECK_ACCOUNT_ID, signed in through an assumed role (the shapes
// sts:GetCallerIdentity returns for a role session: an sts assumed-role ARN and a role id "AROA…:<session>").
// No region is needed; the partition is the provider Region's, "aws" without one.
function getCallerIdentity(_args: Args, ctx: InvokeContext): Record<string, unknown> {
    const partition = ctx.providerRegion ? partitionOf(ctx.providerRegion).id : CHECK_PARTITION;
    return {
        accountId: CHECK_ACCOUNT_ID,
        arn: `arn:${partition}:sts::${CHECK_ACCOUNT_ID}:assumed-role/continuity-check/offline`,
        id: CHECK_ACCOUNT_ID,
        userId: "AROACONTINUITYCHECK:offline",
    };
}

// terraform-provider-aws v6, internal/service/elb/service_account_data_source.go, accountIDPerRegionMap: the
// account Elastic Load Balancing writes access logs from, per Region (Regions opened before August 2022; newer
// ones use the logdelivery.elasticloadbalancing.amazonaws.com service principal and the provider refuses them).
// Same table in the ELB user guide, "Enable access logs for your Application Load Balancer".
const ELB_ACCOUNTS: Record<string, string> = {
    "af-south-1": "098369216593",
    "ap-east-1": "754344448648",
    "ap-northeast-1": "582318560864",
    "ap-northeast-2": "600734575887",
    "ap-northeast-3": "383597477331",
    "ap-south-1": "718504428378",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ap-southeast-3": "589379963580",
    "ca-central-1": "985666609251",
    "cn-north-1": "638102146993",
    "cn-northwest-1": "037604701340",
    "eu-central-1": "054676820928",
    "eu-north-1": "897822967062",
    "eu-south-1": "635631232127",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-west-3": "009996457667",
    "me-south-1": "076674570225",
    "sa-east-1": "507241528517",
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-gov-east-1": "190560391635",
    "us-gov-west-1": "048591011584",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
};

// service_account_data_source.go (Read): the Region is the call's `region`, else the provider's; the id is the
// account, the ARN its root in the partition; a Region outside the table fails ("unsupported AWS Region").
function getServiceAccount(args: Args, ctx: InvokeContext): Record<string, unknown> {
    const region = callRegion(args, ctx);
    const account = has(ELB_ACCOUNTS, region) ? ELB_ACCOUNTS[region] : undefined;
    if (!account) {
        refuse(
            `the provider has no ELB log-delivery account for '${region}' (the provider: unsupported AWS Region: ${region}). Regions opened after August 2022 grant the service principal logdelivery.elasticloadbalancing.amazonaws.com instead.`,
        );
    }
    return { arn: `arn:${partitionOf(region).id}:iam::${account}:root`, id: account, region };
}

// ---------------------------------------------------------------------------------------------------------------
// Availability Zones
// ---------------------------------------------------------------------------------------------------------------

/**
 * The Availability Zones (not Local or Wavelength Zones) of a Region as DescribeAvailabilityZones lists them for an
 * account that opted in to no zone group: zone name → AZ ID.
 *
 * AZ IDs: AWS, "AWS Availability Zones" (docs.aws.amazon.com/global-infrastructure/latest/regions/
 * aws-availability-zones.html), the zones open to every account (us-east-1's use1-az3 is constrained but listed;
 * us-west-1 and ap-northeast-1 list two and three of their zones to accounts created since).
 *
 * Names: Regions opened after November 2012 map zone names to AZ IDs the same way in every account, and those
 * mappings are real (as describe-availability-zones prints them, e.g. eu-central-1a = euc1-az2). In the oldest
 * Regions (AWS, "AZ IDs", Regions with independently mapped Availability Zones: us-east-1, us-west-1, us-west-2,
 * eu-west-1, ap-southeast-1, ap-southeast-2, ap-northeast-1, sa-east-1) each account created before November 2025
 * has its own mapping; for those the check uses one FIXED mapping, the zone letters in order against the AZ IDs in
 * ascending order. It is documented here, not your account's: read zone IDs, not names, when the difference
 * matters, or answer the call in the answers file.
 */
const AVAILABILITY_ZONES: Record<string, Record<string, string>> = {
    // Independently mapped: fixed mapping, letters in order ↔ AZ IDs ascending.
    "us-east-1": { "us-east-1a": "use1-az1", "us-east-1b": "use1-az2", "us-east-1c": "use1-az3", "us-east-1d": "use1-az4", "us-east-1e": "use1-az5", "us-east-1f": "use1-az6" },
    "us-west-1": { "us-west-1a": "usw1-az1", "us-west-1c": "usw1-az3" },
    "us-west-2": { "us-west-2a": "usw2-az1", "us-west-2b": "usw2-az2", "us-west-2c": "usw2-az3", "us-west-2d": "usw2-az4" },
    "eu-west-1": { "eu-west-1a": "euw1-az1", "eu-west-1b": "euw1-az2", "eu-west-1c": "euw1-az3" },
    "ap-southeast-1": { "ap-southeast-1a": "apse1-az1", "ap-southeast-1b": "apse1-az2", "ap-southeast-1c": "apse1-az3" },
    "ap-southeast-2": { "ap-southeast-2a": "apse2-az1", "ap-southeast-2b": "apse2-az2", "ap-southeast-2c": "apse2-az3" },
    "ap-northeast-1": { "ap-northeast-1a": "apne1-az1", "ap-northeast-1c": "apne1-az2", "ap-northeast-1d": "apne1-az4" },
    "sa-east-1": { "sa-east-1a": "sae1-az1", "sa-east-1b": "sae1-az2", "sa-east-1c": "sae1-az3" },
    // Uniformly mapped: the real mapping of every account.
    "us-east-2": { "us-east-2a": "use2-az1", "us-east-2b": "use2-az2", "us-east-2c": "use2-az3" },
    "ca-central-1": { "ca-central-1a": "cac1-az1", "ca-central-1b": "cac1-az2", "ca-central-1d": "cac1-az4" },
    "eu-west-2": { "eu-west-2a": "euw2-az2", "eu-west-2b": "euw2-az3", "eu-west-2c": "euw2-az1" },
    "eu-west-3": { "eu-west-3a": "euw3-az1", "eu-west-3b": "euw3-az2", "eu-west-3c": "euw3-az3" },
    "eu-central-1": { "eu-central-1a": "euc1-az2", "eu-central-1b": "euc1-az3", "eu-central-1c": "euc1-az1" },
    "eu-north-1": { "eu-north-1a": "eun1-az1", "eu-north-1b": "eun1-az2", "eu-north-1c": "eun1-az3" },
    "ap-south-1": { "ap-south-1a": "aps1-az1", "ap-south-1b": "aps1-az3", "ap-south-1c": "aps1-az2" },
};

// The values of EC2's AvailabilityZoneState (aws-sdk-go-v2 service/ec2/types), which the data source's `state`
// is validated against (enum.Validate[awstypes.AvailabilityZoneState]).
const ZONE_STATES = ["available", "information", "impaired", "unavailable", "constrained"];

/** What DescribeAvailabilityZones' filters see of a zone (EC2 API reference, DescribeAvailabilityZones, Filter.N). */
function zoneAttributes(region: string, name: string, id: string): Record<string, string | undefined> {
    return {
        // AvailabilityZone.GroupName: "us-east-1-zg-1" for an Availability Zone (EC2 API reference, AvailabilityZone).
        "group-name": `${region}-zg-1`,
        message: undefined,
        "opt-in-status": "opt-in-not-required",
        "parent-zone-id": undefined,
        "parent-zone-name": undefined,
        "region-name": region,
        state: "available",
        "zone-id": id,
        "zone-name": name,
        "zone-type": "availability-zone",
    };
}

/** An EC2 filter value: `*` any run of characters, `?` one, a backslash escapes (EC2 API reference, Filter). */
function ec2FilterMatches(pattern: string, value: string): boolean {
    let re = "";
    for (let i = 0; i < pattern.length; i++) {
        const c = pattern[i];
        if (c === "\\" && i + 1 < pattern.length) re += escapeRegExp(pattern[++i]);
        else if (c === "*") re += "[\\s\\S]*";
        else if (c === "?") re += "[\\s\\S]";
        else re += escapeRegExp(c);
    }
    return new RegExp(`^${re}$`).test(value);
}

function escapeRegExp(s: string): string {
    return s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

// terraform-provider-aws v6, internal/service/ec2/ec2_availability_zones_data_source.go (Read): `state` becomes
// the filter state=<state>, `filter` blocks are added to it, `all_availability_zones` asks for every zone type;
// the zones come back sorted by name; exclude_names / exclude_zone_ids drop zones; names and zone_ids keep that
// order; group_names is the set of their group names; the id is the Region.
function getAvailabilityZones(args: Args, ctx: InvokeContext): Record<string, unknown> {
    const region = callRegion(args, ctx);
    const zones = has(AVAILABILITY_ZONES, region) ? AVAILABILITY_ZONES[region] : undefined;
    if (!zones) {
        refuse(`the check knows the Availability Zones of ${Object.keys(AVAILABILITY_ZONES).sort().join(", ")} only, not of '${region}'.`);
    }
    const state = optString(args.state, "state");
    if (state !== undefined && !ZONE_STATES.includes(state)) {
        refuse(`'state' must be one of ${ZONE_STATES.join(", ")} (the provider: expected state to be one of ${JSON.stringify(ZONE_STATES)}, got ${state}).`);
    }
    const filters: { name: string; values: string[] }[] = [];
    if (state !== undefined && state !== "") filters.push({ name: "state", values: [state] });
    const given = args.filters;
    if (given !== undefined && given !== null) {
        if (!Array.isArray(given)) refuse(`'filters' must be a list of { name, values }.`);
        given.forEach((f, i) => {
            if (!isPlainObject(f) || typeof f.name !== "string") refuse(`filters[${i}] must be { name: string, values: string[] }.`);
            filters.push({ name: f.name, values: stringList(f.values, `filters[${i}].values`) });
        });
    }
    for (const f of filters) {
        if (!has(zoneAttributes(region, "", ""), f.name)) {
            refuse(`EC2 has no Availability Zone filter '${f.name}' (DescribeAvailabilityZones answers InvalidParameterValue); its filters are ${Object.keys(zoneAttributes(region, "", "")).join(", ")}.`);
        }
    }
    if (args.allAvailabilityZones === true) {
        // Only a zone-type filter that admits no Local or Wavelength Zone keeps the answer to the zones the check knows.
        const onlyAzs = filters.some(
            (f) => f.name === "zone-type" && !f.values.some((v) => ec2FilterMatches(v, "local-zone") || ec2FilterMatches(v, "wavelength-zone")),
        );
        if (!onlyAzs) {
            refuse(
                `allAvailabilityZones also lists the Local Zones and Wavelength Zones of ${region}, which the check does not know; add the filter { name: "zone-type", values: ["availability-zone"] } to list only its Availability Zones.`,
            );
        }
    }
    const excludeNames = stringList(args.excludeNames, "excludeNames");
    const excludeZoneIds = stringList(args.excludeZoneIds, "excludeZoneIds");
    const names: string[] = [];
    const zoneIds: string[] = [];
    const groupNames: string[] = [];
    for (const name of Object.keys(zones).sort()) {
        const id = zones[name];
        const attrs = zoneAttributes(region, name, id);
        const kept = filters.every((f) => {
            const value = attrs[f.name];
            return value !== undefined && f.values.some((v) => ec2FilterMatches(v, value));
        });
        if (!kept || excludeNames.includes(name) || excludeZoneIds.includes(id)) continue;
        if (!groupNames.includes(attrs["group-name"]!)) groupNames.push(attrs["group-name"]!);
        names.push(name);
        zoneIds.push(id);
    }
    const result: Record<string, unknown> = { groupNames, id: region, names, region, zoneIds };
    for (const k of ["allAvailabilityZones", "excludeNames", "excludeZoneIds", "filters", "state"]) {
        if (args[k] !== undefined && args[k] !== null) result[k] = args[k];
    }
    return result;
}

// ---------------------------------------------------------------------------------------------------------------
// aws.iam.getPolicyDocument
// ---------------------------------------------------------------------------------------------------------------
//
// terraform-provider-aws v6, internal/service/iam/policy_document_data_source.go (schema and Read) and
// internal/service/iam/policy_model.go (the document model and its JSON (un)marshalling):
//
// - Schema: `version` defaults to "2012-10-17" and is one of "2008-10-17", "2012-10-17"; a statement's `effect`
//   defaults to "Allow" and is "Allow" or "Deny"; `sid` matches ^[a-zA-Z0-9]*$; actions, not_actions, resources,
//   not_resources, principals, not_principals and condition are SETS (a condition's `values` is a list).
//   source_json / override_json are deprecated and must be empty.
// - Read: the source_policy_documents are merged in order (a Sid twice among them is an error), then the document
//   of the call (policy_id → Id; duplicate non-empty Sids are an error), then the override_policy_documents in
//   order. Merge: a non-empty Id replaces the Id, a higher Version string replaces the Version, a statement with a
//   Sid replaces the statement with that Sid in place, any other is appended.
// - A set of strings with one member becomes a string, with more a list sorted in REVERSE order
//   (policyDecodeConfigStrings); a condition's values keep their order and become a string when there is one.
//   In resources, not_resources, principals' identifiers and condition values "&{" becomes "${"; with Version
//   2008-10-17 a "&{" is an error.
// - Marshalling: Version, Id, Statement; a statement's Sid, Effect, Action, NotAction, Resource, NotResource,
//   Principal, NotPrincipal, Condition, each omitted when empty (Go's omitempty; so an empty Sid is omitted).
//   Principals: a single {"*": "*"} principal is "*"; otherwise a map type → identifiers, the blocks of one type
//   appended in set order (each block's identifiers sorted in reverse), a lone identifier kept as a string. Conditions:
//   test → variable → values, one value flattened to a string. Maps are written with their keys sorted (Go).
// - `json` is json.MarshalIndent(doc, "", "  "), `minified_json` json.Marshal(doc) (Go's encoder: HTML-safe escapes
//   \u003c \u003e \u0026, \u2028 \u2029), and the id is the decimal CRC-32 (IEEE) of `json`
//   (create.StringHashcode).
//
// Set order comes from terraform-plugin-sdk v2 helper/schema: a set lists its members by the decimal string of
// their hash codes, sorted as strings (set.go, listCode); a member's code is the CRC-32 of its serialisation
// (serialize.go: a string "v;", a list "(a;b;);", a set "{a;b;};", a block its attributes in name order
// "name:value" each). It decides which block of a principal type is appended first.

const POLICY_VERSIONS = ["2008-10-17", "2012-10-17"];

interface PolicyPrincipal {
    type: string;
    identifiers: string | string[];
}

interface PolicyCondition {
    test: string;
    variable: string;
    values: string | string[];
}

/** A statement of the model (iamPolicyStatement): Action & co. as decoded (undefined = Go nil). */
interface PolicyStatement {
    sid: string;
    effect: string;
    actions?: unknown;
    notActions?: unknown;
    resources?: unknown;
    notResources?: unknown;
    principals: PolicyPrincipal[];
    notPrincipals: PolicyPrincipal[];
    conditions: PolicyCondition[];
}

interface PolicyDoc {
    version: string;
    id: string;
    statements: PolicyStatement[];
}

function policyDocument(args: Args): Record<string, unknown> {
    for (const [k, tf, instead] of [
        ["sourceJson", "source_json", "sourcePolicyDocuments"],
        ["overrideJson", "override_json", "overridePolicyDocuments"],
    ]) {
        if (args[k] !== undefined && args[k] !== null && args[k] !== "") {
            refuse(`'${k}' is no longer used and must be empty (the provider: expected "${tf}" to be an empty string); use '${instead}'.`);
        }
    }
    const version = optString(args.version, "version") ?? "2012-10-17";
    if (!POLICY_VERSIONS.includes(version)) refuse(`expected version to be one of ${goQuoted(POLICY_VERSIONS)}, got ${version}`);
    const sources = documentList(args.sourcePolicyDocuments, "sourcePolicyDocuments", "source_policy_documents");
    const overrides = documentList(args.overridePolicyDocuments, "overridePolicyDocuments", "override_policy_documents");

    const merged: PolicyDoc = { version: "", id: "", statements: [] };
    const sourceSids = new Set<string>();
    sources.forEach((text, i) => {
        if (text === null) return;
        const doc = decodeDocument(text, `writing IAM Policy Document: merging source document ${i}`);
        doc.statements.forEach((s, j) => {
            if (s.sid === "") return;
            if (sourceSids.has(s.sid)) {
                refuse(`writing IAM Policy Document: merging source document ${i}: duplicate Sid (${s.sid}) in source_policy_documents (statement ${j}). Remove the Sid or ensure Sids are unique.`);
            }
            sourceSids.add(s.sid);
        });
        mergeDocument(merged, doc);
    });

    const policyId = optString(args.policyId, "policyId");
    const own: PolicyDoc = { version, id: policyId ?? "", statements: [] };
    const given = args.statements;
    if (given !== undefined && given !== null) {
        if (!Array.isArray(given)) refuse(`'statements' must be a list of statements.`);
        const sids = new Set<string>();
        own.statements = given.map((s, i) => {
            const st = configStatement(s, `statements[${i}]`, version);
            if (st.sid !== "") {
                if (sids.has(st.sid)) refuse(`writing IAM Policy Document: duplicate Sid (${st.sid}). Remove the Sid or ensure the Sid is unique.`);
                sids.add(st.sid);
            }
            return st;
        });
    }
    mergeDocument(merged, own);
    overrides.forEach((text, i) => {
        if (text !== null) mergeDocument(merged, decodeDocument(text, `writing IAM Policy Document: merging override document ${i}`));
    });

    const doc = documentValue(merged);
    const json = goJson(doc, true);
    const result: Record<string, unknown> = {
        id: String(crc32(json)),
        json,
        minifiedJson: goJson(doc, false),
        version,
    };
    if (Array.isArray(given)) result.statements = given.map((s) => (isPlainObject(s) ? { ...s, effect: s.effect ?? "Allow" } : s));
    for (const k of ["policyId", "sourcePolicyDocuments", "overridePolicyDocuments"]) {
        if (args[k] !== undefined && args[k] !== null) result[k] = args[k];
    }
    return result;
}

function documentList(v: unknown, name: string, tfName: string): (string | null)[] {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) refuse(`'${name}' must be a list of JSON policy documents.`);
    return v.map((d, i) => {
        if (d === null || d === undefined) return null;
        if (typeof d !== "string") refuse(`${name}[${i}] must be a JSON policy document (a string).`);
        try {
            JSON.parse(d);
        } catch (e) {
            refuse(`${name}[${i}] is not valid JSON (the provider: "${tfName}.${i}" contains an invalid JSON: ${(e as Error).message}).`);
        }
        return d;
    });
}

/** iamPolicyDoc.Merge. */
function mergeDocument(into: PolicyDoc, doc: PolicyDoc): void {
    if (doc.id.length > 0) into.id = doc.id;
    if (goCompare(doc.version, into.version) > 0) into.version = doc.version;
    for (const s of doc.statements) {
        const at = s.sid === "" ? -1 : into.statements.findIndex((x) => x.sid === s.sid);
        if (at >= 0) into.statements[at] = s;
        else into.statements.push(s);
    }
}

/** A statement of the call, as dataSourcePolicyDocumentRead builds it from the schema's values. */
function configStatement(raw: unknown, where: string, version: string): PolicyStatement {
    if (!isPlainObject(raw)) refuse(`${where} must be a statement object.`);
    const effect = optString(raw.effect, `${where}.effect`) ?? "Allow";
    if (effect !== "Allow" && effect !== "Deny") refuse(`expected ${where}.effect to be one of ${goQuoted(["Allow", "Deny"])}, got ${effect}`);
    const sid = optString(raw.sid, `${where}.sid`) ?? "";
    if (!/^[a-zA-Z0-9]*$/.test(sid)) refuse(`invalid value for ${where}.sid (must only include alphanumeric characters): '${sid}'`);
    const strings = (key: string, replace: boolean): unknown => {
        const members = stringSet(stringList(raw[key], `${where}.${key}`));
        if (members.length === 0) return undefined;
        const decoded = decodeConfigStrings(members);
        return replace ? replaceVars(decoded, version) : decoded;
    };
    return {
        sid,
        effect,
        actions: strings("actions", false),
        notActions: strings("notActions", false),
        resources: strings("resources", true),
        notResources: strings("notResources", true),
        principals: configPrincipals(raw.principals, `${where}.principals`, version),
        notPrincipals: configPrincipals(raw.notPrincipals, `${where}.notPrincipals`, version),
        conditions: configConditions(raw.conditions, `${where}.conditions`, version),
    };
}

/** dataSourcePolicyDocumentMakePrincipals over the principals set. */
function configPrincipals(v: unknown, where: string, version: string): PolicyPrincipal[] {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) refuse(`'${where}' must be a list of { type, identifiers }.`);
    const blocks = v.map((p, i) => {
        if (!isPlainObject(p) || typeof p.type !== "string") refuse(`${where}[${i}] must be { type: string, identifiers: string[] }.`);
        return { type: p.type, identifiers: stringSet(stringList(p.identifiers, `${where}[${i}].identifiers`)) };
    });
    // A principals block hashes as "identifiers:{<each>;};type:<type>;" (attributes in name order).
    const members = hashOrdered(blocks, (b) => `identifiers:{${b.identifiers.map((x) => `${x};`).join("")}};type:${b.type};`);
    return members.map((b) => ({ type: b.type, identifiers: replaceVars(decodeConfigStrings(b.identifiers), version) }));
}

/** dataSourcePolicyDocumentMakeConditions over the condition set. */
function configConditions(v: unknown, where: string, version: string): PolicyCondition[] {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) refuse(`'${where}' must be a list of { test, variable, values }.`);
    const blocks = v.map((c, i) => {
        if (!isPlainObject(c) || typeof c.test !== "string" || typeof c.variable !== "string") {
            refuse(`${where}[${i}] must be { test: string, variable: string, values: string[] }.`);
        }
        if (!Array.isArray(c.values)) refuse(`${where}[${i}].values is required (a list of strings).`);
        return { test: c.test, variable: c.variable, values: stringList(c.values, `${where}[${i}].values`) };
    });
    // A condition block hashes as "test:<test>;values:(<each>;);variable:<variable>;".
    const members = hashOrdered(blocks, (c) => `test:${c.test};values:(${c.values.map((x) => `${x};`).join("")});variable:${c.variable};`);
    return members.map((c) => {
        const values = replaceVars(c.values, version) as string[];
        return { test: c.test, variable: c.variable, values: values.length === 1 ? values[0] : values };
    });
}

/** A set of strings as the SDK lists it: deduplicated (by hash code of "v;"), in hash order. */
function stringSet(values: string[]): string[] {
    return hashOrdered(values, (v) => `${v};`);
}

/** schema.Set.List(): one member per hash code (the first added), ordered by the codes' decimal strings. */
function hashOrdered<T>(members: T[], serialise: (m: T) => string): T[] {
    const byCode = new Map<string, T>();
    for (const m of members) {
        const code = String(crc32(serialise(m)));
        if (!byCode.has(code)) byCode.set(code, m);
    }
    return [...byCode.keys()].sort().map((k) => byCode.get(k)!);
}

/** policyDecodeConfigStrings: one string stays a string, more are sorted in reverse. */
function decodeConfigStrings(values: string[]): string | string[] {
    if (values.length === 1) return values[0];
    return [...values].sort(goCompare).reverse();
}

/** dataSourcePolicyDocumentReplaceVarsInList. */
function replaceVars(v: string | string[], version: string): string | string[] {
    const one = (s: string) => {
        if (version === "2008-10-17" && s.includes("&{")) refuse(`found &{ sequence in (${s}), which is not supported in document version 2008-10-17`);
        return s.split("&{").join("${");
    };
    return typeof v === "string" ? one(v) : v.map(one);
}

// -- Decoding a JSON policy document as Go's encoding/json decodes it into iamPolicyDoc ------------------------

function goKind(v: unknown): string {
    if (v === null) return "null";
    if (Array.isArray(v)) return "array";
    if (typeof v === "object") return "object";
    return typeof v === "boolean" ? "bool" : typeof v;
}

/** Go matches JSON keys to struct fields case-insensitively; the last matching key wins. */
function fields(o: Record<string, unknown>, names: string[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) {
        const name = names.find((n) => n.toLowerCase() === k.toLowerCase());
        if (name) out[name] = v;
    }
    return out;
}

function decodeDocument(text: string, context: string): PolicyDoc {
    const fail = (detail: string): never => refuse(`${context}: ${detail}`);
    const parsed: unknown = JSON.parse(text);
    const doc: PolicyDoc = { version: "", id: "", statements: [] };
    if (parsed === null) return doc;
    if (!isPlainObject(parsed)) return fail(`json: cannot unmarshal ${goKind(parsed)} into Go value of type iam.iamPolicyDoc`);
    const f = fields(parsed, ["Version", "Id", "Statement"]);
    const str = (v: unknown, field: string, type: string): string => {
        if (v === undefined || v === null) return "";
        if (typeof v !== "string") return fail(`json: cannot unmarshal ${goKind(v)} into Go struct field ${type}.${field} of type string`);
        return v;
    };
    doc.version = str(f.Version, "Version", "iamPolicyDoc");
    doc.id = str(f.Id, "Id", "iamPolicyDoc");
    if (f.Statement !== undefined && f.Statement !== null) {
        if (!Array.isArray(f.Statement)) {
            fail(`json: cannot unmarshal ${goKind(f.Statement)} into Go struct field iamPolicyDoc.Statement of type []*iam.iamPolicyStatement`);
        }
        doc.statements = (f.Statement as unknown[]).map((s, i) => {
            // A null statement is a nil pointer the provider dereferences (it crashes): refuse it.
            if (s === null) return fail(`statement ${i} is null`);
            if (!isPlainObject(s)) return fail(`json: cannot unmarshal ${goKind(s)} into Go struct field iamPolicyDoc.Statement of type iam.iamPolicyStatement`);
            const g = fields(s, ["Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal", "Condition"]);
            const any = (v: unknown) => (v === null ? undefined : v);
            return {
                sid: str(g.Sid, "Sid", "iamPolicyDoc.Statement"),
                effect: str(g.Effect, "Effect", "iamPolicyDoc.Statement"),
                actions: any(g.Action),
                notActions: any(g.NotAction),
                resources: any(g.Resource),
                notResources: any(g.NotResource),
                principals: "Principal" in g ? decodePrincipals(g.Principal, fail) : [],
                notPrincipals: "NotPrincipal" in g ? decodePrincipals(g.NotPrincipal, fail) : [],
                conditions: "Condition" in g ? decodeConditions(g.Condition, fail) : [],
            };
        });
    }
    return doc;
}

/** iamPolicyStatementPrincipalSet.UnmarshalJSON. */
function decodePrincipals(v: unknown, fail: (detail: string) => never): PolicyPrincipal[] {
    if (typeof v === "string") return [{ type: "*", identifiers: ["*"] }];
    if (!isPlainObject(v)) return fail(`Unsupported data type ${goTypeName(v)} for IAMPolicyStatementPrincipalSet`);
    return Object.entries(v).map(([type, ids]) => {
        if (typeof ids === "string") return { type, identifiers: ids };
        if (!Array.isArray(ids)) return fail(`Unsupported data type ${goTypeName(ids)} for IAMPolicyStatementPrincipalSet.Identifiers`);
        ids.forEach((s, i) => {
            if (typeof s !== "string") fail(`Unsupported element type ${goTypeName(s)} for IAMPolicyStatementPrincipalSet.Identifiers[${i}] (principal type "${type}"): must be string`);
        });
        return { type, identifiers: [...(ids as string[])].sort(goCompare) };
    });
}

/** iamPolicyStatementConditionSet.UnmarshalJSON: a number (or null, or object) value is dropped, as there. */
function decodeConditions(v: unknown, fail: (detail: string) => never): PolicyCondition[] {
    if (v === null) return [];
    if (!isPlainObject(v)) return fail(`json: cannot unmarshal ${goKind(v)} into Go value of type map[string]map[string]interface {}`);
    const out: PolicyCondition[] = [];
    for (const [test, vars] of Object.entries(v)) {
        if (vars === null) continue;
        if (!isPlainObject(vars)) return fail(`json: cannot unmarshal ${goKind(vars)} into Go value of type map[string]interface {}`);
        for (const [variable, values] of Object.entries(vars)) {
            if (typeof values === "string") out.push({ test, variable, values: [values] });
            else if (typeof values === "boolean") out.push({ test, variable, values: String(values) });
            else if (Array.isArray(values)) {
                // The provider asserts every member is a string and crashes otherwise: refuse it.
                values.forEach((x) => typeof x !== "string" && fail(`condition ${test} ${variable} has a ${goKind(x)} value; the provider takes strings only`));
                out.push({ test, variable, values: [...(values as string[])] });
            }
        }
    }
    return out;
}

function goTypeName(v: unknown): string {
    if (v === null || v === undefined) return "<nil>";
    if (Array.isArray(v)) return "[]interface {}";
    if (typeof v === "object") return "map[string]interface {}";
    return { string: "string", number: "float64", boolean: "bool" }[typeof v as "string" | "number" | "boolean"] ?? typeof v;
}

// -- Marshalling as Go's encoding/json does ---------------------------------------------------------------------

/** A JSON object whose members keep the given order (a Go struct), as opposed to a Go map (keys sorted). */
class Ordered {
    constructor(readonly members: [string, unknown][]) {}
}

function documentValue(doc: PolicyDoc): Ordered {
    const m: [string, unknown][] = [];
    if (doc.version !== "") m.push(["Version", doc.version]);
    if (doc.id !== "") m.push(["Id", doc.id]);
    if (doc.statements.length > 0) m.push(["Statement", doc.statements.map(statementValue)]);
    return new Ordered(m);
}

function statementValue(s: PolicyStatement): Ordered {
    const m: [string, unknown][] = [];
    if (s.sid !== "") m.push(["Sid", s.sid]);
    if (s.effect !== "") m.push(["Effect", s.effect]);
    if (s.actions !== undefined) m.push(["Action", s.actions]);
    if (s.notActions !== undefined) m.push(["NotAction", s.notActions]);
    if (s.resources !== undefined) m.push(["Resource", s.resources]);
    if (s.notResources !== undefined) m.push(["NotResource", s.notResources]);
    if (s.principals.length > 0) m.push(["Principal", principalsValue(s.principals)]);
    if (s.notPrincipals.length > 0) m.push(["NotPrincipal", principalsValue(s.notPrincipals)]);
    if (s.conditions.length > 0) m.push(["Condition", conditionsValue(s.conditions)]);
    return new Ordered(m);
}

/** iamPolicyStatementPrincipalSet.MarshalJSON. */
function principalsValue(ps: PolicyPrincipal[]): unknown {
    if (ps.length === 1 && ps[0].type === "*") {
        const ids = ps[0].identifiers;
        if (ids === "*" || (Array.isArray(ids) && ids.length === 1 && ids[0] === "*")) return "*";
    }
    const raw = new Map<string, string | string[]>();
    for (const p of ps) {
        const current = raw.get(p.type);
        if (Array.isArray(p.identifiers)) {
            const base = current === undefined ? [] : typeof current === "string" ? [current] : current;
            raw.set(p.type, [...base, ...[...p.identifiers].sort(goCompare).reverse()]);
        } else if (current === undefined) raw.set(p.type, p.identifiers);
        else raw.set(p.type, typeof current === "string" ? [current, p.identifiers] : [...current, p.identifiers]);
    }
    return Object.fromEntries(raw);
}

/** iamPolicyStatementConditionSet.MarshalJSON. */
function conditionsValue(cs: PolicyCondition[]): unknown {
    const raw = new Map<string, Map<string, string[]>>();
    for (const c of cs) {
        const vars = raw.get(c.test) ?? new Map<string, string[]>();
        raw.set(c.test, vars);
        const values = vars.get(c.variable) ?? [];
        vars.set(c.variable, typeof c.values === "string" ? [...values, c.values] : [...values, ...c.values]);
    }
    return Object.fromEntries([...raw].map(([test, vars]) => [test, Object.fromEntries([...vars].map(([k, v]) => [k, v.length === 1 ? v[0] : v]))]));
}

/** Go's json.Marshal (indent false) or json.MarshalIndent(v, "", "  ") (indent true). Plain objects are Go maps. */
function goJson(v: unknown, indent: boolean, depth = 0): string {
    const pad = (d: number) => (indent ? `\n${"  ".repeat(d)}` : "");
    if (v === null || v === undefined) return "null";
    if (typeof v === "string") return goString(v);
    if (typeof v === "number") return Object.is(v, -0) ? "-0" : String(v);
    if (typeof v === "boolean") return String(v);
    if (Array.isArray(v)) {
        if (v.length === 0) return "[]";
        return `[${v.map((x) => pad(depth + 1) + goJson(x, indent, depth + 1)).join(",")}${pad(depth)}]`;
    }
    const members = v instanceof Ordered ? v.members : Object.entries(v as object).sort(([a], [b]) => goCompare(a, b));
    if (members.length === 0) return "{}";
    const sep = indent ? ": " : ":";
    return `{${members.map(([k, x]) => pad(depth + 1) + goString(k) + sep + goJson(x, indent, depth + 1)).join(",")}${pad(depth)}}`;
}

/** A string as Go's encoder writes it with HTML escaping on (encoding/json encode.go, appendString; Go ≥ 1.22). */
function goString(s: string): string {
    let out = '"';
    for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) {
            out += s[i] + s[i + 1];
            i++;
        } else if (c >= 0xd800 && c <= 0xdfff) out += "\\ufffd"; // invalid UTF-8 reaches Go as U+FFFD
        else if (c === 0x22) out += '\\"';
        else if (c === 0x5c) out += "\\\\";
        else if (c === 0x0a) out += "\\n";
        else if (c === 0x0d) out += "\\r";
        else if (c === 0x09) out += "\\t";
        else if (c === 0x08) out += "\\b";
        else if (c === 0x0c) out += "\\f";
        else if (c < 0x20 || c === 0x3c || c === 0x3e || c === 0x26 || c === 0x2028 || c === 0x2029) out += `\\u${c.toString(16).padStart(4, "0")}`;
        else out += s[i];
    }
    return `${out}"`;
}

/** Go's string order: bytewise on UTF-8. */
function goCompare(a: string, b: string): number {
    return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/** A list the way Go's %q prints []string: ["a" "b"]. */
function goQuoted(values: string[]): string {
    return `[${values.map((v) => JSON.stringify(v)).join(" ")}]`;
}

const CRC_TABLE = (() => {
    const table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
        let c = n;
        for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
        table[n] = c >>> 0;
    }
    return table;
})();

/** CRC-32 (IEEE) of the UTF-8 bytes of `s`: Go's crc32.ChecksumIEEE, behind hashcode.String and create.StringHashcode. */
export function crc32(s: string): number {
    let c = 0xffffffff;
    for (const byte of Buffer.from(s, "utf8")) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------------

function has(o: object, key: string): boolean {
    return Object.prototype.hasOwnProperty.call(o, key);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Ordered);
}

function kindOf(v: unknown): string {
    if (v === null || v === undefined) return "nothing";
    if (Array.isArray(v)) return "a list";
    if (typeof v === "object") return "a mapping";
    return `the ${typeof v} ${JSON.stringify(v)}`;
}

function optString(v: unknown, name: string): string | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "string") refuse(`'${name}' must be a string, not ${JSON.stringify(v)}.`);
    return v;
}

function stringList(v: unknown, name: string): string[] {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) refuse(`'${name}' must be a list of strings.`);
    return v as string[];
}
