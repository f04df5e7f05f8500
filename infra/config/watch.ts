// `continuity:watch`: the recovery-point watch (infra/components/watch.ts), a scheduled function that
// reads the age of every store's newest copy in the DR region, and the RPO targets its alarms use.
//
// The targets are the pack's: the `dr-recovery-objectives` settings of policies/config/<stack>.json
// (over DEFAULT_TARGETS), read as `npm run report` reads them, so the watch, the pack and the DR plan
// agree on every store's RPO.
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import type { TargetSettings } from "../../policies/resilience/targets";
import { AwsRegion } from "../regions";
import { problemText, valueAt } from "./problems";
import { report, tier, TierContext, whenValid } from "./rules";

export const DEFAULT_WATCH_SCHEDULE = "rate(1 hour)";

/**
 * EventBridge rate expressions: "rate(value unit)", the unit singular for 1 and plural above
 * (Amazon EventBridge User Guide, "Rate expressions"). The alarms evaluate one-hour periods and a period
 * without a reading is a breach, so the watch must run at least once in every hour.
 */
const RATE = /^rate\((\d+) (minute|minutes|hour|hours)\)$/;
export function scheduleProblem(expression: string): string | undefined {
    const m = RATE.exec(expression);
    const allowed =
        "must be rate(1 hour) or rate(N minutes) with N from 2 to 60 (or rate(1 minute)): " +
        "the alarms read one-hour periods and count an hour without a reading as a failure";
    if (!m) return allowed;
    const [n, unit] = [Number(m[1]), m[2]];
    if ((n === 1) !== !unit.endsWith("s")) return `${allowed}; EventBridge wants the unit singular for 1 and plural above`;
    const minutes = unit.startsWith("hour") ? n * 60 : n;
    return minutes >= 1 && minutes <= 60 ? undefined : allowed;
}

/**
 * A complete Secrets Manager ARN: the name then the hyphen and six characters Secrets Manager appends.
 * A partial ARN can match another secret and fits no IAM resource exactly (Secrets Manager API
 * Reference, SecretId: "we recommend that you specify a complete ARN").
 */
export const SECRET_ARN = /^arn:(aws|aws-cn|aws-us-gov):secretsmanager:([a-z0-9-]+):(\d{12}):secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$/;

const strict = <T extends z.core.$ZodLooseShape>(shape: T) =>
    z.strictObject(shape, {
        error: (issue) =>
            issue.code === "unrecognized_keys"
                ? `the settings here are ${Object.keys(shape).join(", ")}`
                : "must be an object of settings (schedule, atlasKeySecretArn)",
    });

export const watchSchema = strict({
    schedule: z
        .string({ error: "must be an EventBridge rate expression such as rate(1 hour)" })
        .superRefine((v, ctx) => {
            const problem = scheduleProblem(v);
            if (problem) ctx.addIssue({ code: "custom", message: problem });
        })
        .default(DEFAULT_WATCH_SCHEDULE),
    atlasKeySecretArn: z
        .string({ error: "must be the ARN of a Secrets Manager secret" })
        .regex(SECRET_ARN, {
            error:
                "must be the complete ARN of a Secrets Manager secret " +
                "(arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>)",
        })
        .optional()
        .meta({
            allowed: "the complete ARN of a Secrets Manager secret of the primary region",
            defaultIs: "a secret the stack creates, empty: put the Atlas keys in it",
        }),
}).prefault({});

export type WatchInput = z.output<typeof watchSchema>;

/** What the program hands RecoveryPointWatch. */
export interface WatchSettings {
    readonly schedule: string;
    /** The secret holding the Atlas API keys, {"publicKey": "…", "privateKey": "…"}; set when the stack has an Atlas store. */
    readonly atlasKeySecretArn?: string;
}

/** One problem, in the form infra/config's problem list takes: the key path (top key first), the sentence, the value found. */
export interface WatchProblem {
    readonly path: readonly (string | number)[];
    readonly message: string;
    readonly value: unknown;
}

const settingsOf = (w: WatchInput): WatchSettings => ({
    schedule: w.schedule,
    ...(w.atlasKeySecretArn !== undefined ? { atlasKeySecretArn: w.atlasKeySecretArn } : {}),
});

/** The rules across the watch's settings and the rest of the stack; paths from inside `continuity:watch`. */
export function watchRules(w: WatchInput, context: { primaryRegion?: AwsRegion; atlas: boolean }): WatchProblem[] {
    const problems: WatchProblem[] = [];
    const arn = w.atlasKeySecretArn;
    if (arn !== undefined) {
        const region = SECRET_ARN.exec(arn)![2];
        if (context.primaryRegion !== undefined && region !== context.primaryRegion) {
            problems.push({
                path: ["atlasKeySecretArn"],
                message:
                    `must be a secret of continuity:regions.primary (${context.primaryRegion}), where the watch runs: ` +
                    `a secret of ${region} is lost with that region's outage or out of the function's reach`,
                value: arn,
            });
        }
        if (!context.atlas) {
            problems.push({
                path: ["atlasKeySecretArn"],
                message: "names Atlas API keys, but the stack has no Atlas cluster whose copies the watch reads",
                value: arn,
            });
        }
    }
    return problems;
}

