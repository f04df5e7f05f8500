// The offline check: the program under the mock engine in preview mode, then every policy pack over
// the Analyzer protocol, exactly as `pulumi preview --policy-pack <dir> --policy-pack-config <file>`.
import * as fs from "fs";
import * as path from "path";
import { Coverage, coverageOf, prepareCoverage } from "./coverage";
import type { RecordedResource } from "./engine";
import { runProgramProcess } from "./host";
import { DEFAULT_PACK_START_TIMEOUT_MS, startPolicyPack } from "./packProcess";
import {
    AnalyzerInfo,
    CheckedResource,
    PackConfig,
    PolicyConfigEntry,
    PolicyConfigError,
    PolicyDiagnostic,
    PolicyPackClient,
} from "./packTypes";
import { describeProgress, newProgress } from "./programFailure";
import { ProgramError, readProject } from "./project";
import { providerResolver } from "./providers";
import { readStackConfig } from "./stackConfig";
import { configurePack, PackAnalysis } from "./stream";
import { analyzerView } from "./wire";

export { ProgramError };

export interface PackRequest {
    /** The pack directory (holds PulumiPolicy.yaml). */
    dir: string;
    /** A --policy-pack-config file; none: the pack's own defaults. */
    configFile?: string;
}

export interface CheckOptions {
    /** The Pulumi project directory (holds Pulumi.yaml and the stack files). */
    projectDir: string;
    stack: string;
    packs: PackRequest[];
    /** The deadline of the whole check (program and packs). Default {@link DEFAULT_TIMEOUT_MS}. */
    timeoutMs?: number;
    /** How long a pack may take to start (it type-checks its sources first). Default {@link DEFAULT_PACK_START_TIMEOUT_MS}. */
    packStartTimeoutMs?: number;
    /** Extra environment for the program process. */
    programEnv?: NodeJS.ProcessEnv;
}

/** Generous: a first preview type-checks the program and every pack, which takes minutes on a loaded 2-core machine. */
export const DEFAULT_TIMEOUT_MS = 600_000;
export { DEFAULT_PACK_START_TIMEOUT_MS };

export interface PackReport {
    dir: string;
    configFile?: string;
    info: AnalyzerInfo;
    /** The level and settings of every policy after the config file, as sent with Configure. */
    config: Record<string, PolicyConfigEntry>;
    diagnostics: PolicyDiagnostic[];
    /** continuity-guard only: what it judged (policies/census.ts) and the data rules the config weakens. */
    coverage?: Coverage;
}

/** The check did not finish in time; the message says how far the program and the packs got. */
export class DeadlineError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "DeadlineError";
    }
}

export interface CheckResult {
    project: string;
    stack: string;
    resources: CheckedResource[];
    /** The stack outputs in wire form (unknowns as the sentinel, secrets wrapped). */
    outputs: Record<string, unknown>;
    packs: PackReport[];
    timings: { programMs: number; packStartMs: number; analyzeMs: number; totalMs: number };
}

/** The default pack of a project and its config file for the stack, when present. */
export function defaultPack(projectDir: string, stack: string): PackRequest {
    const dir = path.join(projectDir, "policies");
    const configFile = path.join(dir, "config", `${stack}.json`);
    return { dir, configFile: fs.existsSync(configFile) ? configFile : undefined };
}

function readPackConfig(file: string): PackConfig {
    try {
        return JSON.parse(fs.readFileSync(file, "utf8")) as PackConfig;
    } catch (e) {
        // eslint-disable-next-line preserve-caught-error -- the message carries the cause (ES2020 types have no Error cause)
        throw new Error(`The policy pack config ${file} cannot be read as JSON: ${(e as Error).message}`);
    }
}

function toChecked(r: RecordedResource, provider: CheckedResource["provider"]): CheckedResource {
    const checked: CheckedResource = {
        type: r.type,
        name: r.name,
        urn: r.urn,
        parent: r.parent,
        properties: analyzerView(r.properties) as Record<string, unknown>,
        dependencies: r.dependencies,
        propertyDependencies: r.propertyDependencies,
        provider: provider && { ...provider, properties: analyzerView(provider.properties) as Record<string, unknown> },
        options: { ...r.options, parent: r.parent },
    };
    if (r.state) checked.stackProperties = analyzerView(r.state) as Record<string, unknown>;
    if (r.external) checked.external = true;
    return checked;
}

