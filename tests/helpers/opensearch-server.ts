// A stand-in for an OpenSearch domain's REST API: it records every request and answers from a script,
// so the dynamic provider's requests and its reading of answers can be tested without a cluster.
import * as http from "http";
import { AddressInfo } from "net";

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
    /** An object is sent as JSON, a string as it is. */
    body?: unknown;
    headers?: Record<string, string>;
    /** Never answer (to test the timeout). */
    hang?: boolean;
}

export class FakeOpenSearch {
    readonly requests: RecordedRequest[] = [];
    private readonly script = new Map<string, Answer[]>();
    private readonly server = http.createServer((req, res) => this.handle(req, res));

    /** Starts on 127.0.0.1 on a free port; resolves to the base URL. */
    async start(): Promise<string> {
        await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
        return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
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
            this.requests.push({ method, path, headers: req.headers, raw, body: raw ? JSON.parse(raw) : undefined });
            const queue = this.script.get(`${method} ${path}`);
            const answer: Answer = (queue && (queue.length > 1 ? queue.shift() : queue[0])) ?? {
                status: 599,
                body: { error: `unscripted request ${method} ${path}` },
            };
            if (answer.hang) return;
            const text = answer.body === undefined ? "" : typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body);
            res.writeHead(answer.status, { "content-type": typeof answer.body === "string" ? "text/html" : "application/json", ...answer.headers });
            res.end(text);
        });
    }
}
