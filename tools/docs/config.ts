// Writes the configuration reference of README.md (the table between the two markers of its
// Configuration section) from the tiers' own zod schemas (infra/config/<tier>.ts, through
// z.toJSONSchema): each key, what is allowed, its default, and the value in force in each stack file.
// `npm run docs:config` writes it; `-- --check` fails when the README differs from what the schemas
// say (tests/config-docs.spec.ts runs the same comparison).
import { writeOrCheck } from "./generated";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { z } from "zod";
import { ContinuityConfig, NAMESPACE, parseConfig, Tier, TIERS, TierContext, WEBHOOK_KEY } from "../../infra/config";
import { Environments } from "../../infra/tags";

export const ROOT = path.join(__dirname, "..", "..");
export const README_FILE = path.join(ROOT, "README.md");
export const BEGIN = "<!-- configuration reference: written by `npm run docs:config` from infra/config/<tier>.ts; do not edit by hand -->";
export const END = "<!-- end of the configuration reference -->";
const STACKS = ["staging", "production"] as const;
type Stack = (typeof STACKS)[number];

/** The part of a JSON Schema this reference reads, with the metadata the tiers give (`allowed`, `defaultIs`). */
interface Node {
    type?: string;
    enum?: unknown[];
    const?: unknown;
    format?: string;
    minimum?: number;
    maximum?: number;
    exclusiveMinimum?: number;
    minItems?: number;
    default?: unknown;
    properties?: Record<string, Node>;
    required?: string[];
    items?: Node;
    additionalProperties?: Node | boolean;
    description?: string;
    allowed?: string;
    defaultIs?: string;
}

