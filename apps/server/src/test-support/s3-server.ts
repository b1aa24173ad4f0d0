import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { S3Client } from "@aws-sdk/client-s3";
import S3rver from "s3rver";

/** s3rver's fixed keys. */
export const s3rverCredentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

export interface TestS3Server {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  /** A client of its own, to look at the bucket beside the server under test. */
  raw: S3Client;
  close(): Promise<void>;
}

/** A real S3-compatible server (s3rver) on a free port with one empty `bucket`, in a temporary folder removed at close. */
export async function startTestS3Server(bucket: string): Promise<TestS3Server> {
  const dir = mkdtempSync(join(tmpdir(), "countersign-s3-"));
  const s3 = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory: join(dir, "s3"), configureBuckets: [{ name: bucket, configs: [] }] });
  const address = await s3.run();
  const endpoint = `http://127.0.0.1:${address.port}`;
  const raw = new S3Client({
    endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: s3rverCredentials,
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  return {
    endpoint,
    raw,
    async close() {
      raw.destroy();
      await s3.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
