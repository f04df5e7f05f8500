// A policy's settings against its configSchema, as the CLI validates them.
//
// Policy settings are validated by ajv, a full JSON Schema (draft-07) implementation, against what
// the CLI validates: `{type: "object", properties, required}` (pulumi pkg/resource/analyzer/config.go,
// convertSchema). Problems are worded as the CLI's validator, gojsonschema v1.2.0, words them
// (locales.go), "<field>: <description>" with "(root): " trimmed. Where gojsonschema reports the
// closest branch of a failed oneOf/anyOf (or item of a failed contains), the closest is the first
// branch whose type matches, then the one that meets most of the properties it names, then the one
// with the fewest problems. `format` is not checked (gojsonschema checks its own list of formats;
// no policy of ours declares one).
import type { default as Ajv, ErrorObject, ValidateFunction } from "ajv";
import { JsonSchema, PolicyConfigSchemaInfo } from "./packTypes";
import { isRecord } from "./wire";

// Loaded at the first validation, not with the check's modules: loading ajv and making its instance
// takes ~0.3 s, which the check would otherwise spend before it starts the program.
let ajv: Ajv | undefined;
const validator = (): Ajv =>
    (ajv ??= new (require("ajv") as typeof import("ajv")).default({
        allErrors: true,
        strict: false,
        verbose: true,
        validateFormats: false,
    }));
const compiledSchemas = new Map<string, ValidateFunction>();

/** A policy's settings against its configSchema, as the CLI validates them; problems in its wording. */
export function validatePolicySettings(configSchema: PolicyConfigSchemaInfo, settings: Record<string, unknown>): string[] {
    const schema: JsonSchema = { type: "object", properties: configSchema.properties };
    if (configSchema.required && configSchema.required.length > 0) {
        schema.required = configSchema.required;
    }
    let validate: ValidateFunction;
    try {
        // Compiled once per schema: a pack's ~50 schemas cost ajv 0.2–0.4 s, and the check validates twice (run and production config).
        const key = JSON.stringify(schema);
        validate = compiledSchemas.get(key) ?? compiledSchemas.set(key, validator().compile(schema)).get(key)!;
    } catch (e) {
        return [`invalid configSchema: ${e instanceof Error ? e.message : String(e)}`];
    }
    return validate(settings) ? [] : cliProblems(validate.errors ?? [], settings);
}

function jsonType(v: unknown): string {
    if (v === null) {
        return "null";
    }
    if (Array.isArray(v)) {
        return "array";
    }
    if (typeof v === "number") {
        return Number.isInteger(v) ? "integer" : "number";
    }
    return typeof v;
}

