// A compile cache for ts-node, preloaded (`node -r <this file>`) into the program and policy pack
// processes the check starts. Those processes still run exactly as the CLI runs them: Pulumi's
// cmd/run or cmd/run-policy-pack registers ts-node with type-checking on; this file only wraps that
// ts-node service's compile(). What ts-node emits for a file, and whether it reports a type error,
// depends on nothing but the files the compiler reads, the compiler options and the versions of
// TypeScript and ts-node. So a compile that ran clean is recorded with every file the compiler read
// (content hashes), every path it probed and did not find, and the package.json of every package it
// read from; the next process with the same inputs is served the recorded output and skips the
// type-check. Any change in those inputs (a source, tsconfig, a dependency version, a new file that
// would shadow a probed path) misses, and ts-node compiles and type-checks as it always does, type
// errors included. A compile that fails is never recorded.
//
// Plain JavaScript on purpose: it runs before ts-node exists in the process. The parent passes the
// cache directory in CONTINUITY_COMPILE_CACHE, which is removed from the environment at once so the
// program sees the environment the CLI gives it. Without it this file does nothing.
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const Module = require("module");
const path = require("path");

const ENV = "CONTINUITY_COMPILE_CACHE";
/** Bump when the entry format or what the key covers changes. */
const FORMAT = 1;
/** Entries kept; the oldest go first (copies of packs in temporary directories leave stale ones). */
const MAX_ENTRIES = 64;

const debug = process.env.CONTINUITY_COMPILE_CACHE_DEBUG
    ? (...a) => fs.appendFileSync(process.env.CONTINUITY_COMPILE_CACHE_DEBUG, `[compile-cache ${process.pid}] ${a.join(" ")}\n`)
    : () => undefined;
const sha1 = (text) => crypto.createHash("sha1").update(text).digest("hex");
const inNodeModules = (p) => p.split(/[\\/]/).includes("node_modules");

/** The package root of a file under node_modules (node_modules/<name> or node_modules/@scope/<name>). */
function packageRoot(file) {
    const parts = file.split(path.sep);
    const i = parts.lastIndexOf("node_modules");
    if (i < 0 || i + 1 >= parts.length) return undefined;
    const n = parts[i + 1].startsWith("@") ? 3 : 2;
    return parts.slice(0, i + n).join(path.sep);
}

function readOrUndefined(file) {
    try {
        return fs.readFileSync(file, "utf8");
    } catch {
        return undefined;
    }
}

/** The lockfiles from `dir` up to the root: they pin every dependency version the compile saw. */
function lockfiles(dir) {
    const out = {};
    for (let d = path.resolve(dir); ; d = path.dirname(d)) {
        const names = ["package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml"];
        names.push(path.join("node_modules", ".package-lock.json"));
        for (const name of names) {
            const text = readOrUndefined(path.join(d, name));
            if (text !== undefined) out[path.join(d, name)] = sha1(text);
        }
        if (path.dirname(d) === d) return out;
    }
}

/** What the compiler read, recorded through its `sys`: the inputs of every compile in this process. */
function recordingSys(ts) {
    const sys = ts.sys;
    const deps = { files: {}, missing: new Set(), dirs: {}, packages: new Set() };
    const seen = (p) => {
        const file = path.resolve(p);
        if (inNodeModules(file)) {
            const root = packageRoot(file);
            if (root) deps.packages.add(root);
            return undefined;
        }
        return file;
    };
    const { readFile, fileExists, directoryExists, getDirectories, readDirectory } = sys;
    sys.readFile = function (p, encoding) {
        const text = readFile.call(this, p, encoding);
        const file = seen(p);
        if (file) {
            if (text === undefined) deps.missing.add(file);
            else deps.files[file] = sha1(text);
        }
        return text;
    };
    sys.fileExists = function (p) {
        const found = fileExists.call(this, p);
        const file = seen(p);
        if (file && !found) deps.missing.add(file);
        return found;
    };
    sys.directoryExists = function (p) {
        const found = directoryExists.call(this, p);
        const dir = seen(p);
        if (dir && !found) deps.missing.add(dir);
        return found;
    };
    sys.getDirectories = function (p) {
        const found = getDirectories.call(this, p);
        const dir = seen(p);
        if (dir) deps.dirs[`dirs:${dir}`] = sha1(JSON.stringify(found));
        return found;
    };
    sys.readDirectory = function (...args) {
        const found = readDirectory.apply(this, args);
        const dir = seen(args[0]);
        if (dir) deps.dirs[`read:${dir}:${sha1(JSON.stringify(args.slice(1)))}`] = sha1(JSON.stringify(found));
        return found;
    };
    return { deps, getDirectories, readDirectory };
}

