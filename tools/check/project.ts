// The Pulumi project as the CLI reads it for running a program: Pulumi.yaml's name, runtime and
// options, `main:` and `stackConfigDir:`, and where the program runs from.
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { runProgramScript } from "./pulumiInternals";

/** The program failed: its own message is what the user needs. */
export class ProgramError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ProgramError";
    }
}

export interface ProjectInfo {
    name: string;
    /** The directory of Pulumi.yaml. */
    root: string;
    runtime: string;
    options: Record<string, unknown>;
    main?: string;
    /** Where the stack files are (`stackConfigDir:`, else the project directory). */
    stackConfigDir: string;
}

/** Pulumi.yaml as the CLI reads it for running a program. */
export function readProject(root: string): ProjectInfo {
    const file = path.join(root, "Pulumi.yaml");
    let doc: Record<string, unknown>;
    try {
        doc = (parse(fs.readFileSync(file, "utf8")) ?? {}) as Record<string, unknown>;
    } catch (e) {
        throw new ProgramError(`${file} cannot be read: ${(e as Error).message}`);
    }
    const runtime = doc.runtime as unknown;
    const name = typeof runtime === "string" ? runtime : (runtime as { name?: unknown } | undefined)?.name;
    const options = (typeof runtime === "object" && runtime && (runtime as { options?: unknown }).options) || {};
    return {
        name: String(doc.name),
        root,
        runtime: typeof name === "string" ? name : "",
        options: options as Record<string, unknown>,
        main: typeof doc.main === "string" ? doc.main : undefined,
        stackConfigDir: typeof doc.stackConfigDir === "string" ? path.join(root, doc.stackConfigDir) : root,
    };
}

/**
 * The program directory and entry point, as the CLI computes them from `main:` (pkg/workspace
 * getPwdMain): no main → the project directory and "."; a directory → that directory and "."; a file
 * → the project directory and the file's path relative to it. main must be relative and inside the project.
 */
export function programLocation(project: ProjectInfo): { pwd: string; entry: string } {
    if (project.runtime !== "nodejs") {
        throw new ProgramError(
            `${path.join(project.root, "Pulumi.yaml")}: runtime '${project.runtime || "(none)"}' — the offline check runs Node.js programs only (runtime: nodejs, TypeScript or JavaScript).`,
        );
    }
    if (!project.main) return { pwd: project.root, entry: "." };
    if (path.isAbsolute(project.main))
        throw new ProgramError(`Pulumi.yaml: project 'main' must be a relative path, found '${project.main}'.`);
    const root = path.resolve(project.root);
    const main = path.resolve(root, project.main);
    if (main !== root && !main.startsWith(root + path.sep)) {
        throw new ProgramError(`Pulumi.yaml: project 'main' must be a subfolder of the project, found '${project.main}'.`);
    }
    let stat: fs.Stats;
    try {
        stat = fs.statSync(main);
    } catch {
        throw new ProgramError(`Pulumi.yaml: project 'main' is '${project.main}', but ${main} does not exist.`);
    }
    return stat.isDirectory() ? { pwd: main, entry: "." } : { pwd: root, entry: path.relative(root, main) };
}

/** `@pulumi/pulumi/cmd/run` as the language host finds it: from the program's own node_modules. */
export function locateRunScript(pwd: string): string {
    try {
        return runProgramScript(pwd);
    } catch {
        throw new ProgramError(
            `It looks like the Pulumi SDK has not been installed for the program in ${pwd}: @pulumi/pulumi/cmd/run cannot be resolved from there. Have you run npm install or yarn install?`,
        );
    }
}
