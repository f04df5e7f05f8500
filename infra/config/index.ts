// The stack configuration, read once and validated before any resource is declared. Every problem is
// reported at once, each naming the full key, the value found and what is allowed, so a bad
// Pulumi.<stack>.yaml never leaves a half-deployed stack behind.
//
// Each tier owns its settings in its own module (schema, rules across its settings, per-environment
// defaults, type); this one reads the stack's configuration, hands each top-level key to its tier in
// the order of TIERS, and assembles the result. A new tier: export `xTier = tier({ key, schema })` from
// config/x.ts, import it here and add it to TIERS; ContinuityConfig gains its key and type from there.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { Environment, Environments } from "../tags";
import { alertingTier, WEBHOOK_KEY, webhookUrl } from "./alerting";
import { atlasTier } from "./atlas";
import { drillsTier } from "./drills";
import { closest, ConfigError, Problems, reported, SECRET_VALUE } from "./problems";
import { regionsTier } from "./regions";
import { list, NAMESPACE, Tier, TierContext, withoutRules } from "./rules";
import { searchTier } from "./search";
import { serviceTier } from "./service";
import { storageTier } from "./storage";
import { watchTier } from "./watch";

export * from "./alerting";
export * from "./atlas";
export * from "./drills";
export * from "./regions";
export * from "./search";
export * from "./service";
export * from "./storage";
export * from "./watch";
export { closest, ConfigError, editDistance } from "./problems";
export { bucketNameProblem, NAMESPACE, splitCidr } from "./rules";
export type { Tier, TierContext } from "./rules";

/** The tiers, validated in this order: a tier's rules may read the settings of the tiers before it. */
export const TIERS = [regionsTier, atlasTier, alertingTier, drillsTier, storageTier, searchTier, serviceTier, watchTier] as const;

type TierSettings = { readonly [T in (typeof TIERS)[number] as T["key"]]: z.output<ReturnType<T["schema"]>> };

export type ContinuityConfig = {
    readonly project: string;
    readonly stack: string;
    readonly environment: Environment;
} & TierSettings;

/** The top-level keys of the namespace, as they are listed to a user who misspelled one. */
const TOP_LEVEL: readonly string[] = ["environment", ...TIERS.map((t) => t.key), WEBHOOK_KEY];

/**
 * The config namespaces something in this program reads. The engine hands the program every key of the
 * stack file, and a key in any other namespace is read by nothing: a misspelled `continuty:storage`
 * would drop the whole storage tier without a word. The program reads its own namespace here and
 * `mongodbatlas:` credentials below; the engine configures the default providers of the packages the
 * components use (@pulumi/aws, @pulumi/mongodbatlas) from `aws:` and `mongodbatlas:`; `pulumi:` is the
 * engine's own. The OpenSearch dynamic provider reads no config (it signs with the AWS credential chain).
 */
export const KNOWN_NAMESPACES = [NAMESPACE, "aws", "mongodbatlas", "pulumi"] as const;

/**
 * Provider settings that are credentials (node_modules/@pulumi/aws/config/vars.d.ts: accessKey, secretKey,
 * token; @pulumi/mongodbatlas/config/vars.d.ts: the API keys, service-account secret, access token and
 * AWS credentials): set in plain text they sit in the stack file, and in any repository that holds it.
 */
const CREDENTIAL_KEYS: Readonly<Record<string, string>> = {
    "aws:accessKey": ", or better left to the AWS credential chain (environment, profile, SSO, role)",
    "aws:secretKey": ", or better left to the AWS credential chain (environment, profile, SSO, role)",
    "aws:token": ", or better left to the AWS credential chain (environment, profile, SSO, role)",
    "mongodbatlas:privateKey": "",
    "mongodbatlas:publicKey": "",
    "mongodbatlas:clientSecret": "",
    "mongodbatlas:accessToken": "",
    "mongodbatlas:awsSecretAccessKey": "",
    "mongodbatlas:awsSessionToken": "",
};

/** The configuration as the engine hands it to the program: flat keys, JSON for structured values. */
export interface RawConfig {
    readonly stack: string;
    readonly values: Readonly<Record<string, string>>;
    readonly secretKeys: ReadonlySet<string>;
}

/** Reads the program's configuration from the Pulumi runtime (the CLI, or mocks in tests). */
export function readRawConfig(): RawConfig {
    const values = pulumi.runtime.allConfig();
    // The SDK knows which keys the engine marked secret but exposes it only internally.
    const { isConfigSecret } = require("@pulumi/pulumi/runtime/config") as {
        isConfigSecret(key: string): boolean;
    };
    const secretKeys = new Set(Object.keys(values).filter((k) => isConfigSecret(k)));
    return { stack: pulumi.getStack(), values, secretKeys };
}

export function loadConfig(): ContinuityConfig {
    return parseConfig(readRawConfig());
}

const UNPARSABLE = Symbol("unparsable");

/**
 * A structured value arrives as JSON. The engine marks a key secret as a whole when a `secure:` value
 * sits anywhere inside it, and hands the program its plaintext: the program cannot tell which leaf was
 * secret, so a secret key is refused whole and not read further (its values could otherwise reach a
 * message or a resource in plain text).
 */
