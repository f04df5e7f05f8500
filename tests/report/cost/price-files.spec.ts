import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { costOf, loadPrices, PriceFileError, pricesFrom } from "../../../tools/report/cost";
import { REGION_SHAPE } from "../../../tools/report/prices/load";
import { TABLE, exact, bucket } from "./fixtures";

describe("price files", () => {
    let dir: string;
    let table: string;
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "prices-"));
        table = path.join(dir, "table.json");
        fs.writeFileSync(table, JSON.stringify(TABLE));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const file = (name: string, content: string) => {
        const f = path.join(dir, name);
        fs.writeFileSync(f, content);
        return f;
    };
    const refused = (override: string, message: string) =>
        assert.throws(
            () => loadPrices(override, table),
            (e: unknown) => e instanceof PriceFileError && e.message === message && e.file === override,
        );

    it("the repository's table validates, is dated and prices every listed region completely", () => {
        const prices = loadPrices();
        assert.strictEqual(prices.asOf, "2025-12-31");
        assert.strictEqual(prices.currency, "USD");
        assert.deepStrictEqual(prices.files, ["tools/report/prices/aws-2025-12.json"]);
        assert.deepStrictEqual(Object.keys(prices.regions), ["default", "us-east-1", "us-west-2", "eu-west-1", "eu-central-1"]);
        const missing: string[] = [];
        const walk = (v: any, shape: object, at: string) => {
            for (const [k, sub] of Object.entries(shape)) {
                if (sub === "price") {
                    if (!(typeof v?.[k]?.price === "number" && v[k].source.length > 0)) missing.push(`${at}.${k}`);
                } else walk(v?.[k], sub, `${at}.${k}`);
            }
        };
        for (const r of Object.keys(prices.regions)) walk(prices.regions[r], REGION_SHAPE, r);
        assert.deepStrictEqual(missing, []);
        assert.deepStrictEqual(prices.regions["eu-central-1"].s3?.storage?.DEEP_ARCHIVE?.price, 0.0018);
        assert.deepStrictEqual(prices.regions["us-east-1"].s3?.storage?.DEEP_ARCHIVE?.price, 0.00099);
    });

    it("merges an override over the table: its prices replace the table's, the rest stays", () => {
        const override = file(
            "override.json",
            JSON.stringify({
                asOf: "2026-02-01",
                assumptions: { averageObjectMiB: 16 },
                regions: {
                    "eu-central-1": { s3: { storage: { DEEP_ARCHIVE: 0.0015 } } },
                    "ap-southeast-2": { transfer: { interRegion: { price: 0.098, source: "our AWS invoice, January 2026" } } },
                },
            }),
        );
        const prices = loadPrices(override, table);
        assert.deepStrictEqual(prices.regions["eu-central-1"].s3?.storage, {
            DEEP_ARCHIVE: { price: 0.0015, source: `override (${override})` },
        });
        assert.deepStrictEqual(prices.regions["eu-central-1"].s3?.put, { DEEP_ARCHIVE: { price: 0.06, source: "test DEEP_ARCHIVE" } });
        assert.deepStrictEqual(prices.regions["eu-central-1"].atlas, { snapshotStorage: { price: 0.2, source: "test snapshotStorage" } });
        assert.deepStrictEqual(prices.regions["ap-southeast-2"], {
            transfer: { interRegion: { price: 0.098, source: "our AWS invoice, January 2026" } },
        });
        assert.deepStrictEqual([prices.asOf, prices.currency, prices.assumptions.averageObjectMiB], ["2026-02-01", "USD", 16]);
        assert.deepStrictEqual(prices.files, [table, override]);
        assert.strictEqual(exact(costOf([bucket()], prices).stores[0].lines[0].amount), 0.84);
    });

    it("refuses a missing file", () => {
        const missing = path.join(dir, "nowhere.json");
        refused(missing, `The price file ${missing} cannot be read: it does not exist.`);
    });

    it("refuses a file that is not JSON, with the parser's words", () => {
        const text = '{ "regions": { "eu-central-1": ';
        let parserSays = "";
        try {
            JSON.parse(text);
        } catch (e) {
            parserSays = (e as Error).message;
        }
        const bad = file("bad.json", text);
        refused(bad, `The price file ${bad} is not valid JSON: ${parserSays}`);
    });

    it("refuses a negative price and a price that is not a number, naming each key and value", () => {
        const bad = file(
            "negative.json",
            JSON.stringify({
                regions: { "eu-central-1": { s3: { storage: { DEEP_ARCHIVE: -0.5 }, put: { GLACIER: { price: "cheap" } } } } },
            }),
        );
        refused(
            bad,
            `The price file ${bad} is not valid:\n` +
                "  regions.eu-central-1.s3.storage.DEEP_ARCHIVE must be a number ≥ 0 (got -0.5)\n" +
                '  regions.eu-central-1.s3.put.GLACIER.price must be a number ≥ 0 (got "cheap")',
        );
    });

    it("refuses an unknown key, listing the keys allowed there, and a region key that is not a region", () => {
        const bad = file(
            "unknown.json",
            JSON.stringify({
                regions: { Frankfurt: {}, "eu-central-1": { s3: { storage: { DEEP_ARCHIV: 0.001 } } } },
            }),
        );
        refused(
            bad,
            `The price file ${bad} is not valid:\n` +
                '  regions.Frankfurt is not a region: a region key is an AWS region code such as eu-west-1, or "default"\n' +
                "  regions.eu-central-1.s3.storage.DEEP_ARCHIV is not a known key here; allowed: STANDARD, STANDARD_IA, ONEZONE_IA, " +
                "GLACIER_IR, GLACIER, DEEP_ARCHIVE, INTELLIGENT_TIERING (got 0.001)",
        );
    });

    it("refuses a table whose default block lacks a price or whose price has no source", () => {
        const t = JSON.parse(JSON.stringify(TABLE));
        delete t.regions.default.s3.storage.GLACIER;
        t.regions["eu-west-1"].transfer.interRegion = 0.025;
        assert.throws(() => pricesFrom(t, undefined, { table: "table.json" }), {
            name: "PriceFileError",
            message:
                "The price file table.json is not valid:\n" +
                "  regions.default.s3.storage.GLACIER is missing; the default block must give every price\n" +
                "  regions.eu-west-1.transfer.interRegion needs a source: " +
                '{"price": …, "source": "the pricing page and section"} (got 0.025)',
        });
    });
});
