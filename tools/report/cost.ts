// The monthly cost of every copy of a store's data kept in another region (issue 17, section 3): per
// store and protection, broken into lines that each carry their arithmetic in words, priced from the
// dated table in ./prices (or a user's override of it). Copies in the store's own region are part of
// the store's cost and not counted. A copy no price in the table covers gives a line without an amount
// and the reason, never a silent zero; a total with such a line is unknown (null), and `priced` says
// how much of it is known. Amounts are exact; rounding to cents is for display only.
import { C } from "../../policies/resilience/constants";
import type { Protection, StoreFacts } from "../../policies/resilience/types";
import type { StoreKindName } from "../../policies/scope";
import { PriceLine, Prices, RegionPrices, S3_CLASSES, S3Class, SnapshotFamily } from "./prices/load";

export { loadPrices, pricesFrom, PriceFileError, PRICE_TABLE } from "./prices/load";
export type { Prices, PriceLine, RegionPrices } from "./prices/load";

export interface CostLine {
    /** The protection's description ("S3 replication into DEEP_ARCHIVE in eu-central-1 (…)"). */
    readonly protection: string;
    /** "storage", "requests", "inter-region transfer", … */
    readonly item: string;
    /** Per month in the table's currency; null: not priced (the arithmetic says why). */
    readonly amount: number | null;
    /** "560 GiB × 0.0018 $/GB-month (DEEP_ARCHIVE, eu-central-1) = $1.01". */
    readonly arithmetic: string;
}

export interface StoreCost {
    readonly urn: string;
    readonly name: string;
    readonly label: string;
    readonly lines: readonly CostLine[];
    /** The sum of the lines; null when one of them is not priced. 0 when the store has no copy elsewhere. */
    readonly monthly: number | null;
    /** The sum of the priced lines. */
    readonly priced: number;
}

export interface CostReport {
    readonly asOf: string;
    readonly currency: string;
    readonly stores: readonly StoreCost[];
    /** The sum over the stores; null when a store's total is unknown. */
    readonly monthly: number | null;
    readonly priced: number;
    /** What the figures rest on, to print once with the table. */
    readonly assumptions: readonly string[];
}

/** Days S3 bills an object of the class at least (early deletion is charged for the rest). */
export const S3_MINIMUM_DAYS: Readonly<Partial<Record<S3Class, number>>> = {
    STANDARD_IA: 30,
    ONEZONE_IA: 30,
    GLACIER_IR: 90,
    GLACIER: 90,
    DEEP_ARCHIVE: 180,
};

export const DAYS_PER_MONTH = 30;

/** The price a store kind's snapshots or AWS Backup recovery points are billed at. */
const SNAPSHOT_PRICE: Readonly<Partial<Record<StoreKindName, { family: SnapshotFamily | "backupWarm"; what: string }>>> = {
    rdsInstance: { family: "rds", what: "RDS snapshot storage" },
    rdsCluster: { family: "cluster", what: "cluster snapshot storage (Aurora)" },
    docdbCluster: { family: "cluster", what: "cluster snapshot storage (DocumentDB)" },
    neptuneCluster: { family: "cluster", what: "cluster snapshot storage (Neptune)" },
    ebsVolume: { family: "ebs", what: "EBS snapshot storage" },
    dynamodbTable: { family: "dynamodb", what: "DynamoDB backup storage" },
    elasticacheReplicationGroup: { family: "elasticache", what: "ElastiCache backup storage" },
    elasticacheCluster: { family: "elasticache", what: "ElastiCache backup storage" },
    memorydbCluster: { family: "memorydb", what: "MemoryDB snapshot storage" },
    redshiftCluster: { family: "redshift", what: "Redshift backup storage" },
    efsFileSystem: { family: "backupWarm", what: "AWS Backup warm storage (EFS)" },
    s3Bucket: { family: "backupWarm", what: "AWS Backup warm storage (S3)" },
};

// --- Formatting --------------------------------------------------------------------------------

const qty = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 3 });
const unit = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 10 });

/** Amounts as shown: cents, "< $0.01" for a positive amount below half a cent. */
export function money(amount: number, currency: string): string {
    const sign = currency === "USD" ? "$" : `${currency} `;
    return amount > 0 && amount < 0.005 ? `< ${sign}0.01` : `${sign}${amount.toFixed(2)}`;
}

// --- Prices by region --------------------------------------------------------------------------