function parseObject(raw: string, tier: Tier, problems: Problems, secret: boolean): unknown {
    if (secret) {
        problems.addSecret(
            [tier.key],
            "holds a secret (a `secure:` value inside it), and no setting there is secret: the program cannot tell which value is " +
                "and would write it in plain text into the resources it declares. " +
                (tier.secretHome ?? "") +
                `The other settings of ${NAMESPACE}:${tier.key} are checked once it holds no secret.`,
        );
        return UNPARSABLE;
    }
    try {
        const v: unknown = JSON.parse(raw);
        if (v !== null && typeof v === "object" && !Array.isArray(v)) {
            return v;
        }
    } catch {
        // reported below
    }
    problems.add([tier.key], "must be an object of settings (nested YAML keys)", raw);
    return UNPARSABLE;
}

/**
 * One tier's settings (`valid` false when it has problems, written into `problems`), or undefined when
 * they are not known: a setting is invalid on its own, or the key is missing, secret or not an object.
 */
function parseTier(
    tier: Tier,
    raw: string | undefined,
    secret: boolean,
    ctx: TierContext,
    problems: Problems,
): { value: unknown; valid: boolean } | undefined {
    let input: unknown;
    if (raw === undefined) {
        if (typeof tier.absent === "object") {
            problems.add([tier.key], tier.absent.problem, undefined);
            return undefined;
        }
        input = tier.absent === "undefined" ? undefined : {};
    } else {
        input = parseObject(raw, tier, problems, secret);
        if (input === UNPARSABLE) return undefined;
    }
    if (tier.prepare && input !== undefined) input = tier.prepare(input as Record<string, unknown>, problems);
    const result = tier.schema(ctx).safeParse(input);
    if (result.success) return { value: result.data, valid: true };
    problems.fromZod(tier.key, result.error, input, tier.secretPaths);
    // Only rules across settings broke: the settings themselves are known to the tiers after this one.
    if (!result.error.issues.every((issue) => reported(issue) !== undefined)) return undefined;
    const lenient = withoutRules(() => tier.schema(ctx).safeParse(input));
    return lenient.success ? { value: lenient.data, valid: false } : undefined;
}

/** Validates the raw configuration and applies defaults; throws one ConfigError listing every problem. */
export function parseConfig(raw: RawConfig): ContinuityConfig {
    const problems = new Problems();
    const prefix = NAMESPACE + ":";

    for (const key of Object.keys(raw.values)) {
        const colon = key.indexOf(":");
        const namespace = colon < 0 ? "" : key.slice(0, colon);
        if (!(KNOWN_NAMESPACES as readonly string[]).includes(namespace)) {
            const meant = closest(namespace, KNOWN_NAMESPACES);
            problems.list.push(
                `${key} is read by nothing: its namespace "${namespace}" is not one this program or its providers read ` +
                    `(${list(KNOWN_NAMESPACES)})` +
                    (meant ? `; did you mean ${meant}:${key.slice(colon + 1)}?` : ""),
            );
        } else if (namespace === NAMESPACE && !TOP_LEVEL.includes(key.slice(prefix.length))) {
            problems.add(
                [key.slice(prefix.length)],
                `is not a known setting; the settings are ${list(TOP_LEVEL.map((k) => prefix + k))}`,
                raw.secretKeys.has(key) ? SECRET_VALUE : raw.values[key],
            );
        }
    }
    const value = (key: string) => raw.values[prefix + key];
    const secret = (key: string) => raw.secretKeys.has(prefix + key);

    let environment: Environment | undefined;
    if (secret("environment")) {
        problems.addSecret(
            ["environment"],
            "must not be a secret: it names and tags resources, which are stored in plain text (set it without --secret)",
        );
    } else {
        const envRaw = value("environment") ?? ((Environments as readonly string[]).includes(raw.stack) ? raw.stack : undefined);
        const parsed = z
            .enum(Environments, {
                error: `must be one of ${list(Environments)} (it defaults to the stack name only when the stack is named after one)`,
            })
            .safeParse(envRaw);
        if (parsed.success) environment = parsed.data;
        else problems.fromZod("environment", parsed.error, envRaw);
    }

    // The webhook's problems come after the tiers'; its value is known to alerting before.
    const webhookProblems = new Problems();
    const tiers: Record<string, unknown> = {};
    const ctx: TierContext = {
        stack: raw.stack,
        environment,
        production: environment === "production",
        get regions() {
            return tiers.regions as TierContext["regions"];
        },
        tiers,
        webhookUrl: webhookUrl(value(WEBHOOK_KEY), secret(WEBHOOK_KEY), webhookProblems),
    };
    let complete = environment !== undefined;
    for (const tier of TIERS as readonly Tier[]) {
        const parsed = parseTier(tier, value(tier.key), secret(tier.key), ctx, problems);
        if (parsed) tiers[tier.key] = parsed.value;
        if (!parsed?.valid) complete = false;
    }
    problems.list.push(...webhookProblems.list);
    for (const [key, otherwise] of Object.entries(CREDENTIAL_KEYS)) {
        if (raw.values[key] !== undefined && !raw.secretKeys.has(key)) {
            problems.list.push(
                `${key} must be set as a secret (pulumi config set --secret ${key} ...)${otherwise}; it is stored in plain text now`,
            );
        }
    }

    if (problems.list.length > 0 || !complete) {
        throw new ConfigError(problems.list);
    }
    return { project: NAMESPACE, stack: raw.stack, environment, ...tiers } as ContinuityConfig;
}