/** A number as gojsonschema prints a limit: Go's shortest %g (an exponent from 1e+06 and below 1e-04). */
export function goNumber(n: number): string {
    const [mantissa, exponent] = n.toExponential().split("e");
    const exp = Number(exponent);
    if (exp < -4 || exp >= 6) {
        return `${mantissa}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
    }
    return String(n);
}

/** JSON with object keys sorted, as Go marshals a map: equal values, equal text. */
function canonical(v: unknown): string {
    if (Array.isArray(v)) {
        return `[${v.map(canonical).join(",")}]`;
    }
    if (isRecord(v)) {
        return `{${Object.keys(v)
            .sort()
            .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
            .join(",")}}`;
    }
    return JSON.stringify(v);
}

/** The field gojsonschema names: the instance path, dot-separated; "(root)" for the settings object. */
function fieldOf(instancePath: string): string {
    if (instancePath === "") {
        return "(root)";
    }
    return instancePath
        .slice(1)
        .split("/")
        .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
        .join(".");
}

function valueAt(root: unknown, instancePath: string): unknown {
    let v = root;
    for (const s of instancePath === "" ? [] : instancePath.slice(1).split("/")) {
        const key = s.replace(/~1/g, "/").replace(/~0/g, "~");
        v = isRecord(v) || Array.isArray(v) ? (v as Record<string, unknown>)[key] : undefined;
    }
    return v;
}

/** How many instance levels a schema path below a keyword goes down (properties/x, items, ...). */
function instanceDepth(schemaPathBelow: string[]): number {
    let depth = 0;
    for (let i = 0; i < schemaPathBelow.length; i++) {
        const k = schemaPathBelow[i];
        if (k === "properties" || k === "patternProperties") {
            depth++;
            i++;
        } else if (k === "items") {
            depth++;
            if (/^\d+$/.test(schemaPathBelow[i + 1] ?? "")) i++;
        } else if (k === "additionalProperties" || k === "additionalItems" || k === "contains") {
            depth++;
        } else if (k === "dependencies" || k === "allOf" || k === "anyOf" || k === "oneOf" || k === "definitions") {
            i++;
        }
    }
    return depth;
}

function cliProblems(errors: ErrorObject[], settings: unknown): string[] {
    // Branches of a failed oneOf/anyOf and items of a failed contains: gojsonschema keeps the closest.
    const dropped = new Set<ErrorObject>();
    for (const e of errors) {
        if (e.keyword !== "oneOf" && e.keyword !== "anyOf" && e.keyword !== "contains") {
            continue;
        }
        const below = errors.filter((x) => x !== e && x.schemaPath.startsWith(`${e.schemaPath}/`));
        below.forEach((x) => dropped.add(x));
        if (e.keyword === "oneOf" && Array.isArray((e.params as { passingSchemas?: unknown }).passingSchemas)) {
            continue; // more than one branch matched: only the oneOf problem
        }
        const groupOf = (x: ErrorObject) =>
            e.keyword === "contains"
                ? x.instancePath.slice(e.instancePath.length + 1).split("/")[0]
                : x.schemaPath.slice(e.schemaPath.length + 1).split("/")[0];
        const groups = new Map<string, ErrorObject[]>();
        for (const x of below) groups.set(groupOf(x), [...(groups.get(groupOf(x)) ?? []), x]);
        const rank = ([key, xs]: [string, ErrorObject[]]) => {
            const own = `${e.schemaPath}/${key}/`;
            const typeMiss = xs.some((x) => x.keyword === "type" && x.instancePath === e.instancePath && x.schemaPath === `${own}type`)
                ? 1
                : 0;
            const branch = e.keyword === "contains" ? undefined : (e.schema as JsonSchema[] | undefined)?.[Number(key)];
            const value = valueAt(settings, e.instancePath);
            const named =
                isRecord(branch) && isRecord(branch.properties) && isRecord(value)
                    ? Object.keys(branch.properties).filter((k) => k in value).length
                    : 0;
            return [typeMiss, -named, xs.length];
        };
        const closest = [...groups.entries()].sort((a, b) => {
            const [ra, rb] = [rank(a), rank(b)];
            return ra[0] - rb[0] || ra[1] - rb[1] || ra[2] - rb[2] || Number(a[0]) - Number(b[0]);
        })[0];
        closest?.[1].forEach((x) => dropped.delete(x));
    }

    // gojsonschema checks nothing else of a schema whose type the value does not have.
    for (const e of errors) {
        if (e.keyword === "type" && !dropped.has(e)) {
            const own = e.schemaPath.slice(0, -"type".length);
            errors
                .filter((x) => x !== e && x.instancePath.startsWith(e.instancePath) && x.schemaPath.startsWith(own))
                .forEach((x) => dropped.add(x));
        }
    }

    const problems: string[] = [];
    const allOf = new Set<string>();
    for (const e of errors) {
        if (dropped.has(e)) {
            continue;
        }
        // An allOf has no problem of its own in ajv; gojsonschema adds one where a branch failed.
        const parts = e.schemaPath.replace(/^#\//, "").split("/");
        parts.forEach((k, i) => {
            if (k === "allOf" && /^\d+$/.test(parts[i + 1] ?? "")) {
                const up = instanceDepth(parts.slice(i + 2, -1)); // the failing keyword itself stays on its instance
                const at = e.instancePath
                    .split("/")
                    .slice(0, e.instancePath.split("/").length - up)
                    .join("/");
                const key = `${parts.slice(0, i + 1).join("/")}@${at}`;
                if (!allOf.has(key)) {
                    allOf.add(key);
                    problems.push(`${fieldOf(at)}: Must validate all the schemas (allOf)`);
                }
            }
        });
        const field = fieldOf(e.instancePath);
        const p = e.params as Record<string, unknown>;
        const value: unknown = e.data;
        const say = (description: string) => problems.push(`${field}: ${description}`);
        switch (e.keyword) {
            case "type": {
                const t = (e.schema ?? p.type) as string | string[];
                say(
                    `Invalid type. Expected: ${Array.isArray(t) ? (t.length > 1 ? `[${t.join(",")}]` : t[0]) : t}, given: ${jsonType(value)}`,
                );
                break;
            }
            case "required":
                say(`${String(p.missingProperty)} is required`);
                break;
            case "enum":
                say(`${field} must be one of the following: ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`);
                break;
            case "const":
                say(`${field} does not match: ${JSON.stringify(p.allowedValue)}`);
                break;
            case "multipleOf":
                say(`Must be a multiple of ${goNumber(p.multipleOf as number)}`);
                break;
            case "maximum":
                say(`Must be less than or equal to ${goNumber(p.limit as number)}`);
                break;
            case "exclusiveMaximum":
                say(`Must be less than ${goNumber(p.limit as number)}`);
                break;
            case "minimum":
                say(`Must be greater than or equal to ${goNumber(p.limit as number)}`);
                break;
            case "exclusiveMinimum":
                say(`Must be greater than ${goNumber(p.limit as number)}`);
                break;
            case "maxLength":
                say(`String length must be less than or equal to ${String(p.limit)}`);
                break;
            case "minLength":
                say(`String length must be greater than or equal to ${String(p.limit)}`);
                break;
            case "pattern":
                say(`Does not match pattern '${String(p.pattern)}'`);
                break;
            case "format":
                say(`Does not match format '${String(p.format)}'`);
                break;
            case "maxItems":
                say(`Array must have at most ${String(p.limit)} items`);
                break;
            case "minItems":
                say(`Array must have at least ${String(p.limit)} items`);
                break;
            case "uniqueItems": {
                // Every repeat, paired with the last item before it that has its value, as gojsonschema pairs them.
                const seen = new Map<string, number>();
                (value as unknown[]).forEach((item, j) => {
                    const text = canonical(item);
                    const i = seen.get(text);
                    if (i !== undefined) say(`array items[${i},${j}] must be unique`);
                    seen.set(text, j);
                });
                break;
            }
            case "additionalItems":
                say("No additional items allowed on array");
                break;
            case "contains":
                say("At least one of the items must match");
                break;
            case "maxProperties":
                say(`Must have at most ${String(p.limit)} properties`);
                break;
            case "minProperties":
                say(`Must have at least ${String(p.limit)} properties`);
                break;
            case "additionalProperties":
                say(`Additional property ${String(p.additionalProperty)} is not allowed`);
                break;
            case "propertyNames":
                say(`Property name of "${String(p.propertyName)}" does not match`);
                break;
            case "dependencies":
                say(`Has a dependency on ${String(p.missingProperty)}`);
                break;
            case "anyOf":
                say("Must validate at least one schema (anyOf)");
                break;
            case "oneOf":
                say("Must validate one and only one schema (oneOf)");
                break;
            case "not":
                say("Must not validate the schema (not)");
                break;
            case "if":
                say(p.failingKeyword === "then" ? 'Must validate "then" as "if" was valid' : 'Must validate "else" as "if" was not valid');
                break;
            default:
                say(e.message ?? e.keyword);
        }
    }
    return problems.map((p) => p.replace(/^\(root\): /, ""));
}
