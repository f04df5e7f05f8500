// npm run report -- --stack <stack> [--cwd <dir>] [--format md|html|json] [--out <file>] [--prices <file>]
//                   [--policy-pack-config <file>] [--timeout <seconds>]
//
// The DR plan of a stack, from its resource graph: the program runs as the offline check runs it
// (tools/check), the pack's dr-recovery-objectives settings give the targets and sizes, the resilience
// model the RPO/RTO, the price table the cost. Exit codes: 0 a plan was written (missed targets are in
// it); 2 the command line, a stack file, the drill record, the price file, the program or the pack
// failed (the message says which).
import { runCommand } from "../command";
import * as fs from "fs";
import * as path from "path";
import { CheckedResource, PolicyConfigError, PolicyPackError } from "../check/packTypes";
import { isSecretValue } from "../check/wire";
import { CheckResult, DeadlineError, ProgramError, runCheck } from "../check/check";
import { policyResources } from "../check/coverage";
import { cheapStackTraces } from "../check/engine";
import { CliOptions, flagValue, parseArgs, UsageError } from "../check/index";
import { InvokeError } from "../check/invokeCall";
import { StackConfigError } from "../check/stackConfig";
import type { RecoveryObjectivesSettings } from "../../policies/resilience";
import { resilienceOf } from "../../policies/resilience/model";
import { costOf, loadPrices, PriceFileError, Prices } from "./cost";
import { Drills, DrillsConfigError, readDrills } from "./drills";
import { buildPlan, DrPlan, GuardFindings } from "./plan";
import { renderHtml } from "./render/html";
import { renderJson } from "./render/json";
import { renderMarkdown } from "./render/markdown";

export const USAGE = `usage: npm run report -- --stack <stack> [--cwd <dir>] [--format md|html|json] [--out <file>] [--prices <file>]
                        [--policy-pack-config <file>] [--timeout <seconds>]

  --stack <name>                 the stack whose Pulumi.<name>.yaml configures the program (required)
  --cwd <dir>                    the Pulumi project directory (default: the current directory); the
                                 relative paths below resolve from it, as with pulumi --cwd
  --format md|html|json          the plan's format (default: the --out file's extension, else md)
  --out <file>                   write the plan to this file (default: standard output)
  --prices <file>                prices over the repository's dated table (the same shape, may be partial)
  --policy-pack-config <file>    the pack config whose dr-recovery-objectives settings (targets, sizes,
                                 exemptions) apply. Default: the pack's config/<stack>.json when present
  --timeout <seconds>            deadline of the program and the pack (default 600)

The program runs as \`npm run check\` runs it: with the project's policies/ pack, else continuity-guard.
The drill record is the stack config key continuity:drills ({"last": "YYYY-MM-DD", "months": [4, 10]}).`;

export const FORMATS = ["md", "html", "json"] as const;
export type Format = (typeof FORMATS)[number];

export const POLICY = "dr-recovery-objectives";
const SILENT_POLICY = "monitoring-backup-failure-alerts";

export interface ReportOptions {
    check: CliOptions;
    format: Format;
    out?: string;
    prices?: string;
}

export function parseReportArgs(argv: string[], cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): ReportOptions {
    const forwarded: string[] = [];
    let format: string | undefined;
    let out: string | undefined;
    let prices: string | undefined;
    const value = (i: number, flag: string) => flagValue(argv, i, flag);
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        switch (arg) {
            case "--stack":
            case "-s":
            case "--cwd":
            case "--policy-pack-config":
            case "--timeout":
                forwarded.push(arg, value(i++, arg));
                break;
            case "--format":
                format = value(i++, arg);
                break;
            case "--out":
                out = value(i++, arg);
                break;
            case "--prices":
                prices = value(i++, arg);
                break;
            case "--help":
            case "-h":
                throw new UsageError("");
            default:
                throw new UsageError(`Unknown argument '${arg}'.`);
        }
    }
    if (format !== undefined && !(FORMATS as readonly string[]).includes(format)) {
        throw new UsageError(`--format must be one of ${FORMATS.join(", ")}, found '${format}'.`);
    }
    const check = parseArgs(forwarded, cwd, env);
    const fromExtension = out
        ? ({ ".md": "md", ".html": "html", ".htm": "html", ".json": "json" } as Record<string, Format>)[path.extname(out).toLowerCase()]
        : undefined;
    return {
        check,
        format: (format as Format | undefined) ?? fromExtension ?? "md",
        ...(out ? { out: path.resolve(check.projectDir, out) } : {}),
        ...(prices ? { prices: path.resolve(check.projectDir, prices) } : {}),
    };
}

