/**
 * The S3-compatible object store for attachments (issue 14, point 1: the option for large deployments), behind the
 * same `AttachmentStore` interface as the database store. Each file is uploaded under a key of its own before the
 * act's transaction (`stage`); the transaction records the key in `attachments.storage_key`. An act that is refused
 * or never commits (a crash) leaves an object no row names: `sweepOrphans` deletes those older than a grace period.
 * Objects are never overwritten (a fresh key per upload) and never deleted once a row names them.
 */
import { createHash, randomUUID } from "node:crypto";
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { AnyStore, Queryable } from "@countersign/db";
import type { IncomingFile } from "./attachment-rules.js";
import { configureAttachmentStore } from "./attachment-store.js";
import type { AttachmentStore, StoredBytesRef } from "./attachment-store.js";

export interface S3StoreConfig {
  /** The service's URL, e.g. `http://127.0.0.1:9000` (absent: AWS itself, by region). */
  endpoint?: string;
  region: string;
  bucket: string;
  /** Prefix of every key (e.g. `countersign/attachments/`). */
  prefix: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Path-style URLs (`endpoint/bucket/key`), as most S3-compatible servers want. */
  forcePathStyle: boolean;
}

/** How long an unclaimed object is kept before the sweep removes it: far longer than any act takes (1 hour). */
export const orphanGraceMs = 60 * 60 * 1000;

export class S3AttachmentStore implements AttachmentStore {
  readonly kind = "s3";
  private readonly client: S3Client;

  constructor(private readonly config: S3StoreConfig) {
    this.client = new S3Client({
      ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint }),
      region: config.region,
      forcePathStyle: config.forcePathStyle,
      credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
      // Checksums only where the API requires them: many S3-compatible servers do not read the SDK's default
      // trailing checksums. The bytes are checked against the SHA-256 recorded with the act on every read instead.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
  }

  async stage(file: IncomingFile): Promise<string> {
    const key = `${this.config.prefix}${randomUUID()}`;
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.config.bucket,
        Key: key,
        Body: file.bytes,
        ContentType: file.contentType,
        ContentLength: file.sizeBytes,
        Metadata: { sha256: file.sha256 },
      }),
    );
    return key;
  }

  async get(_db: Queryable, ref: StoredBytesRef): Promise<Buffer | null> {
    if (ref.storageKey === null) return null;
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.config.bucket, Key: ref.storageKey }));
      if (object.Body === undefined) return null;
      const bytes = Buffer.from(await object.Body.transformToByteArray());
      // Never serve other bytes than those the act's audit event vouches for.
      return createHash("sha256").update(bytes).digest("hex") === ref.sha256 ? bytes : null;
    } catch (error) {
      if ((error as { name?: string }).name === "NoSuchKey") return null;
      throw error;
    }
  }

  /**
   * Deletes the objects under the prefix that no attachment row names and that were written before `olderThan`
   * (the grace period protects an act between its upload and its commit). Answers how many objects were looked at
   * and how many removed, reading the rows through `store` (either engine). Safe to run beside the server: a row, once
   * committed, always names its object first.
   */
  async sweepOrphans(store: AnyStore, olderThan: Date): Promise<{ checked: number; removed: number }> {
    let checked = 0;
    let removed = 0;
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.config.bucket, Prefix: this.config.prefix, ...(token === undefined ? {} : { ContinuationToken: token }) }),
      );
      for (const object of page.Contents ?? []) {
        if (object.Key === undefined) continue;
        checked++;
        if (object.LastModified === undefined || object.LastModified >= olderThan) continue;
        const key = object.Key;
        // An assignment's attachment or a level report's file (issue 16) may name it.
        if (await store.read(async (repos) => (await repos.attachments.storageKeyNamed(key)) || (await repos.levelReports.storageKeyNamed(key)))) continue;
        await this.client.send(new DeleteObjectCommand({ Bucket: this.config.bucket, Key: object.Key }));
        removed++;
      }
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return { checked, removed };
  }

  close(): void {
    this.client.destroy();
  }
}

/**
 * The object store from the environment, or null for the default (the database): `ATTACHMENT_STORE=s3` with
 * `S3_BUCKET`, `S3_REGION` (default `us-east-1`), `S3_ENDPOINT` (an S3-compatible server; absent: AWS),
 * `S3_ACCESS_KEY_ID`, `S3_SECRET_ACCESS_KEY`, `S3_PREFIX` (default `attachments/`), `S3_FORCE_PATH_STYLE` (`1`:
 * path-style; the default when an endpoint is given). Throws on an incomplete setting.
 */
export function s3StoreFromEnv(env: NodeJS.ProcessEnv): S3AttachmentStore | null {
  const kind = env["ATTACHMENT_STORE"] ?? "database";
  if (kind === "database") return null;
  if (kind !== "s3") throw new Error(`ATTACHMENT_STORE must be database or s3, not ${kind}.`);
  const need = (name: string): string => {
    const value = env[name] ?? "";
    if (value === "") throw new Error(`ATTACHMENT_STORE=s3 needs ${name}.`);
    return value;
  };
  const endpoint = env["S3_ENDPOINT"] ?? "";
  return new S3AttachmentStore({
    ...(endpoint === "" ? {} : { endpoint }),
    region: env["S3_REGION"] ?? "us-east-1",
    bucket: need("S3_BUCKET"),
    prefix: env["S3_PREFIX"] ?? "attachments/",
    accessKeyId: need("S3_ACCESS_KEY_ID"),
    secretAccessKey: need("S3_SECRET_ACCESS_KEY"),
    forcePathStyle: (env["S3_FORCE_PATH_STYLE"] ?? (endpoint === "" ? "0" : "1")) === "1",
  });
}

/**
 * At start (start.ts, either engine): configures the object store when `ATTACHMENT_STORE=s3` for the server's `db`
 * handle (the key the routes look it up by: on PostgreSQL the engine gate's handle, engine-gate.ts), and sweeps its
 * orphans every `S3_SWEEP_SECONDS` (default 3600), each time those older than `orphanGraceMs`, reading the rows
 * through `rows` (the server's store). Nothing to do for the database store.
 */
export function startAttachmentStore(db: Queryable, rows: AnyStore, env: NodeJS.ProcessEnv, now: () => Date): { stop(): void } {
  const store = s3StoreFromEnv(env);
  if (store === null) return { stop: () => undefined };
  configureAttachmentStore(db, store);
  const sweep = setInterval(
    () => {
      store.sweepOrphans(rows, new Date(now().getTime() - orphanGraceMs)).catch((error: unknown) => {
        process.stderr.write(`attachment sweep failed: ${error instanceof Error ? error.message : String(error)}\n`);
      });
    },
    Number(env["S3_SWEEP_SECONDS"] ?? 3600) * 1000,
  );
  sweep.unref();
  return {
    stop() {
      clearInterval(sweep);
      store.close();
    },
  };
}