/** "US_EAST_1" (Atlas) → "us-east-1"; AWS codes as they are. */
const awsRegion = (r: string | undefined) => (r !== undefined && /^[A-Z]{2}_[A-Z]+_\d+$/.test(r) ? r.toLowerCase().replace(/_/g, "-") : r);

type Path = readonly [keyof RegionPrices, ...string[]];

class Book {
    readonly fallbacks = new Set<string>();
    constructor(readonly prices: Prices) {}

    /** A price of the region, or of the default block when the region does not give it. */
    at(region: string | undefined, p: Path): PriceLine & { where: string } {
        const dig = (block: unknown) =>
            p.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], block) as PriceLine | undefined;
        const r = awsRegion(region);
        const own = r === undefined ? undefined : dig(this.prices.regions[r]);
        if (own !== undefined) return { ...own, where: r! };
        this.fallbacks.add(r ?? "unknown");
        const where = r === undefined ? "region unknown at preview, default price" : `${r}, default price`;
        return { ...dig(this.prices.regions.default)!, where };
    }
}

// --- Arithmetic --------------------------------------------------------------------------------

interface Kept {
    gib: number;
    why: string;
}

/** GiB a copy holds: the data plus each day's change for the days it is kept, at most a full copy per point. */
function kept(store: StoreFacts, p: Protection, minimumDays = 0, cls = ""): Kept {
    const { gib, dailyChangeGib } = store.size;
    const retention = p.retentionDays;
    const days = Math.max(retention ?? 0, minimumDays);
    if (days === 0) {
        return { gib, why: `${qty(gib)} GiB (${p.kind === "replica" ? "the current data" : "the latest point only: retention unknown"})` };
    }
    const minimum = `${cls}'s minimum`;
    const reason =
        retention === undefined
            ? `replaced data billed ${minimumDays} days: ${minimum}`
            : minimumDays > retention
              ? `kept ${qty(retention)} days, billed ${minimumDays}: ${minimum}`
              : `kept ${qty(retention)} days`;
    let total = gib + dailyChangeGib * days;
    let why = `${qty(gib)} GiB + ${qty(dailyChangeGib)} GiB/day × ${qty(days)} days (${reason})`;
    if (p.kind === "points" && p.everyHours > 0) {
        const points = Math.max(1, Math.ceil((days * 24) / p.everyHours));
        if (total > gib * points) {
            why += ` = ${qty(total)} GiB, at most ${points} full ${points === 1 ? "copy" : "copies"} (one per point kept)`;
            total = gib * points;
        }
    }
    return { gib: total, why: `${why} = ${qty(total)} GiB` };
}

class Lines {
    readonly list: CostLine[] = [];
    constructor(
        private readonly book: Book,
        private readonly p: Protection,
    ) {}

    /** A line of `quantity` units at the price; `what` says how the quantity comes about. */
    add(item: string, quantity: number, what: string, price: PriceLine & { where: string }, per: string, label: string): void {
        const amount = quantity * price.price;
        const currency = this.book.prices.currency;
        const sign = currency === "USD" ? "$" : currency;
        this.list.push({
            protection: this.p.what,
            item,
            amount,
            arithmetic: `${what} × ${unit(price.price)} ${sign}/${per} (${label}, ${price.where}) = ${money(amount, currency)}`,
        });
    }

    none(item: string, why: string): void {
        this.list.push({ protection: this.p.what, item, amount: null, arithmetic: `not priced: ${why}` });
    }
}

const monthlyChange = (store: StoreFacts) => store.size.dailyChangeGib * DAYS_PER_MONTH;
const changeWords = (store: StoreFacts) =>
    `${qty(store.size.dailyChangeGib)} GiB/day × ${DAYS_PER_MONTH} days = ${qty(monthlyChange(store))} GiB`;

function transfer(out: Lines, book: Book, store: StoreFacts, p: Path, label: string): void {
    out.add("inter-region transfer", monthlyChange(store), changeWords(store), book.at(store.region, p), "GB", label);
}

const DATASYNC_TASK = /(::|\$)aws:datasync\/task:Task::/;

