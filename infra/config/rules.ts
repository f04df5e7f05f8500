// The rules more than one tier uses, each written once: the small schemas every tier builds from (each
// carries its own sentence; the formatter in problems.ts adds the key and the value found), S3 bucket
// names, AWS regions, CIDR blocks, and what a tier's schema knows of the stack and the tiers before it.
import * as pulumi from "@pulumi/pulumi";
import ipaddr from "ipaddr.js";
import { z } from "zod";
import { AWS_REGIONS, AwsRegion } from "../regions";
import { Environment } from "../tags";
import type { Problems } from "./problems";

export const NAMESPACE = "continuity";

export const list = (values: readonly (string | number)[]) => values.join(", ");

/** The key of `path` inside the namespace, as a user writes it with `pulumi config set --path`. */
export const key = (path: string) => `${NAMESPACE}:${path}`;

/**
 * What a tier's schema knows besides its own settings: the stack, its environment (undefined when the
 * environment key itself is bad) and the settings of the tiers validated before it (absent when they
 * have problems of their own: a rule that needs them is not checked then, they are reported already).
 */
export interface TierContext {
    readonly stack: string;
    readonly environment?: Environment;
    readonly production: boolean;
    readonly regions?: { readonly primary: AwsRegion; readonly dr: AwsRegion };
    /** The settings of every tier validated before this one, by top-level key. */
    readonly tiers: Readonly<Record<string, unknown>>;
    /** continuity:alertWebhookUrl, once it is known to be a secret https URL. */
    readonly webhookUrl?: pulumi.Output<string>;
}

/**
 * A top-level key of the namespace with its own schema: one tier of the program. index.ts validates
 * the tiers in the order it lists them; a tier's schema sees the settings of the tiers before it.
 */
export interface Tier<K extends string = string, S extends z.ZodType = z.ZodType> {
    readonly key: K;
    readonly schema: (ctx: TierContext) => S;
    /**
     * When the key is not set: its schema checks an empty object (every setting has a default or is
     * reported as missing), checks nothing (the schema reports the key as required), or this problem.
     */
    readonly absent?: "empty" | "undefined" | { readonly problem: string };
    /** Where a secret belongs instead of inside this key, when there is a place for it. */
    readonly secretHome?: string;
    /** Paths (from the top-level key) under which a value is never shown: it may be a secret. */
    readonly secretPaths?: readonly (readonly string[])[];
    /** Takes settings out of the input before the schema checks it (settings refused with a reason). */
    readonly prepare?: (input: Record<string, unknown>, problems: Problems) => Record<string, unknown>;
    /** Settings no longer read that `prepare` refuses, with why, for the configuration reference. */
    readonly retired?: Readonly<Record<string, string>>;
}

/** A tier, its key and schema types kept for the configuration's type. */
export const tier = <K extends string, S extends z.ZodType>(definition: Tier<K, S>) => definition;

let rulesOff = false;

/**
 * A rule across a tier's settings, written with `superRefine`. It runs only when every setting of the
 * tier is valid on its own: a value already reported is not reported again through the rules it feeds.
 */
export const whenValid = { when: (payload: z.core.ParsePayload) => !rulesOff && payload.issues.length === 0 };

/**
 * Runs `parse` with the rules across settings off. A tier whose settings are each valid but break such
 * a rule still tells the tiers after it what it holds (its regions, its bucket names), so their own
 * rules are checked too: every problem is reported in one run.
 */
export function withoutRules<T>(parse: () => T): T {
    rulesOff = true;
    try {
        return parse();
    } finally {
        rulesOff = false;
    }
}

/**
 * Reports a problem from a cross-field rule. `got` is the value the message shows: the value in force
 * (a default included), which is not always the one written in the stack file.
 */
export function report(ctx: z.core.$RefinementCtx, path: readonly PropertyKey[], message: string, got: unknown): void {
    ctx.addIssue({ code: "custom", path: [...path], message, params: { got } });
}

export const int = (min: number, max?: number) => {
    const what = max === undefined ? `a whole number ≥ ${min}` : `a whole number from ${min} to ${max}`;
    const schema = z.int({ error: `must be ${what}` }).min(min, { error: `must be ${what}` });
    return max === undefined ? schema : schema.max(max, { error: `must be ${what}` });
};
export const bool = () => z.boolean({ error: "must be true or false" });
/** A size in GiB, for the resilience model and the cost of the DR copies (1 PiB at most). */
export const gib = (min: "positive" | "zero") => {
    const what = min === "positive" ? "a number of GiB above 0, at most 1048576 (1 PiB)" : "a number of GiB from 0 to 1048576 (1 PiB)";
    const schema = z.number({ error: `must be ${what}` }).max(1_048_576, { error: `must be ${what}` });
    return (min === "positive" ? schema.positive({ error: `must be ${what}` }) : schema.min(0, { error: `must be ${what}` })).meta({
        allowed: what.replace(/^a number of /, ""),
    });
};
export const text = (what: string) =>
    z
        .string({ error: `must be ${what}` })
        .trim()
        .min(1, { error: `must be ${what}` })
        .meta({ allowed: what });