/** A stack file's configuration as the engine hands it to the program (secure values left out). */
function stackConfig(stack: Stack): ContinuityConfig {
    const file = parse(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config?: Record<string, unknown> };
    const values: Record<string, string> = {};
    for (const [key, value] of Object.entries(file.config ?? {})) {
        if (value !== null && typeof value === "object" && "secure" in value) continue;
        values[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return parseConfig({ stack, values, secretKeys: new Set() });
}

const show = (v: unknown): string => {
    if (v === undefined) return "—";
    if (Array.isArray(v)) return v.length === 0 ? "none" : v.map(show).join(", ");
    if (v !== null && typeof v === "object") return Object.keys(v).length === 0 ? "{}" : Object.keys(v).join(", ");
    return String(v);
};
const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
/** A value from a stack file, where markdown must not read a `*` as emphasis. */
const literal = (s: string) => s.replace(/\*/g, "\\*");

function range(n: Node): string | undefined {
    if (n.exclusiveMinimum !== undefined) {
        return n.maximum !== undefined ? `> ${n.exclusiveMinimum}, ≤ ${n.maximum}` : `> ${n.exclusiveMinimum}`;
    }
    if (n.minimum !== undefined && n.maximum !== undefined) return `${n.minimum}–${n.maximum}`;
    if (n.minimum !== undefined) return `≥ ${n.minimum}`;
    return undefined;
}

/** What the schema allows, in words: the tier's own words where it gives them. */
function allowed(n: Node): string {
    const words = ((): string => {
        if (n.allowed) return n.allowed;
        if (n.enum) return n.enum.map(String).join(", ");
        if (n.const !== undefined) return String(n.const);
        switch (n.type) {
            case "boolean":
                return "true / false";
            case "integer":
            case "number":
                return range(n) ?? "a number";
            case "string":
                return n.format === "email" ? "an e-mail address" : "text";
            case "array":
                return `a list${n.minItems ? ` (≥ ${n.minItems})` : ""} of: ${n.items ? allowed(n.items) : "values"}`;
            case "object":
                return typeof n.additionalProperties === "object" ? `name → ${allowed(n.additionalProperties)}` : "settings";
            default:
                return "any value";
        }
    })();
    return n.description ? `${words} (${n.description})` : words;
}

const defaultOf = (n: Node, required: boolean): string =>
    n.defaultIs ?? (n.default !== undefined ? show(n.default) : required ? "— (required)" : "—");

/** The values at `path` of a validated configuration; a `[]` step reads every item of a list. */
function valuesAt(root: unknown, path: readonly string[]): unknown[] {
    let found: unknown[] = [root];
    for (const step of path) {
        found =
            step === "[]"
                ? found.flatMap((v) => (Array.isArray(v) ? v : []))
                : found.map((v) => (v !== null && typeof v === "object" ? (v as Record<string, unknown>)[step] : undefined));
    }
    return found;
}

interface Row {
    readonly key: string;
    readonly allowed: string;
    readonly default: string;
    readonly values: Record<Stack, string>;
}

const keyOf = (path: readonly string[]) => path.join(".").replace(/\.\[\]/g, "[]");

function rows(n: Node, path: string[], required: boolean, configs: Record<Stack, ContinuityConfig>): Row[] {
    const inForce = (stack: Stack) => {
        const found = valuesAt(configs[stack], path);
        const set = found.filter((v) => v !== undefined);
        return set.length === 0 ? "—" : path.includes("[]") ? set.map(show).join(", ") : show(set[0]);
    };
    const row = (): Row => ({
        key: keyOf(path),
        allowed: allowed(n),
        default: defaultOf(n, required),
        values: { staging: inForce("staging"), production: inForce("production") },
    });
    const nested = n.type === "object" && n.properties ? n : n.type === "array" && n.items?.properties ? n.items : undefined;
    if (!nested) return [row()];
    const at = nested === n ? path : [...path, "[]"];
    const children = Object.entries(nested.properties!).flatMap(([k, child]) =>
        rows(child, [...at, k], nested.required?.includes(k) ?? false, configs),
    );
    // A group of settings has a row of its own when the tier says something of it as a whole.
    const own = n.allowed || n.defaultIs || n.description;
    if (!own) return children;
    const group = row();
    const list = nested !== n;
    const whole = (stack: Stack) => {
        if (!list) return group.values[stack] === "—" ? "—" : "set";
        const items = valuesAt(configs[stack], path)[0];
        return Array.isArray(items) ? `${items.length} item${items.length === 1 ? "" : "s"}` : "—";
    };
    const fields = Object.keys(nested.properties!).join(", ");
    const what = n.allowed ?? `${n.description ? `${n.description}: ` : ""}${list ? "a list of" : "settings"}: ${fields}`;
    return [{ ...group, allowed: what, values: { staging: whole("staging"), production: whole("production") } }, ...children];
}

function tierRows(tier: Tier, configs: Record<Stack, ContinuityConfig>): Row[] {
    const ctx: TierContext = { stack: "staging", production: false, tiers: {} };
    const schema = z.toJSONSchema(tier.schema(ctx), { io: "input", unrepresentable: "any" }) as Node;
    const retired = Object.entries(tier.retired ?? {}).map(
        ([key, why]): Row => ({ key: `${tier.key}.${key}`, allowed: why, default: "—", values: { staging: "—", production: "—" } }),
    );
    return [...rows(schema, [tier.key], false, configs), ...retired];
}

export function renderConfigReference(): string {
    const configs = Object.fromEntries(STACKS.map((stack) => [stack, stackConfig(stack)])) as Record<Stack, ContinuityConfig>;
    const all: Row[] = [
        {
            key: "environment",
            allowed: Environments.join(", "),
            default: "the stack name, when it is one of these",
            values: { staging: configs.staging.environment, production: configs.production.environment },
        },
        ...(TIERS as readonly Tier[]).flatMap((tier) => tierRows(tier, configs)),
        {
            key: WEBHOOK_KEY,
            allowed: "an https URL, **secret** (pulumi config set --secret)",
            default: "none",
            values: { staging: "—", production: "—" },
        },
    ];
    return [
        BEGIN,
        `| key (under \`${NAMESPACE}:\`) | allowed | default | staging | production |`,
        "|---|---|---|---|---|",
        ...all.map(
            (r) =>
                `| \`${r.key}\` | ${cell(r.allowed)} | ${cell(r.default)} ` +
                `| ${cell(literal(r.values.staging))} | ${cell(literal(r.values.production))} |`,
        ),
        END,
    ].join("\n");
}

/** The README with its reference section replaced by `reference`. */
export function withReference(readme: string, reference: string): string {
    const begin = readme.indexOf(BEGIN);
    const end = readme.indexOf(END);
    if (begin < 0 || end < begin) throw new Error(`README.md has no configuration reference between the markers ${BEGIN} and ${END}`);
    return readme.slice(0, begin) + reference + readme.slice(end + END.length);
}

if (require.main === module) {
    writeOrCheck(README_FILE, withReference(fs.readFileSync(README_FILE, "utf8"), renderConfigReference()), {
        stale: "README.md's configuration reference is stale: run `npm run docs:config` and commit the result.",
        current: "README.md's configuration reference matches the schemas.",
        wrote: "wrote the configuration reference of README.md",
    });
}
