// The bench's figures (named, with units, for `--json`) and how a process is measured.
import { spawnSync } from "child_process";
import * as fs from "fs";

export interface Figure {
    value: number;
    unit: "ms" | "ratio" | "resources";
    description: string;
}

export class Figures {
    private readonly figures: Record<string, Figure> = {};

    add(name: string, value: number, unit: Figure["unit"], description: string): void {
        this.figures[name] = { value: unit === "ratio" ? Math.round(value * 1000) / 1000 : Math.round(value), unit, description };
    }

    value(name: string): number {
        const f = this.figures[name];
        if (!f) throw new Error(`no figure ${name}`);
        return f.value;
    }

    ms(name: string): string {
        return `${this.value(name).toFixed(0).padStart(6)} ms`;
    }

    x(name: string): string {
        return `${this.value(name).toFixed(2)}×`;
    }

    all(): Record<string, Figure> {
        return { ...this.figures };
    }
}

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

let ticks: number | undefined;
/** Clock ticks per second of /proc's CPU times. */
function clockTicks(): number {
    if (ticks === undefined) {
        const r = spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" });
        ticks = Number(r.stdout?.trim()) || 100;
    }
    return ticks;
}

/** The CPU time of this process's waited-for descendants (Linux: /proc/self/stat cutime + cstime). */
function childrenCpuMs(): number | undefined {
    try {
        const stat = fs.readFileSync("/proc/self/stat", "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        // Fields 16 and 17 of stat(5), counted from the state (field 3) at index 0.
        return ((Number(fields[13]) + Number(fields[14])) * 1000) / clockTicks();
    } catch {
        return undefined;
    }
}

export function procCpuAvailable(): boolean {
    return childrenCpuMs() !== undefined;
}

export interface ProcessRun {
    status: number | null;
    stderr: string;
    wallMs: number;
    /** User + system CPU of the process and everything it waited for; undefined off Linux. */
    cpuMs?: number;
}

/** Runs `node <args>` to its end; wall time, and CPU time where the platform tells it. */
export function measureProcess(args: string[], env: NodeJS.ProcessEnv = {}): ProcessRun {
    const cpuBefore = childrenCpuMs();
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { encoding: "utf8", env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
    const wallMs = Number(process.hrtime.bigint() - t) / 1e6;
    const cpuAfter = childrenCpuMs();
    return {
        status: r.status,
        stderr: r.stderr,
        wallMs,
        cpuMs: cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined,
    };
}