export const region = () =>
    z.enum(AWS_REGIONS, { error: `must be an AWS region code (one of ${list(AWS_REGIONS)})` }).meta({ allowed: "an AWS region code" });
export const email = () => z.email({ error: "must be an e-mail address" });

/**
 * An object of settings. An unknown key is reported with the keys allowed at that level, so a typo
 * shows its fix.
 */
export const settings = <T extends z.core.$ZodLooseShape>(shape: T, what: string) =>
    z.strictObject(shape, {
        error: (issue) =>
            issue.code === "unrecognized_keys"
                ? `the settings here are ${list(Object.keys(shape))}`
                : `must be an object of settings (${what})`,
    });

// --- S3 bucket names ---------------------------------------------------------------------------

/** S3's naming rules for a general-purpose bucket. */
export function bucketNameProblem(name: string): string | undefined {
    if (name.length < 3 || name.length > 63) return "must be 3 to 63 characters long";
    if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) {
        return "must use lowercase letters, digits, dots and hyphens, and begin and end with a letter or digit";
    }
    if (name.includes("..")) return "must not contain two dots in a row";
    if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return "must not look like an IP address";
    if (name.startsWith("xn--") || name.endsWith("-s3alias")) return "must not begin with xn-- or end with -s3alias";
    return undefined;
}

export const bucketName = () =>
    z
        .string({ error: "must be an S3 bucket name" })
        .superRefine((v, ctx) => {
            const problem = bucketNameProblem(v);
            if (problem) ctx.addIssue({ code: "custom", message: `${problem} (an S3 bucket name)` });
        })
        .meta({ allowed: "an S3 bucket name" });

/** The name of a bucket's copy in the DR region (empty region while the regions are not known). */
export const drBucketName = (name: string, ctx: TierContext) => `${name}-dr-${ctx.regions?.dr ?? ""}`;

/** A bucket whose DR copy's name would break S3's rules; checked only once the regions are known. */
export function drRoomProblem(name: string, ctx: TierContext): string | undefined {
    if (!ctx.regions || !bucketNameProblem(drBucketName(name, ctx))) return undefined;
    const room = 63 - drBucketName("", ctx).length;
    return `must leave room for its DR copy's name ${drBucketName(name, ctx)} (at most 63 characters: keep this one within ${room})`;
}

// --- network -----------------------------------------------------------------------------------

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/**
 * A block written as four decimal octets and a prefix, in ipaddr.js's canonical form ("10.020.0.0/16"
 * reads as 10.20.0.0/16; ipaddr.js alone would read 020 as octal); undefined when it is not one.
 */
function parseCidr(cidr: string): { address: ipaddr.IPv4; prefix: number } | undefined {
    const m = IPV4_CIDR.exec(cidr);
    if (!m || m.slice(1, 5).some((o) => Number(o) > 255)) return undefined;
    return { address: ipaddr.IPv4.parse(m.slice(1, 5).map(Number).join(".")), prefix: Number(m[5]) };
}

/** The problem of a VPC's CIDR block, if any: an IPv4 block from /16 to /24, on its own boundary. */
export function cidrProblem(cidr: string): string | undefined {
    const block = parseCidr(cidr);
    if (!block) return "must be an IPv4 CIDR block such as 10.20.0.0/16";
    const { address, prefix } = block;
    if (prefix < 16 || prefix > 24)
        return "must be a block from /16 to /24 (AWS allows /16 to /28; each of its 8 subnets needs room for tasks)";
    if (ipaddr.IPv4.networkAddressFromCIDR(`${address.toString()}/${prefix}`).toString() !== address.toString()) {
        return `must start on a /${prefix} boundary`;
    }
    return undefined;
}

/** The 2^extraBits equal subnets of a valid CIDR block, in address order. */
export function splitCidr(cidr: string, extraBits: number): string[] {
    const { address, prefix } = parseCidr(cidr)!;
    const base = address.toByteArray().reduce((n, octet) => n * 256 + octet, 0);
    const size = 2 ** (32 - prefix - extraBits);
    return Array.from({ length: 2 ** extraBits }, (_, i) => {
        const n = base + i * size;
        const bytes = [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256);
        return `${new ipaddr.IPv4(bytes).toString()}/${prefix + extraBits}`;
    });
}

export const subnetId = () =>
    z.string({ error: "must be a subnet id" }).regex(/^subnet-[0-9a-f]+$/, { error: "must be a subnet id (subnet-...)" });
