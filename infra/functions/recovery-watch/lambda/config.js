"use strict";
/**
 * The watch's environment, validated before anything is read: a bad WATCH_STORES fails the whole invocation with a
 * message that names the field, the value found and what is allowed (the Pulumi component writes these variables).
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_TIMEOUT_MS = exports.DEFAULT_ATLAS_API_URL = exports.DEFAULT_NAMESPACE = exports.STORE_KINDS = void 0;
exports.parseConfig = parseConfig;
exports.STORE_KINDS = ["atlas", "s3", "opensearch"];
exports.DEFAULT_NAMESPACE = "Continuity/RecoveryPoints";
exports.DEFAULT_ATLAS_API_URL = "https://cloud.mongodb.com";
exports.DEFAULT_TIMEOUT_MS = 10000;
const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const ATLAS_REGION = /^[A-Z][A-Z0-9_]*$/;
/** Required string fields per kind (besides store, kind, rpoHours), each with the pattern it must match. */
const FIELDS = {
    atlas: {
        projectId: { pattern: /^[0-9a-f]{24}$/, allowed: "the project's 24-hex-digit id" },
        clusterName: { allowed: "the cluster's name" },
        copyRegion: { pattern: ATLAS_REGION, allowed: "an Atlas region name such as US_EAST_1" },
    },
    s3: {
        sourceBucket: { allowed: "the replicated bucket's name" },
        copyBucket: { allowed: "the DR copy bucket's name" },
        copyRegion: { pattern: AWS_REGION, allowed: "an AWS region such as us-east-1" },
        heartbeatKey: { allowed: "an object key such as .continuity/heartbeat" },
    },
    opensearch: {
        copyBucket: { allowed: "the replicated snapshot bucket's name in the DR region" },
        copyRegion: { pattern: AWS_REGION, allowed: "an AWS region such as us-east-1" },
        basePath: { allowed: 'the repository\'s base_path ("" for the bucket root)', mayBeEmpty: true },
    },
};
function shown(value) {
    const text = value === undefined ? "missing" : JSON.stringify(value);
    return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
function parseStore(raw, index, seen) {
    const at = `WATCH_STORES[${index}]`;
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
        throw new Error(`${at} is ${shown(raw)}; expected an object {store, kind, rpoHours, ...}.`);
    }
    const o = raw;
    if (typeof o.store !== "string" || o.store.trim() === "") {
        throw new Error(`${at}.store is ${shown(o.store)}; expected a non-empty string (the metric's Store dimension).`);
    }
    const first = seen.get(o.store);
    if (first !== undefined) {
        throw new Error(`${at}.store is "${o.store}", already used by WATCH_STORES[${first}]; each store needs its own name.`);
    }
    seen.set(o.store, index);
    if (typeof o.kind !== "string" || !exports.STORE_KINDS.includes(o.kind)) {
        throw new Error(`${at}.kind is ${shown(o.kind)}; allowed: ${exports.STORE_KINDS.map((k) => `"${k}"`).join(", ")}.`);
    }
    if (typeof o.rpoHours !== "number" || !Number.isFinite(o.rpoHours) || o.rpoHours <= 0) {
        throw new Error(`${at}.rpoHours is ${shown(o.rpoHours)}; expected a number of hours greater than 0.`);
    }
    const kind = o.kind;
    for (const [field, rule] of Object.entries(FIELDS[kind])) {
        const value = o[field];
        const ok = typeof value === "string" && (rule.mayBeEmpty || value !== "") && (!rule.pattern || rule.pattern.test(value));
        if (!ok) {
            throw new Error(`${at}.${field} (store "${o.store}", kind "${kind}") is ${shown(value)}; expected ${rule.allowed}.`);
        }
    }
    return o;
}
/** Parses and checks WATCH_STORES and the other variables; throws one Error naming the first bad variable or field. */
function parseConfig(env) {
    const text = env.WATCH_STORES;
    if (text === undefined || text.trim() === "") {
        throw new Error("WATCH_STORES is not set; expected a JSON array of stores [{store, kind, rpoHours, ...}].");
    }
    let raw;
    try {
        raw = JSON.parse(text);
    }
    catch {
        throw new Error(`WATCH_STORES is not valid JSON: ${shown(text)}; expected a JSON array of stores.`);
    }
    if (!Array.isArray(raw) || raw.length === 0) {
        throw new Error(`WATCH_STORES is ${shown(raw)}; expected a non-empty JSON array of stores.`);
    }
    const seen = new Map();
    const stores = raw.map((entry, index) => parseStore(entry, index, seen));
    const atlasApiUrl = env.ATLAS_API_URL || exports.DEFAULT_ATLAS_API_URL;
    if (!/^https?:\/\/[^/]+\/?$/.test(atlasApiUrl)) {
        throw new Error(`ATLAS_API_URL is ${shown(atlasApiUrl)}; expected an origin such as ${exports.DEFAULT_ATLAS_API_URL}.`);
    }
    const atlasSecretArn = env.ATLAS_SECRET_ARN || undefined;
    const firstAtlas = stores.find((s) => s.kind === "atlas");
    if (firstAtlas && !atlasSecretArn) {
        throw new Error(`ATLAS_SECRET_ARN is not set, but store "${firstAtlas.store}" is of kind "atlas"; expected the ARN of the secret ` +
            `holding {"publicKey","privateKey"}.`);
    }
    const timeoutText = env.WATCH_TIMEOUT_MS;
    const timeoutMs = timeoutText === undefined || timeoutText === "" ? exports.DEFAULT_TIMEOUT_MS : Number(timeoutText);
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
        throw new Error(`WATCH_TIMEOUT_MS is ${shown(timeoutText)}; expected a whole number of milliseconds greater than 0.`);
    }
    return {
        stores,
        namespace: env.METRIC_NAMESPACE || exports.DEFAULT_NAMESPACE,
        environment: env.ENVIRONMENT || undefined,
        atlasApiUrl: atlasApiUrl.replace(/\/$/, ""),
        atlasSecretArn,
        timeoutMs,
    };
}