/** Every secret value of the graph as `${urn}#${path}` (paths as the plan reads them: `a.b[0].c`). */
export function secretPathsOf(resources: readonly CheckedResource[]): Set<string> {
    const found = new Set<string>();
    const walk = (urn: string, v: unknown, at: string) => {
        if (isSecretValue(v)) {
            found.add(`${urn}#${at}`);
            walk(urn, v.value, at);
        } else if (Array.isArray(v)) v.forEach((x, i) => walk(urn, x, `${at}[${i}]`));
        else if (v !== null && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(urn, x, at ? `${at}.${k}` : k);
    };
    for (const r of resources) walk(r.urn, r.stackProperties ?? r.properties, "");
    return found;
}

/** A config file as the plan names it: relative to the project, else by the pack and its file name. */
function shownConfig(projectDir: string, pack: string, file: string | undefined): string | undefined {
    if (!file) return undefined;
    const rel = path.relative(projectDir, file);
    return rel.startsWith("..") || path.isAbsolute(rel) ? `${pack}'s ${path.basename(file)}` : rel.split(path.sep).join("/");
}

/** The plan from a finished check: the pack's settings, the model, the cost, the drill record. */
export function planOf(result: CheckResult, projectDir: string, drills: Drills, prices: Prices): { plan: DrPlan; notes: string[] } {
    const notes: string[] = [];
    const pack = result.packs[0];
    const entry = pack?.config[POLICY];
    if (!entry) notes.push(`The pack ${pack?.info.name ?? "(none)"} has no ${POLICY} policy: the default targets and sizes apply.`);
    const settings = (entry?.properties ?? {}) as Partial<RecoveryObjectivesSettings>;
    const resources = policyResources(result.resources);
    const stores = resilienceOf(resources, settings);
    const guard: GuardFindings | undefined = pack && {
        pack: pack.info.name,
        version: pack.info.version,
        ...(pack.configFile ? { configFile: shownConfig(projectDir, pack.info.name, pack.configFile) } : {}),
        mandatory: pack.diagnostics.filter((d) => d.enforcementLevel === "mandatory").length,
        advisory: pack.diagnostics.filter((d) => d.enforcementLevel === "advisory").length,
        silent: pack.diagnostics
            .filter((d) => d.policyName === SILENT_POLICY)
            .map((d) => ({ ...(d.urn ? { urn: d.urn } : {}), message: d.message })),
    };
    const plan = buildPlan({
        project: result.project,
        stack: result.stack,
        stores,
        resources,
        secretPaths: secretPathsOf(result.resources),
        settings,
        cost: costOf(stores, prices),
        drills,
        ...(guard ? { guard } : {}),
    });
    return { plan, notes };
}

export function render(plan: DrPlan, format: Format): string {
    return format === "html" ? renderHtml(plan) : format === "json" ? renderJson(plan) : renderMarkdown(plan);
}

/** The message for an error a user can meet, or undefined for a fault of this tool. */
export function inputError(e: unknown): string | undefined {
    if (e instanceof ProgramError) return `The program failed before the plan could be made:\n${e.message}`;
    if (
        e instanceof PolicyPackError ||
        e instanceof PolicyConfigError ||
        e instanceof StackConfigError ||
        e instanceof DeadlineError ||
        e instanceof InvokeError ||
        e instanceof DrillsConfigError ||
        e instanceof PriceFileError
    ) {
        return e.message;
    }
    return undefined;
}

export async function main(argv: string[], cwd = process.cwd()): Promise<number> {
    let opts: ReportOptions;
    try {
        opts = parseReportArgs(argv, cwd);
    } catch (e) {
        if (e instanceof UsageError) {
            console.error([e.message, USAGE].filter(Boolean).join("\n\n"));
            return 2;
        }
        throw e;
    }
    try {
        // The inputs that need no program run are read first, so a typo fails in a second, not after the preview.
        const drills = readDrills(opts.check.projectDir, opts.check.stack);
        const prices = loadPrices(opts.prices);
        if (opts.check.defaultPackNote) console.error(opts.check.defaultPackNote);
        const result = await runCheck(opts.check);
        const { plan, notes } = planOf(result, opts.check.projectDir, drills, prices);
        notes.forEach((n) => console.error(n));
        const text = render(plan, opts.format);
        if (opts.out) {
            fs.mkdirSync(path.dirname(opts.out), { recursive: true });
            fs.writeFileSync(opts.out, text);
            console.error(
                `Wrote ${path.relative(cwd, opts.out) || opts.out}: ${plan.stores.length} stores, ${plan.misses} missed ` +
                    `target${plan.misses === 1 ? "" : "s"}.`,
            );
        } else {
            process.stdout.write(text);
        }
        return 0;
    } catch (e) {
        const message = inputError(e);
        console.error(message ?? `The report failed: ${(e as Error)?.stack ?? e}`);
        return 2;
    }
}

if (require.main === module) {
    cheapStackTraces();
    runCommand(() => main(process.argv.slice(2)));
}
