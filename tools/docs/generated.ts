import * as fs from "fs";

/**
 * Writes a generated document, or with `--check` compares it with what is committed: exit 1 and `stale` when they
 * differ, so a test or a pipeline can refuse a stale document.
 */
export function writeOrCheck(file: string, text: string, words: { stale: string; current: string; wrote: string }): void {
    if (process.argv.includes("--check")) {
        const committed = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
        if (committed !== text) {
            console.error(words.stale);
            process.exit(1);
        }
        console.log(words.current);
    } else {
        fs.writeFileSync(file, text);
        console.log(words.wrote);
    }
}
