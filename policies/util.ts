// Shared by every policy module: settings with their schema defaults, values that are unknown at
// preview, retention arithmetic and links between resources of a stack.
import { PolicyConfigSchema, PolicyResource } from "@pulumi/policy";

// The SDK throws this when a policy reads a value the engine marked unknown; it is not exported in
// the SDK's typings, but the pack and the SDK share one module instance.
const { UnknownValueError } = require("@pulumi/policy/proxy") as { UnknownValueError: new (...args: never[]) => Error };

export const UNKNOWN: unique symbol = Symbol("unknown until the resource exists");
export type Maybe<T> = T | typeof UNKNOWN;

/** Reads a value that may be unknown at preview, where a policy wants to decide itself what that means. */
export function known<T>(read: () => T): Maybe<T> {
    try {
        return read();
    } catch (e) {
        if (e instanceof UnknownValueError) return UNKNOWN;
        throw e;
    }
}

/**
 * A policy's settings: what the --policy-pack-config file gives, over the defaults its schema
 * declares. The CLI fills defaults in too, but a pack run without a config file must not depend on it.
 */
export function settingsOf<T>(schema: PolicyConfigSchema, given: Record<string, unknown>): T {
    const defaults = Object.fromEntries(
        Object.entries(schema.properties)
            .filter(([, p]) => (p as { default?: unknown }).default !== undefined)
            .map(([k, p]) => [k, (p as { default?: unknown }).default]),
    );
    return { ...defaults, ...given } as T;
}

/** A lower bound in days: a month counts 28 days and a year 365, so a rule never passes by rounding. */
export function retentionDays(unit: string, value: number): number {
    const perUnit: Record<string, number> = { days: 1, weeks: 7, months: 28, years: 365 };
    return (perUnit[unit] ?? Number.NaN) * value;
}

export function plural(n: number, word: string): string {
    return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** A filter for resources of these type tokens. */
export const is =
    (...types: readonly string[]) =>
    (r: PolicyResource): boolean =>
        types.includes(r.type);

/** Whether `from` was built from `to`'s outputs: through one property, or anywhere. */
export function dependsOn(from: PolicyResource, to: PolicyResource, property?: string): boolean {
    const via = property === undefined ? undefined : from.propertyDependencies[property];
    return (via ?? []).some((d) => d.urn === to.urn) || from.dependencies.some((d) => d.urn === to.urn);
}

/** Whether two resources took a property from the same resource (e.g. one created project's id). */
export function shareSource(a: PolicyResource, b: PolicyResource, property: string): boolean {
    const sources = new Set((a.propertyDependencies[property] ?? []).map((d) => d.urn));
    return (b.propertyDependencies[property] ?? []).some((d) => sources.has(d.urn));
}
