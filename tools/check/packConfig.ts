// Policy config reconciliation, as the CLI does it for --policy-pack-config: every policy starts at
// its own level with its configSchema defaults; the pack's initialConfig, then the file ("all",
// then per-policy levels and merged properties) are applied; the result is validated against each
// policy's configSchema (configSchema.ts, on ajv).
import { validatePolicySettings } from "./configSchema";
import { AnalyzerInfo, EnforcementLevel, PackConfig, PolicyConfigEntry, PolicyConfigError } from "./packTypes";
import { isRecord } from "./wire";

const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

export function isLevel(v: unknown): v is EnforcementLevel {
    return typeof v === "string" && (LEVELS as readonly string[]).includes(v);
}

interface ParsedEntry {
    enforcementLevel?: EnforcementLevel;
    properties?: Record<string, unknown>;
}

function describeJson(v: unknown): string {
    return v === undefined ? "undefined" : JSON.stringify(v);
}

/** Parses the config file format; empty entries are dropped, as the CLI does. */
function parsePackConfig(config: PackConfig): Record<string, ParsedEntry> {
    const out: Record<string, ParsedEntry> = {};
    const problems: string[] = [];
    for (const [name, value] of Object.entries(config)) {
        if (typeof value === "string") {
            if (!isLevel(value)) {
                problems.push(`parsing enforcement level for "${name}": "${value}" is not a valid enforcement level`);
                continue;
            }
            out[name] = { enforcementLevel: value };
        } else if (isRecord(value)) {
            const { enforcementLevel, ...properties } = value;
            const entry: ParsedEntry = {};
            if ("enforcementLevel" in value) {
                if (typeof enforcementLevel !== "string") {
                    problems.push(
                        `parsing enforcement level for "${name}": ${describeJson(enforcementLevel)} is not a valid enforcement level; must be a string`,
                    );
                    continue;
                }
                if (!isLevel(enforcementLevel)) {
                    problems.push(`parsing enforcement level for "${name}": "${enforcementLevel}" is not a valid enforcement level`);
                    continue;
                }
                entry.enforcementLevel = enforcementLevel;
            }
            if (Object.keys(properties).length > 0) {
                entry.properties = properties;
            }
            if (entry.enforcementLevel || entry.properties) {
                out[name] = entry;
            }
        } else {
            problems.push(`parsing "${name}": ${describeJson(value)} is not a valid value; must be a string or object`);
        }
    }
    if (problems.length > 0) {
        throw new PolicyConfigError("invalid policy pack config", problems);
    }
    return out;
}

function applyConfig(result: Record<string, ParsedEntry>, toApply: Record<string, ParsedEntry>): void {
    // "all" sets the level of every policy known so far, keeping their properties.
    const all = toApply.all?.enforcementLevel;
    if (all) {
        for (const name of Object.keys(result)) {
            result[name] = { ...result[name], enforcementLevel: all };
        }
    }
    // Then per-policy entries ("all" included, as the CLI does) override the level and merge properties.
    for (const [name, given] of Object.entries(toApply)) {
        const current = result[name] ?? {};
        const next: ParsedEntry = { enforcementLevel: given.enforcementLevel ?? current.enforcementLevel };
        if (current.properties || given.properties) {
            next.properties = { ...current.properties, ...given.properties };
        }
        result[name] = next;
    }
}

/**
 * Reconciles a --policy-pack-config file with a pack's policies, as the CLI does: every policy
 * starts at its own enforcement level with its configSchema `default`s; the pack's initialConfig is
 * applied, then the file ("all" first, then per-policy levels and merged properties); finally each
 * policy's properties are validated against its configSchema. Unlike the CLI (which passes them
 * through), entries naming policies the pack does not have are rejected.
 */
export function reconcilePolicyConfig(info: AnalyzerInfo, config: PackConfig | undefined): Record<string, PolicyConfigEntry> {
    if (config !== undefined && config !== null && !isRecord(config)) {
        throw new PolicyConfigError("invalid policy pack config: it must be a JSON object", []);
    }
    const fromFile = config ? parsePackConfig(config) : undefined;
    const known = new Set(info.policies.map((p) => p.name));
    const unknown = Object.keys(fromFile ?? {}).filter((k) => k !== "all" && !known.has(k));
    if (unknown.length > 0) {
        throw new PolicyConfigError(
            `policy pack config names ${unknown.length === 1 ? "a policy" : "policies"} that policy pack "${info.name}" does not have: ${unknown.join(", ")}`,
            [`known policies: ${[...known].join(", ") || "(none)"}`],
        );
    }

    const result: Record<string, ParsedEntry> = {};
    for (const p of info.policies) {
        const entry: ParsedEntry = { enforcementLevel: p.enforcementLevel };
        for (const [k, schema] of Object.entries(p.configSchema?.properties ?? {})) {
            if ("default" in schema) {
                entry.properties = entry.properties ?? {};
                entry.properties[k] = schema.default;
            }
        }
        result[p.name] = entry;
    }
    if (info.initialConfig) {
        applyConfig(result, info.initialConfig);
    }
    if (fromFile) {
        applyConfig(result, fromFile);
    }

    const problems: string[] = [];
    for (const p of info.policies) {
        if (!p.configSchema) {
            continue;
        }
        for (const problem of validatePolicySettings(p.configSchema, result[p.name]?.properties ?? {})) {
            problems.push(`${p.name}: ${problem}`);
        }
    }
    if (problems.length > 0) {
        problems.sort();
        throw new PolicyConfigError(`invalid policy config for policy pack "${info.name}"`, problems);
    }

    const out: Record<string, PolicyConfigEntry> = {};
    for (const [name, entry] of Object.entries(result)) {
        if (!entry.enforcementLevel) {
            // Only reachable through initialConfig; the CLI's Configure rejects it the same way.
            throw new PolicyConfigError(`invalid enforcement level "" for "${name}"`, []);
        }
        out[name] = entry.properties
            ? { enforcementLevel: entry.enforcementLevel, properties: entry.properties }
            : { enforcementLevel: entry.enforcementLevel };
    }
    return out;
}
