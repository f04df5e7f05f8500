// The stand-ins' lifeline: the CLI starts each plugin in a process group of its own, and when it is
// interrupted in the middle of a Run (a program that never ends, stopped by the suite) it may exit
// without stopping them. A stand-in whose parent is gone stops what it started, then itself.
import { ChildProcess } from "child_process";

export function followParent(children: Set<ChildProcess> = new Set()): void {
    // The parent as the start script saw it ($PPID, before Node's start-up): a CLI that died during
    // that start-up has left us to init already. process.ppid is read once, so ask whether it still exists.
    const parent = Number(process.env.CONFORMANCE_PARENT_PID) || process.ppid;
    const stop = () => {
        for (const child of children) child.kill("SIGKILL");
        process.exit(1);
    };
    if (parent <= 1) stop();
    setInterval(() => {
        try {
            process.kill(parent, 0);
        } catch {
            stop();
        }
    }, 1000).unref();
}
