/**
 * What changed in a regional grid between two readings of the same plan (issue 16: the grid refetches on a live
 * change; a screen-reader user hears which cells moved instead of having to read the grid again).
 */

/** The parts of `cascade.regionalView`'s answer the comparison reads (`State`: a row's own state, `Cell`: a cell's). */
export interface RegionalReading<State extends string = string, Cell extends string = string> {
  planId: number;
  columns: ReadonlyArray<{ id: string }>;
  rows: ReadonlyArray<{ measureNumber: number; state: State; cells: readonly Cell[] }>;
}

/** One cell that moved: a child organisation's cell (`column` its id), or the row's own rolled state ("Overall"). */
export type RegionalCellChange<State extends string = string, Cell extends string = string> =
  | { measureNumber: number; column: string; to: Cell }
  | { measureNumber: number; column: null; to: State };

/**
 * The cells whose value differs between `before` and `after`, row by row in `after`'s order, the row's own state
 * first, then its cells in column order. Cells are matched by measure number and column id, not by position, so a
 * measure or a child organisation that appears or goes is not reported as a change of its neighbours; a cell with no
 * earlier value (a new row or column) is not a change either. Empty when the two readings are of different plans
 * (the drill-down moved: nothing changed under the reader's eyes) or when `before` is null (the first reading).
 */
export function regionalChanges<State extends string, Cell extends string>(
  before: RegionalReading<State, Cell> | null,
  after: RegionalReading<State, Cell>,
): RegionalCellChange<State, Cell>[] {
  if (before === null || before.planId !== after.planId) return [];
  const earlier = new Map<number, { state: State; cells: Map<string, Cell> }>();
  for (const row of before.rows) {
    const cells = new Map<string, Cell>();
    before.columns.forEach((c, i) => {
      const value = row.cells[i];
      if (value !== undefined) cells.set(c.id, value);
    });
    earlier.set(row.measureNumber, { state: row.state, cells });
  }
  const changes: RegionalCellChange<State, Cell>[] = [];
  for (const row of after.rows) {
    const was = earlier.get(row.measureNumber);
    if (was === undefined) continue;
    if (was.state !== row.state) changes.push({ measureNumber: row.measureNumber, column: null, to: row.state });
    after.columns.forEach((c, i) => {
      const value = row.cells[i];
      const previous = was.cells.get(c.id);
      if (value !== undefined && previous !== undefined && previous !== value) changes.push({ measureNumber: row.measureNumber, column: c.id, to: value });
    });
  }
  return changes;
}
