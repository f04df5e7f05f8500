// What a program run that went wrong reports: how far it got when the check's deadline passed, the
// program's own error (an invoke the check could not answer comes first), and never a secret.
import { SECRET_PLACEHOLDER } from "./wire";

/** What the run leaves for a deadline message: how far the program got. */
export interface RunProgress {
    registrations: number;
    lastRegistration?: string;
    invokes: number;
    lastInvoke?: string;
    stackOutputsRegistered: boolean;
    exited: boolean;
}

export function newProgress(): RunProgress {
    return { registrations: 0, invokes: 0, stackOutputsRegistered: false, exited: false };
}

/** Where a program that did not finish had got to, for the deadline's message. */
export function describeProgress(p: RunProgress): string {
    const done = `${p.registrations} resource${p.registrations === 1 ? "" : "s"} registered${p.lastRegistration ? ` (the last: ${p.lastRegistration})` : ""}, ${p.invokes} invoke${p.invokes === 1 ? "" : "s"} answered${p.lastInvoke ? ` (the last: ${p.lastInvoke})` : ""}`;
    if (p.exited) return `the program had finished (${done}); the policy packs were still analysing`;
    if (p.stackOutputsRegistered) {
        return `the program's code had finished and registered the stack outputs (${done}), but its process kept running: something keeps Node's event loop alive (a timer, a server, an open socket)`;
    }
    if (p.registrations === 0)
        return `the program had registered nothing yet: it was still loading (compiling TypeScript, importing modules) or waiting before its first resource`;
    return `the program had not finished: its stack outputs were never registered, so a promise or Output it awaits never settled (${done})`;
}

/** The plaintexts of the stack's secrets (whole values and the string leaves of structured ones). */
export function secretStrings(config: Record<string, string>, secretKeys: string[]): string[] {
    const out = new Set<string>();
    const leaves = (v: unknown): void => {
        if (typeof v === "string") out.add(v);
        else if (typeof v === "number") out.add(String(v));
        else if (Array.isArray(v)) v.forEach(leaves);
        else if (v && typeof v === "object") Object.values(v).forEach(leaves);
    };
    for (const k of secretKeys) {
        const raw = config[k];
        if (raw === undefined) continue;
        out.add(raw);
        try {
            leaves(JSON.parse(raw));
        } catch {
            // a plain string
        }
    }
    // Very short values would blank out ordinary words of the message; the placeholder is no secret.
    return [...out].filter((s) => s.length >= 4 && s !== SECRET_PLACEHOLDER).sort((a, b) => b.length - a.length);
}

/** A message with every secret plaintext replaced by "[secret]": a secret never reaches the output. */
export function redact(message: string, secrets: string[]): string {
    return secrets.reduce((m, s) => m.split(s).join("[secret]"), message);
}

/** The message of a program that failed: the invoke the check could not answer, else its errors, else its output's tail. */
export function failureMessage(
    exit: { code: number | null; signal: NodeJS.Signals | null },
    errors: { message: string; urn?: string }[],
    invokeErrors: Error[],
    output: string,
    placeholderKeys: string[],
): string {
    const parts: string[] = [];
    // An invoke the check could not answer: its message says how to add an answer, which the SDK's
    // own wrapping ("Invoke of … failed: …") would bury.
    if (invokeErrors.length > 0) parts.push(invokeErrors[0].message);
    else if (errors.length > 0) parts.push(...[...new Set(errors.map((e) => e.message.trim()))]);
    else {
        const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
        const tail = output.trim().split("\n").slice(-30).join("\n");
        parts.push(`The program ${how}${tail ? `:\n${tail}` : " without a message."}`);
    }
    if (placeholderKeys.length > 0) {
        parts.push(
            `Note: these secret config keys received a placeholder, not their value, because the stack's secrets could not be decrypted here (set PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE for a passphrase stack): ${placeholderKeys.join(", ")}.`,
        );
    }
    return parts.join("\n");
}
