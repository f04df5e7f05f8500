// Analyze while the program registers, as the engine does: it calls each pack's Analyze for a resource
// as the registration arrives (step_generator.go), and AnalyzeStack once the program has finished.
// A pack is started, described and configured while the program loads; each resource the program
// registers is queued for it at once and sent as soon as the pack is ready. The verdicts and their
// order are the ones of Analyze over the finished list, then AnalyzeStack.
import { AnalyzerInfo, CheckedResource, PackConfig, PolicyConfigEntry, PolicyDiagnostic, PolicyPackClient } from "./packTypes";

/** Calls in flight per pack: enough to hide the round trips, few enough not to flood either side. */
const IN_FLIGHT = 16;

export interface ConfiguredPack {
    client: PolicyPackClient;
    info: AnalyzerInfo;
    config: Record<string, PolicyConfigEntry>;
}

/** Starts describing and configuring a pack as soon as it is up; errors wait for whoever awaits. */
export function configurePack(
    started: Promise<PolicyPackClient>,
    config: PackConfig | undefined,
    onConfigError: (e: Error) => Error,
): Promise<ConfiguredPack> {
    const ready = started.then(async (client) => {
        const info = await client.getAnalyzerInfo();
        const settings = await client.configure(config, info).catch((e: Error) => {
            throw onConfigError(e);
        });
        return { client, info, config: settings };
    });
    ready.catch(() => undefined);
    return ready;
}

/** One pack's Analyze calls, queued as resources arrive and sent as the pack allows. */
export class PackAnalysis {
    private readonly pending = new Map<CheckedResource, Promise<PolicyDiagnostic[]>>();
    private readonly queue: (() => void)[] = [];
    private inFlight = 0;

    constructor(readonly ready: Promise<ConfiguredPack>) {}

    /** Queues Analyze of a resource (none for a read resource: the engine analyses only what the program registers). */
    submit(r: CheckedResource): void {
        if (r.external || this.pending.has(r)) return;
        const result = this.ready.then((p) => this.limited(() => p.client.analyze([r])));
        result.catch(() => undefined);
        this.pending.set(r, result);
    }

    /** Analyze of every resource (those not submitted yet are sent now), then AnalyzeStack; diagnostics in that order. */
    async finish(
        resources: CheckedResource[],
        stackUrns: (d: PolicyDiagnostic) => PolicyDiagnostic,
    ): Promise<ConfiguredPack & { diagnostics: PolicyDiagnostic[] }> {
        const pack = await this.ready;
        resources.forEach((r) => this.submit(r));
        // Every Analyze answered before AnalyzeStack, as the engine orders them: a pack that crashes
        // during Analyze is reported so.
        const perResource = await Promise.all(resources.filter((r) => !r.external).map((r) => this.pending.get(r)!));
        const stackDiagnostics = (await pack.client.analyzeStack(resources)).map(stackUrns);
        return { ...pack, diagnostics: [...perResource.flat(), ...stackDiagnostics] };
    }

    private async limited<T>(call: () => Promise<T>): Promise<T> {
        if (this.inFlight >= IN_FLIGHT) await new Promise<void>((resolve) => this.queue.push(resolve));
        this.inFlight++;
        try {
            return await call();
        } finally {
            this.inFlight--;
            this.queue.shift()?.();
        }
    }
}
