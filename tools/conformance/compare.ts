// npm run test:conformance — the same programs and packs through the real CLI (built from its Go
// modules; see build.ts and preview.ts) and through `npm run check`; prints every difference in the
// resources (URN, provider) and the policy violations (pack, policy, level, resource, message), and
// the exit class. Exits 1 on a difference that its case does not allow (with a reason).
import { spawnSync } from "child_process";
import * as path from "path";
import { isDefaultProvider } from "../check/report";
import { realPreview } from "./preview";

const ROOT = path.resolve(__dirname, "..", "..");
const PROGRAMS = path.join(ROOT, "tests", "fixtures", "programs");
const GUARD = path.join(ROOT, "policies");
const AWSGUARD = path.join(ROOT, "tests", "fixtures", "awsguard-pack");

interface Case {
    name: string;
    dir: string;
    stack: string;
    packs: { dir: string; config?: string }[];
    /** Why this case's differences are expected (the allow-list); they are printed, not counted. */
    allowed?: string;
}

const both = [{ dir: GUARD, config: path.join(GUARD, "config", "staging.json") }, { dir: AWSGUARD }];
export const CASES: Case[] = [
    ...["policy-document", "two-regions", "resource-objects", "acm-certificate", "relative-files", "main-src", "esm-program", "transforms"].map((n) => ({ name: n, dir: path.join(PROGRAMS, n), stack: "test", packs: both })),
    {
        name: "atlas-handwritten",
        dir: path.join(PROGRAMS, "atlas-handwritten"),
        stack: "test",
        packs: both,
        allowed:
            "its stack file's `secure:` value is a made-up string: the CLI must decrypt it and stops ('validating stack config: bad value'); the check never decrypts a non-passphrase stack's secrets and passes a placeholder",
    },
    { name: "storage-violations", dir: path.join(PROGRAMS, "storage-violations"), stack: "test", packs: both },
    { name: "cross-tier broken", dir: path.join(PROGRAMS, "cross-tier"), stack: "broken", packs: [{ dir: GUARD, config: path.join(PROGRAMS, "cross-tier", "guard-config.json") }] },
];

type Violation = string; // "pack | policy | level | type::name | message"

const flags = (c: Case) => c.packs.flatMap((p) => ["--policy-pack", p.dir]).concat(c.packs.every((p) => p.config) ? c.packs.flatMap((p) => ["--policy-pack-config", p.config!]) : []);

function viaCheck(c: Case) {
    const args = ["--stack", c.stack, "--cwd", c.dir, "--json", ...flags(c)];
    const r = spawnSync(process.execPath, [require.resolve("ts-node/dist/bin"), "--transpile-only", "-P", path.join(ROOT, "tsconfig.json"), path.join(ROOT, "tools/check/index.ts"), ...args], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    if (r.status === 2) return { exit: "error", urns: [] as string[], violations: [] as Violation[], detail: r.stderr.trim().split("\n").slice(-3).join(" / ") };
    const doc = JSON.parse(r.stdout);
    const urns = doc.resources.filter((x: any) => !isDefaultProvider(x)).map((x: any) => x.urn);
    const violations: Violation[] = doc.packs.flatMap((p: any) =>
        p.diagnostics.map((d: any) => {
            const [type, name] = d.urn ? d.urn.split("::").slice(2) : ["", ""];
            return [p.name, d.policyName, d.enforcementLevel, `${type.split("$").pop()}::${name}`, d.message.trim()].join(" | ");
        }),
    );
    return { exit: r.status === 1 ? "mandatory violation" : "pass", urns, violations, detail: "" };
}

/** The CLI's "Policies:" section: `- [level]  policy  (type: name)`, the description, then the message. */
function parsePolicies(text: string): Violation[] {
    const out: Violation[] = [];
    const lines = text.split("\n");
    let pack = "";
    let i = lines.findIndex((l) => l.trim() === "Policies:");
    if (i < 0) return out;
    for (i++; i < lines.length && lines[i].trim() !== ""; i++) {
        const l = lines[i];
        const packLine = /^ {4}\S+ (.+)@v[^ ]+ \(local: /.exec(l);
        if (packLine) {
            pack = packLine[1];
            continue;
        }
        const v = /^ {8}- \[(\w+)\] {2}(\S+) {2}\((?:(.+?): (.+))?\)$/.exec(l);
        if (!v) continue;
        const body: string[] = [];
        while (i + 1 < lines.length && /^ {10}\S/.test(lines[i + 1])) body.push(lines[++i].trim());
        // The description comes first, unless the SDK's own note ("can't run policy …") stands alone.
        out.push([pack, v[2], v[1], `${v[3] ?? ""}::${v[4] ?? ""}`, (body.length > 1 ? body.slice(1) : body).join("\n")].join(" | "));
    }
    return out;
}

function viaCli(c: Case) {
    const env = { PULUMI_NODEJS_TRANSPILE_ONLY: "true" };
    const json = realPreview(c.dir, c.stack, ["--json", ...flags(c)], env);
    const human = realPreview(c.dir, c.stack, ["--color", "never", ...flags(c)], env);
    if (json.status !== 0 && !/Policies:/.test(human.stdout)) return { exit: "error", urns: [] as string[], violations: [] as Violation[], detail: (human.stdout + human.stderr).trim().split("\n").slice(-3).join(" / ") };
    let urns: string[] = [];
    try {
        urns = JSON.parse(json.stdout).steps.map((s: any) => s.urn);
    } catch {
        urns = [];
    }
    const violations = parsePolicies(human.stdout);
    const mandatory = violations.some((v) => v.split(" | ")[2] === "mandatory");
    return { exit: mandatory ? "mandatory violation" : "pass", urns, violations, detail: "" };
}

function diff(a: string[], b: string[]) {
    return { onlyA: a.filter((x) => !b.includes(x)), onlyB: b.filter((x) => !a.includes(x)) };
}

if (require.main === module) {
    let differences = 0;
    const only = process.argv.slice(2);
    for (const c of CASES.filter((c) => only.length === 0 || only.includes(c.name))) {
        const started = Date.now();
        const real = viaCli(c);
        const ours = viaCheck(c);
        const rows: string[] = [];
        if (real.exit !== ours.exit) rows.push(`exit: CLI ${real.exit}${real.detail ? ` (${real.detail})` : ""}; check ${ours.exit}${ours.detail ? ` (${ours.detail})` : ""}`);
        const r = diff(real.urns, ours.urns);
        r.onlyA.forEach((u) => rows.push(`resource only in the CLI's preview: ${u}`));
        r.onlyB.forEach((u) => rows.push(`resource only in the check: ${u}`));
        const v = diff(real.violations, ours.violations);
        v.onlyA.forEach((x) => rows.push(`violation only from the CLI: ${x}`));
        v.onlyB.forEach((x) => rows.push(`violation only from the check: ${x}`));
        if (rows.length > 0 && c.allowed) rows.unshift(`allowed: ${c.allowed}`);
        else differences += rows.length;
        console.log(`${rows.length === 0 ? "same" : c.allowed ? "ALLOWED" : "DIFF"}  ${c.name} (${real.urns.length} resources, ${real.violations.length} violations; ${((Date.now() - started) / 1000).toFixed(0)} s)`);
        rows.forEach((x) => console.log(`      ${x}`));
    }
    console.log(`${differences} difference${differences === 1 ? "" : "s"}`);
    process.exit(differences > 0 ? 1 : 0);
}
