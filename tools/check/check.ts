// The offline check: the program under the mock engine in preview mode, then every policy pack over
// the Analyzer protocol, exactly as `pulumi preview --policy-pack <dir> --policy-pack-config <file>`.
import * as fs from "fs";
import * as path from "path";
import { AnalyzerInfo, CheckedResource, DEFAULT_PACK_START_TIMEOUT_MS, PackConfig, PolicyConfigEntry, PolicyConfigError, PolicyDiagnostic, PolicyPackClient, startPolicyPack } from "./analyzer";
import { Coverage, coverageOf } from "./coverage";
import { analyzerView, RecordedResource } from "./engine";
import { describeProgress, newProgress, ProgramError, readProject, runProgramProcess } from "./host";
import { resolveProviders } from "./providers";
import { readStackConfig } from "./stackConfig";

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
    const started = Date.now();
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
            reject(new DeadlineError(`The check did not finish within ${timeoutMs / 1000} s (--timeout): ${describeProgress(progress)}; ${packs}.`));
            stop.abort();
        }, timeoutMs);
    });
    deadline.catch(() => undefined);

    // Packs take seconds to start (the CLI type-checks them); the program runs meanwhile.
    const clients: PolicyPackClient[] = [];
    const packsReady = Promise.all(
        opts.packs.map(async (p) => {
            const client = await startPolicyPack(path.resolve(p.dir), {
                signal: stop.signal,
                timeoutMs: opts.packStartTimeoutMs ?? DEFAULT_PACK_START_TIMEOUT_MS,
                stack: { project: stackConfig.project, stack: opts.stack, dryRun: true },
            });
            clients.push(client);
            packsStarted++;
            return client;
        }),
    );
    packsReady.catch(() => undefined);
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
        });
        const programMs = Date.now() - programStart;

        const { defaults, providerOf } = resolveProviders(run.resources, { ...stackConfig, projectDir: opts.projectDir });
        const resources = [...defaults.map((d) => toChecked(d, undefined)), ...run.resources.map((r) => toChecked(r, providerOf(r.urn)))];

        const packStart = Date.now();
        const ready = await packsReady;
        const packStartMs = Date.now() - packStart;

        const analyzeStart = Date.now();
        // As the engine does (step_generator.go): a stack policy's diagnostic without the URN of a
        // resource in the stack is shown against the stack itself.
        const inStack = new Set(resources.map((r) => r.urn));
        const root = resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn;
        const packs = await Promise.all(
            ready.map(async (client, i) => {
                const info = await client.getAnalyzerInfo();
                const config = await client.configure(configs[i], info).catch((e) => {
                    if (!(e instanceof PolicyConfigError)) throw e;
                    e.message = `${opts.packs[i].configFile ?? "The pack's default config"}: ${e.message}`;
                    throw e;
                });
                const stackDiagnostics = (await client.analyzeStack(resources)).map((d) => (d.urn && inStack.has(d.urn)) || !root ? d : { ...d, urn: root });
                const diagnostics = [...(await client.analyze(resources)), ...stackDiagnostics];
                const coverage = coverageOf({ dir: opts.packs[i].dir, info, config }, resources, configs[i]);
                return { dir: opts.packs[i].dir, configFile: opts.packs[i].configFile, info, config, diagnostics, ...(coverage ? { coverage } : {}) };
            }),
        );
        const analyzeMs = Date.now() - analyzeStart;
        return {
            project: stackConfig.project,
            stack: opts.stack,
            resources,
            outputs: run.outputs,
            packs,
            timings: { programMs, packStartMs, analyzeMs, totalMs: Date.now() - started },
        };
    };
    try {
        return await Promise.race([work(), deadline]);
    } catch (e) {
        stop.abort();
        throw e;
    } finally {
        clearTimeout(timer);
        await packsReady.catch(() => undefined);
        await Promise.all(clients.map((c) => c.close()));
    }
}

export function mandatoryViolations(result: CheckResult): PolicyDiagnostic[] {
    return result.packs.flatMap((p) => p.diagnostics.filter((d) => d.enforcementLevel === "mandatory"));
}