/** The entry's inputs are as they were: every file read has its content, every probe still misses. */
function unchanged(entry, sys) {
    for (const [file, hash] of Object.entries(entry.files)) {
        const text = readOrUndefined(file);
        if (text === undefined || sha1(text) !== hash) return false;
    }
    for (const p of entry.missing) {
        if (fs.existsSync(p)) return false;
    }
    for (const [root, hash] of Object.entries(entry.packages)) {
        const text = readOrUndefined(path.join(root, "package.json"));
        if ((text === undefined ? "" : sha1(text)) !== hash) return false;
    }
    for (const [file, hash] of Object.entries(entry.lockfiles)) {
        const text = readOrUndefined(file);
        if (text === undefined || sha1(text) !== hash) return false;
    }
    if (Object.keys(lockfiles(entry.cwd)).length !== Object.keys(entry.lockfiles).length) return false;
    for (const [key, hash] of Object.entries(entry.dirs)) {
        const [kind, ...rest] = key.split(":");
        if (kind === "dirs") {
            if (sha1(JSON.stringify(sys.getDirectories(rest.join(":")))) !== hash) return false;
        } else {
            return false; // readDirectory listings: rare (include patterns), recompiled rather than replayed
        }
    }
    return true;
}

function writeAtomically(file, text) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
}

function prune(dir) {
    try {
        const entries = fs
            .readdirSync(dir)
            .filter((f) => f.endsWith(".json"))
            .map((f) => ({ f, t: fs.statSync(path.join(dir, f)).mtimeMs }))
            .sort((a, b) => b.t - a.t);
        for (const { f } of entries.slice(MAX_ENTRIES)) fs.rmSync(path.join(dir, f), { force: true });
    } catch {
        // another process pruned first
    }
}

/** Options as JSON, functions left out: part of the key. */
const plain = (v) => JSON.parse(JSON.stringify(v ?? null, (_k, x) => (typeof x === "function" ? undefined : x)));