/** Objects written into S3 in the copy region: S3 replication, DataSync, OpenSearch snapshots in a replicated repository. */
function objectCopy(out: Lines, book: Book, store: StoreFacts, p: Protection): void {
    const cls = (p.storageClass ?? "STANDARD") as S3Class;
    const known = (S3_CLASSES as readonly string[]).includes(cls);
    if (known) {
        const minimum = S3_MINIMUM_DAYS[cls] ?? 0;
        const k = kept(store, p, minimum, cls);
        out.add("storage", k.gib, k.why, book.at(p.region, ["s3", "storage", cls]), "GB-month", cls);
        const mib = book.prices.assumptions.averageObjectMiB;
        const objects = (monthlyChange(store) * 1024) / mib;
        const what = `${changeWords(store)} ÷ ${qty(mib)} MiB per object = ${qty(objects)} PUT requests`;
        out.add("requests", objects / 1000, what, book.at(p.region, ["s3", "put", cls]), "1,000 requests", cls);
    } else {
        const why = `the table has no S3 price for the storage class ${p.storageClass}; it prices ${S3_CLASSES.join(", ")}`;
        out.none("storage", why);
        out.none("requests", why);
    }
    transfer(out, book, store, ["transfer", "interRegion"], "data transfer to another region");
    // A DataSync task among the resources that make the copy (an OpenSearch repository copied by DataSync too).
    const datasync = p.mechanism === "datasync" || p.via.some((urn) => DATASYNC_TASK.test(urn));
    // The model gives a replication with Replication Time Control its 15-minute bound as lag; without RTC, hours.
    const replicated = p.mechanism === "s3-replication" || p.mechanism === "opensearch-snapshot-copy";
    if (replicated && !datasync && p.lagHours <= C.s3ReplicationRtcHours.value) {
        out.add("Replication Time Control", monthlyChange(store), changeWords(store), book.at(store.region, ["s3", "rtc"]), "GB", "S3 RTC");
    }
    if (datasync) {
        const price = book.at(store.region, ["datasync", "copied"]);
        out.add("DataSync", monthlyChange(store), changeWords(store), price, "GB", "copied by DataSync");
    }
}

/** Atlas snapshots (and their oplog) kept in another region. */
function atlasCopy(out: Lines, book: Book, store: StoreFacts, p: Protection): void {
    const k = kept(store, p);
    out.add("snapshot storage", k.gib, k.why, book.at(p.region, ["atlas", "snapshotStorage"]), "GB-month", "Atlas snapshot storage");
    out.add(
        "snapshot copy transfer",
        monthlyChange(store),
        changeWords(store),
        book.at(store.region, ["atlas", "copyTransfer"]),
        "GB",
        "Atlas Cloud Backup data transfer",
    );
}

/** AWS Backup recovery points and service snapshots (RDS, DocumentDB, Redshift, DLM, …) kept in another region. */
function serviceCopy(out: Lines, book: Book, store: StoreFacts, p: Protection, transferPath: Path, transferLabel: string): void {
    const family = SNAPSHOT_PRICE[store.kind];
    if (family === undefined) {
        out.none("snapshot storage", `the table has no snapshot or AWS Backup price for a ${store.label}`);
    } else {
        const k = kept(store, p);
        const path: Path = family.family === "backupWarm" ? ["awsBackup", "warmStorage"] : ["snapshots", family.family];
        out.add("snapshot storage", k.gib, k.why, book.at(p.region, path), "GB-month", family.what);
    }
    transfer(out, book, store, transferPath, transferLabel);
}

/** A live copy in another region: its nodes or instances are a second deployment, which the table does not price. */
function liveReplica(out: Lines, book: Book, store: StoreFacts, what: string): void {
    out.none("replica", `${what} are billed like the store's own, which the price table does not hold; add them from the provider's bill`);
    transfer(out, book, store, ["transfer", "interRegion"], "replication traffic to another region");
}

function linesOf(book: Book, store: StoreFacts, p: Protection): CostLine[] {
    const out = new Lines(book, p);
    switch (p.mechanism) {
        case "s3-replication":
        case "s3-versioning":
        case "datasync":
        case "opensearch-snapshots":
        case "opensearch-snapshot-copy":
            objectCopy(out, book, store, p);
            break;
        case "atlas-snapshots":
        case "atlas-snapshot-copy":
            atlasCopy(out, book, store, p);
            break;
        case "point-in-time":
            if (store.kind === "atlasCluster") atlasCopy(out, book, store, p);
            else serviceCopy(out, book, store, p, ["transfer", "interRegion"], "data transfer to another region");
            break;
        case "aws-backup":
        case "aws-backup-copy":
            serviceCopy(out, book, store, p, ["awsBackup", "crossRegionTransfer"], "AWS Backup cross-region copy");
            break;
        case "service-snapshots":
        case "service-snapshot-copy":
            serviceCopy(out, book, store, p, ["transfer", "interRegion"], "data transfer to another region");
            break;
        case "atlas-multi-region":
            liveReplica(out, book, store, "the cluster's nodes in the other region (Atlas cluster hours)");
            break;
        case "opensearch-cross-cluster":
            liveReplica(out, book, store, "the follower domain's instances and storage");
            break;
        case "cross-region-replica":
            liveReplica(out, book, store, "the replica's instances, storage or replicated writes");
            break;
        default: {
            const mechanism: never = p.mechanism;
            out.none("copy", `the cost model has no rule for the mechanism ${String(mechanism)}`);
        }
    }
    return out.list;
}

