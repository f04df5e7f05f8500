// Another team's program, written as the AWS examples write one: a Postgres instance without backups
// or replicas and a bucket without versioning or a copy. The DR plan must show what each would lose.
import * as aws from "@pulumi/aws";

new aws.rds.Instance("orders", {
    engine: "postgres",
    instanceClass: "db.t4g.medium",
    allocatedStorage: 50,
    username: "orders",
    manageMasterUserPassword: true,
    backupRetentionPeriod: 0,
    skipFinalSnapshot: true,
});

new aws.s3.Bucket("uploads", { bucket: "acme-orders-uploads" });