export async function runCheck(opts: CheckOptions): Promise<CheckResult> {
    const started0 = Date.now();
    const project = readProject(opts.projectDir);
    const stackConfig = readStackConfig(opts.projectDir, opts.stack);
    const configs = opts.packs.map((p) => (p.configFile ? readPackConfig(p.configFile) : undefined));
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;

    // The deadline stops the program and the packs wherever they are, and says where that was.
    const stop = new AbortController();
    const progress = newProgress();
    let packsStarted = 0;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
            const packs = `${packsStarted} of ${opts.packs.length} policy pack${opts.packs.length === 1 ? "" : "s"} had started`;
            reject(
                new DeadlineError(
                    `The check did not finish within ${timeoutMs / 1000} s (--timeout): ${describeProgress(progress)}; ${packs}.`,
                ),
            );
            stop.abort();
        }, timeoutMs);
    });
    deadline.catch(() => undefined);

    // Packs take seconds to start (the CLI type-checks them, the compile cache spares that when
    // nothing changed); the program runs meanwhile, and each pack is described and configured as
    // soon as it is up. Each resource the program registers is analysed as it arrives (stream.ts).
    const clients: PolicyPackClient[] = [];
    const started = opts.packs.map(async (p) => {
        const client = await startPolicyPack(path.resolve(p.dir), {
            signal: stop.signal,
            timeoutMs: opts.packStartTimeoutMs ?? DEFAULT_PACK_START_TIMEOUT_MS,
            stack: { project: stackConfig.project, stack: opts.stack, dryRun: true },
        });
        clients.push(client);
        packsStarted++;
        return client;
    });
    const packsReady = Promise.all(started);
    packsReady.catch(() => undefined);
    let packsReadyAt: number | undefined;
    packsReady.then(
        () => (packsReadyAt = Date.now()),
        () => undefined,
    );
    const analyses = started.map(
        (client, i) =>
            new PackAnalysis(
                configurePack(client, configs[i], (e) => {
                    const file = opts.packs[i].configFile ?? "The pack's default config";
                    if (e instanceof PolicyConfigError) e.message = `${file}: ${e.message}`;
                    return e;
                }),
            ),
    );
    const providers = providerResolver({ ...stackConfig, projectDir: opts.projectDir });
    const checked = new Map<RecordedResource, CheckedResource>();
    const defaultsSent = new Set<RecordedResource>();
    const onResource = (r: RecordedResource) => {
        const provider = providers.add(r);
        // A default provider enters the graph with the first resource of its package.
        for (const d of providers.defaults()) {
            if (defaultsSent.has(d)) continue;
            defaultsSent.add(d);
            checked.set(d, toChecked(d, undefined));
            analyses.forEach((a) => a.submit(checked.get(d)!));
        }
        const c = toChecked(r, provider);
        checked.set(r, c);
        analyses.forEach((a) => a.submit(c));
    };

    // While the program loads its modules (a second before its first registration), this process is idle.
    const warmUp = setImmediate(() => {
        try {
            prepareCoverage(opts.packs.map((p) => path.resolve(p.dir)));
        } catch {
            // loaded again, with its error, when the coverage is computed
        }
    });

    const work = async (): Promise<CheckResult> => {
        const programStart = Date.now();
        const run = await runProgramProcess({
            project,
            stack: opts.stack,
            config: stackConfig.config,
            secretKeys: stackConfig.secretKeys,
            placeholderKeys: stackConfig.placeholderKeys,
            signal: stop.signal,
            progress,
            env: opts.programEnv,
            onResource: (r) => {
                try {
                    onResource(r);
                } catch {
                    // sent again, with its error, when the program has finished
                }
            },
        });
        const programEnd = Date.now();
        const programMs = programEnd - programStart;

        const recorded = [...providers.defaults(), ...run.resources];
        const resources = recorded.map((r) => checked.get(r) ?? toChecked(r, providers.providerOf(r.urn)));

        await packsReady;
        const packStartMs = Math.max(0, (packsReadyAt ?? programEnd) - programEnd);

        const analyzeStart = Date.now();
        // As the engine does (step_generator.go): a stack policy's diagnostic without the URN of a
        // resource in the stack is shown against the stack itself.
        const inStack = new Set(resources.map((r) => r.urn));
        const root = resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn;
        const toStack = (d: PolicyDiagnostic) => ((d.urn && inStack.has(d.urn)) || !root ? d : { ...d, urn: root });
        const packs = await Promise.all(
            analyses.map(async (analysis, i) => {
                const { info, config, diagnostics } = await analysis.finish(resources, toStack);
                const coverage = coverageOf({ dir: opts.packs[i].dir, info, config }, resources, configs[i]);
                const { dir, configFile } = opts.packs[i];
                return { dir, configFile, info, config, diagnostics, ...(coverage ? { coverage } : {}) };
            }),
        );
        const analyzeMs = Date.now() - analyzeStart;
        return {
            project: stackConfig.project,
            stack: opts.stack,
            resources,
            outputs: run.outputs,
            packs,
            timings: { programMs, packStartMs, analyzeMs, totalMs: Date.now() - started0 },
        };
    };
    try {
        return await Promise.race([work(), deadline]);
    } catch (e) {
        stop.abort();
        throw e;
    } finally {
        clearTimeout(timer);
        clearImmediate(warmUp);
        await packsReady.catch(() => undefined);
        await Promise.all(clients.map((c) => c.close()));
    }
}

export function mandatoryViolations(result: CheckResult): PolicyDiagnostic[] {
    return result.packs.flatMap((p) => p.diagnostics.filter((d) => d.enforcementLevel === "mandatory"));
}