/** Wraps a ts-node service created with `ts` (whose sys records reads) so that it uses the cache. */
function cacheService(service, recorder, { cacheDir, tsNodeFile, tsNodeVersion }) {
    const cwd = process.cwd();
    const key = keyOf(service, tsNodeVersion, "check");
    const file = path.join(cacheDir, `${key}.json`);
    let entry;
    try {
        entry = JSON.parse(fs.readFileSync(file, "utf8"));
        if (entry.format !== FORMAT || !unchanged(entry, { getDirectories: recorder.getDirectories })) entry = undefined;
    } catch {
        entry = undefined;
    }
    debug(entry ? "hit" : "miss", file);
    // Files served from the entry, in order: replayed through ts-node if a file outside it comes.
    const served = [];
    let replaying = false;
    let failed = false;
    let dirty = false;
    const outputs = {};
    const order = [];
    const compile = service.compile.bind(service);
    const map = new Map();

    const save = () => {
        if (failed || !dirty) return;
        dirty = false;
        const { deps } = recorder;
        const packages = {};
        for (const root of deps.packages) {
            const text = readOrUndefined(path.join(root, "package.json"));
            packages[root] = text === undefined ? "" : sha1(text);
        }
        const record = {
            format: FORMAT,
            cwd,
            order,
            outputs,
            files: deps.files,
            missing: [...deps.missing].filter((p) => !Object.prototype.hasOwnProperty.call(deps.files, p)),
            dirs: deps.dirs,
            packages,
            lockfiles: lockfiles(cwd),
        };
        debug("save", order.length, "files");
        try {
            writeAtomically(file, JSON.stringify(record));
            prune(cacheDir);
        } catch {
            // a read-only tree: no cache, same verdicts
        }
    };
    let scheduled = false;
    const scheduleSave = () => {
        if (scheduled) return;
        scheduled = true;
        setImmediate(() => {
            scheduled = false;
            save();
        });
    };

    service.compile = function (code, fileName, lineOffset) {
        const name = path.resolve(fileName);
        // Served only in the recorded order: a global declaration of an earlier file is then in the
        // program whenever it was in the recorded one.
        const cached = entry && !replaying && entry.order[served.length] === name && entry.outputs[name];
        if (cached && sha1(code) === entry.files[name] && (lineOffset ?? 0) === 0) {
            served.push([code, fileName]);
            map.set(name, cached);
            outputs[name] = cached;
            order.push(name);
            return cached;
        }
        if (entry && !replaying) {
            debug("replay at", served.length, name, "expected", entry.order[served.length]);
            // A file the entry does not have: bring ts-node to the state an uncached run would be in
            // (every file before this one compiled, in order), then compile as usual.
            replaying = true;
            for (const [c, f] of served) compile(c, f);
        }
        // ts-node hands the compiler this code, not a read of the file: an input like the files read.
        if (!inNodeModules(name)) recorder.deps.files[name] = sha1(code);
        try {
            const output = compile(code, fileName, lineOffset);
            if ((lineOffset ?? 0) === 0) {
                outputs[name] = output;
                order.push(name);
                dirty = true;
                scheduleSave();
            }
            return output;
        } catch (e) {
            failed = true;
            throw e;
        }
    };

    mapServedSources(tsNodeFile, map);
    return service;
}

/** The entry's name: everything of the process that ts-node's output depends on besides files. */
function keyOf(service, tsNodeVersion, mode) {
    const tsNodeEnv = Object.fromEntries(
        Object.entries(process.env)
            .filter(([k]) => k.startsWith("TS_NODE_"))
            .sort(),
    );
    return sha1(
        JSON.stringify({
            FORMAT,
            mode,
            cwd: process.cwd(),
            node: process.versions.node,
            ts: [service.ts.version, service.ts.sys.getExecutingFilePath()],
            tsNode: tsNodeVersion,
            options: plain(service.options),
            compilerOptions: plain(service.config.options),
            tsNodeEnv,
        }),
    );
}

/** Stack traces of served files map back to the TypeScript source, as ts-node's own do. */
function mapServedSources(tsNodeFile, map) {
    try {
        const sourceMapSupport = Module.createRequire(tsNodeFile)("@cspotcode/source-map-support");
        sourceMapSupport.install({ environment: "node", retrieveFile: (p) => map.get(path.resolve(p)) ?? null });
    } catch {
        // without it, traces of served files show emitted line numbers
    }
}

/**
 * Transpile-only (no type-check): a file's output depends on its own text and the options only, so
 * each file is served on its own when its text is the recorded one.
 */
