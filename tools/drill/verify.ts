// `npm run drill:verify -- --stack <drill stack> [--outputs <file.json>] [--out docs/drills] [--date YYYY-MM-DD]`
//
// Reads the drill stack's `drill` output (`pulumi stack output drill --json`, or a file), compares what each
// restore brought back with the source (documents per collection and per index, SHA-256 of sampled
// objects), measures the restore times and writes the drill record docs/drills/<date>-<environment>.md.
// Exit code: 0 the drill passed; 1 a store failed or is still restoring (the record says which, and when
// to run again); 2 bad input (flags, the output, the environment variables), named in the message.
import { runCommand } from "../command";
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { S3Client } from "@aws-sdk/client-s3";
import { driverCounter, MongoCounter, verifyAtlas } from "./atlas";
import { OpenSearchDeps, verifyOpenSearch } from "./opensearch";
import { checkRegion, DrillInputError, DrillOutput, parseDrillOutput, sourcePrimaryRegion } from "./output";
import { DrillRecord, overall, recordFileName, renderRecord, StoreRecord } from "./record";
import { verifyS3 } from "./s3";

export const ROOT = path.join(__dirname, "..", "..");

export const USAGE = `Usage: npm run drill:verify -- --stack <drill stack> [--outputs <file.json>] [--out <dir>] [--date YYYY-MM-DD]

  --stack    the drill stack (e.g. staging-drill); its output 'drill' says what was restored
  --outputs  read the output from this JSON file (the 'drill' object, or all outputs as
             'pulumi stack output --json' prints them) instead of running pulumi
  --out      where the record goes (default docs/drills)
  --date     the record's date (default today, UTC)

Environment: MONGODB_ATLAS_PUBLIC_KEY, MONGODB_ATLAS_PRIVATE_KEY (Atlas Admin API key), DRILL_SOURCE_MONGODB_URI and
DRILL_MONGODB_URI (connection strings of the source and the drill cluster; per store DRILL_MONGODB_URI_<STORE> first),
ATLAS_API_URL (default https://cloud.mongodb.com); AWS credentials as the AWS SDK finds them.`;

export interface VerifyOptions {
    readonly stack: string;
    readonly outputs?: string;
    readonly out: string;
    readonly date: string;
}

const realDay = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;

export function parseArgs(argv: readonly string[], today: Date = new Date()): VerifyOptions {
    const flags: Record<string, string> = {};
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const m = /^--(stack|outputs|out|date)(?:=(.*))?$/.exec(arg);
        if (!m) throw new DrillInputError(`drill:verify: unknown argument '${arg}'; the flags are --stack, --outputs, --out and --date.`);
        const v = m[2] ?? argv[++i];
        if (v === undefined || v === "" || (m[2] === undefined && v.startsWith("--"))) {
            throw new DrillInputError(`drill:verify: ${m[1] === "stack" ? "--stack" : `--${m[1]}`} needs a value.`);
        }
        flags[m[1]] = v;
    }
    if (!flags.stack) {
        throw new DrillInputError(
            "drill:verify: --stack is required: the drill stack whose output 'drill' to verify (e.g. --stack staging-drill).",
        );
    }
    if (flags.date !== undefined && !realDay(flags.date)) {
        throw new DrillInputError(`drill:verify: --date must be a real day written YYYY-MM-DD; found '${flags.date}'.`);
    }
    return {
        stack: flags.stack,
        ...(flags.outputs ? { outputs: flags.outputs } : {}),
        out: flags.out ?? path.join("docs", "drills"),
        date: flags.date ?? today.toISOString().slice(0, 10),
    };
}

/** `pulumi stack output drill --json --stack <stack>`, parsed. */
export function pulumiOutput(stack: string, cwd: string): Promise<unknown> {
    return new Promise((resolve, reject) => {
        execFile(
            "pulumi",
            ["stack", "output", "drill", "--json", "--stack", stack],
            { cwd, maxBuffer: 16 << 20 },
            (err, stdout, stderr) => {
                if (err) {
                    const why = (stderr || err.message).trim().split("\n").slice(-3).join(" ");
                    reject(new DrillInputError(`drill:verify: \`pulumi stack output drill --json --stack ${stack}\` failed: ${why}`));
                    return;
                }
                try {
                    resolve(JSON.parse(stdout));
                } catch {
                    reject(new DrillInputError(`drill:verify: \`pulumi stack output drill --json --stack ${stack}\` did not print JSON.`));
                }
            },
        );
    });
}

function readOutputsFile(file: string): unknown {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new DrillInputError(
            `drill:verify: --outputs '${file}' cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`,
        );
    }
    let json: unknown;
    try {
        json = JSON.parse(text);
    } catch (e) {
        throw new DrillInputError(`drill:verify: --outputs '${file}' is not JSON (${(e as Error).message}).`);
    }
    // All of a stack's outputs (`pulumi stack output --json`) hold the drill one under 'drill'.
    const all = json as Record<string, unknown> | null;
    return all && typeof all === "object" && !Array.isArray(all) && "drill" in all && !("stores" in all) ? all.drill : json;
}

