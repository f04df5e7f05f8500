// The JSON of an IAM policy document as terraform-provider-aws v6 writes it (policy_model.go, the
// MarshalJSON of its types) with Go's encoding/json: members in struct order, map keys sorted,
// HTML-safe escapes; and Go's CRC-32, the document's id and the order of the SDK's sets.
import type { PolicyCondition, PolicyDoc, PolicyPrincipal, PolicyStatement } from "./iamPolicyDocument";

/** A JSON object whose members keep the given order (a Go struct), as opposed to a Go map (keys sorted). */
export class Ordered {
    constructor(readonly members: [string, unknown][]) {}
}

export function documentValue(doc: PolicyDoc): Ordered {
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
    return Object.fromEntries(
        [...raw].map(([test, vars]) => [test, Object.fromEntries([...vars].map(([k, v]) => [k, v.length === 1 ? v[0] : v]))]),
    );
}

/** Go's json.Marshal (indent false) or json.MarshalIndent(v, "", "  ") (indent true). Plain objects are Go maps. */
export function goJson(v: unknown, indent: boolean, depth = 0): string {
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
export function goString(s: string): string {
    let out = '"';
    for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) {
            out += s[i] + s[i + 1];
            i++;
        } else if (c >= 0xd800 && c <= 0xdfff)
            out += "\\ufffd"; // invalid UTF-8 reaches Go as U+FFFD
        else if (c === 0x22) out += '\\"';
        else if (c === 0x5c) out += "\\\\";
        else if (c === 0x0a) out += "\\n";
        else if (c === 0x0d) out += "\\r";
        else if (c === 0x09) out += "\\t";
        else if (c === 0x08) out += "\\b";
        else if (c === 0x0c) out += "\\f";
        else if (c < 0x20 || c === 0x3c || c === 0x3e || c === 0x26 || c === 0x2028 || c === 0x2029)
            out += `\\u${c.toString(16).padStart(4, "0")}`;
        else out += s[i];
    }
    return `${out}"`;
}

/** Go's string order: bytewise on UTF-8. */
export function goCompare(a: string, b: string): number {
    return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/** A list the way Go's %q prints []string: ["a" "b"]. */
export function goQuoted(values: string[]): string {
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