const sum = (xs: readonly (number | null)[]) => (xs.some((x) => x === null) ? null : xs.reduce<number>((a, x) => a + x!, 0));
const sumKnown = (xs: readonly (number | null)[]) => xs.reduce<number>((a, x) => a + (x ?? 0), 0);

function assumptionsOf(book: Book, lines: readonly CostLine[]): string[] {
    const p = book.prices;
    const mib = qty(p.assumptions.averageObjectMiB);
    const minimums = Object.entries(S3_MINIMUM_DAYS)
        .map(([c, d]) => `${c} ${d}`)
        .join(", ");
    const out = [
        `Prices: ${p.files.join(", overridden by ")}, as of ${p.asOf}, in ${p.currency}: list prices of the first pricing tier, ` +
            "before free tiers, discounts and taxes.",
        "Only copies outside the store's region (or in a region unknown at preview) are counted; copies in the store's own region " +
            "belong to its own cost.",
        "A GB of the price lists is 2^30 bytes, as AWS bills it, so a GiB of data is one billed GB; Atlas is taken to bill the same way.",
        `A month is ${DAYS_PER_MONTH} days. A copy sends and writes the data changed in a month (daily change × ${DAYS_PER_MONTH}); ` +
            "for a scheduled copy this is an upper bound, as data changed twice between two runs is sent once.",
        `Objects average ${mib} MiB (assumptions.averageObjectMiB in the price file): ` +
            `S3 requests per month = changed GiB × 1,024 ÷ ${mib}.`,
        "A copy holds the store's size plus each day's change for every day older versions or points are kept: the retention, " +
            "and at least the S3 class's minimum storage duration, which S3 bills on early deletion " +
            `(${minimums} days); never more than one full copy per recovery point kept. ` +
            "A replica without retention holds the current data only.",
        "Copies are incremental and are written straight into their storage class (the replication rule's or the DataSync location's), " +
            "so no lifecycle transition is charged; the first full copy of existing data is a one-time cost, not counted.",
        "Not counted: requests on the source side (GET, LIST, HEAD), KMS requests, CloudWatch metrics and alarms, " +
            "S3 Intelligent-Tiering's monitoring fee, the 40 KB index S3 keeps per GLACIER or DEEP_ARCHIVE object, " +
            "retrievals and restores (paid in a drill or a disaster), DataSync Enhanced mode task fees.",
    ];
    if (lines.some((l) => l.item === "Replication Time Control")) {
        out.push(
            "S3 Replication Time Control is taken to be on when a replication arrives within 15 minutes " +
                "(the lag the resilience model gives it).",
        );
    }
    const own = " (an override file can give the region's own).";
    for (const r of [...book.fallbacks].sort()) {
        if (r === "unknown") out.push("A region unknown at preview is priced with the table's default block.");
        else if (p.regions[r] === undefined) out.push(`${r} is not in the price table: its prices come from its default block${own}`);
        else out.push(`Prices the table's ${r} block does not give come from its default block${own}`);
    }
    return out;
}

/** The monthly cost of every copy in another region, per store and in total. */
export function costOf(stores: readonly StoreFacts[], prices: Prices): CostReport {
    const book = new Book(prices);
    const costs: StoreCost[] = stores.map((store) => {
        const lines = store.protections.filter((p) => p.elsewhere !== false).flatMap((p) => linesOf(book, store, p));
        const amounts = lines.map((l) => l.amount);
        return { urn: store.urn, name: store.name, label: store.label, lines, monthly: sum(amounts), priced: sumKnown(amounts) };
    });
    return {
        asOf: prices.asOf,
        currency: prices.currency,
        stores: costs,
        monthly: sum(costs.map((c) => c.monthly)),
        priced: sumKnown(costs.map((c) => c.priced)),
        assumptions: assumptionsOf(
            book,
            costs.flatMap((c) => c.lines),
        ),
    };
}