export interface VerifyDeps {
    readonly env: NodeJS.ProcessEnv;
    readonly projectDir: string;
    readonly mongo: MongoCounter;
    readonly s3Client: (region: string) => S3Client;
    readonly opensearch: OpenSearchDeps;
    readonly now: () => Date;
    /** The stack's output when no --outputs file is given. */
    readonly stackOutput: (stack: string) => Promise<unknown>;
}

export const defaultDeps = (): VerifyDeps => ({
    env: process.env,
    projectDir: ROOT,
    mongo: driverCounter,
    s3Client: (region) => new S3Client({ region }),
    opensearch: {},
    now: () => new Date(),
    stackOutput: (stack) => pulumiOutput(stack, ROOT),
});

/** An environment variable a store needs: per store (NAME_<STORE>) first, then NAME. */
function needEnv(env: NodeJS.ProcessEnv, name: string, store: string, what: string): string {
    const own = `${name}_${store.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
    const v = env[own] || env[name];
    if (!v) throw new DrillInputError(`drill:verify: store '${store}' (atlas) needs ${what}: set ${name} (or ${own}).`);
    return v;
}

export interface VerifyResult {
    readonly record: DrillRecord;
    readonly file: string;
}

/** Reads the output, verifies every store, writes the record. Throws DrillInputError on bad input. */
export async function verify(opts: VerifyOptions, deps: VerifyDeps): Promise<VerifyResult> {
    const where = opts.outputs ? `--outputs '${opts.outputs}'` : `output 'drill' of stack ${opts.stack}`;
    const raw = opts.outputs ? readOutputsFile(opts.outputs) : await deps.stackOutput(opts.stack);
    const output: DrillOutput = parseDrillOutput(raw, where);
    if (output.stack !== opts.stack) {
        throw new DrillInputError(
            `${where}: field 'stack' is '${output.stack}', but --stack is '${opts.stack}': verify the stack that made the output.`,
        );
    }
    const primary = sourcePrimaryRegion(deps.projectDir, output.source);
    checkRegion(output, primary, where);
    // Every input is checked before anything is read, so that a bad one ends before any request.
    const atlas = new Map(
        output.stores
            .filter((s) => s.kind === "atlas")
            .map((s) => [
                s.store,
                {
                    api: {
                        baseUrl: deps.env.ATLAS_API_URL || "https://cloud.mongodb.com",
                        publicKey: needEnv(deps.env, "MONGODB_ATLAS_PUBLIC_KEY", s.store, "an Atlas Admin API key"),
                        privateKey: needEnv(deps.env, "MONGODB_ATLAS_PRIVATE_KEY", s.store, "an Atlas Admin API key"),
                    },
                    sourceUri: needEnv(deps.env, "DRILL_SOURCE_MONGODB_URI", s.store, "the source cluster's connection string"),
                    drillUri: needEnv(deps.env, "DRILL_MONGODB_URI", s.store, "the drill cluster's connection string"),
                    mongo: deps.mongo,
                    clock: () => deps.now().getTime(),
                },
            ]),
    );
    const stores: StoreRecord[] = [];
    for (const s of output.stores) {
        if (s.kind === "atlas") stores.push(await verifyAtlas(s, atlas.get(s.store)!));
        else if (s.kind === "opensearch")
            stores.push(await verifyOpenSearch(s, primary, output.region, { clock: () => deps.now().getTime(), ...deps.opensearch }));
        else stores.push(await verifyS3(s, primary, output.region, { client: deps.s3Client, now: deps.now }));
    }
    const record: DrillRecord = {
        date: opts.date,
        environment: output.environment,
        stack: output.stack,
        source: output.source,
        region: output.region,
        result: overall(stores.map((s) => s.result)),
        stores,
    };
    const dir = path.resolve(deps.projectDir, opts.out);
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, recordFileName(record));
    fs.writeFileSync(file, renderRecord(record));
    return { record, file };
}

/** What the command prints: a line per store, its problems, the record, and when to run again. */
export function summary(r: VerifyResult, stack: string, shownFile: string): string[] {
    const lines = r.record.stores.flatMap((s) => [`${s.store} (${s.kind}): ${s.result}`, ...s.problems.map((p) => `  - ${p}`)]);
    lines.push(`drill ${r.record.result}: wrote ${shownFile}`);
    if (r.record.result === "pending") {
        lines.push(
            `Some restores have not finished: run \`npm run drill:verify -- --stack ${stack}\` again when the times above have passed.`,
        );
    }
    return lines;
}

export async function main(argv: readonly string[], deps: VerifyDeps = defaultDeps()): Promise<number> {
    let opts: VerifyOptions;
    try {
        opts = parseArgs(argv, deps.now());
        const result = await verify(opts, deps);
        for (const line of summary(result, opts.stack, path.relative(process.cwd(), result.file))) console.log(line);
        return result.record.result === "pass" ? 0 : 1;
    } catch (e) {
        if (e instanceof DrillInputError) {
            console.error(e.message);
            if (/unknown argument|--stack is required/.test(e.message)) console.error(USAGE);
            return 2;
        }
        throw e;
    }
}

if (require.main === module) {
    runCommand(
        () => main(process.argv.slice(2)),
        (e) => (e instanceof Error ? e.message : e),
    );
}
