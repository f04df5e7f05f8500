// A stand-in for the Atlas Admin API over HTTP on 127.0.0.1: it asks for HTTP digest auth (MD5, qop=auth, as
// Atlas does), checks the answer against the one key pair it knows, and answers GETs from a script.
import * as crypto from "crypto";
import * as http from "http";
import { AddressInfo } from "net";

const md5 = (s: string) => crypto.createHash("md5").update(s).digest("hex");
const REALM = "MMS Public API";

export class FakeAtlasApi {
    /** Every request: method, path, and whether its digest answer was right. */
    readonly requests: { method: string; path: string; accept?: string; authorized: boolean }[] = [];
    private readonly script = new Map<string, { status: number; body: unknown }>();
    private readonly nonce = crypto.randomBytes(8).toString("hex");
    private readonly server = http.createServer((req, res) => this.handle(req, res));

    constructor(
        readonly publicKey: string,
        readonly privateKey: string,
    ) {}

    async start(): Promise<string> {
        await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
        return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    }

    async close(): Promise<void> {
        this.server.closeAllConnections();
        await new Promise<void>((resolve) => this.server.close(() => resolve()));
    }

    on(path: string, status: number, body: unknown): this {
        this.script.set(path, { status, body });
        return this;
    }

    reset(): void {
        this.script.clear();
        this.requests.length = 0;
    }

    private authorized(header: string | undefined, method: string, uri: string): boolean {
        if (!header?.startsWith("Digest ")) return false;
        const p: Record<string, string> = {};
        for (const m of header.slice(7).matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)) p[m[1]] = m[2] ?? m[3];
        if (p.username !== this.publicKey || p.realm !== REALM || p.nonce !== this.nonce || p.uri !== uri || p.qop !== "auth") return false;
        const ha1 = md5(`${this.publicKey}:${REALM}:${this.privateKey}`);
        const ha2 = md5(`${method}:${uri}`);
        return p.response === md5(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:auth:${ha2}`);
    }

    private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
        const method = req.method ?? "";
        const path = req.url ?? "";
        const authorized = this.authorized(req.headers.authorization, method, path);
        this.requests.push({ method, path, accept: req.headers.accept, authorized });
        req.resume();
        if (!authorized) {
            res.writeHead(401, {
                "content-type": "application/json",
                "www-authenticate": `Digest realm="${REALM}", domain="", nonce="${this.nonce}", algorithm=MD5, qop="auth", stale=false`,
            });
            res.end(JSON.stringify({ detail: "You are not authorized for this resource.", error: 401, errorCode: "NOT_AUTHORIZED" }));
            return;
        }
        const answer = this.script.get(path) ?? {
            status: 404,
            body: { detail: `unscripted ${path}`, error: 404, errorCode: "RESOURCE_NOT_FOUND" },
        };
        res.writeHead(answer.status, { "content-type": "application/vnd.atlas.2023-01-01+json" });
        res.end(JSON.stringify(answer.body));
    }
}
