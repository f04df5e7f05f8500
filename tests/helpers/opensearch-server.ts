// A stand-in for an OpenSearch domain's REST API over HTTPS: it records every request and answers from
// a script, so the dynamic provider's requests and its reading of answers (well-formed or not) can be
// tested without a cluster.
import * as http from "http";
import * as https from "https";
import { AddressInfo } from "net";

/**
 * The stand-in's certificate (self-signed, for 127.0.0.1 and localhost, valid 2000-2125) and its key.
 * A test key for a loopback server, nothing else: the provider trusts it only when a test passes it as `ca`.
 */
export const TEST_CA = `-----BEGIN CERTIFICATE-----
MIIBmDCCAT+gAwIBAgIBATAKBggqhkjOPQQDAjAtMSswKQYDVQQDDCJjb250aW51
aXR5IHRlc3Qgc3RhbmQtaW4gMTI3LjAuMC4xMCAXDTAwMDEwMTAwMDAwMFoYDzIx
MjUwMTAxMDAwMDAwWjAtMSswKQYDVQQDDCJjb250aW51aXR5IHRlc3Qgc3RhbmQt
aW4gMTI3LjAuMC4xMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE1vHWDEb6nqvF
p2S80dXsJ51Xx4TqIshFoXuyOZ7j4KXafyb3AeoWI8Yh38BaPZrMJMZTxOIZeCwu
IjW5bMJUj6NOMEwwGgYDVR0RBBMwEYcEfwAAAYIJbG9jYWxob3N0MA8GA1UdEwEB
/wQFMAMBAf8wHQYDVR0OBBYEFDByt+06i9CdVD2U4KQimt2SWEuUMAoGCCqGSM49
BAMCA0cAMEQCIGuz6EljwCXI9mm5CMyOyamDgQoR9mouHl5oKzT7CPgmAiBjYQCn
McD5q9k2xK7ovlxUsVug1IZcijH8cZRhHzBTJw==
-----END CERTIFICATE-----`;
const TEST_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgsq8g4yjTJaGenHpk
A1oiOnsGBOgUZcbl5+Yuvd+qjYuhRANCAATW8dYMRvqeq8WnZLzR1ewnnVfHhOoi
yEWhe7I5nuPgpdp/JvcB6hYjxiHfwFo9mswkxlPE4hl4LC4iNblswlSP
-----END PRIVATE KEY-----`;

export interface RecordedRequest {
    method: string;
    /** Path and query, as sent. */
    path: string;
    headers: http.IncomingHttpHeaders;
    /** The body as sent ("" when none). */
    raw: string;
    /** The body parsed as JSON, undefined when there was none. */
    body: unknown;
}

export interface Answer {
    status: number;
    /** An object is sent as JSON, a string as it is (as text/html); a function makes either from the request. */
    body?: unknown | ((request: RecordedRequest) => unknown);
    headers?: Record<string, string>;
    /** Never answer (to test the timeout). */
    hang?: boolean;
    /** Send the headers, announcing the whole body's length, then only this many bytes of it, then drop the connection. */
    cut?: number;
    /** Send the body in 64 KiB chunks without announcing its length (chunked transfer encoding). */
    chunked?: boolean;
}

export class FakeOpenSearch {
    readonly requests: RecordedRequest[] = [];
    private readonly script = new Map<string, Answer[]>();
    private readonly server = https.createServer({ cert: TEST_CA, key: TEST_KEY }, (req, res) => this.handle(req, res));

    /** Starts on 127.0.0.1 on a free port; resolves to the base URL, https://127.0.0.1:<port>. */
    async start(): Promise<string> {
        await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
        return `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    }

    async close(): Promise<void> {
        this.server.closeAllConnections();
        await new Promise<void>((resolve) => this.server.close(() => resolve()));
    }

    /**
     * What `METHOD /path?query` answers: the answers in turn, the last one for every later request.
     * A request nobody scripted answers 599, so that a test sees which one it was.
     */
    on(method: string, path: string, ...answers: Answer[]): this {
        this.script.set(`${method} ${path}`, answers);
        return this;
    }

    /** Forgets the script and the recorded requests, between tests. */
    reset(): void {
        this.script.clear();
        this.requests.length = 0;
    }

    private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
            const raw = Buffer.concat(chunks).toString("utf8");
            const method = req.method ?? "";
            const path = req.url ?? "";
            const request: RecordedRequest = { method, path, headers: req.headers, raw, body: raw ? JSON.parse(raw) : undefined };
            this.requests.push(request);
            const queue = this.script.get(`${method} ${path}`);
            const answer: Answer = (queue && (queue.length > 1 ? queue.shift() : queue[0])) ?? {
                status: 599,
                body: { error: `unscripted request ${method} ${path}` },
            };
            if (answer.hang) return;
            const body = typeof answer.body === "function" ? answer.body(request) : answer.body;
            const text = body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body);
            const type = typeof body === "string" ? "text/html" : "application/json";
            if (answer.cut !== undefined) {
                const bytes = Buffer.from(text, "utf8");
                res.writeHead(answer.status, { "content-type": type, "content-length": String(bytes.length), ...answer.headers });
                res.write(bytes.subarray(0, answer.cut), () => res.destroy());
                return;
            }
            res.writeHead(answer.status, { "content-type": type, ...answer.headers });
            if (answer.chunked) {
                for (let i = 0; i < text.length; i += 65536) res.write(text.slice(i, i + 65536));
                res.end();
                return;
            }
            res.end(text);
        });
    }
}
