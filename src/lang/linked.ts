// The vocabulary of linked(account, "measure"): graph-neighbour features the engine computes from its link graph.

/** Measure name → what it is; the index of a name in LINKED_MEASURE_NAMES is its id in the compiled plan. */
export const LINKED_MEASURES = {
  identifiers: '1 hop: identifiers the account used (device, IP, card, address, canonical e-mail), hubs left out',
  max_shared: '1 hop: the most other accounts seen on one of those identifiers',
  mean_shared: '1 hop: mean number of other accounts per identifier (null without identifiers)',
  accounts: '2 hops: distinct other accounts sharing one of its identifiers',
  flagged: '2 hops: how many of those accounts are flagged (a block decision, or any label in force)',
  flagged_share: '2 hops: flagged / accounts (null without linked accounts)',
  max_score: '2 hops: the highest latest decision score among the linked accounts (null without any)',
  mean_score: '2 hops: the mean latest decision score of the linked accounts (null without any)',
  min_age_days: '2 hops: days since the youngest linked account was first seen (null without any)',
  mean_age_days: '2 hops: mean days since the linked accounts were first seen (null without any)',
} as const;

export type LinkedMeasure = keyof typeof LINKED_MEASURES;
export const LINKED_MEASURE_NAMES = Object.keys(LINKED_MEASURES) as LinkedMeasure[];
/** The entity type linked() reads: the graph links accounts through the identifiers their events carry. */
export const LINKED_ENTITY = 'Account';
