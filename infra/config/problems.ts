// How a problem of the stack configuration is written: the full key, what is wrong or allowed, and the
// value found, never a secret's. Every problem is collected and reported at once.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { NAMESPACE } from "./rules";

export class ConfigError extends pulumi.RunError {
    /** `subject`: which configuration, as the first line names it. */
    constructor(
        readonly problems: readonly string[],
        subject = "stack configuration",
    ) {
        super(
            `The ${subject} has ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n` +
                problems.map((p) => `  - ${p}`).join("\n"),
        );
        this.name = "ConfigError";
    }
}

/** Stands for the value of a secret key in a message: the value itself is never printed. */
export const SECRET_VALUE = Symbol("secret value");

function describe(value: unknown): string {
    if (value === SECRET_VALUE) return "a secret value, not shown";
    return value === undefined ? "nothing" : JSON.stringify(value);
}

export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
    let v: unknown = root;
    for (const p of path) {
        if (v === null || typeof v !== "object") {
            return undefined;
        }
        v = (v as Record<PropertyKey, unknown>)[p];
    }
    return v;
}

function keyName(path: readonly PropertyKey[]): string {
    let key = NAMESPACE + ":";
    path.forEach((p, i) => {
        key += typeof p === "number" ? `[${p}]` : `${i === 0 ? "" : "."}${String(p)}`;
    });
    return key;
}

/** The value a cross-field rule reported with its problem (see `report` in rules.ts), if it did. */
export function reported(issue: z.core.$ZodIssue): { got: unknown } | undefined {
    const params = issue.code === "custom" ? issue.params : undefined;
    return params !== undefined && "got" in params ? { got: params.got } : undefined;
}

/** One problem as a line: `continuity:storage.buckets[0].name must be … (got "…")`. */
export function problemText(path: readonly PropertyKey[], message: string, value: unknown): string {
    return `${keyName(path)} ${message} (got ${describe(value)})`;
}

export class Problems {
    readonly list: string[] = [];
    add(path: readonly PropertyKey[], message: string, value: unknown): void {
        this.list.push(problemText(path, message, value));
    }
    addSecret(path: readonly PropertyKey[], message: string): void {
        this.list.push(`${keyName(path)} ${message}`);
    }
    /**
     * The issues of one top-level key. A cross-field rule shows the value it reported; otherwise, under
     * a path in `secretPaths`, a value is never shown: what is not the expected reference may be the
     * secret itself.
     */
    fromZod(top: string, error: z.ZodError, input: unknown, secretPaths: readonly (readonly string[])[] = []): void {
        for (const issue of error.issues) {
            const path = [top, ...issue.path];
            const rule = reported(issue);
            if (rule) {
                this.add(path, issue.message, rule.got);
                continue;
            }
            if (secretPaths.some((secret) => secret.every((p, i) => path[i] === p))) {
                this.addSecret(path, `${issue.message} (got a value that is not; not shown, in case it is the secret itself)`);
                continue;
            }
            if (issue.code === "unrecognized_keys") {
                const where = valueAt(input, issue.path) as Record<string, unknown>;
                for (const k of issue.keys) {
                    this.add([...path, k], `is not a known setting; ${issue.message}`, where[k]);
                }
                continue;
            }
            this.add(path, issue.message, valueAt(input, issue.path));
        }
    }
}

/**
 * Edit distance with adjacent transpositions counted as one edit (optimal string alignment): "asw" is
 * one edit from "aws". Ten lines for a handful of short names; not worth a dependency of the program.
 */
export function editDistance(a: string, b: string): number {
    const d = Array.from({ length: a.length + 1 }, (_, i) =>
        Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
    );
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[a.length][b.length];
}

/** The known name nearest to `word`, when it is near enough to be a typo of it (a third of its letters, one at least). */
export function closest(word: string, known: readonly string[]): string | undefined {
    let best: { name: string; distance: number } | undefined;
    for (const name of known) {
        const distance = editDistance(word.toLowerCase(), name.toLowerCase());
        if (distance <= Math.max(1, Math.floor(name.length / 3)) && (best === undefined || distance < best.distance))
            best = { name, distance };
    }
    return best?.name;
}
