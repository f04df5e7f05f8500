"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ATLAS_ACCEPT = void 0;
exports.parseDigestChallenge = parseDigestChallenge;
exports.digestAuthorization = digestAuthorization;
exports.listSnapshots = listSnapshots;
exports.newestCopied = newestCopied;
exports.atlasRecoveryPoint = atlasRecoveryPoint;
/**
 * The Atlas Admin API v2 with HTTP Digest authentication on node's crypto/http(s): the function ships without
 * libraries. Programmatic API keys authenticate with Digest (RFC 7616): the first request is answered 401 with a
 * `WWW-Authenticate: Digest ...` challenge, the second carries the response hash
 * (https://www.mongodb.com/docs/atlas/api/api-authentication/: the public key is the username, the private key the password).
 *
 * Endpoint (operation listReplicaSetBackups, "Return All Replica Set Cloud Backups"):
 *   GET /api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/snapshots
 *   https://www.mongodb.com/docs/api/doc/atlas-admin-api-v2/operation/operation-listreplicasetbackups
 * Each result (schema DiskBackupReplicaSet) has `createdAt` (ISO 8601, UTC), `status` (queued | inProgress | completed |
 * failed), `replicaSetName` and `copyRegions`: "List that identifies the regions to which MongoDB Cloud copies the
 * snapshot". A snapshot copied to the DR region therefore appears once, with that region in `copyRegions`.
 * The listing does not say when the copy itself finished: a completed snapshot naming the region is the best signal the
 * API gives, so the age read here can be short by the copy's transfer time.
 * The API key needs the Project Read Only (or Project Backup Manager) role.
 */
