// The offline check: the program under the mock engine in preview mode, then every policy pack over
// the Analyzer protocol, exactly as `pulumi preview --policy-pack <dir> --policy-pack-config <file>`.
import * as fs from "fs";
import * as path from "path";
import { AnalyzerInfo, CheckedResource, PackConfig, PolicyConfigError, PolicyDiagnostic, PolicyPackClient, startPolicyPack } from "./analyzer";
import { RecordedResource, runProgram } from "./engine";
import { resolveProviders } from "./providers";
import { readStackConfig } from "./stackConfig";

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
}

export interface PackReport {
    dir: string;
    configFile?: string;
    info: AnalyzerInfo;
    diagnostics: PolicyDiagnostic[];
}

export interface CheckResult {
    project: string;
    stack: string;
    resources: CheckedResource[];
    packs: PackReport[];
    timings: { programMs: number; packStartMs: number; analyzeMs: number; totalMs: number };
}

/** The program failed: its own message is what the user needs. */
export class ProgramError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ProgramError";
    }
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

/** The program, loaded from the project directory as the Node.js language host loads it. */
function loadProgram(projectDir: string): () => unknown {
    return () => {
        // A fresh load, as in a new process: a program may declare its resources at module load.
        const entry = require.resolve(path.resolve(projectDir));
        delete require.cache[entry];
        const exported = require(entry);
        return typeof exported === "function" ? exported() : exported;
    };
}

async function runProgramCapturingErrors(opts: Parameters<typeof runProgram>[0]) {
    try {
        return await runProgram(opts);
    } catch (e) {
        throw new ProgramError(e instanceof Error ? e.message : String(e));
    }
}

function toChecked(r: RecordedResource, provider: CheckedResource["provider"]): CheckedResource {
    return {
        type: r.type,
        name: r.name,
        urn: r.urn,
        parent: r.parent,
        properties: r.properties,
        dependencies: r.dependencies,
        propertyDependencies: r.propertyDependencies,
        provider,
        options: { ...r.options, parent: r.parent },
    };
}

export async function runCheck(opts: CheckOptions): Promise<CheckResult> {
    const started = Date.now();
    const stackConfig = readStackConfig(opts.projectDir, opts.stack);
    const configs = opts.packs.map((p) => (p.configFile ? readPackConfig(p.configFile) : undefined));

    // Packs take seconds to start (the CLI type-checks them); the program runs meanwhile.
    const clients: PolicyPackClient[] = [];
    const abort = new AbortController();
    const packsReady = Promise.all(
        opts.packs.map(async (p) => {
            const client = await startPolicyPack(path.resolve(p.dir), {
                signal: abort.signal,
                stack: { project: stackConfig.project, stack: opts.stack, dryRun: true },
            });
            clients.push(client);
            return client;
        }),
    );
    packsReady.catch(() => undefined);
    try {
        const programStart = Date.now();
        const run = await runProgramCapturingErrors({ ...stackConfig, preview: true, program: loadProgram(opts.projectDir) }).catch((e) => {
            abort.abort();
            throw e;
        });
        const programMs = Date.now() - programStart;

        const { defaults, providerOf } = resolveProviders(run.resources, { ...stackConfig, projectDir: opts.projectDir });
        const resources = [...defaults.map((d) => toChecked(d, undefined)), ...run.resources.map((r) => toChecked(r, providerOf(r.urn)))];

        const packStart = Date.now();
        const ready = await packsReady;
        const packStartMs = Date.now() - packStart;

        const analyzeStart = Date.now();
        const packs = await Promise.all(
            ready.map(async (client, i) => {
                const info = await client.getAnalyzerInfo();
                await client.configure(configs[i], info).catch((e) => {
                    if (!(e instanceof PolicyConfigError)) throw e;
                    e.message = `${opts.packs[i].configFile ?? "The pack's default config"}: ${e.message}`;
                    throw e;
                });
                const diagnostics = [...(await client.analyze(resources)), ...(await client.analyzeStack(resources))];
                return { dir: opts.packs[i].dir, configFile: opts.packs[i].configFile, info, diagnostics };
            }),
        );
        const analyzeMs = Date.now() - analyzeStart;
        return {
            project: stackConfig.project,
            stack: opts.stack,
            resources,
            packs,
            timings: { programMs, packStartMs, analyzeMs, totalMs: Date.now() - started },
        };
    } finally {
        await packsReady.catch(() => undefined);
        await Promise.all(clients.map((c) => c.close()));
    }
}

export function mandatoryViolations(result: CheckResult): PolicyDiagnostic[] {
    return result.packs.flatMap((p) => p.diagnostics.filter((d) => d.enforcementLevel === "mandatory"));
}
