// Tile sizing for windowed aggregates: which tile width and how many ring slots a window needs.

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** Tile widths a window may use; round values so tiles line up across aggregates and are easy to reason about. */
export const TILE_LADDER: readonly number[] = [
  1 * SEC, 2 * SEC, 5 * SEC, 10 * SEC, 15 * SEC, 30 * SEC,
  1 * MIN, 2 * MIN, 5 * MIN, 10 * MIN, 15 * MIN, 30 * MIN,
  1 * HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR,
  1 * DAY, 2 * DAY, 3 * DAY, 5 * DAY, 7 * DAY, 10 * DAY, 15 * DAY, 30 * DAY,
];

/** Most tiles a read merges; bounds read cost and memory per key. */
export const MAX_TILES = 12;

export interface Tiling {
  tileMs: number;
  tiles: number;
  ring: number;
}

/**
 * Window semantics (the property tests check exactly this):
 * tile(ts) = floor(ts / tileMs). A read "at ts" covers tiles [tile(ts) - tiles + 1, tile(ts)],
 * i.e. every observation added so far whose tile is in that range, including observations later
 * than ts that share its tile (sawtooth window: it spans between (tiles-1)*tileMs and
 * tiles*tileMs of time). Each key keeps `ring` slots, enough that reads for events up to
 * `latenessMs` behind the newest are exact; an add for a tile older than (newest tile - ring + 1)
 * is dropped because no readable window can include it.
 * Windows longer than 12 x 30 days keep 30-day tiles and use more than 12 of them.
 */
export function tilingFor(windowMs: number, latenessMs: number): Tiling {
  const window = windowMs > 0 ? windowMs : 1;
  let tileMs = TILE_LADDER[TILE_LADDER.length - 1]!;
  for (const t of TILE_LADDER) {
    if (Math.ceil(window / t) <= MAX_TILES) { tileMs = t; break; }
  }
  const tiles = Math.max(1, Math.ceil(window / tileMs));
  const late = latenessMs > 0 ? Math.ceil(latenessMs / tileMs) : 0;
  return { tileMs, tiles, ring: tiles + late + 1 };
}