const crypto = require("crypto");
const http = require("http");
const https = require("https");
const util_1 = require("./util");
/** The versioned media type of the Admin API v2 resource (the version the listing is documented under). */
exports.ATLAS_ACCEPT = "application/vnd.atlas.2023-01-01+json";
const PAGE_SIZE = 100;
const MAX_PAGES = 50;
const MAX_BODY = 16 * 1024 * 1024;
function get(url, headers, timeoutMs) {
    const client = url.protocol === "http:" ? http : https;
    return new Promise((resolve, reject) => {
        const req = client.request(url, { method: "GET", headers }, (res) => {
            const chunks = [];
            let size = 0;
            res.on("data", (chunk) => {
                size += chunk.length;
                if (size > MAX_BODY)
                    req.destroy(new util_1.WatchError(`Atlas API answer to GET ${url.pathname} exceeds ${MAX_BODY} bytes`));
                else
                    chunks.push(chunk);
            });
            res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
            res.on("error", reject);
        });
        const timer = setTimeout(() => req.destroy(new util_1.WatchError(`Atlas API call GET ${url.pathname} timed out after ${timeoutMs} ms`)), timeoutMs);
        req.on("close", () => clearTimeout(timer));
        req.on("error", (error) => {
            clearTimeout(timer);
            reject(error instanceof util_1.WatchError ? error : new util_1.WatchError(`Atlas API call GET ${url.pathname} failed: ${error.message}`));
        });
        req.end();
    });
}
/** The parameters of the Digest challenge in a WWW-Authenticate header, or undefined when it offers no Digest. */
function parseDigestChallenge(header) {
    const text = Array.isArray(header) ? header.find((h) => /^\s*digest\s/i.test(h)) : header;
    const match = text ? /(?:^|,)\s*digest\s+(.*)$/is.exec(text) : null;
    if (!match)
        return undefined;
    const params = {};
    for (const m of match[1].matchAll(/([a-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/gi)) {
        params[m[1].toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, "$1") : m[3];
    }
    return params.nonce ? params : undefined;
}
function hashFor(algorithm) {
    const name = algorithm.replace(/-sess$/i, "").toUpperCase();
    const node = name === "MD5" ? "md5" : name === "SHA-256" ? "sha256" : name === "SHA-512-256" ? "sha512-256" : undefined;
    if (!node)
        throw new util_1.WatchError(`Atlas API offers Digest algorithm "${algorithm}"; supported: MD5, SHA-256, SHA-512-256`);
    return (text) => crypto.createHash(node).update(text, "utf8").digest("hex");
}
/** The Authorization header answering a Digest challenge (RFC 7616 §3.4; qop "auth", or none for RFC 2069 servers). */
function digestAuthorization(challenge, method, uri, keys, cnonce = crypto.randomBytes(16).toString("hex"), nc = "00000001") {
    const algorithm = challenge.algorithm ?? "MD5";
    const h = hashFor(algorithm);
    const realm = challenge.realm ?? "";
    let ha1 = h(`${keys.publicKey}:${realm}:${keys.privateKey}`);
    if (/-sess$/i.test(algorithm))
        ha1 = h(`${ha1}:${challenge.nonce}:${cnonce}`);
    const ha2 = h(`${method}:${uri}`);
    const qops = (challenge.qop ?? "").split(",").map((q) => q.trim());
    const qop = qops.includes("auth") ? "auth" : undefined;
    const response = qop ? h(`${ha1}:${challenge.nonce}:${nc}:${cnonce}:${qop}:${ha2}`) : h(`${ha1}:${challenge.nonce}:${ha2}`);
    const parts = [
        `username="${keys.publicKey}"`,
        `realm="${realm}"`,
        `nonce="${challenge.nonce}"`,
        `uri="${uri}"`,
        `algorithm=${algorithm}`,
    ];
    if (qop)
        parts.push(`qop=${qop}`, `nc=${nc}`, `cnonce="${cnonce}"`);
    parts.push(`response="${response}"`);
    if (challenge.opaque !== undefined)
        parts.push(`opaque="${challenge.opaque}"`);
    return `Digest ${parts.join(", ")}`;
}
function failure(answer, path, afterAuth) {
    let code = "";
    try {
        const body = JSON.parse(answer.body);
        if (typeof body.errorCode === "string")
            code = ` ${body.errorCode}`;
    }
    catch {
        // not JSON: the status alone says enough
    }
    const hint = answer.status === 401 && afterAuth
        ? " (the API key pair in the secret was refused: wrong keys, or the caller's IP is not on the key's access list)"
        : answer.status === 403
            ? " (the API key lacks the Project Read Only role, or the caller's IP is not on its access list)"
            : answer.status === 404
                ? " (no such project or cluster)"
                : "";
    return new util_1.WatchError(`Atlas API answered HTTP ${answer.status}${code} to GET ${path}${hint}`);
}
/** One authenticated GET: the unauthenticated request fetches the challenge, the second answers it. */
async function digestGet(base, path, keys, timeoutMs) {
    const url = new URL(base + path);
    const headers = { Accept: exports.ATLAS_ACCEPT };
    const first = await get(url, headers, timeoutMs);
    let answer = first;
    if (first.status === 401) {
        const challenge = parseDigestChallenge(first.headers["www-authenticate"]);
        if (!challenge)
            throw new util_1.WatchError(`Atlas API answered HTTP 401 to GET ${path} without a Digest challenge`);
        answer = await get(url, { ...headers, Authorization: digestAuthorization(challenge, "GET", path, keys) }, timeoutMs);
        if (answer.status !== 200)
            throw failure(answer, path, true);
    }
    else if (first.status !== 200) {
        throw failure(first, path, false);
    }
    try {
        return JSON.parse(answer.body);
    }
    catch {
        throw new util_1.WatchError(`Atlas API answered GET ${path} with a body that is not JSON`);
    }
}
/** Every snapshot of a replica set cluster, page by page. */
async function listSnapshots(base, projectId, clusterName, keys, timeoutMs) {
    const all = [];
    const root = `/api/atlas/v2/groups/${encodeURIComponent(projectId)}/clusters/${encodeURIComponent(clusterName)}/backup/snapshots`;
    for (let page = 1; page <= MAX_PAGES; page++) {
        const body = (await digestGet(base, `${root}?itemsPerPage=${PAGE_SIZE}&pageNum=${page}`, keys, timeoutMs));
        if (!Array.isArray(body.results))
            throw new util_1.WatchError(`Atlas API answered GET ${root} without a results array`);
        all.push(...body.results);
        const total = typeof body.totalCount === "number" ? body.totalCount : undefined;
        if (body.results.length < PAGE_SIZE || (total !== undefined && all.length >= total))
            break;
    }
    return all;
}
/**
 * The newest recovery point in the copy region: a snapshot whose status is "completed" (queued, inProgress and failed
 * snapshots restore nothing) and whose copyRegions names the region.
 */
function newestCopied(snapshots, copyRegion) {
    let best;
    for (const s of snapshots) {
        if (s.status !== "completed" || !Array.isArray(s.copyRegions) || !s.copyRegions.includes(copyRegion))
            continue;
        const createdAt = new Date(s.createdAt ?? "");
        if (Number.isNaN(createdAt.getTime()))
            continue;
        if (!best || createdAt > best.createdAt)
            best = { id: s.id ?? "?", createdAt };
    }
    return best;
}
/** The creation time of the newest completed snapshot of the cluster copied to copyRegion. */
async function atlasRecoveryPoint(base, store, keys, timeoutMs) {
    const snapshots = await listSnapshots(base, store.projectId, store.clusterName, keys, timeoutMs);
    const newest = newestCopied(snapshots, store.copyRegion);
    if (!newest) {
        const completed = snapshots.filter((s) => s.status === "completed").length;
        throw new util_1.WatchError(`no completed snapshot of cluster "${store.clusterName}" is copied to ${store.copyRegion} ` +
            `(${snapshots.length} snapshots, ${completed} completed)`);
    }
    return { at: newest.createdAt, detail: `snapshot ${newest.id}` };
}
