import * as fs from "fs";
import * as path from "path";

/** What a generator says: the file is stale (check), it matches (check; nothing said when absent), it was written. */
export interface GeneratedWords {
    stale: string;
    current?: string;
    wrote: string;
}

/**
 * Writes a generated file (and its directory), or with `check` compares it with what is committed and
 * says `stale` or `current`. True when the committed file is stale.
 */
export function syncGenerated(file: string, text: string, check: boolean, words: GeneratedWords): boolean {
    if (check) {
        const committed = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
        if (committed !== text) {
            console.error(words.stale);
            return true;
        }
        if (words.current) console.log(words.current);
        return false;
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    console.log(words.wrote);
    return false;
}

/**
 * Writes a generated document, or with `--check` compares it with what is committed: exit 1 and `stale` when they
 * differ, so a test or a pipeline can refuse a stale document.
 */
export function writeOrCheck(file: string, text: string, words: GeneratedWords & { current: string }): void {
    if (syncGenerated(file, text, process.argv.includes("--check"), words)) process.exit(1);
}
