// The drill record, docs/drills/<date>-<environment>.md: YAML front matter the report reads, then prose
// for people (what was restored, from which copy, how old it was, how long each step took, what failed).
// docs/drills/README.md describes the format; `npm run drill:verify` writes it, tools/report reads it.
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import * as YAML from "yaml";

export type Result = "pass" | "fail" | "pending";

export interface Step {
    readonly name: string;
    /** Null: not measured (the API gave no time for it). */
    readonly seconds: number | null;
}

export interface Check {
    readonly what: string;
    readonly source: string | number | null;
    readonly restored: string | number | null;
    readonly ok: boolean;
}

export interface StoreRecord {
    readonly store: string;
    readonly kind: "atlas" | "s3" | "opensearch";
    /** pending: the restore has not finished yet (S3 objects still coming back from Deep Archive). */
    readonly result: Result;
    /** What was restored from. */
    readonly copy: string;
    /** How old the copy was when its restore started; null: not known. */
    readonly copyAgeHours: number | null;
    /** The measured time of the restore itself; null: not measured. */
    readonly rtoHours: number | null;
    readonly steps: readonly Step[];
    readonly checks: readonly Check[];
    readonly problems: readonly string[];
}

export interface DrillRecord {
    readonly date: string;
    readonly environment: string;
    readonly stack: string;
    readonly source: string;
    readonly region: string;
    /** pass: every store passed; pending: none failed, some still restoring; fail otherwise. */
    readonly result: Result;
    readonly stores: readonly StoreRecord[];
}

export const RECORD_FILE = /^(\d{4}-\d{2}-\d{2})-(.+)\.md$/;
export const recordFileName = (r: Pick<DrillRecord, "date" | "environment">) => `${r.date}-${r.environment}.md`;

export class DrillRecordError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "DrillRecordError";
    }
}

const result = z.enum(["pass", "fail", "pending"]);
const value = z.union([z.string(), z.number()]).nullable();
const schema = z.object({
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    environment: z.string().min(1),
    stack: z.string().min(1),
    source: z.string().min(1),
    region: z.string().min(1),
    result,
    stores: z.array(
        z.object({
            store: z.string().min(1),
            kind: z.enum(["atlas", "s3", "opensearch"]),
            result,
            copy: z.string(),
            copyAgeHours: z.number().nullable(),
            rtoHours: z.number().nullable(),
            steps: z.array(z.object({ name: z.string(), seconds: z.number().nullable() })),
            checks: z.array(z.object({ what: z.string(), source: value, restored: value, ok: z.boolean() })),
            problems: z.array(z.string()),
        }),
    ),
});

/** Overall: any failure fails the drill; otherwise any store still restoring leaves it pending. */
export function overall(results: readonly Result[]): Result {
    if (results.includes("fail")) return "fail";
    return results.includes("pending") ? "pending" : "pass";
}

export const hoursText = (h: number | null) => (h === null ? "not measured" : h < 1 ? `${Math.round(h * 60)} min` : `${h} h`);
const secondsText = (s: number | null) =>
    s === null ? "not measured" : s < 120 ? `${s} s` : s < 7200 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`;
const cell = (v: string | number | null) => (v === null ? "—" : String(v).replace(/\|/g, "\\|"));

/** The whole file: front matter, then the prose. */
export function renderRecord(r: DrillRecord): string {
    const front = YAML.stringify(r, { lineWidth: 0 }).trimEnd();
    const lines = [
        "---",
        front,
        "---",
        "",
        `# DR drill of ${r.environment}, ${r.date}: ${r.result}`,
        "",
        `Written by \`npm run drill:verify -- --stack ${r.stack}\`: the drill stack \`${r.stack}\` restored the copies of ` +
            `\`${r.source}\` into ${r.region}; this record compares what came back with the source. The front matter above is ` +
            "what the DR plan reads (docs/drills/README.md).",
    ];
    for (const s of r.stores) {
        lines.push("", `## ${s.store} (${s.kind}): ${s.result}`, "");
        lines.push(`- Restored from: ${s.copy}.`);
        lines.push(`- Age of the copy when its restore started: ${hoursText(s.copyAgeHours)}.`);
        lines.push(`- Measured restore time (RTO): ${hoursText(s.rtoHours)}.`);
        lines.push("", "| Step | Took |", "|---|---|", ...s.steps.map((st) => `| ${cell(st.name)} | ${secondsText(st.seconds)} |`));
        if (s.checks.length > 0) {
            lines.push("", "| Compared | Source | Restored | |", "|---|---|---|---|");
            lines.push(
                ...s.checks.map((c) => `| ${cell(c.what)} | ${cell(c.source)} | ${cell(c.restored)} | ${c.ok ? "ok" : "**differs**"} |`),
            );
        }
        lines.push("", s.problems.length > 0 ? "What failed or is not finished:" : "Nothing failed.");
        if (s.problems.length > 0) lines.push("", ...s.problems.map((p) => `- ${p}`));
    }
    return `${lines.join("\n")}\n`;
}

/** The front matter of a record file's text; `where` names the file in errors. */
export function parseRecord(text: string, where: string): DrillRecord {
    const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(text);
    if (!m) throw new DrillRecordError(`${where}: a drill record starts with YAML front matter between two '---' lines; none found.`);
    let doc: unknown;
    try {
        doc = YAML.parse(m[1]);
    } catch (e) {
        throw new DrillRecordError(`${where}: the front matter is not YAML (${(e as Error).message.split("\n")[0]}).`);
    }
    const parsed = schema.safeParse(doc);
    if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const at = issue.path.join(".") || "(the front matter)";
        throw new DrillRecordError(`${where}: front matter field '${at}' is not as docs/drills/README.md describes it (${issue.message}).`);
    }
    return parsed.data;
}

/** The newest record of an environment in `dir` (by the date in its file name), with its file name; undefined: none. */
export function newestRecord(dir: string, environment: string): { record: DrillRecord; file: string } | undefined {
    if (!fs.existsSync(dir)) return undefined;
    const files = fs
        .readdirSync(dir)
        .map((f) => ({ f, m: RECORD_FILE.exec(f) }))
        .filter((x) => x.m !== null && x.m[2] === environment)
        .sort((a, b) => b.m![1].localeCompare(a.m![1]));
    if (files.length === 0) return undefined;
    const file = files[0].f;
    return { record: parseRecord(fs.readFileSync(path.join(dir, file), "utf8"), `docs/drills/${file}`), file };
}
