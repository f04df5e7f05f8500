// Small helpers shared by the drill's stores.

/** Seconds from one ISO time to another; null when either is missing or unreadable. */
export function elapsedSeconds(from: string | number | undefined, to: string | number | undefined): number | null {
    if (from === undefined || to === undefined) return null;
    const a = typeof from === "number" ? from : Date.parse(from);
    const b = typeof to === "number" ? to : Date.parse(to);
    if (Number.isNaN(a) || Number.isNaN(b)) return null;
    return Math.round((b - a) / 1000);
}

export const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * The text with every secret replaced by "***": whole values, and the password of any connection string
 * (mongodb://user:password@host) the text holds.
 */
export function redact(text: string, secrets: readonly string[]): string {
    let out = text;
    for (const s of secrets) {
        if (!s) continue;
        out = out.split(s).join("***");
        const pw = /^[a-z+]+:\/\/[^:/@]*:([^@]*)@/i.exec(s)?.[1];
        if (pw) {
            out = out.split(pw).join("***");
            try {
                out = out.split(decodeURIComponent(pw)).join("***");
            } catch {
                // Not percent-encoded: replaced as written above.
            }
        }
    }
    return out.replace(/(mongodb(?:\+srv)?:\/\/[^:/@\s]*:)[^@\s]*@/gi, "$1***@");
}