/**
 * The tier for infra/config/index.ts (add it to TIERS after atlas): the settings, checked against the
 * primary region and the Atlas tier, with the pack's RPO targets for this stack.
 */
export const watchTier = tier({
    key: "watch",
    absent: "empty",
    schema: (ctx: TierContext) =>
        watchSchema
            .superRefine((w, issues) => {
                const context = { primaryRegion: ctx.regions?.primary, atlas: ctx.tiers.atlas !== undefined };
                for (const p of watchRules(w, context)) report(issues, p.path, p.message, p.value);
            }, whenValid)
            .transform((w, issues) => {
                try {
                    return { ...settingsOf(w), targets: recoveryTargets(ctx.stack) };
                } catch (e) {
                    report(issues, [], `cannot take its RPO targets: ${(e as Error).message}`, undefined);
                    return z.NEVER;
                }
            }),
});

export type WatchConfig = z.output<ReturnType<typeof watchTier.schema>>;

/**
 * Validates `continuity:watch` (the parsed object, undefined when the key is not set) against the rest
 * of the stack: the primary region (where the function runs and reads the secret) and whether the stack
 * has an Atlas store whose copies the watch reads with the API keys.
 */
export function parseWatch(
    raw: unknown,
    context: { primaryRegion?: AwsRegion; atlas: boolean },
): { watch?: WatchSettings; problems: WatchProblem[] } {
    const problems: WatchProblem[] = [];
    const result = watchSchema.safeParse(raw);
    if (!result.success) {
        for (const issue of result.error.issues) {
            const at = issue.path as (string | number)[];
            if (issue.code === "unrecognized_keys") {
                for (const k of issue.keys)
                    problems.push({
                        path: ["watch", ...at, k],
                        message: `is not a known setting; ${issue.message}`,
                        value: valueAt(raw, [...at, k]),
                    });
            } else {
                problems.push({ path: ["watch", ...at], message: issue.message, value: valueAt(raw, at) });
            }
        }
        return { problems };
    }
    const w = result.data;
    problems.push(...watchRules(w, context).map((p) => ({ ...p, path: ["watch", ...p.path] })));
    if (problems.length > 0) return { problems };
    return { watch: settingsOf(w), problems };
}

/** A problem as one line, `continuity:watch.schedule must be … (got "…")`, the form of every config problem. */
export function watchProblemText(p: WatchProblem): string {
    return problemText(p.path, p.message, p.value);
}

// --- the RPO targets -------------------------------------------------------------------------

export const PROJECT_DIR = path.join(__dirname, "..", "..");
const TARGETS_POLICY = "dr-recovery-objectives";

/**
 * The RPO/RTO target settings of the pack for this stack: `targets` and `stores` of the
 * dr-recovery-objectives entry of policies/config/<stack>.json; none (the defaults) without the file
 * or the entry, as `npm run report` does. The pack validates the file when it runs; here a file that is
 * not JSON, or an entry of the wrong shape, stops the program with its name.
 */
export function recoveryTargets(stack: string, projectDir: string = PROJECT_DIR): TargetSettings {
    const file = path.join(projectDir, "policies", "config", `${stack}.json`);
    const shown = path.relative(projectDir, file).split(path.sep).join("/");
    if (!fs.existsSync(file)) return {};
    let parsed: unknown;
    let notJson: string | undefined;
    try {
        parsed = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        notJson = (e as Error).message;
    }
    if (notJson !== undefined) throw new Error(`${shown} is not JSON (${notJson}); the watch reads its ${TARGETS_POLICY} targets from it.`);
    const entry = (parsed as Record<string, unknown> | null)?.[TARGETS_POLICY];
    if (entry === undefined) return {};
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
        throw new Error(`${shown}: "${TARGETS_POLICY}" must be an object of settings (got ${JSON.stringify(entry)}).`);
    }
    const { targets, stores } = entry as TargetSettings;
    for (const [where, value] of [
        ["targets", targets],
        ["stores", stores],
    ] as const) {
        if (value !== undefined && (value === null || typeof value !== "object")) {
            throw new Error(
                `${shown}: "${TARGETS_POLICY}".${where} must be ${where === "stores" ? "a list" : "an object"} ` +
                    `(got ${JSON.stringify(value)}).`,
            );
        }
    }
    return { ...(targets ? { targets } : {}), ...(stores ? { stores } : {}) };
}
