// The staging drill stack's settings and its parser, for the drill's specs.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { DrillConfig, parseDrill } from "../../infra/config/drill";
import { ROOT } from "./program";

/** The drill stack file's `continuity:drill`, as the repository has it. */
export function drillSettings(): Record<string, any> {
    return structuredClone(parse(fs.readFileSync(path.join(ROOT, "Pulumi.staging-drill.yaml"), "utf8")).config["continuity:drill"]);
}

/** `continuity:drill` parsed as the stack staging-drill of the project in `projectDir` (the repository by default). */
export const parseHere = (raw: unknown, projectDir = ROOT): DrillConfig =>
    parseDrill(raw, { stack: "staging-drill", project: "continuity", projectDir });

/** A project directory holding Pulumi.yaml and Pulumi.staging.yaml, the latter edited. */
export function projectWith(edit: (config: Record<string, any>) => void): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drill-"));
    fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    const doc = parse(fs.readFileSync(path.join(ROOT, "Pulumi.staging.yaml"), "utf8"));
    edit(doc.config);
    fs.writeFileSync(path.join(dir, "Pulumi.staging.yaml"), stringify(doc));
    return dir;
}
