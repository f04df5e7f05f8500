// The local answer to aws.iam.getPolicyDocument (invokes.ts): the policy JSON, byte for byte as the
// provider renders it (the JSON itself: iamPolicyJson.ts).
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
import { crc32, documentValue, goCompare, goJson, goQuoted } from "./iamPolicyJson";
import { Args, isPlainObject, optString, refuse, stringList } from "./invokeCall";

const POLICY_VERSIONS = ["2008-10-17", "2012-10-17"];

export interface PolicyPrincipal {
    type: string;
    identifiers: string | string[];
}

export interface PolicyCondition {
    test: string;
    variable: string;
    values: string | string[];
}

/** A statement of the model (iamPolicyStatement): Action & co. as decoded (undefined = Go nil). */
export interface PolicyStatement {
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

export interface PolicyDoc {
    version: string;
    id: string;
    statements: PolicyStatement[];
}

export function policyDocument(args: Args): Record<string, unknown> {
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
                refuse(
                    `writing IAM Policy Document: merging source document ${i}: duplicate Sid (${s.sid}) in source_policy_documents (statement ${j}). Remove the Sid or ensure Sids are unique.`,
                );
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
                if (sids.has(st.sid))
                    refuse(`writing IAM Policy Document: duplicate Sid (${st.sid}). Remove the Sid or ensure the Sid is unique.`);
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
    if (effect !== "Allow" && effect !== "Deny")
        refuse(`expected ${where}.effect to be one of ${goQuoted(["Allow", "Deny"])}, got ${effect}`);
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
        if (version === "2008-10-17" && s.includes("&{"))
            refuse(`found &{ sequence in (${s}), which is not supported in document version 2008-10-17`);
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
            fail(
                `json: cannot unmarshal ${goKind(f.Statement)} into Go struct field iamPolicyDoc.Statement of type []*iam.iamPolicyStatement`,
            );
        }
        doc.statements = (f.Statement as unknown[]).map((s, i) => {
            // A null statement is a nil pointer the provider dereferences (it crashes): refuse it.
            if (s === null) return fail(`statement ${i} is null`);
            if (!isPlainObject(s))
                return fail(
                    `json: cannot unmarshal ${goKind(s)} into Go struct field iamPolicyDoc.Statement of type iam.iamPolicyStatement`,
                );
            const g = fields(s, [
                "Sid",
                "Effect",
                "Action",
                "NotAction",
                "Resource",
                "NotResource",
                "Principal",
                "NotPrincipal",
                "Condition",
            ]);
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
            if (typeof s !== "string")
                fail(
                    `Unsupported element type ${goTypeName(s)} for IAMPolicyStatementPrincipalSet.Identifiers[${i}] (principal type "${type}"): must be string`,
                );
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
                values.forEach(
                    (x) =>
                        typeof x !== "string" &&
                        fail(`condition ${test} ${variable} has a ${goKind(x)} value; the provider takes strings only`),
                );
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
