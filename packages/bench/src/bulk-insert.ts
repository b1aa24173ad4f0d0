import type { Database, Statement } from "better-sqlite3";
import { getTableColumns, getTableName } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";

/**
 * Inserts rows of one drizzle table through raw prepared statements, many rows per statement: the bulk loader's
 * path, about ten times faster than drizzle's per-row builder. Column names and value encodings (JSON, booleans)
 * come from the drizzle table itself, so the loader cannot drift from the schema.
 */
export class BulkInsert<T extends SQLiteTable> {
  private readonly columns: ReadonlyArray<{ key: string; encode: (value: unknown) => unknown }>;
  private readonly batchStatement: Statement;
  private readonly rowStatement: Statement;
  private readonly pending: unknown[] = [];
  private pendingRows = 0;
  private written = 0;

  constructor(
    sqlite: Database,
    table: T,
    private readonly rowsPerStatement = 100,
  ) {
    const columns = Object.entries(getTableColumns(table));
    this.columns = columns.map(([key, column]) => ({ key, encode: (value: unknown) => column.mapToDriverValue(value) }));
    const names = columns.map(([, column]) => `"${column.name}"`).join(", ");
    const row = `(${columns.map(() => "?").join(", ")})`;
    const insert = `INSERT INTO "${getTableName(table)}" (${names}) VALUES `;
    this.batchStatement = sqlite.prepare(insert + Array.from({ length: rowsPerStatement }, () => row).join(", "));
    this.rowStatement = sqlite.prepare(insert + row);
  }

  /** Every column is written: a value left out is stored as NULL (defaults are not applied). */
  add(row: T["$inferInsert"]): void {
    const values = row as Record<string, unknown>;
    for (const column of this.columns) {
      const value = values[column.key];
      this.pending.push(value === undefined || value === null ? null : column.encode(value));
    }
    this.pendingRows += 1;
    if (this.pendingRows === this.rowsPerStatement) {
      this.batchStatement.run(this.pending);
      this.pending.length = 0;
      this.pendingRows = 0;
    }
    this.written += 1;
  }

  /** Writes the rows still held (call before committing). */
  flush(): void {
    const width = this.columns.length;
    for (let i = 0; i < this.pendingRows; i += 1) this.rowStatement.run(this.pending.slice(i * width, (i + 1) * width));
    this.pending.length = 0;
    this.pendingRows = 0;
  }

  get rows(): number {
    return this.written;
  }
}