function transpileCacheService(service, { cacheDir, tsNodeFile, tsNodeVersion }) {
    const file = path.join(cacheDir, `${keyOf(service, tsNodeVersion, "transpile")}.json`);
    let entry;
    try {
        entry = JSON.parse(fs.readFileSync(file, "utf8"));
        if (entry.format !== FORMAT || entry.mode !== "transpile") entry = undefined;
    } catch {
        entry = undefined;
    }
    const files = entry?.files ?? {};
    const map = new Map();
    const compile = service.compile.bind(service);
    let scheduled = false;
    service.compile = function (code, fileName, lineOffset) {
        const name = path.resolve(fileName);
        const hash = sha1(code);
        const cached = files[name];
        if (cached && cached.hash === hash && (lineOffset ?? 0) === 0) {
            map.set(name, cached.output);
            return cached.output;
        }
        const output = compile(code, fileName, lineOffset);
        if ((lineOffset ?? 0) === 0 && !inNodeModules(name)) {
            files[name] = { hash, output };
            if (!scheduled) {
                scheduled = true;
                setImmediate(() => {
                    scheduled = false;
                    try {
                        writeAtomically(file, JSON.stringify({ format: FORMAT, mode: "transpile", files }));
                        prune(cacheDir);
                    } catch {
                        // a read-only tree: no cache
                    }
                });
            }
        }
        return output;
    };
    mapServedSources(tsNodeFile, map);
    return service;
}

const REGISTER_INSTANCE = Symbol.for("ts-node.register.instance");

/** For a process that runs under ts-node --transpile-only already (the check itself): cache what it transpiles from now on. */
function cacheRegisteredService(cacheDir) {
    const service = process[REGISTER_INSTANCE];
    if (!cacheDir || !service || !service.options?.transpileOnly || service.__continuityCache) return;
    service.__continuityCache = true;
    const tsNodeFile = require.resolve("ts-node");
    transpileCacheService(service, { cacheDir, tsNodeFile, tsNodeVersion: require(tsNodeFile).VERSION });
}

function install(cacheDir) {
    const load = Module._load;
    Module._load = function (request, parent, isMain) {
        const exported = load.apply(this, arguments);
        const isTsNode = exported && typeof exported.register === "function" && typeof exported.create === "function" && exported.VERSION;
        if (isTsNode && !exported.__continuityCache) {
            Module._load = load;
            wrapTsNode(exported, cacheDir, Module._resolveFilename(request, parent, isMain));
        }
        return exported;
    };
}

function wrapTsNode(tsNode, cacheDir, tsNodeFile) {
    tsNode.__continuityCache = true;
    const register = tsNode.register;
    tsNode.register = function (opts) {
        if (!opts || typeof opts !== "object" || opts.compilerHost) return register.call(this, opts);
        if (opts.transpileOnly && !opts.typeCheck) {
            const service = register.call(this, opts);
            if (!service.options.transpileOnly) return service;
            return transpileCacheService(service, { cacheDir, tsNodeFile, tsNodeVersion: tsNode.VERSION });
        }
        // The compiler ts-node will load (it resolves it from the project, then from itself): its sys
        // records the reads of every compile before ts-node captures its functions.
        let ts;
        let recorder;
        try {
            const base = Module.createRequire(path.join(process.cwd(), "noop.js"));
            let compilerPath;
            try {
                compilerPath = base.resolve(opts.compiler || "typescript");
            } catch {
                compilerPath = Module.createRequire(tsNodeFile).resolve(opts.compiler || "typescript");
            }
            ts = require(compilerPath);
            recorder = ts.sys.__continuityRecorder ?? recordingSys(ts);
            ts.sys.__continuityRecorder = recorder;
        } catch {
            return register.call(this, opts);
        }
        const service = register.call(this, opts);
        // Another compiler instance than the one recorded: no cache, ts-node as it is.
        if (service.ts !== ts || service.options.transpileOnly) return service;
        return cacheService(service, recorder, { cacheDir, tsNodeFile, tsNodeVersion: tsNode.VERSION });
    };
}

module.exports = { cacheRegisteredService };

// Preloaded with -r: the parent named the cache directory.
const cacheDir = process.env[ENV];
if (cacheDir) {
    delete process.env[ENV];
    install(cacheDir);
}

// Profiling (CONTINUITY_CHECK_CPU_PROF): V8 writes the profile on exit, which SIGTERM (how the check
// stops a pack) skips.
if (process.execArgv.includes("--cpu-prof")) process.on("SIGTERM", () => process.exit(143));
