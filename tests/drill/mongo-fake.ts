// An in-memory MongoCounter: the document counts of each deployment by connection string, and the
// connection strings it was asked for. An unknown one fails as the driver does, naming the host.
import { Counts, MongoCounter } from "../../tools/drill/atlas";

export class FakeMongo implements MongoCounter {
    readonly asked: string[] = [];

    constructor(private readonly deployments: Record<string, Record<string, number>>) {}

    async count(uri: string): Promise<Counts> {
        this.asked.push(uri);
        const d = this.deployments[uri];
        if (!d) throw new Error(`Server selection timed out after 30000 ms connecting to ${uri}`);
        return new Map(Object.entries(d));
    }
}
